"""Waiting list, reminders, closures and the officers' roster, with the clock moved by hand."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from bot.core.clock import ManualClock
from bot.texts import t
from frontdoor_emulator import ChatMessage, User
from storage.visits.repo import Bookings
from tests.booking_support import credit_code
from tests.harness import BotUnderTest, matches
from tests.test_booking_flow import book_first_slot, open_day, reach_summary

# 09:00 Shanghai on Thursday 3 December 2026 (the robot park's one-seat slot) in UTC.
THU_0900 = dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC)
# A note with characters that mean something in HTML: it must read exactly as typed.
NOTE = "R&D <x>"


def assert_shows_booking(message: ChatMessage, ref: str = "BK000001") -> None:
    """The reference is in bold and the note reads as typed (escaped once, not twice)."""
    assert f"<b>{ref}</b>" in message.html, message.html
    assert f"备注：{NOTE}" in (message.text or ""), message.text


def clock(bot: BotUnderTest) -> ManualClock:
    assert isinstance(bot.clock, ManualClock)
    return bot.clock


def move_to(bot: BotUnderTest, when: dt.datetime) -> None:
    clock(bot).set(when)
    bot.runtime.wake()


async def companies(bot: BotUnderTest, *names: str) -> list[User]:
    users = []
    for n, name in enumerate(names):
        user = bot.user(name)
        await bot.register(user, name=f"上海{name}有限公司", code=credit_code(50 + n))
        users.append(user)
    return users


async def join_waiting_list(bot: BotUnderTest, user: User) -> None:
    slots = await open_day(bot, user)
    assert matches("bk_slot_full_wait", slots.buttons[0].text)
    query = bot.emu.press_button(user, slots, slots.buttons[0].text)
    answer = await bot.emu.wait_for_callback_answer(query)
    assert matches("bk_wait_joined", answer.text or "")
    await bot.say(user, "/cancel")
    await bot.emu.next_message(user)  # the main menu again


async def cancel_first(bot: BotUnderTest, user: User) -> None:
    listing = await bot.say(user, "/bookings")
    sure = await bot.press(user, listing, next(b.text for b in listing.buttons
                                               if b.text.startswith("✖")))
    await bot.press(user, sure, t("zh", "bk_btn_cancel_yes"))
    await bot.emu.next_message(user)  # the calendar cancellation


async def test_a_freed_seat_is_offered_in_turn_and_held_for_30_minutes(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice, bob, carol = await companies(bot, "Alice", "Bob", "Carol")
    await book_first_slot(bot, alice)
    await join_waiting_list(bot, bob)
    await join_waiting_list(bot, carol)
    await cancel_first(bot, alice)
    offer = await bot.emu.next_message(bob, lambda m: matches("bk_offer", m.text))
    assert "30 分钟" in offer.text
    await bot.emu.expect_no_message(carol, within=0.2)
    # Bob lets the hold run out; Carol is asked next.
    move_to(bot, clock(bot).now() + dt.timedelta(minutes=31))
    expired = await bot.emu.next_message(bob)
    assert matches("bk_offer_expired", expired.text)
    offer = await bot.emu.next_message(carol, lambda m: matches("bk_offer", m.text))
    done = await bot.press(carol, offer, t("zh", "bk_btn_accept"))
    assert matches("bk_confirmed", done.text)
    ics = await bot.emu.next_message(carol)
    assert ics.document is not None
    # Bob's old offer no longer takes anything.
    first_offer = next(m for m in bot.emu.transcript(bob) if matches("bk_offer", m.text or ""))
    late = await bot.press(bob, first_offer, t("zh", "bk_btn_accept"))
    assert matches("bk_expired", late.text)


async def test_a_company_that_passed_on_an_offer_can_join_the_waiting_list_again(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice, bob = await companies(bot, "Alice", "Bob")
    await book_first_slot(bot, alice)
    await join_waiting_list(bot, bob)
    await cancel_first(bot, alice)
    offer = await bot.emu.next_message(bob, lambda m: matches("bk_offer", m.text))
    passed = await bot.press(bob, offer, t("zh", "bk_btn_pass"))
    assert matches("bk_passed", passed.text)
    # The seat fills up again; Bob changes his mind and waits for it once more.
    await book_first_slot(bot, alice)
    await join_waiting_list(bot, bob)
    await cancel_first(bot, alice)
    again = await bot.emu.next_message(bob, lambda m: matches("bk_offer", m.text))
    assert "30 分钟" in again.text


async def test_passing_on_an_offer_already_accepted_keeps_the_booking(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice, bob = await companies(bot, "Alice", "Bob")
    await book_first_slot(bot, alice)
    await join_waiting_list(bot, bob)
    await cancel_first(bot, alice)
    offer = await bot.emu.next_message(bob, lambda m: matches("bk_offer", m.text))
    pass_data = offer.button("不需要了").callback_data or ""
    done = await bot.press(bob, offer, t("zh", "bk_btn_accept"))
    assert matches("bk_confirmed", done.text)
    await bot.emu.next_message(bob)  # the .ics
    # A second device still shows the offer and its "no longer needed" button.
    query = bot.emu.press(bob, offer, pass_data, forged=True)
    answer = await bot.emu.wait_for_callback_answer(query)
    assert "让给下一位" not in (answer.text or "")
    assert matches("bk_pass_kept", answer.text or "")
    listing = await bot.say(bob, "/bookings")
    assert matches("bk_status_confirmed", listing.text)


async def test_reminders_go_out_once_each_even_across_a_restart(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice, bob = await companies(bot, "Alice", "Bob")
    await book_first_slot(bot, alice, note=NOTE)
    summary = await reach_summary(bot, bob, slot=1)
    await bot.press(bob, summary, t("zh", "btn_confirm"))
    await bot.emu.next_message(bob)
    await cancel_first(bot, bob)
    # Wednesday 09:00 Shanghai: the day-before reminder.
    move_to(bot, dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC))
    day = await bot.emu.next_message(alice)
    assert matches("bk_remind_day", day.text)
    assert "09:00–09:30（北京时间）" in day.text
    assert_shows_booking(day)
    await bot.restart()
    bot.runtime.wake()
    await bot.emu.expect_no_message(alice, within=0.3)
    # One hour before.
    move_to(bot, THU_0900 - dt.timedelta(hours=1))
    hour = await bot.emu.next_message(alice)
    assert matches("bk_remind_hour", hour.text)
    assert_shows_booking(hour)
    await bot.restart()
    move_to(bot, THU_0900 - dt.timedelta(minutes=30))
    await bot.emu.expect_no_message(alice, within=0.3)
    # Bob cancelled: he hears nothing.
    await bot.emu.expect_no_message(bob, within=0.1)


async def test_a_visit_booked_after_the_day_before_reminder_time_is_reminded_at_once(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    move_to(bot, dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC))  # Wed 14:00, visit Thu 09:00
    await book_first_slot(bot, alice)
    bot.runtime.wake()
    reminder = await bot.emu.next_message(alice)
    assert matches("bk_remind_day", reminder.text)


async def test_a_visit_booked_for_later_today_is_reminded_as_today_not_tomorrow(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    move_to(bot, dt.datetime(2026, 12, 2, 22, 0, tzinfo=dt.UTC))  # Thu 06:00, visit Thu 09:00
    await book_first_slot(bot, alice, note=NOTE)
    bot.runtime.wake()
    reminder = await bot.emu.next_message(alice)
    assert matches("bk_remind_today", reminder.text)
    assert "明天" not in reminder.text
    assert_shows_booking(reminder)
    # The hour-before reminder still comes, and nothing else in between.
    await bot.emu.expect_no_message(alice, within=0.2)
    move_to(bot, THU_0900 - dt.timedelta(hours=1))
    hour = await bot.emu.next_message(alice)
    assert matches("bk_remind_hour", hour.text)


async def test_when_both_reminders_fall_due_together_only_the_hour_one_is_sent(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    move_to(bot, dt.datetime(2026, 12, 2, 0, 0, tzinfo=dt.UTC))  # Wed 08:00, visit Thu 09:00
    await book_first_slot(bot, alice)
    # The bot sees nothing between Wed 08:00 and Thu 08:10 (down, say): both are due now.
    move_to(bot, THU_0900 - dt.timedelta(minutes=50))
    hour = await bot.emu.next_message(alice)
    assert matches("bk_remind_hour", hour.text)
    await bot.emu.expect_no_message(alice, within=0.3)


def close_day_in_yaml(bot: BotUnderTest, date: str, station: str) -> None:
    path = bot.catalogue_path
    text = path.read_text(encoding="utf-8")
    line = (f"    - {{date: {date}, stations: [{station}], "
            "reason: {zh: 设备检修, en: Maintenance}}\n")
    path.write_text(text.replace("  closures:\n", "  closures:\n" + line, 1), encoding="utf-8")


async def test_closing_a_booked_day_cancels_tells_offers_alternatives_and_lists_for_admins(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    await bot.say(bot.admin, "/help")
    await book_first_slot(bot, alice, note=NOTE)
    close_day_in_yaml(bot, "2026-12-03", "robot-park")
    reloaded = await bot.say(bot.admin, "/reload")  # an admin puts the closure in service
    assert "Catalogue updated" in reloaded.text, reloaded.text
    notice = await bot.emu.next_message(alice, lambda m: matches("bk_closed_notice", m.text), timeout=5)
    assert "设备检修" in notice.text
    assert_shows_booking(notice)
    assert notice.buttons
    assert all(not b.text.startswith("12-03") for b in notice.buttons)
    cancel_ics = await bot.emu.next_message(alice)
    assert cancel_ics.document is not None
    assert cancel_ics.document.content is not None
    assert str(Calendar.from_ical(cancel_ics.document.content)["METHOD"]) == "CANCEL"
    admin_list = await bot.emu.next_message(bot.admin, lambda m: "闭站调整" in m.text
                                            or "Closure" in m.text)
    assert "BK000001" in admin_list.text
    assert "上海Alice有限公司" in admin_list.text
    # One tap rebooks the same topic in the offered time.
    done = await bot.press(alice, notice, notice.buttons[0].text)
    assert matches("bk_confirmed", done.text)
    assert (await bot.emu.next_message(alice)).document is not None
    # Exactly once: a restart and another look change nothing.
    await bot.restart()
    bot.runtime.wake()
    await bot.emu.expect_no_message(alice, within=0.3)


async def closure_notice(bot: BotUnderTest, user: User) -> ChatMessage:
    """Close Thursday 3 December at the robot park; the notice ``user`` gets for it."""
    close_day_in_yaml(bot, "2026-12-03", "robot-park")
    reloaded = await bot.say(bot.admin, "/reload")
    assert "Catalogue updated" in reloaded.text, reloaded.text
    notice = await bot.emu.next_message(user, lambda m: matches("bk_closed_notice", m.text), timeout=5)
    await bot.emu.next_message(user)  # the calendar cancellation
    return notice


async def test_one_closure_notice_rebooks_once_whichever_alternatives_are_pressed(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    await book_first_slot(bot, alice)
    notice = await closure_notice(bot, alice)
    assert len(notice.buttons) >= 2
    second = notice.buttons[1].callback_data or ""
    done = await bot.press(alice, notice, notice.buttons[0].text)
    assert matches("bk_confirmed", done.text)
    await bot.emu.next_message(alice)  # the .ics
    # The first tap replaced the buttons; an old screen (or a forged tap) still sends the second.
    query = bot.emu.press(alice, notice, second, forged=True)
    answer = await bot.emu.wait_for_callback_answer(query)
    assert matches("bk_rebooked", answer.text or "")
    listing = await bot.say(alice, "/bookings")
    assert listing.text.count("已确认") == 1


async def test_an_alternative_pressed_at_the_companys_limit_says_so(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    await book_first_slot(bot, alice)
    notice = await closure_notice(bot, alice)
    # Two other visits: the robot park's limit.
    await book_first_slot(bot, alice, day="12-07")
    await book_first_slot(bot, alice, day="12-10")
    query = bot.emu.press_button(alice, notice, notice.buttons[1].text)
    answer = await bot.emu.wait_for_callback_answer(query)
    assert "最多同时持有 2 个" in (answer.text or "")
    # Having cancelled one, the same button still works: the refusal claimed nothing.
    await cancel_first(bot, alice)
    done = await bot.press(alice, notice, notice.buttons[1].text)
    assert matches("bk_confirmed", done.text)


async def test_morning_roster_reaches_the_staff_group_once_and_takes_attendance(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    await book_first_slot(bot, alice, note="带营业执照")
    move_to(bot, dt.datetime(2026, 12, 3, 0, 0, tzinfo=dt.UTC))  # Thu 08:00 Shanghai
    roster = await bot.emu.next_message(bot.staff, lambda m: matches("ro_title", m.text))
    assert "上海机器人产业园" in roster.text
    assert "09:00 上海Alice有限公司" in roster.text
    assert "带营业执照" in roster.text
    await bot.restart()
    move_to(bot, dt.datetime(2026, 12, 3, 0, 5, tzinfo=dt.UTC))
    await bot.emu.expect_no_message(bot.staff, within=0.3)
    # A no-show cannot be recorded before the visit starts; arrival can.
    officer = bot.officers[0]
    query = bot.emu.press_button(officer, roster, t("zh", "ro_btn_no_show"))
    answer = await bot.emu.wait_for_callback_answer(query)
    assert matches("ro_not_today", answer.text or "")
    bot.emu.press_button(officer, roster, "✅ 09:00 到场")
    edited = await bot.emu.wait_for_edit(roster)
    assert matches("bk_status_arrived", edited.text)
    assert not edited.buttons


async def status_of(bot: BotUnderTest, booking_id: int) -> str:
    async with bot.runtime.db.reader() as session:
        item = await Bookings(session).get(booking_id)
    assert item is not None
    return item.status


async def refused(bot: BotUnderTest, user: User, message: ChatMessage, data: str,
                  *, anonymous: bool = False) -> None:
    """``user`` sends ``data`` from ``message`` (forged if need be); the bot says no."""
    query = bot.emu.press(user, message, data, forged=True, anonymous=anonymous)
    answer = await bot.emu.wait_for_callback_answer(query)
    # An anonymous admin is asked to act as themselves; anyone else is simply refused.
    expected = "以本人身份操作" if anonymous else "没有执行此操作的权限"
    assert expected in (answer.text or ""), (data, answer)


async def test_strangers_cannot_see_the_roster_or_press_its_buttons(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    done, _ = await book_first_slot(bot, alice)
    answer = await bot.say(alice, "/today")
    assert matches("ro_staff_only", answer.text)
    move_to(bot, THU_0900 + dt.timedelta(minutes=40))  # both Arrived and No-show would do
    bot.emu.send_text(bot.officers[0], "/today robot-park", chat=bot.staff)
    roster = await bot.emu.next_message(
        bot.staff, lambda m: matches("ro_title", m.text) and "12-03" in m.text and bool(m.buttons))
    # Alice forges every officers' button from her own chat: attendance, approve, decline.
    forged = [b.callback_data or "" for b in roster.buttons] + ["ro:ok:1", "ro:no:1"]
    assert {d.split(":")[1] for d in forged} == {"arr", "ns", "ok", "no"}
    for data in forged:
        await refused(bot, alice, done, data)
    # An anonymous admin of the staff group could be anyone in it: refused as well.
    admin = bot.officers[2]
    for data in forged[:2]:
        await refused(bot, admin, roster, data, anonymous=True)
    assert await status_of(bot, 1) == "confirmed"
    assert not roster.history  # the roster was never edited


async def test_two_no_shows_make_the_next_booking_wait_for_an_officer(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    officer = bot.officers[0]
    for day in ("12-03", "12-07"):
        await book_first_slot(bot, alice, day=day)
    for when, label in ((dt.datetime(2026, 12, 3, 1, 40, tzinfo=dt.UTC), "12-03 周四"),
                        (dt.datetime(2026, 12, 7, 6, 40, tzinfo=dt.UTC), "12-07 周一")):
        move_to(bot, when)
        bot.emu.send_text(officer, "/today robot-park", chat=bot.staff)
        # The morning roster went out too; pick today's list, never an earlier day's one
        # that is still unread with its buttons.
        roster = await bot.emu.next_message(
            bot.staff, lambda m, label=label: matches("ro_title", m.text) and label in m.text
            and bool(m.buttons))
        bot.emu.press_button(officer, roster, t("zh", "ro_btn_no_show"))
        edited = await bot.emu.wait_for_edit(roster)
        assert matches("bk_status_no_show", edited.text)
    warning = await bot.emu.next_message(alice, lambda m: matches("ro_no_show_warning", m.text))
    assert "2 次" in warning.text
    # The next booking is held for an officer, and is in nobody's calendar yet.
    done = await book_pending(bot, alice, "12-10")
    assert matches("bk_pending", done.text)
    card = await bot.emu.next_message(bot.staff, lambda m: matches("ro_approval_card", m.text))
    assert_shows_booking(card, "BK000003")
    # Someone outside the staff group forges the card's buttons: nothing is decided.
    for label in ("✅ 同意", "✖ 拒绝"):
        await refused(bot, alice, done, card.button(label).callback_data or "")
    assert await status_of(bot, 3) == "pending_approval"
    bot.emu.press_button(officer, card, t("zh", "ro_btn_approve"))
    decided = await bot.emu.wait_for_edit(card)
    assert matches("ro_decided", decided.text)
    told = await bot.emu.next_message(alice, lambda m: matches("ro_approved", m.text))
    assert "2026-12-10" in told.text
    assert_shows_booking(told, "BK000003")
    calendar = await bot.emu.next_message(alice, lambda m: m.document is not None)
    assert calendar.document is not None
    assert calendar.document.filename.endswith(".ics")
    # A visit still waiting that the company cancels: its card says so and loses its buttons.
    await book_pending(bot, alice, "12-14")
    card = await bot.emu.next_message(bot.staff, lambda m: matches("ro_approval_card", m.text))
    listing = await bot.say(alice, "/bookings")
    pending = next(b.text for b in listing.buttons if b.text.startswith(t("zh", "bk_btn_cancel"))
                   and "BK000004" in b.text)
    sure = await bot.press(alice, listing, pending)
    await bot.press(alice, sure, t("zh", "bk_btn_cancel_yes"))
    withdrawn = await bot.emu.wait_for_edit(card, lambda m: matches("ro_approval_withdrawn",
                                                                     m.text))
    assert not withdrawn.buttons


async def book_pending(bot: BotUnderTest, user: User, day: str) -> ChatMessage:
    """Book ``day``'s first slot as a company whose visits need approval: no calendar file."""
    slots = await open_day(bot, user, day)
    await bot.press(user, slots, slots.buttons[0].text)
    summary = await bot.say(user, NOTE)  # the note, typed on the summary
    done = await bot.press(user, summary, t("zh", "btn_confirm"))
    await bot.emu.expect_no_message(user, within=0.3)
    return done


