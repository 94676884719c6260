"""One person flooding the bot does not stall anyone else, nor bury the staff group."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.companies.credit_code import make_credit_code
from frontdoor_emulator import BotApiEmulator
from storage.core.db import Database
from storage.tables import RequestEvent
from tests.conftest import make_bot
from tests.harness import BotUnderTest, matches
from tests.requests_steps import card_of, claimed, submit

FLOOD = 1000


@pytest.fixture
async def limited_bot(emu: BotApiEmulator, sqlite_db: Database,
                      tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    """The bot with Telegram's rate limits on, as in production."""
    under_test = make_bot(emu, sqlite_db, tmp_path, rate_limit=True)
    await under_test.start()
    yield under_test
    await under_test.stop()


async def recorded_messages(bot: BotUnderTest) -> int:
    async with bot.db.reader() as session:
        return int(await session.scalar(
            select(func.count()).select_from(RequestEvent)
            .where(RequestEvent.kind == "message", RequestEvent.side == "enterprise")) or 0)


async def test_a_flood_neither_stalls_others_nor_buries_the_group(
        limited_bot: BotUnderTest) -> None:
    bot = limited_bot
    mallory, alice, bob = bot.user("Mallory"), bot.user("Alice"), bot.user("Bob")
    await bot.register(mallory)
    await bot.register(alice, name="上海乙公司", code=make_credit_code("91310113MA1G00005"))
    reference = await submit(bot, mallory, "需要协调")
    await claimed(bot, bot.officers[0], await card_of(bot, reference))
    bot.emu.skip_unread(mallory)
    bot.emu.skip_unread(bot.staff)
    group_before = len(bot.emu.messages(bot.staff))
    for n in range(FLOOD):
        bot.emu.send_text(mallory, f"第 {n} 条")
    # Another person's command is answered long before the flood has been worked through.
    bot.emu.send_text(bob, "/help")
    answer = await bot.emu.next_message(bob, timeout=30)
    assert matches("help", answer.text)
    assert await recorded_messages(bot) < 50
    # Another company's new request reaches the group behind at most 3 of the flood's relays.
    other = await submit(bot, alice, "乙公司的新需求")
    await card_of(bot, other)
    group = bot.emu.messages(bot.staff)[group_before:]
    card_at = next(i for i, m in enumerate(group) if other in m.content)
    assert sum("第 " in m.content for m in group[:card_at]) <= 3
    # The flooder was answered politely once, and every message is kept in the thread.
    for _ in range(1200):  # the flood is worked through at about 50 a second
        if await recorded_messages(bot) >= FLOOD:
            break
        await asyncio.sleep(0.05)
    assert await recorded_messages(bot) == FLOOD
    burst = [m for m in bot.emu.messages(mallory) if matches("rq_message_burst", m.text)]
    assert len(burst) == 1
