"""Officers in the staff group: claim, reply, note, transfer, resolve; the company answers."""

from __future__ import annotations

from datetime import timedelta

from frontdoor_emulator import ChatMessage, User
from tests.harness import BotUnderTest, join_company
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
    assert [b.text for b in card.buttons] == ["✅ 办结", "📝 备注", "➡️ 转交", "↩️ 释放"]
    told = await bot.emu.next_message(alice)
    assert "李科员" in told.text
    assert reference in told.text
    listing = await bot.say(alice, "/requests")
    assert "处理中" in listing.text
    assert "李科员" in listing.text


async def test_second_officer_is_told_who_claimed_first(bot: BotUnderTest) -> None:
    _, _, card = await setup(bot)
    li, zhang = bot.officers[0], bot.officers[1]
    first = bot.emu.press_button(li, card, "✋ 认领")
    second = bot.emu.press_button(zhang, card, "✋ 认领")
    assert "已认领" in ((await bot.emu.wait_for_callback_answer(first)).text or "")
    lost = await bot.emu.wait_for_callback_answer(second)
    assert lost.text == "已被 李科员 认领。"
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
    assert "已转给专员" in ack.text
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
    refusal = await bot.emu.next_message(bot.staff, lambda m: "认领" in m.text)
    assert "请先认领" in refusal.text
    card = await claimed(bot, li, card)
    bot.emu.skip_unread(alice)
    bot.emu.send_text(zhang, "我来回答", chat=bot.staff, reply_to=card)
    refusal = await bot.emu.next_message(bot.staff, lambda m: "负责" in m.text)
    assert "李科员" in refusal.text
    await bot.emu.expect_no_message(alice)


