"""Officers send saved answers (常用回复) with /s or from the card, filled in for the request."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.delivery.dispatcher import DELIVERED
from bot.texts import t
from frontdoor_emulator import ChatMessage, User
from frontdoor_emulator.entities import parse_html
from storage.core.db import Database
from storage.privacy.repo import Privacy
from storage.reports.queries import Reports, Span
from storage.requests.snippets import SnippetUses
from storage.tables import SnippetUse
from tests.harness import BotUnderTest, join_company, shown
from tests.requests_steps import card_of, claimed, forge_press, submit

COMPANY = "上海示例科技有限公司"
# What the shipped "received" answer reads once filled in for a request at the robot park.
RECEIVED_ZH = ("{company}您好，您的需求 {reference} 已收到，目前由上海机器人产业园服务专员李科员"
               "负责办理。")
RECEIVED_EN = ("Dear {company}, we have received your request {reference}. 李科员 at Shanghai "
               "Robot Industrial Park is handling it")
RESOLUTION_ZH = "{company}您好，{reference} 所涉事项已办理完毕，专员李科员将在系统中办结该需求。"
# The answers that fit a request for "other needs": every unscoped one, in file order.
FITTING = ["已收到正在处理", "材料清单提醒", "请预约窗口面谈", "办结说明"]


async def _request(bot: BotUnderTest, *, claim: bool = True) -> tuple[User, str, ChatMessage]:
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "需要协调")
    card = await card_of(bot, reference)
    if claim:
        card = await claimed(bot, bot.officers[0], card)
    bot.emu.skip_unread(alice)
    bot.emu.skip_unread(bot.staff)
    return alice, reference, card


async def _reaction(message: ChatMessage, wanted: list[str]) -> None:
    for _ in range(250):
        if message.reactions == wanted:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"reaction {message.reactions!r}, expected {wanted!r}")


async def _uses(bot: BotUnderTest) -> dict[str, int]:
    now = datetime.now(UTC)
    async with bot.db.reader() as session:
        return await Reports(session).snippet_uses(
            [Span((), now - timedelta(days=1), now + timedelta(days=1), others=True)])


def _request_id(card: ChatMessage) -> int:
    data = card.buttons[0].callback_data or ""
    return int(data.split(":")[2])


async def test_s_keyword_sends_the_filled_answer_in_each_members_language(
        bot: BotUnderTest) -> None:
    alice, reference, card = await _request(bot)
    bob = bot.user("Bob")
    await join_company(bot, bob, alice)
    await bot.say(bob, "/language en")
    li = bot.officers[0]
    own = bot.emu.send_text(li, "/s 收到", chat=bot.staff, reply_to=card)
    zh = await bot.emu.next_message(alice, lambda m: reference in m.text)
    assert zh.text.startswith(shown("from_officer", reference=reference, owner="李科员"))
    assert RECEIVED_ZH.format(company=COMPANY, reference=reference) in zh.text
    en = await bot.emu.next_message(bob, lambda m: reference in m.text)
    label = parse_html(t("en", "from_officer", reference=reference, owner="李科员"))[0]
    assert en.text.startswith(label)
    assert RECEIVED_EN.format(company=COMPANY, reference=reference) in en.text
    # Marked delivered on the officer's /s, as a typed reply is; no receipt in the group.
    await _reaction(own, [DELIVERED])
    await bot.drained()
    await bot.emu.expect_no_message(bot.staff, within=0.3)
    assert await _uses(bot) == {"received": 1}
    # Editing the /s afterwards sends no command to the company.
    bot.emu.edit_text(li, own, "/s 材料")
    await bot.emu.expect_no_message(alice, within=0.3)
    # The thread holds the words the company read; /recall takes them back.
    bot.emu.send_text(li, f"/history {reference}", chat=bot.staff)
    history = await bot.emu.next_message(bot.staff)
    assert RECEIVED_ZH.format(company=COMPANY, reference=reference)[:20] in history.text
    assert "/s 收到" not in history.text
    bot.emu.send_text(li, "/recall", chat=bot.staff, reply_to=own)
    done = await bot.emu.next_message(bot.staff)
    assert done.text == shown("recall_done", reference=reference)
    await bot.drained()
    assert zh.deleted
    assert en.deleted


async def test_keywords_are_matched_whatever_the_case(bot: BotUnderTest) -> None:
    alice, reference, card = await _request(bot)
    bot.emu.send_text(bot.officers[0], "/s BJ", chat=bot.staff, reply_to=card)
    sent = await bot.emu.next_message(alice)
    assert RESOLUTION_ZH.format(company=COMPANY, reference=reference) in sent.text


async def test_s_alone_lists_the_fitting_answers_and_a_button_sends_one(
        bot: BotUnderTest) -> None:
    alice, reference, card = await _request(bot)
    li = bot.officers[0]
    bot.emu.send_text(li, "/s", chat=bot.staff, reply_to=card)
    listing = await bot.emu.next_message(bot.staff)
    assert listing.text.startswith(shown("snippet_list", reference=reference))
    assert shown("snippet_line", name="办结说明", keywords="办结、bj") in listing.text
    # Scoped to other services: not offered for this one.
    assert "质押融资材料" not in listing.text
    assert "认证机构说明" not in listing.text
    assert [b.text for b in listing.buttons] == FITTING
    await bot.emu.expect_no_message(alice, within=0.2)
    bot.emu.press_button(li, listing, "办结说明")
    after = await bot.emu.wait_for_edit(listing, lambda m: not m.buttons)
    assert after.text == shown("snippet_sent", reference=reference, name="办结说明")
    assert after.buttons == []
    sent = await bot.emu.next_message(alice)
    assert RESOLUTION_ZH.format(company=COMPANY, reference=reference) in sent.text
    await bot.drained()
    assert await _uses(bot) == {"resolution-note": 1}


async def test_the_claimed_cards_button_lists_the_answers_and_sends_one(
        bot: BotUnderTest) -> None:
    alice, reference, card = await _request(bot)
    li = bot.officers[0]
    bot.emu.press_button(li, card, t("zh", "btn_snippets"))
    menu = await bot.emu.wait_for_edit(card, lambda m: shown("snippet_pick") in m.text)
    assert [b.text for b in menu.buttons] == [*FITTING, t("zh", "btn_back")]
    bot.emu.press_button(li, menu, "已收到正在处理")
    sent = await bot.emu.next_message(alice)
    assert RECEIVED_ZH.format(company=COMPANY, reference=reference) in sent.text
    back = await bot.emu.wait_for_edit(card, lambda m: shown("snippet_pick") not in m.text)
    assert t("zh", "btn_snippets") in [b.text for b in back.buttons]
    await bot.drained()
    assert await _uses(bot) == {"received": 1}


async def test_only_the_owner_or_an_admin_may_send_an_answer(bot: BotUnderTest) -> None:
    alice, _, card = await _request(bot)
    zhang = bot.officers[1]
    bot.emu.send_text(zhang, "/s 收到", chat=bot.staff, reply_to=card)
    refused = await bot.emu.next_message(bot.staff)
    assert refused.text == shown("staff_not_owner", owner="李科员")
    query = bot.emu.press_button(zhang, card, t("zh", "btn_snippets"))
    answer = await bot.emu.wait_for_callback_answer(query)
    assert answer.text == t("zh", "staff_not_owner", owner="李科员")
    query = forge_press(bot, zhang, card, f"rq:sn:{_request_id(card)}:received")
    answer = await bot.emu.wait_for_callback_answer(query)
    assert answer.text == t("zh", "staff_not_owner", owner="李科员")
    await bot.emu.expect_no_message(alice, within=0.3)
    assert await _uses(bot) == {}
    # An admin may, as with a typed reply.
    bot.emu.send_text(bot.admin, "/s 材料", chat=bot.staff, reply_to=card)
    sent = await bot.emu.next_message(alice)
    assert "营业执照复印件（加盖公章）" in sent.text


async def test_an_unclaimed_request_must_be_claimed_first(bot: BotUnderTest) -> None:
    alice, _, card = await _request(bot, claim=False)
    bot.emu.send_text(bot.officers[0], "/s 收到", chat=bot.staff, reply_to=card)
    refused = await bot.emu.next_message(bot.staff)
    assert refused.text == shown("staff_claim_first")
    query = forge_press(bot, bot.officers[0], card, f"rq:sl:{_request_id(card)}")
    answer = await bot.emu.wait_for_callback_answer(query)
    assert answer.text == t("zh", "staff_claim_first")
    await bot.emu.expect_no_message(alice, within=0.3)
    assert await _uses(bot) == {}


async def test_an_unknown_keyword_is_answered_with_the_ones_there_are(
        bot: BotUnderTest) -> None:
    alice, reference, card = await _request(bot)
    keywords = "收到、sd、材料、cl、面谈、mt、办结、bj"
    bot.emu.send_text(bot.officers[0], "/s 证明", chat=bot.staff, reply_to=card)
    answer = await bot.emu.next_message(bot.staff)
    assert answer.text == shown("snippet_unknown", keyword="证明", reference=reference,
                                keywords=keywords)
    # One meant for another service is named as such.
    bot.emu.send_text(bot.officers[0], "/s 质押材料", chat=bot.staff, reply_to=card)
    answer = await bot.emu.next_message(bot.staff)
    assert answer.text == shown("snippet_not_for_service", name="质押融资材料",
                                reference=reference, keywords=keywords)
    await bot.emu.expect_no_message(alice, within=0.3)
    assert await _uses(bot) == {}


async def test_s_needs_a_reply_to_a_request_in_the_staff_group(bot: BotUnderTest) -> None:
    alice, _, card = await _request(bot)
    li = bot.officers[0]
    bot.emu.send_text(li, "/s 收到", chat=bot.staff)
    assert (await bot.emu.next_message(bot.staff)).text == shown("snippet_usage")
    chatter = bot.emu.send_text(bot.officers[1], "午饭吃什么", chat=bot.staff)
    bot.emu.send_text(li, "/s 收到", chat=bot.staff, reply_to=chatter)
    assert (await bot.emu.next_message(bot.staff)).text == shown("snippet_not_request")
    # In a private chat an officer is told where it works; anyone else does not know it.
    assert (await bot.say(li, "/s 收到")).text == shown("staff_only_in_group")
    assert (await bot.say(alice, "/s 收到")).text == shown("unknown_command")
    # A stranger in the staff group is not answered, and nothing is sent.
    stranger = bot.user("Mallory")
    bot.emu.set_member_status(bot.staff, stranger, "restricted", is_member=False)
    bot.emu.send_text(stranger, "/s 收到", chat=bot.staff, reply_to=card)
    await bot.emu.expect_no_message(bot.staff, within=0.3)
    await bot.emu.expect_no_message(alice, within=0.2)
    assert await _uses(bot) == {}


async def test_forged_answer_buttons_change_nothing(bot: BotUnderTest) -> None:
    alice, _, card = await _request(bot)
    li = bot.officers[0]
    request_id = _request_id(card)
    for data in (f"rq:sn:{request_id}:pledge-documents",  # fits another service only
                 f"rq:sn:{request_id}:no-such-answer", "rq:sn:abc:received",
                 "rq:sn:999:received", f"rq:sm:{request_id}", f"rq:sl:{request_id}:x"):
        query = forge_press(bot, li, card, data)
        answer = await bot.emu.wait_for_callback_answer(query)
        assert answer.text == t("zh", "stale_button"), data
    # Alice, not staff, presses one from her own chat.
    mine = await bot.say(alice, "/requests")
    query = forge_press(bot, alice, mine, f"rq:sn:{request_id}:received")
    assert (await bot.emu.wait_for_callback_answer(query)).text
    await bot.emu.expect_no_message(alice, within=0.3)
    await bot.emu.expect_no_message(bot.staff, within=0.2)
    assert await _uses(bot) == {}


async def test_uses_are_counted_per_answer_within_the_period_and_outlive_the_officer(
        any_db: Database) -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    end = datetime(2026, 12, 1, tzinfo=UTC)
    async with any_db.session() as session:
        uses = SnippetUses(session)
        await uses.record("received", 1, 501, start)  # the first moment counts
        await uses.record("received", 2, 502, start + timedelta(days=3))
        await uses.record("materials-list", 2, 501, end - timedelta(seconds=1))
        await uses.record("received", 3, 501, end)  # the next month's
        await uses.record("received", 3, 501, start - timedelta(seconds=1))  # last month's
    async with any_db.reader() as session:
        assert await Reports(session).snippet_uses([Span((), start, end, others=True)]) == {
            "received": 2, "materials-list": 1}
    # An officer who is forgotten leaves the counts, not their id.
    async with any_db.session() as session:
        await Privacy(session).forget_person(501)
    async with any_db.reader() as session:
        assert await Reports(session).snippet_uses([Span((), start, end, others=True)]) == {
            "received": 2, "materials-list": 1}
        officers = set(await session.scalars(select(SnippetUse.officer_id)))
    assert officers == {None, 502}
