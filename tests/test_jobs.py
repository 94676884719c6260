"""The bot's own housekeeping runs on the injected clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.core.jobs import prune_processed_updates
from storage.core.repos import Updates
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


async def test_the_answers_kept_with_updates_are_dropped_after_a_day(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    async with bot.db.session() as s:  # what a webhook replica kept with an update
        await Updates(s).mark(777, bot.clock.now())
        await Updates(s).remember_answer(777, '[{"text": "ok"}]')

    async def answers() -> list[str | None]:
        async with bot.db.reader() as s:
            return list(await s.scalars(select(ProcessedUpdate.answer)))

    assert await answers() == ['[{"text": "ok"}]']
    bot.clock.advance(timedelta(hours=23))  # type: ignore[attr-defined]
    await prune_processed_updates(bot.runtime)
    assert await answers() == ['[{"text": "ok"}]']
    bot.clock.advance(timedelta(hours=2))  # type: ignore[attr-defined]
    await prune_processed_updates(bot.runtime)
    assert await answers() == [None]  # the id stays for the week, the words do not
