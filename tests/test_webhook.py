"""Webhook mode: Telegram's posts are taken, anyone else's are refused before they are read."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bench.balancer import SECRET, free_port
from bot.delivery.webhook import SECRET_HEADER
from frontdoor_emulator import BotApiEmulator
from storage.core.db import Database
from tests.conftest import make_bot
from tests.harness import BotUnderTest, matches


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