async def test_bang_reply_is_an_internal_note_never_sent(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.skip_unread(alice)
    bot.emu.send_text(li, "!该企业去年办过一次", chat=bot.staff, reply_to=card)
    saved = await bot.emu.next_message(bot.staff, lambda m: "内部备注" in m.text)
    assert reference in saved.text
    await bot.emu.expect_no_message(alice)
    bot.emu.send_text(li, f"/history {reference}", chat=bot.staff)
    history = await bot.emu.next_message(bot.staff, lambda m: "备注" in m.text
                                         and "去年办过" in m.text)
    assert "Asia/Shanghai" in history.text


async def test_messages_before_the_claim_are_shown_to_the_claimer(bot: BotUnderTest) -> None:
    alice, _, card = await setup(bot)
    bot.emu.send_text(alice, "补充：我们在宝山")
    queued = await bot.emu.next_message(alice)
    assert "受理时会看到" in queued.text
    under_card = await bot.emu.next_message(bot.staff, lambda m: "我们在宝山" in m.content)
    assert under_card.reply_to_message_id == card.message_id
    bot.emu.press_button(bot.officers[0], card, "✋ 认领")
    claimed_note = await bot.emu.next_message(bot.staff, lambda m: "认领前" in m.text)
    assert "我们在宝山" in claimed_note.text


async def test_several_open_requests_ask_which_one(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    first = await submit(bot, alice, "第一件")
    second = await submit(bot, alice, "第二件")
    which = await bot.say(alice, "这条消息给谁？")
    assert "哪一个" in which.text
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
    detail = await bot.press(alice, listing, f"查看 {reference}")
    sure = await bot.press(alice, detail, "↩️ 撤回")
    done = await bot.press(alice, sure, "确认撤回")
    assert "已撤回" in done.text
    edited = await bot.emu.wait_for_edit(card)
    assert "已撤回" in edited.text
    assert edited.inline_keyboard is None
    # A second request is claimed while the withdraw confirmation is open: the claim wins.
    other = await submit(bot, alice, "第二件")
    other_card = await card_of(bot, other)
    listing = await bot.say(alice, "/requests")
    detail = await bot.press(alice, listing, f"查看 {other}")
    sure = await bot.press(alice, detail, "↩️ 撤回")
    await claimed(bot, bot.officers[0], other_card)
    bot.emu.press_button(alice, sure, "确认撤回")
    refused = await bot.emu.wait_for_edit(sure)
    assert "不能再撤回" in refused.text


async def test_resolve_asks_for_a_rating_and_a_low_one_asks_why(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.skip_unread(alice)
    bot.emu.press_button(li, card, "✅ 办结")
    prompt = await bot.emu.next_message(alice, lambda m: "评价" in m.text)
    rated = await bot.press(alice, prompt, "★★ 不满意")
    assert "★★" in rated.text
    why = await bot.emu.next_message(alice)
    assert "哪里做得不好" in why.text
    thanks = await bot.say(alice, "回复太慢")
    assert "谢谢" in thanks.text
    verdict = await bot.emu.next_message(bot.staff, lambda m: "差评" in m.text)
    assert reference in verdict.text
    await bot.emu.next_message(bot.staff, lambda m: "回复太慢" in m.text)


async def test_not_solved_returns_the_request_to_its_owner(bot: BotUnderTest) -> None:
    alice, _reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.press_button(li, card, "✅ 办结")
    prompt = await bot.emu.next_message(alice, lambda m: "评价" in m.text)
    reopened = await bot.press(alice, prompt, "❗ 未解决")
    assert "重新打开" in reopened.text
    told = await bot.emu.next_message(bot.staff, lambda m: "未解决" in m.text)
    assert "李科员" in told.text
    card = await bot.emu.wait_for_edit(card, lambda m: "负责专员：李科员" in m.text)


async def test_resolved_requests_close_after_seven_days(clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice, _reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.press_button(li, card, "✅ 办结")
    prompt = await bot.emu.next_message(alice, lambda m: "评价" in m.text)
    bot.clock.advance(timedelta(days=7, minutes=1))  # type: ignore[attr-defined]
    bot.runtime.wake()
    await bot.emu.wait_for_edit(card, lambda m: "已关闭" in m.text)
    late = bot.emu.press_button(alice, prompt, "❗ 未解决")
    answer = await bot.emu.wait_for_callback_answer(late)
    assert "不能再重新打开" in (answer.text or "")


async def test_unclaimed_request_is_reannounced_then_escalated_once_each(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    _, reference, card = await setup(bot)
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
    bot.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    bot.runtime.wake()
    await bot.emu.expect_no_message(bot.staff, within=0.5)


async def test_transfer_to_another_station_posts_a_new_card(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.press_button(li, card, "➡️ 转交")
    menu = await bot.emu.wait_for_edit(card, lambda m: "转交给" in m.text)
    bot.emu.press_button(li, menu, "➡️ 宝山区市场监管局服务窗口")
    new_card = await bot.emu.next_message(
        bot.staff, lambda m: reference in m.text and m.message_id != card.message_id
        and m.inline_keyboard is not None)
    assert [b.text for b in new_card.buttons] == ["✋ 认领"]
    moved = await bot.emu.next_message(alice, lambda m: "宝山区市场监管局服务窗口" in m.text)
    assert reference in moved.text


async def test_queue_mine_and_find_for_staff(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    bot.emu.send_text(li, "/queue", chat=bot.staff)
    queue = await bot.emu.next_message(bot.staff, lambda m: "待认领" in m.text)
    assert reference in queue.text
    await claimed(bot, li, card)
    bot.emu.send_text(li, "/mine")
    mine = await bot.emu.next_message(li)
    assert reference in mine.text
    bot.emu.send_text(li, "/find 上海示例")
    found = await bot.emu.next_message(li)
    assert reference in found.text
    # An enterprise user asking for the queue learns nothing.
    bot.emu.skip_unread(alice)
    nosy = await bot.say(alice, "/queue")
    assert reference not in nosy.text


async def test_strangers_anonymous_admins_and_forged_payloads_change_nothing(
        bot: BotUnderTest) -> None:
    alice, _, card = await setup(bot)
    chief = bot.officers[2]  # an admin of the staff group
    anonymous = bot.emu.press_button(chief, card, "✋ 认领", anonymous=True)
    assert "匿名" in ((await bot.emu.wait_for_callback_answer(anonymous)).text or "")
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
    assert [b.text for b in card.buttons] == ["✋ 认领"]


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5f3c2a10000000049454e44ae426082"
)


async def test_note_button_asks_for_a_reply_that_stays_internal(bot: BotUnderTest) -> None:
    alice, reference, card = await setup(bot)
    li = bot.officers[0]
    card = await claimed(bot, li, card)
    bot.emu.skip_unread(alice)
    bot.emu.press_button(li, card, "📝 备注")
    prompt = await recorded(bot, await bot.emu.next_message(
        bot.staff, lambda m: "请回复本消息" in m.text))
    bot.emu.send_text(li, "电话沟通过，下周回访", chat=bot.staff, reply_to=prompt)
    saved = await bot.emu.next_message(bot.staff, lambda m: "已记为" in m.text)
    assert reference in saved.text
    await bot.emu.expect_no_message(alice)
