"""The one log line per update names the request it was about, never what anyone wrote."""

from __future__ import annotations

import json
import logging

import pytest

from bot.core.logs import JsonFormatter
from tests.harness import BotUnderTest
from tests.requests_steps import card_of, claimed, submit

UPDATES = "bot.delivery.updates"


def lines_about(caplog: pytest.LogCaptureFixture, reference: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == UPDATES and reference in r.getMessage()]


async def test_a_submission_and_an_officer_relay_are_logged_with_the_reference(
        bot: BotUnderTest, caplog: pytest.LogCaptureFixture) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    with caplog.at_level(logging.INFO, logger=UPDATES):
        reference = await submit(bot, alice, "商标续展需要哪些材料")
        submitted = lines_about(caplog, reference)
        # The press of "confirm" created it: that update's line names it, and only that one.
        assert len(submitted) == 1
        assert f"callback_query chat {alice.id}: handled in" in submitted[0].getMessage()
        assert f"request {reference}" in submitted[0].getMessage()

        li = bot.officers[0]
        card = await claimed(bot, li, await card_of(bot, reference))
        caplog.clear()
        bot.emu.send_text(li, "请提供营业执照复印件", chat=bot.staff, reply_to=card)
        await bot.emu.next_message(alice, lambda m: "营业执照" in m.text)
        relayed = lines_about(caplog, reference)
        assert len(relayed) == 1
        assert f"message chat {bot.staff.id}: handled in" in relayed[0].getMessage()

    for record in [*submitted, *relayed]:
        line = json.loads(JsonFormatter().format(record))
        assert line["reference"] == reference
        assert "商标续展" not in line["message"]
        assert "营业执照" not in line["message"]
    # An update about no request says none.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=UPDATES):
        await bot.say(alice, "/help")
    helped = [r for r in caplog.records if r.name == UPDATES]
    assert len(helped) == 1
    assert " request " not in helped[0].getMessage()
    assert "reference" not in json.loads(JsonFormatter().format(helped[0]))
