"""Officers in the staff group: claim, reply, note, transfer, resolve; the company answers."""

from __future__ import annotations

from datetime import timedelta

from bot.texts import t
from frontdoor_emulator import ChatMessage, User
from tests.harness import BotUnderTest, join_company, matches, shown
from tests.requests_steps import card_of, claimed, forge_press, recorded, submit


async def setup(bot: BotUnderTest) -> tuple[User, str, ChatMessage]:
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "需要协调")
    return alice, reference, await card_of(bot, reference)


async def test_claim_edits_the_card_and_tells_the_company(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    assert "李科员" in card.text
    assert [b.text for b in card.buttons] == [t("zh", "btn_resolve"), t("zh", "btn_note"),
                                          t("zh", "btn_transfer"), t("zh", "btn_unclaim"),
                                          t("zh", "btn_snippets")]
    told = await bot.emu.next_message(alice)
    assert "李科员" in told.text
    assert reference in told.text
    listing = await bot.say(alice, "/requests")
    assert t("zh", "rq_status_claimed") in listing.text
    assert "李科员" in listing.text


async def test_second_officer_is_told_who_claimed_first(bot: BotUnderTest) -> None:
    _, reference, card = await setup(bot)
    li, zhang = bot.officers[0], bot.officers[1]
    first = bot.emu.press_button(li, card, t("zh", "btn_claim"))
    second = bot.emu.press_button(zhang, card, t("zh", "btn_claim"))
    assert t("zh", "claim_won", reference=reference) in ((await bot.emu.wait_for_callback_answer(first)).text or "")
    lost = await bot.emu.wait_for_callback_answer(second)
    assert lost.text == t("zh", "claim_lost", owner="李科员")
    assert lost.show_alert


async def test_officer_reply_reaches_every_member_and_their_reply_comes_back(
        bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    bob = bot.user("Bob")
    await join_company(bot, bob, approver=alice)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.skip_unread(alice)
    bot.emu.skip_unread(bob)
    bot.emu.send_text(li, "请提供营业执照", chat=bot.staff, reply_to=card)
    to_alice = await recorded(bot, await bot.emu.next_message(alice, lambda m: "营业执照" in m.text))
    to_bob = await bot.emu.next_message(bob, lambda m: "营业执照" in m.text)
    assert reference in to_alice.text
    assert "李科员" in to_bob.text
    bot.emu.send_text(alice, "好的，稍后发送", reply_to=to_alice)
    ack = await bot.emu.next_message(alice)
    assert shown("rq_message_sent", owner="李科员", reference=reference) in ack.text
    relayed = await recorded(bot, await bot.emu.next_message(bot.staff,
                                                             lambda m: "稍后发送" in m.content))
    assert relayed.reply_to_message_id == card.message_id
    assert "Alice" in relayed.text
    # The officer answers on the relayed message, not the card: it still finds the request.
    bot.emu.send_photo(li, content=PNG, caption="样例", chat=bot.staff, reply_to=relayed)
    photo = await bot.emu.next_message(alice, lambda m: m.photo is not None)
    assert reference in photo.content


async def test_only_the_owner_replies_and_nobody_before_a_claim(bot: BotUnderTest) -> None:
    alice, _, card = await setup(bot)
    li, zhang = bot.officers[0], bot.officers[1]
    bot.emu.send_text(zhang, "我来看看", chat=bot.staff, reply_to=card)
    await bot.emu.next_message(bot.staff, lambda m: t("zh", "staff_claim_first") in m.text)
    card = await claimed(bot, li, card)
    bot.emu.skip_unread(alice)
    bot.emu.send_text(zhang, "我来回答", chat=bot.staff, reply_to=card)
    await bot.emu.next_message(bot.staff, lambda m: t("zh", "staff_not_owner", owner="李科员") in m.text)
    await bot.emu.expect_no_message(alice)


async def test_bang_reply_is_an_internal_note_never_sent(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.skip_unread(alice)
    bot.emu.send_text(li, "!该企业去年办过一次", chat=bot.staff, reply_to=card)
    saved = await bot.emu.next_message(bot.staff, lambda m: shown("note_saved", reference=reference) in m.text)
    assert reference in saved.text
    await bot.emu.expect_no_message(alice)
    bot.emu.send_text(li, f"/history {reference}", chat=bot.staff)
    history = await bot.emu.next_message(bot.staff, lambda m: matches("history_note", m.text)
                                         and "去年办过" in m.text)
    assert t("zh", "zone_beijing") in history.text


async def test_messages_before_the_claim_are_shown_to_the_claimer(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    bot.emu.send_text(alice, "补充：我们在宝山")
    queued = await bot.emu.next_message(alice)
    assert shown("rq_message_queued", reference=reference) in queued.text
    under_card = await bot.emu.next_message(bot.staff, lambda m: "我们在宝山" in m.content)
    assert under_card.reply_to_message_id == card.message_id
    bot.emu.press_button(bot.officers[0], card, t("zh", "btn_claim"))
    claimed_note = await bot.emu.next_message(bot.staff, lambda m: t("zh", "claimed_earlier", count=1) in m.text)
    assert "我们在宝山" in claimed_note.text


async def test_several_open_requests_ask_which_one(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    first = await submit(bot, alice, "第一件")
    second = await submit(bot, alice, "第二件")
    which = await bot.say(alice, "这条消息给谁？")
    assert t("zh", "rq_which_request") in which.text
    done = await bot.press(alice, which, f"{second} · 其他需求")
    assert second in done.text
    relayed = await bot.emu.next_message(bot.staff, lambda m: "给谁" in m.content)
    assert second in relayed.text
    assert first not in relayed.text


async def test_withdraw_only_while_unclaimed(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "撤回测试")
    card = await card_of(bot, reference)
    listing = await bot.say(alice, "/requests")
    detail = await bot.press(alice, listing, t("zh", "btn_open_request", reference=reference))
    sure = await bot.press(alice, detail, t("zh", "btn_withdraw"))
    done = await bot.press(alice, sure, t("zh", "btn_withdraw_yes"))
    assert t("zh", "rq_withdrawn", reference=reference) in done.text
    edited = await bot.emu.wait_for_edit(card)
    assert t("zh", "rq_status_withdrawn") in edited.text
    assert edited.inline_keyboard is None
    # A second request is claimed while the withdraw confirmation is open: the claim wins.
    other = await submit(bot, alice, "第二件")
    other_card = await card_of(bot, other)
    listing = await bot.say(alice, "/requests")
    detail = await bot.press(alice, listing, t("zh", "btn_open_request", reference=other))
    sure = await bot.press(alice, detail, t("zh", "btn_withdraw"))
    await claimed(bot, bot.officers[0], other_card)
    bot.emu.press_button(alice, sure, t("zh", "btn_withdraw_yes"))
    refused = await bot.emu.wait_for_edit(sure)
    assert t("zh", "rq_withdraw_too_late") in refused.text


async def test_resolve_asks_for_a_rating_and_a_low_one_asks_why(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.skip_unread(alice)
    bot.emu.press_button(li, card, t("zh", "btn_resolve"))
    prompt = await bot.emu.next_message(alice, lambda m: shown("rq_resolved_enterprise", owner="李科员",
                                                             reference=reference) in m.text)
    rated = await bot.press(alice, prompt, t("zh", "rating_2"))
    assert "★★" in rated.text
    why = await bot.emu.next_message(alice)
    assert t("zh", "rq_comment_low") in why.text
    thanks = await bot.say(alice, "回复太慢")
    assert t("zh", "rq_comment_thanks") in thanks.text
    verdict = await bot.emu.next_message(bot.staff, lambda m: t("zh", "verdict_bad") in m.text)
    assert reference in verdict.text
    await bot.emu.next_message(bot.staff, lambda m: "回复太慢" in m.text)


async def test_not_solved_returns_the_request_to_its_owner(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.press_button(li, card, t("zh", "btn_resolve"))
    prompt = await bot.emu.next_message(alice, lambda m: shown("rq_resolved_enterprise", owner="李科员",
                                                             reference=reference) in m.text)
    reopened = await bot.press(alice, prompt, t("zh", "btn_not_solved"))
    assert t("zh", "rq_reopened", reference=reference, owner="李科员") in reopened.text
    told = await bot.emu.next_message(bot.staff, lambda m: matches("reopened_group", m.text))
    assert "李科员" in told.text
    card = await bot.emu.wait_for_edit(card, lambda m: t(
        "zh", "card_state_owner", status=t("zh", "rq_status_claimed"), owner="李科员") in m.text)


async def test_resolved_requests_close_after_seven_days(clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.press_button(li, card, t("zh", "btn_resolve"))
    prompt = await bot.emu.next_message(alice, lambda m: shown("rq_resolved_enterprise", owner="李科员",
                                                             reference=reference) in m.text)
    bot.clock.advance(timedelta(days=7, minutes=1))  # type: ignore[attr-defined]
    bot.runtime.wake()
    await bot.emu.wait_for_edit(card, lambda m: t("zh", "rq_status_closed") in m.text)
    late = bot.emu.press_button(alice, prompt, t("zh", "btn_not_solved"))
    answer = await bot.emu.wait_for_callback_answer(late)
    assert t("zh", "rq_reopen_not_possible") in (answer.text or "")


async def test_unclaimed_request_is_reannounced_then_escalated_once_each(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    _, reference, card = await setup(bot)
    await bot.say(bot.admin, "/help")  # the admin has talked to the bot: their name is known
    # other-needs promises 4 working hours; Tuesday 09:00 → 13:00, escalation at 17:00.
    bot.clock.advance(timedelta(hours=4, minutes=1))  # type: ignore[attr-defined]
    bot.runtime.wake()
    again = await bot.emu.next_message(bot.staff, lambda m: "⏰" in m.text)
    assert reference in again.text
    assert again.reply_to_message_id == card.message_id
    bot.clock.advance(timedelta(hours=4))  # type: ignore[attr-defined]
    bot.runtime.wake()
    escalation = await bot.emu.next_message(bot.staff, lambda m: "🚨" in m.text)
    assert any(e["type"] == "text_link" or e["type"] == "text_mention"
               for e in escalation.entities)
    # The admin is named, not called "admin", and told in private as well: an admin need
    # not be in the group.
    assert "Admin" in escalation.text
    private = await bot.emu.next_message(bot.admin, lambda m: reference in m.text)
    assert private.text.startswith(t("en", "escalate_private").split("{")[0])
    bot.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    bot.runtime.wake()
    await bot.emu.expect_no_message(bot.staff, within=0.5)


async def test_transfer_to_another_station_posts_a_new_card(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.press_button(li, card, t("zh", "btn_transfer"))
    menu = await bot.emu.wait_for_edit(card, lambda m: shown("transfer_pick") in m.text)
    bot.emu.press_button(li, menu, "➡️ 宝山区市场监管局服务窗口")
    new_card = await bot.emu.next_message(
        bot.staff, lambda m: reference in m.text and m.message_id != card.message_id
        and m.inline_keyboard is not None)
    assert [b.text for b in new_card.buttons] == [t("zh", "btn_claim")]
    moved = await bot.emu.next_message(alice, lambda m: "宝山区市场监管局服务窗口" in m.text)
    assert reference in moved.text


async def test_queue_mine_and_find_for_staff(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    bot.emu.send_text(li, "/queue", chat=bot.staff)
    queue = await bot.emu.next_message(bot.staff, lambda m: shown("queue_title", count=1) in m.text)
    assert reference in queue.text
    await claimed(bot, li, card)
    bot.emu.send_text(li, "/mine", chat=bot.staff)
    mine = await bot.emu.next_message(bot.staff, lambda m: matches("mine_title", m.text))
    assert reference in mine.text
    bot.emu.send_text(li, "/find 上海示例", chat=bot.staff)
    found = await bot.emu.next_message(bot.staff, lambda m: matches("find_title", m.text))
    assert reference in found.text
    # An enterprise user asking for the queue learns nothing.
    bot.emu.skip_unread(alice)
    nosy = await bot.say(alice, "/queue")
    assert reference not in nosy.text


async def test_strangers_anonymous_admins_and_forged_payloads_change_nothing(
        bot: BotUnderTest) -> None:
    alice, _, card = await setup(bot)
    chief = bot.officers[2]  # an admin of the staff group
    anonymous = bot.emu.press_button(chief, card, t("zh", "btn_claim"), anonymous=True)
    assert t("zh", "staff_act_as_yourself") in ((await bot.emu.wait_for_callback_answer(anonymous)).text or "")
    # Alice is not in the staff group; she forges a claim from her own chat.
    forged = await bot.say(alice, "/requests")
    fake = forge_press(bot, alice, forged, f"rq:c:{1}")
    assert (await bot.emu.wait_for_callback_answer(fake)).text
    for data in ("rq:c:999", "rq:c:abc", "rq:r:1", "rq:ts:1:nowhere", "rq:c:1:2", "rq:zz:1"):
        query = forge_press(bot, bot.officers[1], card, data)
        answer = await bot.emu.wait_for_callback_answer(query)
        assert answer.text
    await bot.emu.expect_no_message(bot.staff, within=0.3)
    assert card.edit_count == 0
    assert [b.text for b in card.buttons] == [t("zh", "btn_claim")]


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5f3c2a10000000049454e44ae426082"
)


async def test_note_button_asks_for_a_reply_that_stays_internal(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.skip_unread(alice)
    bot.emu.press_button(li, card, t("zh", "btn_note"))
    prompt = await recorded(bot, await bot.emu.next_message(
        bot.staff, lambda m: shown("note_prompt", who="李科员", reference=reference) in m.text))
    bot.emu.send_text(li, "电话沟通过，下周回访", chat=bot.staff, reply_to=prompt)
    saved = await bot.emu.next_message(bot.staff, lambda m: shown("note_saved", reference=reference) in m.text)
    assert reference in saved.text
    await bot.emu.expect_no_message(alice)


async def test_one_word_per_status_in_every_view(bot: BotUnderTest) -> None:
    """The card, the queue, /find, /history and the company's own list name a state alike."""
    alice, reference, card = await setup(bot)
    word = t("zh", "rq_status_submitted")
    assert t("zh", "card_state_unclaimed").endswith(word)
    assert t("zh", "card_state_unclaimed") in card.text
    li = bot.officers[0]
    for command in ("/queue", f"/find {reference}", f"/history {reference}"):
        bot.emu.send_text(li, command, chat=bot.staff)
        shown_there = await bot.emu.next_message(bot.staff, lambda m: reference in m.text)
        assert word in shown_there.text, command
    bot.emu.skip_unread(alice)
    listing = await bot.say(alice, "/requests")
    assert word in listing.text


async def test_the_owner_is_mentioned_and_a_resolved_card_stops_counting(
        bot: BotUnderTest) -> None:
    alice, _, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.skip_unread(alice)
    bot.emu.skip_unread(bot.staff)
    await bot.say(alice, "请问进展如何")
    relayed = await bot.emu.next_message(bot.staff, lambda m: "请问进展如何" in m.content)
    # Telegram notifies the officer a message mentions.
    assert any(e.get("user", {}).get("id") == li.id or f"id={li.id}" in str(e.get("url", ""))
               for e in relayed.entities)
    query = bot.emu.press_button(li, card, t("zh", "btn_resolve"))
    await bot.emu.wait_for_callback_answer(query)
    done = await bot.emu.wait_for_edit(card, lambda m: t("zh", "rq_status_resolved") in m.text)
    took = t("zh", "card_took", age="")
    assert took in done.text
    assert t("zh", "card_waiting", age="") not in done.text


async def test_the_owner_can_undo_a_resolution_and_no_one_else_can(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li, zhang = bot.officers[0], bot.officers[1]
    card = await claimed(bot, li, card)
    bot.emu.press_button(li, card, t("zh", "btn_resolve"))
    resolved = await bot.emu.wait_for_edit(card, lambda m: t("zh", "btn_reopen_staff") in [
        b.text for b in m.buttons])
    refused = await bot.emu.wait_for_callback_answer(
        bot.emu.press_button(zhang, resolved, t("zh", "btn_reopen_staff")))
    assert matches("staff_not_owner", refused.text or "")
    bot.emu.skip_unread(alice)
    bot.emu.press_button(li, resolved, t("zh", "btn_reopen_staff"))
    told = await bot.emu.next_message(alice, lambda m: matches("rq_reopened_by_staff", m.text))
    assert reference in told.text
    await bot.emu.wait_for_edit(card, lambda m: t("zh", "btn_resolve") in [b.text for b in m.buttons])
