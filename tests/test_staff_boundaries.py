"""Staff acts happen only in the staff group, only by its members: probes of an attacker and of
a careless officer, each of which showed a company's confidential thread before."""

from __future__ import annotations

import pytest

from bot.texts import t
from frontdoor_emulator import ChatMessage
from tests.harness import BotUnderTest, matches
from tests.requests_steps import card_of, claimed, submit


@pytest.fixture
def bot(any_bot: BotUnderTest) -> BotUnderTest:
    """These probes run on SQLite and again on PostgreSQL."""
    return any_bot


async def _request(bot: BotUnderTest) -> tuple[str, ChatMessage]:
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "内部协调事项")
    return reference, await card_of(bot, reference)


async def test_staff_commands_in_a_private_chat_show_nothing(bot: BotUnderTest) -> None:
    reference, _ = await _request(bot)
    li = bot.officers[0]
    for command in (f"/history {reference}", "/find 上海示例", "/queue", "/mine"):
        answer = await bot.say(li, command)
        assert answer.text == t("zh", "staff_only_in_group"), command
        assert reference not in answer.text
    await bot.emu.expect_no_message(li, within=0.3)


async def test_staff_commands_in_another_group_show_nothing(bot: BotUnderTest) -> None:
    reference, _ = await _request(bot)
    li, outsider = bot.officers[0], bot.user("Mallory")
    other = bot.emu.add_group("Some other group", members=[li, outsider])
    bot.emu.send_text(li, f"/history {reference}", chat=other)
    refusal = await bot.emu.next_message(other)
    assert refusal.text == t("zh", "staff_only_in_group")
    # Someone who is not staff gets no answer at all there: the command was not for us.
    bot.emu.send_text(outsider, f"/history {reference}", chat=other)
    await bot.emu.expect_no_message(other, within=0.5)
    assert all(reference not in m.text for m in bot.emu.messages(other))


async def test_an_admin_id_is_not_staff_membership(bot: BotUnderTest) -> None:
    """An admin who left the staff group (or a forged update carrying an admin's id) cannot
    read threads or act on cards."""
    reference, card = await _request(bot)
    bot.emu.set_member_status(bot.staff, bot.admin, "left")
    answer = await bot.say(bot.admin, f"/history {reference}")
    assert reference not in answer.text
    assert answer.text == t("en", "unknown_command")
    # A card's button pressed by that id is refused and changes nothing. (The emulator lets
    # only chat members press: a restricted user who left stands in for the forged press.)
    bot.emu.set_member_status(bot.staff, bot.admin, "restricted", is_member=False)
    query = bot.emu.press_button(bot.admin, card, t("zh", "btn_claim"))
    refused = await bot.emu.wait_for_callback_answer(query)
    assert refused.text == t("en", "not_allowed")
    await bot.emu.expect_no_message(bot.staff, within=0.3)


async def test_a_restricted_user_who_left_is_not_staff(bot: BotUnderTest) -> None:
    _, card = await _request(bot)
    chen = bot.officers[1]
    bot.emu.set_member_status(bot.staff, chen, "restricted", is_member=False)
    query = bot.emu.press_button(chen, card, t("zh", "btn_claim"))
    refused = await bot.emu.wait_for_callback_answer(query)
    assert refused.text == t("zh", "not_allowed")


async def test_a_restricted_member_still_in_the_group_is_staff(bot: BotUnderTest) -> None:
    _, card = await _request(bot)
    chen = bot.officers[1]
    bot.emu.set_member_status(bot.staff, chen, "restricted", is_member=True)
    await claimed(bot, chen, card)


async def test_a_non_members_note_is_not_kept(bot: BotUnderTest) -> None:
    reference, card = await _request(bot)
    li, stranger = bot.officers[0], bot.user("Mallory")
    await claimed(bot, li, card)
    bot.emu.skip_unread(bot.staff)
    bot.emu.set_member_status(bot.staff, stranger, "restricted", is_member=False)
    bot.emu.send_text(stranger, "!这家企业的电话是 13900000000", chat=bot.staff, reply_to=card)
    await bot.emu.expect_no_message(bot.staff, within=0.5)
    bot.emu.send_text(li, f"/history {reference}", chat=bot.staff)
    history = await bot.emu.next_message(bot.staff, lambda m: reference in m.text)
    assert "13900000000" not in history.text


async def test_a_note_typed_with_a_full_width_mark_stays_internal(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "内部协调事项")
    card = await card_of(bot, reference)
    li = bot.officers[0]
    await claimed(bot, li, card)
    bot.emu.skip_unread(alice)
    bot.emu.send_text(li, "！内部：电话已核实", chat=bot.staff, reply_to=card)
    saved = await bot.emu.next_message(bot.staff, lambda m: matches("note_saved", m.text))
    assert reference in saved.text
    await bot.drained()
    assert all("电话已核实" not in m.text for m in bot.emu.messages(alice))
