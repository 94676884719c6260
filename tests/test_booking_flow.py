"""Booking a window visit through the bot, as an enterprise user would."""

from __future__ import annotations

from icalendar import Calendar

from bot.emulator import ChatMessage, User
from tests.harness import BotUnderTest

# The clocked bot starts on Tue 1 Dec 2026, 09:00 in Shanghai. The robot park (the test
# company's own station) opens Mon 14:00-16:30 (2 seats) and Thu 09:00-11:30 (1 seat).


async def open_day(bot: BotUnderTest, user: User, day: str = "12-03") -> ChatMessage:
    """Walk /book to the slot list of ``day`` at the company's own station."""
    stations = await bot.say(user, "/book")
    assert "⭐" in stations.buttons[0].text
    days = await bot.press(user, stations, stations.buttons[0].text)
    label = next(b.text for b in days.buttons if b.text.startswith(day))
    return await bot.press(user, days, label)


async def book_first_slot(bot: BotUnderTest, user: User, day: str = "12-03",
                          note: str | None = None) -> tuple[ChatMessage, ChatMessage]:
    """Book the first slot of ``day``; returns the confirmation and the .ics message."""
    slots = await open_day(bot, user, day)
    topics = await bot.press(user, slots, slots.buttons[0].text)
    ask_note = await bot.press(user, topics, topics.buttons[0].text)
    if note is None:
        summary = await bot.press(user, ask_note, "跳过")
    else:
        summary = await bot.say(user, note)
    done = await bot.press(user, summary, "✅ 确认")
    ics = await bot.emu.next_message(user)
    return done, ics


async def test_booking_a_visit_confirms_with_address_time_zone_and_calendar_file(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    done, ics = await book_first_slot(bot, alice, note="想咨询专利质押 <b>流程</b>")
    assert "预约成功" in done.text
    assert "2026-12-03 周四 09:00–09:30 (Asia/Shanghai, UTC+08:00)" in done.text
    assert "上海市宝山区" in done.text
    assert "BK000001" in done.text
    assert "<b>流程</b>" in done.text  # the note is shown as typed, not as markup
    assert ics.document is not None
    assert ics.document.filename == "visit.ics"
    assert ics.document.content is not None
    event = Calendar.from_ical(ics.document.content).walk("VEVENT")[0]
    assert event["DTSTART"].dt.isoformat() == "2026-12-03T01:00:00+00:00"
    assert int(event["SEQUENCE"]) == 0


async def test_days_without_a_free_seat_are_shown_as_full_not_hidden(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice, bob = bot.user("Alice"), bot.user("Bob")
    await bot.register(alice)
    from tests.harness import BETA_CODE
    await bot.register(bob, name="上海乙公司", code=BETA_CODE)
    # Thursday has five one-seat slots at the robot park: Alice takes one, and the rest...
    for _ in range(1):
        await book_first_slot(bot, alice)
    slots = await open_day(bot, bob)
    assert "已满 · 🔔 候补" in slots.buttons[0].text
    assert "余 1 位" in slots.buttons[1].text
