"""Waiting list, reminders, closures and the officers' roster, with the clock moved by hand."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from bot.clock import ManualClock
from bot.emulator import User
from tests.booking_support import credit_code
from tests.harness import BotUnderTest
from tests.test_booking_flow import book_first_slot, open_day, reach_summary

# 09:00 Shanghai on Thursday 3 December 2026 (the robot park's one-seat slot) in UTC.
THU_0900 = dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC)


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
    assert "候补" in slots.buttons[0].text
    query = bot.emu.press_button(user, slots, slots.buttons[0].text)
    answer = await bot.emu.wait_for_callback_answer(query)
    assert "已登记候补" in (answer.text or "")
    await bot.say(user, "/cancel")
    await bot.emu.next_message(user)  # the main menu again


async def cancel_first(bot: BotUnderTest, user: User) -> None:
    listing = await bot.say(user, "/bookings")
    sure = await bot.press(user, listing, next(b.text for b in listing.buttons
                                               if b.text.startswith("✖")))
    await bot.press(user, sure, "确认取消")
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
    offer = await bot.emu.next_message(bob, lambda m: "有空位了" in m.text)
    assert "30 分钟" in offer.text
    await bot.emu.expect_no_message(carol, within=0.2)
    # Bob lets the hold run out; Carol is asked next.
    move_to(bot, clock(bot).now() + dt.timedelta(minutes=31))
    expired = await bot.emu.next_message(bob)
    assert "已过期" in expired.text
    offer = await bot.emu.next_message(carol, lambda m: "有空位了" in m.text)
    done = await bot.press(carol, offer, "✅ 接受")
    assert "预约成功" in done.text
    ics = await bot.emu.next_message(carol)
    assert ics.document is not None
    # Bob's old offer no longer takes anything.
    first_offer = next(m for m in bot.emu.transcript(bob) if "有空位了" in (m.text or ""))
    late = await bot.press(bob, first_offer, "✅ 接受")
    assert "已过期" in late.text


async def test_reminders_go_out_once_each_even_across_a_restart(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice, bob = await companies(bot, "Alice", "Bob")
    await book_first_slot(bot, alice)
    summary = await reach_summary(bot, bob, slot=1)
    await bot.press(bob, summary, "✅ 确认")
    await bot.emu.next_message(bob)
    await cancel_first(bot, bob)
    # Wednesday 09:00 Shanghai: the day-before reminder.
    move_to(bot, dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC))
    day = await bot.emu.next_message(alice)
    assert "明天的预约提醒" in day.text
    assert "09:00–09:30 (Asia/Shanghai, UTC+08:00)" in day.text
    await bot.restart()
    bot.runtime.wake()
    await bot.emu.expect_no_message(alice, within=0.3)
    # One hour before.
    move_to(bot, THU_0900 - dt.timedelta(hours=1))
    hour = await bot.emu.next_message(alice)
    assert "1 小时后开始" in hour.text
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
    assert "明天的预约提醒" in reminder.text


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
    await book_first_slot(bot, alice)
    close_day_in_yaml(bot, "2026-12-03", "robot-park")
    reloaded = await bot.say(bot.admin, "/reload")  # an admin puts the closure in service
    assert "Catalogue updated" in reloaded.text, reloaded.text
    notice = await bot.emu.next_message(alice, lambda m: "闭站" in m.text, timeout=5)
    assert "设备检修" in notice.text
    assert "BK000001" in notice.text
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
    assert "预约成功" in done.text
    assert (await bot.emu.next_message(alice)).document is not None
    # Exactly once: a restart and another look change nothing.
    await bot.restart()
    bot.runtime.wake()
    await bot.emu.expect_no_message(alice, within=0.3)


async def test_morning_roster_reaches_the_staff_group_once_and_takes_attendance(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    await book_first_slot(bot, alice, note="带营业执照")
    move_to(bot, dt.datetime(2026, 12, 3, 0, 0, tzinfo=dt.UTC))  # Thu 08:00 Shanghai
    roster = await bot.emu.next_message(bot.staff, lambda m: "今日窗口接待" in m.text)
    assert "上海机器人产业园" in roster.text
    assert "09:00 上海Alice有限公司" in roster.text
    assert "带营业执照" in roster.text
    await bot.restart()
    move_to(bot, dt.datetime(2026, 12, 3, 0, 5, tzinfo=dt.UTC))
    await bot.emu.expect_no_message(bot.staff, within=0.3)
    # A no-show cannot be recorded before the visit starts; arrival can.
    officer = bot.officers[0]
    query = bot.emu.press_button(officer, roster, "❌ 未到")
    answer = await bot.emu.wait_for_callback_answer(query)
    assert "开始时间之后" in (answer.text or "")
    bot.emu.press_button(officer, roster, "✅ 09:00 到场")
    edited = await bot.emu.wait_for_edit(roster)
    assert "已到场" in edited.text
    assert not edited.buttons


async def test_strangers_cannot_see_the_roster_or_press_its_buttons(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    await book_first_slot(bot, alice)
    answer = await bot.say(alice, "/today")
    assert "仅限工作群成员" in answer.text
    bot.emu.send_text(bot.officers[0], "/today robot-park", chat=bot.staff)
    roster = await bot.emu.next_message(bot.staff)
    assert "今日窗口接待" in roster.text


async def test_two_no_shows_make_the_next_booking_wait_for_an_officer(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    (alice,) = await companies(bot, "Alice")
    officer = bot.officers[0]
    for day in ("12-03", "12-07"):
        await book_first_slot(bot, alice, day=day)
    for when, day in ((dt.datetime(2026, 12, 3, 1, 40, tzinfo=dt.UTC), "12-03"),
                      (dt.datetime(2026, 12, 7, 6, 40, tzinfo=dt.UTC), "12-07")):
        move_to(bot, when)
        bot.emu.send_text(officer, "/today robot-park", chat=bot.staff)
        # The morning roster of the same day may arrive after the answer to /today: either
        # will do, but a leftover of the day before must not.
        roster = await bot.emu.next_message(bot.staff, lambda m, day=day: "今日窗口接待" in m.text
                                            and day in m.text and bool(m.buttons))
        bot.emu.press_button(officer, roster, "❌ 未到")
        edited = await bot.emu.wait_for_edit(roster)
        assert "未到场" in edited.text
    warning = await bot.emu.next_message(alice, lambda m: "90 天内" in m.text)
    assert "2 次" in warning.text
    # The next booking is held for an officer.
    done, _ = await book_first_slot(bot, alice, day="12-10")
    assert "待服务专员确认" in done.text
    card = await bot.emu.next_message(bot.staff, lambda m: "需要确认的预约" in m.text)
    bot.emu.press_button(officer, card, "✅ 同意")
    decided = await bot.emu.wait_for_edit(card)
    assert "已处理" in decided.text
    told = await bot.emu.next_message(alice, lambda m: "已由服务专员确认" in m.text)
    assert "12-10" in told.text or "2026-12-10" in told.text
