"""Stopping the bot: the updates in hand get a grace period, and a stuck one never hangs it."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.core.waiting import wait_at_most
from bot.delivery.lifecycle import stop_application
from tests.harness import BotUnderTest


async def test_a_stuck_update_does_not_hang_the_stop_and_is_named_in_the_log(
        bot: BotUnderTest, caplog: pytest.LogCaptureFixture) -> None:
    stuck, started = asyncio.Event(), asyncio.Event()

    async def never_done(update: Update, context: object) -> None:
        started.set()
        await stuck.wait()  # an update that will not finish by itself

    app = bot.app
    assert app is not None
    app.add_handler(MessageHandler(filters.Regex("^卡住$"), never_done), group=-1)
    alice = bot.user("Alice")
    bot.emu.send_text(alice, "卡住")
    await asyncio.wait_for(started.wait(), 10)
    bot.app = None  # stopped here, not by the fixture
    with caplog.at_level(logging.ERROR, logger="bot.delivery.lifecycle"):
        await asyncio.wait_for(stop_application(app, grace=0.5), 20)
    assert not app.running
    assert "updates still running" in caplog.text
    assert "test_stopping.py:" in caplog.text, caplog.text  # where it waited
    stuck.set()  # let it end, so the test leaves nothing behind
    await asyncio.sleep(0)


async def test_a_worker_stopped_as_it_is_woken_stops() -> None:
    """The outbox and the jobs wait for a wake-up or a while; asked to stop in the very turn
    they are woken, they stop (Python 3.11's wait_for lost that cancellation, and the stop
    waited for them for ever)."""
    woken = asyncio.Event()
    rounds = 0

    async def worker() -> None:
        nonlocal rounds
        while True:
            woken.clear()
            await wait_at_most(woken.wait(), 10)
            rounds += 1

    task = asyncio.create_task(worker())
    await asyncio.sleep(0)  # waiting now
    woken.set()
    task.cancel()  # in the same turn
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)
    assert rounds == 0
