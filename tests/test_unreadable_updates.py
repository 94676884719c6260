"""An update the bot cannot read is skipped with a log line; the ones after it still arrive."""

from __future__ import annotations

import logging

import pytest

from tests.harness import BotUnderTest, matches


async def test_an_unreadable_update_does_not_stall_the_bot(
        bot: BotUnderTest, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    alice = bot.user("Alice")
    bad = bot.emu.push_raw_update({"message": {"message_id": 1, "date": 1, "chat": "no chat"}})
    answer = await bot.say(alice, "/help")
    assert matches("help", answer.text)
    assert f"update {bad}" in caplog.text
    # Polling goes on at its usual pace: no storm of getUpdates calls asking for it again.
    calls = len(bot.emu.calls_of("getUpdates"))
    await bot.emu.expect_no_message(alice, within=0.5)
    assert len(bot.emu.calls_of("getUpdates")) - calls < 20
