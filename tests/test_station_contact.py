"""Reaching the station: its address and phone where a company needs them, its office hours
as the clock of the first-response promise, and a calendar file worth keeping."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.core.clock import ManualClock
from bot.texts import t
from frontdoor_emulator import BotApiEmulator, User
from storage.core.db import Database
from tests.conftest import make_bot
from tests.harness import BotUnderTest, manual_clock, matches
from tests.requests_steps import card_of, claimed, submit
from tests.test_booking_flow import book_first_slot

ADDRESS = "上海市宝山区示例路 88 号"
PHONE = "021-55550188"
# The robot park (the test company's station) with a lunch break and a short Friday.
HOURS = '{mon-thu: "09:00-11:30, 13:30-17:00", fri: "09:00-11:30"}'


def robot_park(text: str, **fields: str) -> str:
    """The catalogue text with the robot park's fields set to these values."""
    block = re.search(r"  - id: robot-park\n(?:    .*\n)+", text)
    assert block is not None
    lines = [row for row in block.group(0).splitlines(keepends=True)
             if row.split(":")[0].strip() not in fields]
    at = next(i for i, row in enumerate(lines) if row.startswith("    name:")) + 1
    lines[at:at] = [f"    {key}: {value}\n" for key, value in fields.items()]
    return text[:block.start()] + "".join(lines) + text[block.end():]


@pytest.fixture
async def station_bot(
    emu: BotApiEmulator, sqlite_db: Database, tmp_path: Path
) -> AsyncIterator[BotUnderTest]:
    """The clocked bot (Tue 1 Dec 2026, 09:00 in Shanghai) whose robot park has a real
    address, a phone and its own office hours."""
    under_test = make_bot(emu, sqlite_db, tmp_path, clock=manual_clock())
    path = under_test.catalogue_path
    path.write_text(robot_park(path.read_text(encoding="utf-8"), address=ADDRESS, phone=PHONE,
                               hours=HOURS), encoding="utf-8")
    await under_test.start()
    yield under_test
    await under_test.stop()


def move_to(bot: BotUnderTest, when: dt.datetime) -> None:
    assert isinstance(bot.clock, ManualClock)
    bot.clock.set(when)
    bot.runtime.wake()


def shanghai(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, tzinfo=dt.timezone(dt.timedelta(hours=8)))


async def registered(bot: BotUnderTest, name: str = "Alice") -> User:
    user = bot.user(name)
    await bot.register(user)
    return user


async def test_the_confirmation_reminder_and_calendar_file_say_where_and_whom_to_call(
    station_bot: BotUnderTest,
) -> None:
    bot = station_bot
    alice = await registered(bot)
    done, ics = await book_first_slot(bot, alice)
    assert matches("bk_confirmed", done.text)
    assert f"地址：{ADDRESS}" in done.text
    assert f"电话：{PHONE}" in done.text
    # The calendar file: named after the station and the day, at the station's address,
    # with an alarm an hour before.
    assert ics.document is not None
    assert ics.document.filename == "上海机器人产业园 2026-12-03.ics"
    assert ics.document.content is not None
    event = Calendar.from_ical(ics.document.content).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == ADDRESS
    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0]["TRIGGER"].dt == -dt.timedelta(hours=1)
    # Wednesday 09:00: the day-before reminder says the same.
    move_to(bot, shanghai(2, 9))
    reminder = await bot.emu.next_message(alice, lambda m: matches("bk_remind_day", m.text))
    assert f"地址：{ADDRESS}" in reminder.text
    assert f"电话：{PHONE}" in reminder.text
    # Cancelled, the file that removes it has a name of its own and nothing to ring.
    listing = await bot.say(alice, "/bookings")
    sure = await bot.press(alice, listing, "✖ 取消 BK000001")
    await bot.press(alice, sure, t("zh", "bk_btn_cancel_yes"))
    removal = await bot.emu.next_message(alice, lambda m: m.document is not None)
    assert removal.document is not None
    assert removal.document.filename == "上海机器人产业园 2026-12-03（已取消）.ics"
    assert removal.document.content is not None
    cancelled = Calendar.from_ical(removal.document.content).walk("VEVENT")[0]
    assert cancelled.walk("VALARM") == []


async def test_too_late_to_change_a_visit_the_company_is_given_the_stations_phone(
    station_bot: BotUnderTest,
) -> None:
    bot = station_bot
    alice = await registered(bot)
    await book_first_slot(bot, alice)
    listing = await bot.say(alice, "/bookings")
    # Thursday 08:00, an hour before the visit: inside the two-hour cutoff.
    move_to(bot, shanghai(3, 8))
    await bot.emu.next_message(alice, lambda m: matches("bk_remind_hour", m.text))
    told = await bot.press(alice, listing, "🔁 改期 BK000001")
    assert matches("bk_cutoff_passed", told.text)
    assert f"请直接联系服务站（电话：{PHONE}）。" in told.text
    sure = await bot.press(alice, listing, "✖ 取消 BK000001")
    query = bot.emu.press_button(alice, sure, t("zh", "bk_btn_cancel_yes"))
    answer = await bot.emu.wait_for_callback_answer(query)
    assert matches("bk_cutoff", answer.text)
    assert PHONE in (answer.text or "")


async def test_a_placeholder_phone_is_never_shown(clocked_bot: BotUnderTest) -> None:
    """The shipped stations' phones are still 待补充: no number, and no 待补充 to dial."""
    bot = clocked_bot
    alice = await registered(bot)
    done, _ = await book_first_slot(bot, alice)
    assert "地址：上海市宝山区（地址待补充）" in done.text
    assert "电话" not in done.text


async def test_the_station_card_gives_address_phone_and_office_hours(
    station_bot: BotUnderTest,
) -> None:
    bot = station_bot
    alice = await registered(bot)
    bot.emu.send_text(alice, "/start st-robot-park")
    card = await bot.emu.next_message(alice, lambda m: matches("station_card", m.text))
    assert f"地址：{ADDRESS}" in card.text
    assert f"电话：{PHONE}" in card.text
    assert "办公时间：周一至周四 09:00–11:30、13:30–17:00；周五 09:00–11:30" in card.text


async def test_the_first_response_promise_runs_on_the_stations_own_hours(
    station_bot: BotUnderTest,
) -> None:
    bot = station_bot
    alice = await registered(bot)
    # Friday 4 Dec, 16:00: the robot park closed at 11:30 that day. Four working hours are
    # Monday 09:00-11:30 and 13:30-15:00 (on nine-to-five they would end Monday at noon).
    move_to(bot, shanghai(4, 16))
    reference = await submit(bot, alice)
    card = await card_of(bot, reference)
    assert "2026-12-07 15:00" in card.text


async def test_a_message_that_cannot_reach_the_officers_names_the_stations_phone(
    station_bot: BotUnderTest,
) -> None:
    bot = station_bot
    alice = await registered(bot)
    reference = await submit(bot, alice)
    await claimed(bot, bot.officers[0], await card_of(bot, reference))
    bot.emu.skip_unread(alice)
    bot.emu.set_bot_status(bot.staff, "kicked")  # Telegram now refuses every post there
    bot.emu.send_text(alice, "这条消息送不到")
    told = await bot.emu.next_message(alice, lambda m: matches("relay_failed", m.text))
    assert f"或联系服务站（电话：{PHONE}）。" in told.text
