"""Booking a window visit through the bot, as an enterprise user would."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.core.clock import ManualClock
from bot.texts import t
from frontdoor_emulator import BotApiEmulator, ChatMessage, User
from storage.core.db import Database
from tests.booking_support import credit_code
from tests.conftest import make_bot
from tests.harness import BETA_CODE, BotUnderTest, manual_clock, matches


@pytest.fixture
async def clocked_any_bot(
    emu: BotApiEmulator, any_db: Database, tmp_path: Path
) -> AsyncIterator[BotUnderTest]:
    """The real bot with a hand-moved clock, on SQLite and again on PostgreSQL."""
    under_test = make_bot(emu, any_db, tmp_path, clock=manual_clock())
    await under_test.start()
    yield under_test
    await under_test.stop()


# The clocked bot starts on Tue 1 Dec 2026, 09:00 in Shanghai. The robot park (the test
# company's own station) opens Mon 14:00-16:30 (2 seats) and Thu 09:00-11:30 (1 seat).


async def open_day(bot: BotUnderTest, user: User, day: str = "12-03") -> ChatMessage:
    """Walk /book to the slot list of ``day`` at the company's own station."""
    days = await bot.say(user, "/book")  # the company's own station comes preselected
    assert "上海机器人产业园" in days.text
    label = next(b.text for b in days.buttons if b.text.startswith(day))
    return await bot.press(user, days, label)


async def book_first_slot(bot: BotUnderTest, user: User, day: str = "12-03",
                          note: str | None = None) -> tuple[ChatMessage, ChatMessage]:
    """Book the first slot of ``day``; returns the confirmation and the .ics message."""
    slots = await open_day(bot, user, day)
    summary = await bot.press(user, slots, slots.buttons[0].text)
    if note is not None:
        summary = await bot.say(user, note)  # typed on the summary: the note
    done = await bot.press(user, summary, t("zh", "btn_confirm"))
    ics = await bot.emu.next_message(user)
    return done, ics


