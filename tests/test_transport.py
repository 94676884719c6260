"""The aiohttp transport speaks the Bot API like PTB's own: calls, uploads and every failure."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import RequestData

from bot.delivery.transport import AiohttpRequest
from frontdoor_emulator import BotApiEmulator
from tests.harness import TOKEN


@pytest.fixture
async def tg(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    """A plain PTB Bot that talks to the emulator through AiohttpRequest."""
    bot = Bot(
        TOKEN, base_url=emu.api_base_url, base_file_url=emu.file_base_url,
        request=AiohttpRequest(read_timeout=2.0), get_updates_request=AiohttpRequest(1),
    )
    async with bot:
        yield bot


async def test_a_message_sent_through_aiohttp_reaches_the_chat(
    emu: BotApiEmulator, tg: Bot
) -> None:
    alice = emu.add_user("Alice", started=True)
    sent = await tg.send_message(alice.id, "<b>你好</b>, Alice", parse_mode="HTML")
    shown = emu.last_message(alice)
    assert shown is not None
    assert shown.message_id == sent.message_id
    assert shown.text == "你好, Alice"


async def test_an_uploaded_file_arrives_byte_for_byte_with_its_name(
    emu: BotApiEmulator, tg: Bot
) -> None:
    alice = emu.add_user("Alice", started=True)
    content = bytes(range(256)) * 40
    sent = await tg.send_document(alice.id, content, filename="营业执照.pdf", caption="附件")
    assert sent.document is not None
    assert sent.document.file_name == "营业执照.pdf"
    file = await tg.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == content


async def test_flood_control_becomes_retry_after_with_the_servers_delay(
    emu: BotApiEmulator, tg: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # RetryAfter() warns otherwise
    alice = emu.add_user("Alice", started=True)
    emu.fail_next(1, status=429, retry_after=7, method="sendMessage")
    with pytest.raises(RetryAfter) as caught:
        await tg.send_message(alice.id, "hi")
    assert caught.value.retry_after == timedelta(seconds=7)


async def test_a_refused_call_becomes_bad_request_with_the_servers_words(
    emu: BotApiEmulator, tg: Bot
) -> None:
    alice = emu.add_user("Alice", started=True)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await tg.send_message(alice.id, "")


async def test_a_user_who_blocked_the_bot_becomes_forbidden(emu: BotApiEmulator, tg: Bot) -> None:
    alice = emu.add_user("Alice", started=True)
    emu.block(alice)
    with pytest.raises(Forbidden, match="blocked"):
        await tg.send_message(alice.id, "hi")


async def test_a_migrated_group_becomes_chat_migrated_with_the_new_id(
    emu: BotApiEmulator, tg: Bot
) -> None:
    alice = emu.add_user("Alice", started=True)
    group = emu.add_group("Staff", members=[alice], supergroup=False)
    new = emu.migrate_group(group)
    with pytest.raises(ChatMigrated) as caught:
        await tg.send_message(group.id, "hi")
    assert caught.value.new_chat_id == new.id


async def test_a_server_error_becomes_network_error(emu: BotApiEmulator, tg: Bot) -> None:
    alice = emu.add_user("Alice", started=True)
    emu.fail_next(1, status=502, method="sendMessage")
    with pytest.raises(NetworkError) as caught:
        await tg.send_message(alice.id, "hi")
    assert not isinstance(caught.value, TimedOut)


async def test_a_slow_server_becomes_timed_out(emu: BotApiEmulator, tg: Bot) -> None:
    alice = emu.add_user("Alice", started=True)
    emu.latency = 1.0
    with pytest.raises(TimedOut):
        await tg.send_message(alice.id, "hi", read_timeout=0.1)


async def test_nobody_listening_becomes_network_error() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", RequestData())
    assert not isinstance(caught.value, TimedOut)


async def test_a_full_pool_times_out_without_sending(emu: BotApiEmulator) -> None:
    emu.latency = 0.5
    url = f"{emu.api_base_url}{TOKEN}/getMe"
    async with AiohttpRequest(connection_pool_size=1, pool_timeout=0.05) as request:
        first = asyncio.create_task(request.post(url, RequestData()))
        await asyncio.sleep(0.05)  # let the first call take the only connection
        with pytest.raises(TimedOut):
            await request.post(url, RequestData())
        assert (await first)["username"] == "frontdoor_bot"  # type: ignore[index]


async def test_a_request_before_initialize_is_refused() -> None:
    request = AiohttpRequest()
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post("http://127.0.0.1:9/", RequestData())


def test_the_environments_proxy_is_used_except_where_no_proxy_says_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    request = AiohttpRequest()
    assert request._proxy("https://api.telegram.org/botX/getMe") == "http://proxy.invalid:3128"
    assert request._proxy("http://127.0.0.1:8081/botX/getMe") is None
