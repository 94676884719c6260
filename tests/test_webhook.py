"""Webhook mode: Telegram's posts are taken, anyone else's are refused before they are read."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from bench.balancer import SECRET, free_port
from bot.delivery.webhook import SECRET_HEADER
from bot.texts import t
from frontdoor_emulator import BotApiEmulator
from storage.core.db import Database
from storage.tables import ProcessedUpdate
from tests.conftest import make_bot
from tests.harness import BotUnderTest, matches
from tests.requests_steps import card_of, submit

PHONE = "13912345678"


@pytest.fixture
async def webhook_bot(emu: BotApiEmulator, sqlite_db: Database,
                      tmp_path: Path) -> AsyncIterator[tuple[BotUnderTest, str]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    under_test = make_bot(emu, sqlite_db, tmp_path, webhook_url=url, webhook_secret=SECRET,
                          webhook_listen="127.0.0.1", webhook_port=port)
    await under_test.start()
    yield under_test, url
    await under_test.stop()


def forged_update(user_id: int, chat_id: int, text: str) -> dict[str, object]:
    return {
        "update_id": 900001,
        "message": {
            "message_id": 1, "date": 1764547200, "text": text,
            "from": {"id": user_id, "is_bot": False, "first_name": "Admin"},
            "chat": {"id": chat_id, "type": "private", "first_name": "Mallory"},
            "entities": [{"type": "bot_command", "offset": 0,
                          "length": len(text.split()[0])}],
        },
    }


async def test_updates_from_telegram_are_answered(
        webhook_bot: tuple[BotUnderTest, str]) -> None:
    bot, _ = webhook_bot
    assert bot.emu.webhook is not None
    alice = bot.user("Alice")
    answer = await bot.say(alice, "/help")
    assert matches("help", answer.text)


@pytest.mark.parametrize("secret", [None, "", "wrong-secret-0123456789", SECRET[:-1]])
async def test_a_post_without_the_secret_is_refused_and_changes_nothing(
        webhook_bot: tuple[BotUnderTest, str], secret: str | None) -> None:
    """An outsider posting an update in an admin's name learns nothing, and no one hears."""
    bot, url = webhook_bot
    mallory = bot.user("Mallory")
    body = json.dumps(forged_update(bot.admin.id, mallory.id, "/history RP-2612-0001"))
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with aiohttp.ClientSession() as http, http.post(url, data=body,
                                                          headers=headers) as resp:
        assert resp.status == 403
    await bot.emu.expect_no_message(mallory, within=0.5)
    await bot.emu.expect_no_message(bot.admin, within=0.1)


async def test_an_oversized_post_is_refused_before_it_is_read(
        webhook_bot: tuple[BotUnderTest, str]) -> None:
    _, url = webhook_bot
    headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
    async with aiohttp.ClientSession() as http, http.post(
            url, data=io.BytesIO(b"{" + b" " * (2 * 1024 * 1024) + b"}"),
            headers=headers) as resp:
        assert resp.status == 413


async def test_a_post_again_after_the_answer_was_lost_gets_the_kept_answer(
        webhook_bot: tuple[BotUnderTest, str]) -> None:
    """The answer is kept with the update in its transaction. Telegram posts an update again
    when its post got no answer (the replica stopped after committing, before answering): the
    person then gets the answer they never saw. A replica that did answer it answers no more.
    """
    bot, url = webhook_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "答复丢失")
    await card_of(bot, reference)
    bot.emu.skip_unread(alice)
    update = forged_update(alice.id, alice.id, "/requests")
    headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}

    async def post() -> None:
        async with aiohttp.ClientSession() as http, http.post(
                url, data=json.dumps(update), headers=headers) as resp:
            assert resp.status == 200

    bot.emu.fail_next(1, status=500, method="sendMessage")  # the answer never arrives
    await post()
    sorry = await bot.emu.next_message(alice)  # the apology: it took effect
    assert matches("answer_not_shown", sorry.text), sorry.text
    await post()  # posted again
    answer = await bot.emu.next_message(alice)
    assert matches("rq_list_title", answer.text), answer.text
    assert reference in answer.text
    assert answer.buttons  # with its buttons, as it was first answered
    await post()  # and again: this time it was answered
    await bot.emu.expect_no_message(alice, within=0.5)


async def test_kept_answers_go_when_someone_is_forgotten(
        webhook_bot: tuple[BotUnderTest, str]) -> None:
    bot, _ = webhook_bot
    alice = bot.user("Alice")
    await bot.register(alice, phone=PHONE)

    async def kept_with_phone() -> int:
        async with bot.db.reader() as s:
            return int(await s.scalar(
                select(func.count()).select_from(ProcessedUpdate)
                .where(ProcessedUpdate.answer.contains(PHONE))) or 0)

    assert await kept_with_phone() > 0  # the registration summary showed it
    sure = await bot.say(alice, "/forget")
    await bot.press(alice, sure, t("zh", "btn_forget_yes"))
    assert await kept_with_phone() == 0