async def test_booking_a_visit_confirms_with_address_time_zone_and_calendar_file(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    done, ics = await book_first_slot(bot, alice, note="想咨询专利质押 <b>流程</b>")
    assert matches("bk_confirmed", done.text)
    assert "2026-12-03 周四 09:00–09:30（北京时间）" in done.text
    assert "上海市宝山区" in done.text
    assert "BK000001" in done.text
    assert "<b>流程</b>" in done.text  # the note is shown as typed, not as markup
    assert ics.document is not None
    assert ics.document.filename == "上海机器人产业园 2026-12-03.ics"
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
    await bot.register(bob, name="上海乙公司", code=BETA_CODE)
    # Thursday has five one-seat slots at the robot park; Alice takes the first.
    await book_first_slot(bot, alice)
    slots = await open_day(bot, bob)
    assert matches("bk_slot_full_wait", slots.buttons[0].text)
    assert "余 1 个名额" in slots.buttons[1].text


async def reach_summary(bot: BotUnderTest, user: User, day: str = "12-03",
                        slot: int = 0) -> ChatMessage:
    slots = await open_day(bot, user, day)
    return await bot.press(user, slots, slots.buttons[slot].text)


async def test_racing_confirm_presses_through_the_bot_give_one_seat_and_polite_answers(
    clocked_any_bot: BotUnderTest,
) -> None:
    bot = clocked_any_bot
    users = [bot.user(f"U{n}") for n in range(6)]
    for n, user in enumerate(users):
        await bot.register(user, name=f"上海测试{n}公司", code=credit_code(n))
    summaries = [await reach_summary(bot, u) for u in users]
    for user, summary in zip(users, summaries, strict=True):
        bot.emu.press_button(user, summary, t("zh", "btn_confirm"))
    answers = [await bot.emu.wait_for_message(u, lambda m: matches("bk_confirmed", m.text)
                                              or matches("bk_just_taken", m.text)) for u in users]
    assert sum(matches("bk_confirmed", a.text) for a in answers) == 1
    losers = [a for a in answers if matches("bk_just_taken", a.text)]
    assert len(losers) == 5
    # The nearest free times are offered as buttons, never the slot that just filled.
    assert all(len(a.buttons) >= 2 for a in losers)
    assert all("12-03 周四 09:00" not in b.text for a in losers for b in a.buttons)


async def test_a_second_tap_on_a_confirmed_summary_books_nothing_more(
    clocked_any_bot: BotUnderTest,
) -> None:
    # Taps in one chat are handled in order, so the second finds the summary stale; two
    # confirmations racing in the database are in test_booking_races.py.
    bot = clocked_any_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    summary = await reach_summary(bot, alice)
    bot.emu.press_button(alice, summary, t("zh", "btn_confirm"))
    bot.emu.press_button(alice, summary, t("zh", "btn_confirm"))
    await bot.emu.wait_for_message(alice, lambda m: matches("bk_confirmed", m.text))
    await bot.emu.next_message(alice)  # the .ics
    listing = await bot.say(alice, "/bookings")
    assert listing.text.count("BK0000") == 1


async def test_a_forged_slot_button_for_a_closed_day_books_nothing(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    slots = await open_day(bot, alice)
    # 1 Jan 2027 (New Year, closed) at 09:00 Shanghai, as a minute key.
    forged_key = int(dt.datetime(2027, 1, 1, 1, 0, tzinfo=dt.UTC).timestamp()) // 60
    prefix = next(b.callback_data for b in slots.buttons if b.callback_data).rsplit(":", 1)[0]
    query = bot.emu.press(alice, slots, f"{prefix}:s{forged_key}", forged=True)
    answer = await bot.emu.wait_for_callback_answer(query)
    assert answer is not None
    assert matches("bk_problem_closed", answer.text or "")
    listing = await bot.say(alice, "/bookings")
    assert matches("bk_list_none", listing.text)


async def test_cancel_releases_the_seat_and_sends_a_calendar_cancellation(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice, bob = bot.user("Alice"), bot.user("Bob")
    await bot.register(alice)
    await bot.register(bob, name="上海乙公司", code=BETA_CODE)
    _, first_ics = await book_first_slot(bot, alice)
    listing = await bot.say(alice, "/bookings")
    sure = await bot.press(alice, listing, "✖ 取消 BK000001")
    done = await bot.press(alice, sure, t("zh", "bk_btn_cancel_yes"))
    assert matches("bk_cancelled", done.text)
    cancel_ics = await bot.emu.next_message(alice)
    assert cancel_ics.document is not None
    assert cancel_ics.document.content is not None
    assert first_ics.document is not None
    assert first_ics.document.content is not None
    original = Calendar.from_ical(first_ics.document.content)
    cancelled = Calendar.from_ical(cancel_ics.document.content)
    assert str(cancelled["METHOD"]) == "CANCEL"
    old_event, new_event = original.walk("VEVENT")[0], cancelled.walk("VEVENT")[0]
    assert str(new_event["UID"]) == str(old_event["UID"])
    assert int(new_event["SEQUENCE"]) > int(old_event["SEQUENCE"])
    slots = await open_day(bot, bob)
    assert "余 1 个名额" in slots.buttons[0].text


async def test_reschedule_swaps_the_seat_and_updates_the_same_calendar_event(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    _, first_ics = await book_first_slot(bot, alice)
    listing = await bot.say(alice, "/bookings")
    days = await bot.press(alice, listing, "🔁 改期 BK000001")
    label = next(b.text for b in days.buttons if b.text.startswith("12-07"))
    slots = await bot.press(alice, days, label)
    summary = await bot.press(alice, slots, slots.buttons[0].text)
    assert matches("bk_reschedule_head", summary.text)
    done = await bot.press(alice, summary, t("zh", "btn_confirm"))
    assert matches("bk_rescheduled", done.text)
    assert "2026-12-07 周一 14:00–14:30" in done.text
    ics = await bot.emu.next_message(alice)
    assert ics.document is not None
    assert ics.document.content is not None
    assert first_ics.document is not None
    assert first_ics.document.content is not None
    old_event = Calendar.from_ical(first_ics.document.content).walk("VEVENT")[0]
    new_event = Calendar.from_ical(ics.document.content).walk("VEVENT")[0]
    assert str(new_event["UID"]) == str(old_event["UID"])
    assert int(new_event["SEQUENCE"]) == int(old_event["SEQUENCE"]) + 1
    listing = await bot.say(alice, "/bookings")
    assert "12-07" in listing.text
    assert "2026-12-03" in listing.text
    assert listing.text.count("已确认") == 1
    # Thursday's seat is free again for anyone.
    slots = await open_day(bot, alice)
    assert "余 1 个名额" in slots.buttons[0].text


async def test_cancel_is_refused_after_the_cutoff(clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    await book_first_slot(bot, alice)
    listing = await bot.say(alice, "/bookings")
    assert isinstance(bot.clock, ManualClock)
    # Thursday 09:00 Shanghai minus 1 hour: inside the 120-minute cutoff.
    bot.clock.set(dt.datetime(2026, 12, 3, 0, 0, tzinfo=dt.UTC))
    sure = await bot.press(alice, listing, "✖ 取消 BK000001")
    query = bot.emu.press_button(alice, sure, t("zh", "bk_btn_cancel_yes"))
    answer = await bot.emu.wait_for_callback_answer(query)
    assert matches("bk_cutoff", answer.text or "")
    listing = await bot.say(alice, "/bookings")
    assert matches("bk_status_confirmed", listing.text)
    assert not any("取消" in b.text for b in listing.buttons)


async def test_the_service_cards_book_button_offers_only_stations_with_that_service(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    bot.emu.send_text(alice, "/start svc-ccc-guidance")
    card = await bot.emu.next_message(alice)
    own_days = await bot.press(alice, card, t("zh", "btn_book_visit"))
    assert "上海机器人产业园" in own_days.text  # the company's own station offers it
    stations = await bot.press(alice, own_days, t("zh", "bk_btn_other_station"))
    names = [b.text for b in stations.buttons]
    # CCC guidance is offered at the materials park, the robot park and the bureau.
    assert names[0] == "上海机器人产业园 ⭐"
    assert "北上海生物医药产业园" not in names
    days = await bot.press(alice, stations, names[0])
    label = next(b.text for b in days.buttons if b.text.startswith("12-03"))
    slots = await bot.press(alice, days, label)
    # The topic is known already: the slot leads straight to the summary.
    summary = await bot.press(alice, slots, slots.buttons[0].text)
    assert matches("bk_summary_hint", summary.text)
    assert "CCC" in summary.text or "强制性产品认证" in summary.text


async def test_the_week_view_lists_each_days_visits_for_officers(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    await book_first_slot(bot, alice)
    bot.emu.send_text(bot.officers[1], "/week rp", chat=bot.staff)
    week = await bot.emu.next_message(bot.staff)
    assert matches("ro_week_title", week.text)
    assert "12-03 周四" in week.text
    assert "09:00 上海示例科技有限公司" in week.text


async def test_an_overlong_note_is_refused_and_asked_again(clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    slots = await open_day(bot, alice)
    summary = await bot.press(alice, slots, slots.buttons[0].text)
    asked = await bot.press(alice, summary, t("zh", "bk_btn_note"))
    assert matches("bk_ask_note", asked.text)
    refused = await bot.say(alice, "长" * 501)
    assert matches("too_long", refused.text)
    summary = await bot.say(alice, "短一点")
    assert "备注：短一点" in summary.text


async def test_a_topic_removed_from_the_catalogue_mid_booking_ends_the_booking_politely(
    clocked_bot: BotUnderTest,
) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    summary = await reach_summary(bot, alice)
    topics = await bot.press(alice, summary, t("zh", "bk_btn_topic"))
    summary = await bot.press(alice, topics, "知识产权质押融资")
    assert "知识产权质押融资" in summary.text
    text = bot.catalogue_path.read_text(encoding="utf-8")
    bot.catalogue_path.write_text(text.replace("ip-pledge-financing", "ip-pledge-loans"),
                                  encoding="utf-8")
    reloaded = await bot.say(bot.admin, "/reload")
    assert "Catalogue updated" in reloaded.text, reloaded.text
    bot.emu.press_button(alice, summary, t("zh", "btn_confirm"))
    ended = await bot.emu.wait_for_message(alice)
    assert matches("flow_ended_service_gone", ended.text)
    listing = await bot.say(alice, "/bookings")
    assert matches("bk_list_none", listing.text)
