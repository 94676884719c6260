"""The bot's own housekeeping runs on the injected clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.core.jobs import prune_processed_updates
from storage.tables import ProcessedUpdate
from tests.harness import BotUnderTest


async def test_processed_update_ids_are_pruned_once_they_are_a_week_old(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.say(alice, "/help")
    await bot.say(alice, "/help")

    async def stored() -> int:
        async with bot.db.reader() as s:
            return int(await s.scalar(select(func.count()).select_from(ProcessedUpdate)) or 0)

    assert await stored() == 2
    bot.clock.advance(timedelta(days=8))  # type: ignore[attr-defined]
    await prune_processed_updates(bot.runtime)
    assert await stored() == 0
