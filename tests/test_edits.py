"""A message edited after it was relayed: the other side sees the new wording, marked."""

from __future__ import annotations

import pytest

from tests.harness import BotUnderTest, matches
from tests.requests_steps import card_of, claimed, submit


@pytest.fixture
def bot(any_bot: BotUnderTest) -> BotUnderTest:
    """These probes run on SQLite and again on PostgreSQL."""
    return any_bot


async def test_edits_are_relayed_both_ways(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "需要协调")
    li = bot.officers[0]
    card = await claimed(bot, li, await card_of(bot, reference))
    bot.emu.skip_unread(alice)
    bot.emu.skip_unread(bot.staff)
    # The company writes, then corrects itself.
    sent = bot.emu.send_text(alice, "明天下午三点来访")
    await bot.emu.next_message(alice)  # "passed on to the officer"
    await bot.emu.next_message(bot.staff, lambda m: "明天下午三点来访" in m.content)
    bot.emu.edit_text(alice, sent, "明天上午十点来访")
    edited = await bot.emu.next_message(bot.staff, lambda m: "上午十点" in m.content)
    assert matches("edit_from_enterprise", edited.text)
    # The officer answers, then corrects the answer.
    reply = bot.emu.send_text(li, "好的，请带营业执照", chat=bot.staff, reply_to=card)
    await bot.emu.next_message(alice, lambda m: "营业执照" in m.content)
    bot.emu.edit_text(li, reply, "好的，请带营业执照原件")
    corrected = await bot.emu.next_message(alice, lambda m: "原件" in m.content)
    assert matches("edit_from_officer", corrected.text)
    # An edit is not taken for a new message by anyone.
    await bot.emu.expect_no_message(alice, within=0.5)
    assert not [m for m in bot.emu.messages(alice) if matches("stray_text", m.text)]


async def test_an_edit_of_an_unrelated_message_changes_nothing(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    hello = bot.emu.send_text(alice, "/help")
    await bot.emu.next_message(alice)
    bot.emu.edit_text(alice, hello, "/help me")
    await bot.emu.expect_no_message(alice, within=0.5)
    await bot.emu.expect_no_message(bot.staff, within=0.1)
