"""Odd input at the edge: a clear answer, never a traceback, and nothing odd stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core.cleaning import clean_name, clean_text
from storage.tables import Company
from tests.harness import BotUnderTest, matches
from tests.requests_steps import forge_press
from tests.test_booking_flow import clocked_any_bot, open_day

__all__ = ["clocked_any_bot"]  # the fixture, shared with the booking tests


@pytest.mark.parametrize("forged", ["s99999999999", "s0", "w99999999999", "s１２３"])
async def test_a_forged_slot_key_is_answered_politely(clocked_bot: BotUnderTest,
                                                      forged: str) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    slots = await open_day(bot, alice)
    real = slots.buttons[0].callback_data
    assert real is not None
    assert ":slot:" in real
    data = real.rsplit(":", 1)[0] + ":" + forged
    answer = await bot.emu.wait_for_callback_answer(forge_press(bot, alice, slots, data))
    assert not matches("internal_error", answer.text or "")
    assert not any(matches("internal_error", m.text) for m in bot.emu.messages(alice))


async def test_control_characters_never_reach_the_database(
        clocked_any_bot: BotUnderTest) -> None:
    """On PostgreSQL a U+0000 in a name made every later read of the row fail."""
    bot = clocked_any_bot
    alice = bot.user("Ali\u202ece\x00")
    await bot.register(alice, name="上海\x00示例\u202e科技\u200b有限公司")
    async with bot.db.reader() as session:
        names = list(await session.scalars(select(Company.name)))
    assert names == ["上海示例科技有限公司"]
    officer = bot.officers[0]
    bot.emu.send_text(officer, "/find 示例", chat=bot.staff)
    found = await bot.emu.next_message(bot.staff)
    assert not matches("internal_error", found.text)


def test_cleaning_keeps_what_people_write() -> None:
    assert clean_text("第一行\n第二行\t完") == "第一行\n第二行\t完"
    assert clean_text("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"  # an emoji family stays whole
    assert clean_text("a\x00b\x1bc\u202ed\u2066e\ufeff") == "abcde"
    assert clean_name("  王\u200b经理 \n ") == "王经理"
