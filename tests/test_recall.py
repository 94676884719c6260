"""An officer sees that a reply reached the company, and can take it back with /recall."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from telegram.error import BadRequest

from bot.delivery.dispatcher import DELIVERED
from frontdoor_emulator import ChatMessage, User
from tests.harness import BotUnderTest, matches, shown
from tests.requests_steps import card_of, claimed, submit


async def _claimed(bot: BotUnderTest) -> tuple[User, str, ChatMessage]:
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "需要协调")
    card = await claimed(bot, bot.officers[0], await card_of(bot, reference))
    bot.emu.skip_unread(alice)
    bot.emu.skip_unread(bot.staff)
    return alice, reference, card


async def _reaction(bot: BotUnderTest, message: ChatMessage, wanted: list[str]) -> None:
    """Wait until the bot's reaction on ``message`` is ``wanted``."""
    for _ in range(250):
        if message.reactions == wanted:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"reaction {message.reactions!r}, expected {wanted!r}")


async def _reply(bot: BotUnderTest, officer: User, card: ChatMessage, text: str,
                 to: User) -> tuple[ChatMessage, ChatMessage]:
    """The officer answers on the card; returns their message and the company's copy."""
    own = bot.emu.send_text(officer, text, chat=bot.staff, reply_to=card)
    copy = await bot.emu.next_message(to, lambda m: text in m.content)
    await _reaction(bot, own, [DELIVERED])
    await bot.drained()
    return own, copy


async def test_a_delivered_reply_is_marked_on_the_officers_message_without_a_receipt(
        bot: BotUnderTest) -> None:
    alice, _, card = await _claimed(bot)
    _, copy = await _reply(bot, bot.officers[0], card, "请提供营业执照", alice)
    assert copy.chat_id == alice.id
    # The group's message budget is not spent on receipts.
    await bot.emu.expect_no_message(bot.staff, within=0.3)


async def test_an_undelivered_reply_gets_no_mark_and_the_group_is_told(
        bot: BotUnderTest) -> None:
    alice, _, card = await _claimed(bot)
    bot.emu.block(alice)
    own = bot.emu.send_text(bot.officers[0], "送不到的回复", chat=bot.staff, reply_to=card)
    told = await bot.emu.next_message(bot.staff, lambda m: matches("relay_failed_staff", m.text))
    assert shown("undelivered_blocked") in told.text  # and why
    await bot.drained()
    assert own.reactions == []


async def test_recall_deletes_the_reply_for_the_company_and_tells_both(
        bot: BotUnderTest) -> None:
    alice, reference, card = await _claimed(bot)
    li = bot.officers[0]
    own, copy = await _reply(bot, li, card, "这条发错了", alice)
    bot.emu.send_text(li, "/recall", chat=bot.staff, reply_to=own)
    done = await bot.emu.next_message(bot.staff)
    assert done.text == shown("recall_done", reference=reference)
    told = await bot.emu.next_message(alice)
    assert told.text == shown("recalled_for_company", reference=reference)
    await bot.drained()
    assert copy.deleted
    assert own.reactions == []
    # The company's view of the thread no longer holds it; the staff history does, marked.
    bot.emu.skip_unread(alice)
    await bot.say(alice, "/requests")
    detail = await bot.say(alice, "/requests")
    assert "这条发错了" not in detail.text
    bot.emu.send_text(li, f"/history {reference}", chat=bot.staff)
    history = await bot.emu.next_message(bot.staff)
    assert matches("history_recalled", history.text)
    assert "这条发错了" in history.text
    # A second /recall changes nothing more.
    bot.emu.send_text(li, "/recall", chat=bot.staff, reply_to=own)
    again = await bot.emu.next_message(bot.staff)
    assert again.text == shown("recall_done_before", reference=reference)
    await bot.emu.expect_no_message(alice, within=0.3)


async def test_only_the_author_may_recall_and_only_a_relayed_reply(bot: BotUnderTest) -> None:
    alice, _, card = await _claimed(bot)
    li, zhang = bot.officers[0], bot.officers[1]
    own, copy = await _reply(bot, li, card, "李科员的回复", alice)
    bot.emu.send_text(zhang, "/recall", chat=bot.staff, reply_to=own)
    refused = await bot.emu.next_message(bot.staff)
    assert refused.text == shown("recall_not_yours")
    bot.emu.send_text(li, "/recall", chat=bot.staff, reply_to=card)
    assert (await bot.emu.next_message(bot.staff)).text == shown("recall_not_relay")
    bot.emu.send_text(li, "/recall", chat=bot.staff)
    assert (await bot.emu.next_message(bot.staff)).text == shown("recall_usage")
    # Someone outside the staff group is not answered, and nothing changes.
    stranger = bot.user("Mallory")
    bot.emu.set_member_status(bot.staff, stranger, "restricted", is_member=False)
    bot.emu.send_text(stranger, "/recall", chat=bot.staff, reply_to=own)
    await bot.emu.expect_no_message(bot.staff, within=0.3)
    await bot.drained()
    assert not copy.deleted
    await bot.emu.expect_no_message(alice, within=0.2)


async def test_a_reply_older_than_48_hours_cannot_be_recalled(clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice, reference, card = await _claimed(bot)
    li = bot.officers[0]
    own, copy = await _reply(bot, li, card, "两天前的回复", alice)
    bot.clock.advance(timedelta(hours=48, minutes=1))  # type: ignore[attr-defined]
    bot.emu.send_text(li, "/recall", chat=bot.staff, reply_to=own)
    refused = await bot.emu.next_message(bot.staff, lambda m: reference in m.text)
    assert refused.text == shown("recall_too_old", reference=reference)
    await bot.drained()
    assert not copy.deleted
    assert own.reactions == [DELIVERED]


async def test_the_emulator_takes_only_telegrams_reaction_emoji(bot: BotUnderTest) -> None:
    _, _, card = await _claimed(bot)
    own = bot.emu.send_text(bot.officers[0], "!内部备注", chat=bot.staff, reply_to=card)
    await bot.emu.next_message(bot.staff)
    app_bot = bot.app.bot
    with pytest.raises(BadRequest, match=r"(?i)reaction_invalid"):
        await app_bot.set_message_reaction(bot.staff.id, own.message_id, "✅")
    assert own.reactions == []
    await app_bot.set_message_reaction(bot.staff.id, own.message_id, "👌")
    assert own.reactions == ["👌"]
