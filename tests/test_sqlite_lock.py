"""Another process holding SQLite's write lock makes updates wait, not the whole bot freeze,
and loses nobody's input."""

from __future__ import annotations

import asyncio
import sqlite3

from tests.harness import BotUnderTest, matches


async def test_a_held_write_lock_leaves_the_loop_free_and_loses_nothing(
        bot: BotUnderTest) -> None:
    alice, bob = bot.user("Alice"), bot.user("Bob")
    path = bot.db.url.split("///", 1)[1]
    other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    ticks = 0

    async def clock() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    ticker = asyncio.create_task(clock())
    try:
        other.execute("BEGIN IMMEDIATE")  # another process's writer, holding on
        bot.emu.send_text(alice, "/start")
        bot.emu.send_text(bob, "/help")
        await asyncio.sleep(2.0)
        # Meanwhile the event loop went on (it froze for the whole wait before) …
        assert ticks >= 10
        # … and nobody was answered with an error.
        assert not [m for m in bot.emu.messages(alice) + bot.emu.messages(bob)
                    if m.outgoing and matches("internal_error", m.text)]
        other.execute("COMMIT")
        # Once the lock is free, both are answered, as if nothing had happened.
        assert matches("welcome", (await bot.emu.next_message(alice, timeout=10)).text)
        assert matches("help", (await bot.emu.next_message(bob, timeout=10)).text)
    finally:
        ticker.cancel()
        other.close()
