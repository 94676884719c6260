"""Window visits about requests, as the enterprise and the officers see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import event

from bot.core.clock import ManualClock
from bot.texts import t
from frontdoor_emulator import BotApiEmulator, ChatMessage, User
from storage.core.db import Database
from storage.requests.repo import Requests
from storage.visits.repo import Bookings
from tests.booking_support import credit_code
from tests.conftest import make_bot
from tests.harness import BotUnderTest, manual_clock, matches, shown
from tests.requests_steps import card_of, forge_press, submit
from tests.test_booking_jobs import closure_notice

# The clocked bot starts on Tue 1 Dec 2026, 09:00 in Shanghai; the company's own station,
# the robot park, opens Thu 3 Dec 09:00-11:30 in one-seat slots.
VISIT_TIME = "2026-12-03 周四 09:00–09:30（北京时间）"
ROBOT_PARK = "上海机器人产业园"
# Taken at windows ("both"): the visit is booked under this service.
BOOKABLE = "trademark-guidance"
# Handled in writing only ("request"): a visit about it is booked as "other".
WRITTEN_ONLY = "other-needs"


@pytest.fixture
async def clocked_any_bot(
    emu: BotApiEmulator, any_db: Database, tmp_path: Path
) -> AsyncIterator[BotUnderTest]:
    """The real bot with a hand-moved clock, on SQLite and again on PostgreSQL."""
    under_test = make_bot(emu, any_db, tmp_path, clock=manual_clock())
    await under_test.start()
    yield under_test
    await under_test.stop()


async def request_id(bot: BotUnderTest, reference: str) -> int:
    async with bot.db.reader() as session:
        req = await Requests(session).by_reference(reference)
    assert req is not None
    return req.id


async def visit_request(bot: BotUnderTest, booking_id: int) -> int | None:
    async with bot.db.reader() as session:
        item = await Bookings(session).get(booking_id)
    assert item is not None
    return item.request_id


async def detail(bot: BotUnderTest, user: User, reference: str) -> ChatMessage:
    listing = await bot.say(user, "/requests")
    return await bot.press(user, listing, f"查看 {reference}")


async def book_from_stations(bot: BotUnderTest, user: User, stations: ChatMessage,
                             *, slot: int = 0) -> ChatMessage:
    """From the days of the company's own station (preselected) to the confirmation of the
    Thursday slot (topic known)."""
    days = stations
    assert "上海机器人产业园" in days.text
    slots = await bot.press(user, days, next(b.text for b in days.buttons
                                             if b.text.startswith("12-03")))
    summary = await bot.press(user, slots, slots.buttons[slot].text)
    done = await bot.press(user, summary, t("zh", "btn_confirm"))
    await bot.emu.next_message(user)  # the .ics
    return done


async def history(bot: BotUnderTest, reference: str, expected: str) -> str:
    bot.emu.send_text(bot.officers[0], f"/history {reference}", chat=bot.staff)
    found = await bot.emu.next_message(bot.staff, lambda m: reference in m.text
                                       and expected in m.text)
    return found.text


async def test_a_visit_booked_from_a_request_shows_on_its_card_history_and_detail(
    clocked_any_bot: BotUnderTest,
) -> None:
    bot = clocked_any_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, service=BOOKABLE)
    submitted = bot.emu.last_message(alice)
    assert submitted is not None
    # A service also taken at windows offers the visit right where the request is filed.
    assert shown("btn_book_visit") in [b.text for b in submitted.buttons]
    card = await card_of(bot, reference)
    screen = await detail(bot, alice, reference)
    stations = await bot.press(alice, screen, t("zh", "btn_book_visit"))
    done = await book_from_stations(bot, alice, stations)
    assert matches("bk_confirmed", done.text)
    assert VISIT_TIME in done.text
    assert f"商标品牌指导（需求 {reference}）" in done.text
    assert await visit_request(bot, 1) == await request_id(bot, reference)
    line = f"窗口预约 BK000001：{VISIT_TIME} · {ROBOT_PARK} · 已确认"
    edited = await bot.emu.wait_for_edit(card, lambda m: line in m.text)
    assert matches("card_state_unclaimed", edited.text)  # still the same card, with its Claim button
    assert edited.buttons
    thread = await history(bot, reference, "预约窗口 BK000001")
    assert line in thread
    assert f"Alice：预约窗口 BK000001：{VISIT_TIME} · {ROBOT_PARK}" in thread
    again = await detail(bot, alice, reference)
    assert line in again.text


async def test_a_visit_about_a_written_only_request_is_booked_as_other(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, service=WRITTEN_ONLY)
    submitted = bot.emu.last_message(alice)
    assert submitted is not None
    assert not submitted.buttons  # written only: no visit offered on filing
    stations = await bot.press(alice, await detail(bot, alice, reference), t("zh", "btn_book_visit"))
    done = await book_from_stations(bot, alice, stations)
    assert f"其他事项（需求 {reference}）" in done.text
    assert await visit_request(bot, 1) == await request_id(bot, reference)


async def test_book_buttons_for_others_and_closed_requests_book_nothing(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice, bob = bot.user("Alice"), bot.user("Bob")
    await bot.register(alice)
    await bot.register(bob, name="上海乙公司", code=credit_code(7))
    bobs = await request_id(bot, await submit(bot, bob, "乙公司的需求"))
    reference = await submit(bot, alice, "撤回后再预约")
    screen = await detail(bot, alice, reference)
    # Alice forges the book button with Bob's request: refused as a stale button.
    answer = await bot.emu.wait_for_callback_answer(
        forge_press(bot, alice, screen, f"rq:v:{bobs}"))
    assert matches("stale_button", answer.text or "")
    for forged in ("rq:v:x", "rq:v:99999999", "rq:v:1:2", f"rq:v:{bobs}0"):
        answer = await bot.emu.wait_for_callback_answer(forge_press(bot, alice, screen, forged))
        assert matches("stale_button", answer.text or ""), forged
    # Her own request, withdrawn meanwhile: the old button says it is closed.
    sure = await bot.press(alice, await detail(bot, alice, reference), t("zh", "btn_withdraw"))
    await bot.press(alice, sure, t("zh", "btn_withdraw_yes"))
    answer = await bot.emu.wait_for_callback_answer(
        bot.emu.press_button(alice, screen, t("zh", "btn_book_visit")))
    assert matches("rq_visit_not_open", answer.text or "")
    await bot.emu.expect_no_message(alice)
    listing = await bot.say(alice, "/bookings")
    assert "BK0000" not in listing.text


async def reach_topics(bot: BotUnderTest, user: User, slot: int = 0) -> ChatMessage:
    days = await bot.say(user, "/book")
    slots = await bot.press(user, days, next(b.text for b in days.buttons
                                             if b.text.startswith("12-03")))
    summary = await bot.press(user, slots, slots.buttons[slot].text)
    return await bot.press(user, summary, t("zh", "bk_btn_topic"))


async def test_the_topic_can_be_one_of_the_companys_open_requests(
    clocked_any_bot: BotUnderTest,
) -> None:
    bot = clocked_any_bot
    alice, bob = bot.user("Alice"), bot.user("Bob")
    await bot.register(alice)
    await bot.register(bob, name="上海乙公司", code=credit_code(7))
    bobs = await submit(bot, bob, "乙公司的需求")
    open_one = await submit(bot, alice, "还在办", service=WRITTEN_ONLY)
    closed = await submit(bot, alice, "撤回的")
    sure = await bot.press(alice, await detail(bot, alice, closed), t("zh", "btn_withdraw"))
    await bot.press(alice, sure, t("zh", "btn_withdraw_yes"))
    topics = await reach_topics(bot, alice)
    labels = [b.text for b in topics.buttons]
    # Her open request is offered with its service; closed ones and Bob's are not.
    assert f"📋 {open_one} · 其他需求" in labels
    assert not any(closed in text or bobs in text for text in labels)
    assert shown("bk_topic_other") in labels  # services and "other" stay
    # A forged topic naming Bob's request asks again and books nothing.
    mine = topics.button(f"📋 {open_one} · 其他需求").callback_data or ""
    forged = mine.rsplit(":", 1)[0] + f":r{await request_id(bot, bobs)}"
    bot.emu.press(alice, topics, forged, forged=True)
    asked = await bot.emu.wait_for_message(alice)
    assert matches("bk_ask_topic", asked.text)
    summary = await bot.press(alice, asked, f"📋 {open_one} · 其他需求")
    assert f"其他事项（需求 {open_one}）" in summary.text
    done = await bot.press(alice, summary, t("zh", "btn_confirm"))
    assert matches("bk_confirmed", done.text)
    assert await visit_request(bot, 1) == await request_id(bot, open_one)


async def test_a_request_closed_before_the_confirm_press_is_not_linked(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "马上撤回")
    topics = await reach_topics(bot, alice)
    summary = await bot.press(alice, topics, next(b.text for b in topics.buttons
                                                  if reference in b.text))
    sure = await bot.press(alice, await detail(bot, alice, reference), t("zh", "btn_withdraw"))
    await bot.press(alice, sure, t("zh", "btn_withdraw_yes"))
    refused = await bot.press(alice, summary, t("zh", "btn_confirm"))
    assert matches("bk_request", refused.text)
    listing = await bot.say(alice, "/bookings")
    assert "BK0000" not in listing.text


async def test_rescheduling_and_cancelling_a_visit_are_told_in_the_requests_thread(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, service=BOOKABLE)
    card = await card_of(bot, reference)
    stations = await bot.press(alice, await detail(bot, alice, reference), t("zh", "btn_book_visit"))
    await book_from_stations(bot, alice, stations)
    listing = await bot.say(alice, "/bookings")
    days = await bot.press(alice, listing, "🔁 改期 BK000001")
    slots = await bot.press(alice, days, next(b.text for b in days.buttons
                                              if b.text.startswith("12-03")))
    summary = await bot.press(alice, slots, slots.buttons[1].text)
    assert f"（需求 {reference}）" in summary.text
    moved = await bot.press(alice, summary, t("zh", "btn_confirm"))
    assert matches("bk_rescheduled", moved.text)
    await bot.emu.next_message(alice)  # the .ics
    assert await visit_request(bot, 2) == await request_id(bot, reference)
    new_time = "2026-12-03 周四 09:30–10:00（北京时间）"
    await bot.emu.wait_for_edit(card, lambda m: f"窗口预约 BK000002：{new_time}" in m.text
                                and "BK000001" not in m.text)
    listing = await bot.say(alice, "/bookings")
    sure = await bot.press(alice, listing, "✖ 取消 BK000002")
    await bot.press(alice, sure, t("zh", "bk_btn_cancel_yes"))
    await bot.emu.wait_for_edit(card, lambda m: "窗口预约" not in m.text)
    thread = await history(bot, reference, "BK000002 已取消")
    assert thread.index("预约窗口 BK000001") < thread.index("BK000001 改期为 BK000002") \
        < thread.index("BK000002 已取消")


async def test_the_roster_lists_each_companys_open_requests_with_one_query(
    clocked_any_bot: BotUnderTest,
) -> None:
    bot = clocked_any_bot
    alice, bob = bot.user("Alice"), bot.user("Bob")
    await bot.register(alice)
    await bot.register(bob, name="上海乙公司", code=credit_code(7))
    about = await submit(bot, alice, "预约要谈的", service=BOOKABLE)
    other = await submit(bot, alice, "另一个")
    bobs = await submit(bot, bob, "乙公司的需求")
    stations = await bot.press(alice, await detail(bot, alice, about), t("zh", "btn_book_visit"))
    await book_from_stations(bot, alice, stations)
    bob_topics = await reach_topics(bot, bob, slot=1)  # Alice holds the first
    bob_summary = await bot.press(bob, bob_topics, t("zh", "bk_topic_other"))
    await bot.press(bob, bob_summary, t("zh", "btn_confirm"))
    # Count the statements that read companies' requests while the officer asks for the
    # week (the background jobs' own looks at requests run meanwhile and are not counted).
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "WHERE requests.company_id" in statement:
            statements.append(statement)

    engine = bot.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        bot.emu.send_text(bot.officers[0], "/week robot-park", chat=bot.staff)
        week = await bot.emu.next_message(bot.staff, lambda m: matches("ro_week_title", m.text))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    lines = week.text.split("\n")
    alice_at = next(i for i, x in enumerate(lines) if "上海示例科技有限公司" in x)
    bob_at = next(i for i, x in enumerate(lines) if "上海乙公司" in x)
    assert lines[alice_at + 1:alice_at + 3] == [
        f"　📋 {about} · 待受理 ← 本次预约事项", f"　📋 {other} · 待受理"]
    assert lines[bob_at + 1] == f"　📋 {bobs} · 待受理"
    # On the day, /today (and the morning roster it shares) says the same.
    assert isinstance(bot.clock, ManualClock)
    bot.clock.set(dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.UTC))
    bot.runtime.wake()
    bot.emu.send_text(bot.officers[0], "/today robot-park", chat=bot.staff)
    today = await bot.emu.next_message(bot.staff, lambda m: matches("ro_title", m.text)
                                       and "12-03" in m.text)
    assert f"　📋 {about} · 待受理 ← 本次预约事项" in today.text
    assert f"　📋 {bobs} · 待受理" in today.text


async def test_a_closure_that_cancels_the_visit_is_told_in_the_thread_and_the_rebook_keeps_it(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, service=BOOKABLE)
    card = await card_of(bot, reference)
    stations = await bot.press(alice, await detail(bot, alice, reference), t("zh", "btn_book_visit"))
    await book_from_stations(bot, alice, stations)
    await bot.say(bot.admin, "/help")
    notice = await closure_notice(bot, alice)
    await bot.emu.wait_for_edit(card, lambda m: "窗口预约" not in m.text)
    rebooked = await bot.press(alice, notice, notice.buttons[0].text)
    assert matches("bk_confirmed", rebooked.text)
    assert await visit_request(bot, 2) == await request_id(bot, reference)
    await bot.emu.wait_for_edit(card, lambda m: "窗口预约 BK000002" in m.text)
    thread = await history(bot, reference, "预约窗口 BK000002")
    assert "BK000001 因闭站取消" in thread