async def test_staff_lists_are_one_message_and_find_stations_by_chinese_name(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    li = bot.officers[0]
    bot.emu.skip_unread(bot.staff)
    # Nothing booked anywhere: one message saying so, with the day.
    bot.emu.send_text(li, "/week", chat=bot.staff)
    week = await bot.emu.next_message(bot.staff)
    assert matches("ro_all_empty_week", week.text)
    await bot.emu.expect_no_message(bot.staff, within=0.3)
    bot.emu.send_text(li, "/today", chat=bot.staff)
    today = await bot.emu.next_message(bot.staff)
    assert matches("ro_all_empty_today", today.text)
    # A station by any unique part of its Chinese name.
    bot.emu.send_text(li, "/today 机器人", chat=bot.staff)
    robot = await bot.emu.next_message(bot.staff)
    assert "上海机器人产业园" in robot.text
    bot.emu.send_text(li, "/today 产业园", chat=bot.staff)
    ambiguous = await bot.emu.next_message(bot.staff)
    assert matches("ro_ambiguous_station", ambiguous.text)
    bot.emu.send_text(li, "/today 火星", chat=bot.staff)
    unknown = await bot.emu.next_message(bot.staff)
    assert matches("ro_unknown_station", unknown.text)
    assert "bio-park" not in unknown.text  # Chinese names, not ids
