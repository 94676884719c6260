"""Events (讲座, 宣贯会, 培训): companies sign up, wait for a seat, cancel; officers check them
in by scanning their pass; changes in the catalogue reach everyone signed up, once."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
from collections.abc import AsyncIterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from bot.companies.credit_code import make_credit_code
from bot.events.signup import qr_png
from bot.privacy.people import retention_job
from bot.texts import t
from frontdoor_emulator import BotApiEmulator, ChatMessage, User
from storage.core.db import Database
from storage.tables import EventRegistration, EventSeats, TimelineEntry
from tests.conftest import make_bot
from tests.harness import BETA_CODE, BotUnderTest, manual_clock, matches
from tests.requests_steps import forge_press

GAMMA_CODE = make_credit_code("91310113MA1G00003")
TALK = "专利政策宣贯会"
# The test clock starts on Tue 1 Dec 2026, 09:00 in Shanghai; the talk is on Thursday.
EVENTS = """
  - id: policy-talk
    kind: briefing
    title: {zh: 专利政策宣贯会, en: Patent policy briefing}
    description: 解读专利快速预审与质押融资政策。
    station: robot-park
    venue: 二楼会议室
    start: 2026-12-03 14:00
    end: "16:00"
    capacity: 3
    seats_per_company: 2
    signup_deadline: 2026-12-02 17:00
  - id: key-only
    title: 重点企业座谈会
    station: robot-park
    start: 2026-12-04 10:00
    end: "11:00"
    capacity: 10
    audience: {tiers: [key]}
"""
TALK_START = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC)


def with_events(bot: BotUnderTest, text: str = EVENTS) -> None:
    """The shipped catalogue, its events list (the file's last section) extended."""
    path = bot.catalogue_path
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text,
                    encoding="utf-8")


def edit_catalogue(bot: BotUnderTest, old: str, new: str) -> None:
    text = bot.catalogue_path.read_text(encoding="utf-8")
    assert old in text, old
    bot.catalogue_path.write_text(text.replace(old, new, 1), encoding="utf-8")


@contextlib.asynccontextmanager
async def events_bot(emu: BotApiEmulator, db: Database,
                     tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    """The real bot on a manual clock, with two test events in its catalogue."""
    under_test = make_bot(emu, db, tmp_path, clock=manual_clock())
    with_events(under_test)
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()


@pytest.fixture
async def ev_bot(emu: BotApiEmulator, sqlite_db: Database,
                 tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    async with events_bot(emu, sqlite_db, tmp_path) as under_test:
        yield under_test


@pytest.fixture
async def ev_any_bot(emu: BotApiEmulator, any_db: Database,
                     tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    """The same, on SQLite and on PostgreSQL."""
    async with events_bot(emu, any_db, tmp_path) as under_test:
        yield under_test


def advance_to(bot: BotUnderTest, moment: dt.datetime) -> None:
    clock = bot.clock
    now = clock.now()
    assert moment >= now
    clock.advance(moment - now)  # type: ignore[attr-defined]


async def open_card(bot: BotUnderTest, user: User, title: str = TALK) -> ChatMessage:
    listing = await bot.say(user, "/events")
    assert matches("ev_list", listing.text), listing.text
    label = next(b.text for b in listing.buttons if title in b.text)
    return await bot.press(user, listing, label)


async def sign_up(bot: BotUnderTest, user: User, names: str, *,
                  whole: bool = True) -> ChatMessage:
    """Sign up from the event's card; returns the confirmation (with ``whole``, once the
    calendar file and the pass that follow it have arrived too)."""
    card = await open_card(bot, user)
    ask = await bot.press(user, card, t("zh", "ev_btn_sign_up"))
    assert matches("ev_ask_names", ask.text), ask.text
    answer = await bot.say(user, names)
    if whole and matches("ev_confirmed", answer.text):
        await bot.emu.next_message(user, lambda m: m.photo is not None)
    return answer


async def signed_up(bot: BotUnderTest, names: str = "张三") -> User:
    """Alice registers her company and signs it up for the talk, pass and all."""
    alice = bot.user("Alice")
    await bot.register(alice)
    await sign_up(bot, alice, names)
    return alice


async def registration(bot: BotUnderTest) -> EventRegistration:
    """The first registration made."""
    rows = await registrations(bot)
    assert rows
    return rows[0]


async def registrations(bot: BotUnderTest) -> list[EventRegistration]:
    async with bot.db.reader() as session:
        return list(await session.scalars(
            select(EventRegistration).order_by(EventRegistration.id)))


async def seats_taken(bot: BotUnderTest, event_id: str = "policy-talk") -> int:
    async with bot.db.reader() as session:
        return int(await session.scalar(
            select(EventSeats.taken).where(EventSeats.event_id == event_id)) or 0)


async def timeline_kinds(bot: BotUnderTest) -> list[str]:
    async with bot.db.reader() as session:
        return list(await session.scalars(select(TimelineEntry.kind).order_by(TimelineEntry.id)))


def pass_link(token: str) -> str:
    return f"https://t.me/frontdoor_bot?start=ev-{token}"


# -- signing up ------------------------------------------------------------------------------
async def test_a_company_signs_up_and_gets_a_calendar_file_and_its_check_in_code(
        ev_any_bot: BotUnderTest) -> None:
    bot = ev_any_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    done = await sign_up(bot, alice, "张三\n李<四>", whole=False)
    assert matches("ev_confirmed", done.text), done.text
    assert "张三、李<四>" in done.text  # as typed: escaped once
    assert "二楼会议室" in done.text
    ics = await bot.emu.next_message(alice, lambda m: m.document is not None)
    assert ics.document is not None
    assert ics.document.content is not None
    assert ics.document.filename == "专利政策宣贯会 2026-12-03.ics"
    assert b"DTSTART:20261203T060000Z" in ics.document.content
    qr = await bot.emu.next_message(alice, lambda m: m.photo is not None)
    row = await registration(bot)
    assert row.status == "confirmed"
    assert row.seats == 2
    assert len(row.token) >= 22
    # The code opens the bot on this registration's pass, and nothing else.
    assert qr.photo is not None
    assert qr.photo.content == qr_png(pass_link(row.token))
    assert await seats_taken(bot) == 2
    assert await timeline_kinds(bot) == ["registered", "event_signed_up"]
    card = await open_card(bot, alice)
    assert matches("ev_you_are_confirmed", card.text)
    profile = await bot.say(alice, "/profile")
    assert matches("ev_profile_confirmed", profile.text), profile.text
    assert "2026年12月3日（周四） 专利政策宣贯会（2 人）" in profile.text
    assert "李<四>" in card.text


async def test_the_main_menu_offers_events(ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    menu = bot.emu.reply_keyboard(alice)
    assert menu is not None
    labels = [button.text for button in menu.buttons]
    assert t("zh", "ev_btn_menu") in labels
    listing = await bot.say(alice, t("zh", "ev_btn_menu"))
    assert matches("ev_list", listing.text)


async def test_an_event_for_other_companies_is_not_listed_and_a_forged_id_changes_nothing(
        ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    listing = await bot.say(alice, "/events")
    assert any(TALK in b.text for b in listing.buttons)
    assert not any("重点企业座谈会" in b.text for b in listing.buttons)
    for data in ("ev:v:key-only", "ev:s:key-only", "ev:v:no-such-event", "ev:x:999",
                 "ev:p:abc"):
        query = forge_press(bot, alice, listing, data)
        await bot.emu.wait_for_callback_answer(query)
    bot.emu.skip_unread(alice)
    assert await registrations(bot) == []
    # A sign-up for the hidden event, typed as its flow would, is refused too.
    ask = await bot.say(alice, "/events")
    query = forge_press(bot, alice, ask, "ev:s:key-only")
    answer = await bot.emu.next_message(alice, lambda m: matches("ev_problem_gone", m.text))
    assert answer is not None
    await bot.emu.wait_for_callback_answer(query)
    assert await registrations(bot) == []


async def test_more_names_than_seats_per_company_are_refused_and_asked_again(
        ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    refused = await sign_up(bot, alice, "张三\n李四\n王五")
    assert matches("ev_seats_problem", refused.text), refused.text
    assert await registrations(bot) == []
    done = await bot.say(alice, "张三")
    assert matches("ev_confirmed", done.text)
    assert (await registration(bot)).seats == 1


async def test_a_second_sign_up_by_the_same_company_is_refused(ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice = await signed_up(bot)
    bot.emu.skip_unread(alice)
    card = await open_card(bot, alice)
    assert t("zh", "ev_btn_sign_up") not in [b.text for b in card.buttons]
    query = forge_press(bot, alice, card, "ev:s:policy-talk")
    answer = await bot.emu.next_message(alice, lambda m: matches("ev_problem_already", m.text))
    assert answer is not None
    await bot.emu.wait_for_callback_answer(query)
    assert len(await registrations(bot)) == 1


async def test_a_full_event_offers_the_waiting_list_and_a_freed_seat_goes_to_it(
        ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice, bob, carol = bot.user("Alice"), bot.user("Bob"), bot.user("Carol")
    await bot.register(alice)
    await bot.register(bob, name="上海示例材料有限公司", code=BETA_CODE)
    await bot.register(carol, name="上海示例生物有限公司", code=GAMMA_CODE)
    await sign_up(bot, alice, "张三\n李四")
    await sign_up(bot, bob, "王五")
    assert await seats_taken(bot) == 3
    card = await open_card(bot, carol)
    assert matches("ev_full", card.text)
    ask = await bot.press(carol, card, t("zh", "ev_btn_wait"))
    full = await bot.say(carol, "赵六")
    assert matches("ev_full_offer", full.text), full.text
    waiting = await bot.press(carol, full, t("zh", "ev_btn_wait"))
    assert matches("ev_waiting", waiting.text), waiting.text
    assert ask is not None
    assert [r.status for r in await registrations(bot)] == ["confirmed", "confirmed", "waiting"]

    # Alice gives up her two seats: Carol, first in line, gets one at once.
    bot.emu.skip_unread(alice)
    card = await open_card(bot, alice)
    cancelled = await bot.press(alice, card, t("zh", "ev_btn_cancel_confirmed"))
    assert matches("ev_cancelled_done", cancelled.text), cancelled.text
    promoted = await bot.emu.next_message(carol, lambda m: matches("ev_promoted", m.text))
    assert "赵六" in promoted.text
    await bot.emu.next_message(carol, lambda m: m.photo is not None)  # her pass
    assert [r.status for r in await registrations(bot)] == ["cancelled", "confirmed", "confirmed"]
    assert await seats_taken(bot) == 2
    assert "event_confirmed" in await timeline_kinds(bot)


async def test_after_the_deadline_nobody_signs_up_or_cancels(ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice, bob = bot.user("Alice"), bot.user("Bob")
    await bot.register(alice)
    await bot.register(bob, name="上海示例材料有限公司", code=BETA_CODE)
    await sign_up(bot, alice, "张三")
    bot.emu.skip_unread(alice)
    card = await open_card(bot, alice)
    bob_card = await open_card(bot, bob)
    advance_to(bot, dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC))  # 17:30 in Shanghai
    query = bot.emu.press_button(alice, card, t("zh", "ev_btn_cancel_confirmed"))
    answer = await bot.emu.wait_for_callback_answer(query)
    assert answer.text == t("zh", "ev_problem_too_late")
    bot.emu.press_button(bob, bob_card, t("zh", "ev_btn_sign_up"))
    refused = await bot.emu.next_message(bob, lambda m: matches("ev_problem_closed", m.text))
    assert refused is not None
    assert [r.status for r in await registrations(bot)] == ["confirmed"]
    assert await seats_taken(bot) == 1


# -- check-in --------------------------------------------------------------------------------
async def test_an_officer_scanning_a_pass_checks_the_company_in_on_the_day_only(
        ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice = await signed_up(bot)
    await bot.drained()
    bot.emu.skip_unread(alice)
    token = (await registration(bot)).token
    officer = bot.officers[0]

    early = await bot.say(officer, f"/start ev-{token}")
    assert matches("ev_scan_wrong_day", early.text), early.text
    assert (await registration(bot)).attended_at is None

    advance_to(bot, dt.datetime(2026, 12, 3, 5, 50, tzinfo=dt.UTC))  # 13:50 on the day
    done = await bot.say(officer, f"/start ev-{token}")
    assert matches("ev_checked_in", done.text), done.text
    assert "上海示例科技有限公司" in done.text
    told = await bot.emu.next_message(alice, lambda m: matches("ev_checked_in_company", m.text))
    assert TALK in told.text
    again = await bot.say(officer, f"/start ev-{token}")
    assert matches("ev_scan_already_at", again.text), again.text
    assert "13:50" in again.text
    row = await registration(bot)
    assert row.attended_at is not None
    assert row.attended_by == officer.id
    assert (await timeline_kinds(bot)).count("event_attended") == 1
    # Both show on the company's growth record, in the officers' words.
    bot.emu.send_text(officer, "/company 上海示例科技", chat=bot.staff)
    record = await bot.emu.next_message(bot.staff, lambda m: matches("gr_title", m.text))
    assert t("zh", "tl_event_signed_up") in record.text
    assert t("zh", "tl_event_attended") in record.text


async def test_a_pass_opened_by_anyone_but_an_officer_checks_nobody_in(
        ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice, stranger = bot.user("Alice"), bot.user("Stranger")
    await bot.register(alice)
    await sign_up(bot, alice, "张三")
    await bot.drained()
    token = (await registration(bot)).token
    advance_to(bot, dt.datetime(2026, 12, 3, 5, 50, tzinfo=dt.UTC))
    # The two-hour reminder is due by now; let it arrive before Alice's own answers are read.
    await bot.emu.next_message(alice, lambda m: matches("ev_remind_hour", m.text))
    for person in (alice, stranger):
        bot.emu.skip_unread(person)
        answer = await bot.say(person, f"/start ev-{token}")
        assert matches("ev_scan_not_officer", answer.text), answer.text
    forged = await bot.say(bot.officers[0], "/start ev-AAAAAAAAAAAAAAAAAAAAAA")
    assert matches("ev_scan_unknown", forged.text)
    assert (await registration(bot)).attended_at is None
    # A plain /start still reaches the front desk.
    welcome = await bot.say(alice, "/start")
    assert matches("welcome_back", welcome.text)


async def test_officers_mark_attendance_from_the_list_and_export_it(ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice, bob = bot.user("Alice"), bot.user("Bob")
    await bot.register(alice)
    await bot.register(bob, name="上海示例材料有限公司", code=BETA_CODE)
    await sign_up(bot, alice, "张三\n李四")
    await sign_up(bot, bob, "王五")
    await bot.drained()
    advance_to(bot, dt.datetime(2026, 12, 3, 5, 55, tzinfo=dt.UTC))
    officer = bot.officers[1]
    bot.emu.send_text(officer, "/attendees policy-talk", chat=bot.staff)
    roster = await bot.emu.next_message(bot.staff, lambda m: matches("ev_roster_head", m.text))
    assert "上海示例科技有限公司" in roster.text
    assert "上海示例材料有限公司" in roster.text
    here = t("zh", "ev_btn_here", company="上海示例材料有限公司")
    bot.emu.press_button(officer, roster, here)
    edited = await bot.emu.wait_for_edit(roster, lambda m: here not in [b.text for b in m.buttons])
    assert "已到 3/3" not in edited.text
    assert shown_here(edited.text) == 1
    told = await bot.emu.next_message(bob, lambda m: matches("ev_checked_in_company", m.text))
    assert told is not None
    bot.emu.press_button(officer, edited, t("zh", "ev_btn_export"))
    sheet = await bot.emu.next_message(bot.staff, lambda m: m.document is not None)
    assert sheet.document is not None
    assert sheet.document.content is not None
    book = openpyxl.load_workbook(io.BytesIO(sheet.document.content))
    rows = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][1] == t("zh", "ev_xlsx_col_company")
    by_company = {row[1]: row for row in rows[1:]}
    assert by_company["上海示例科技有限公司"][3] == "张三、李四"
    assert by_company["上海示例科技有限公司"][6] is None
    assert by_company["上海示例材料有限公司"][6] == dt.datetime(2026, 12, 3, 13, 55)


def shown_here(text: str) -> int:
    return text.count("✅ 已到")


async def test_the_attendee_list_is_for_officers_in_the_staff_group(ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    refused = await bot.say(alice, "/attendees policy-talk")
    assert matches("ev_staff_only", refused.text)


async def test_the_days_roster_shows_the_event_held_at_the_station(ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    await sign_up(bot, alice, "张三\n李四")
    advance_to(bot, dt.datetime(2026, 12, 3, 0, 0, tzinfo=dt.UTC))  # 08:00 on the day
    roster = await bot.emu.next_message(bot.staff, lambda m: matches("ev_roster_today", m.text))
    assert f"14:00–16:00 {TALK}" in roster.text
    assert "2/3" in roster.text
    assert "/attendees policy-talk" in roster.text


# -- reminders and changes -------------------------------------------------------------------
async def test_reminders_come_a_day_and_two_hours_before_once_each_across_a_restart(
        ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice = await signed_up(bot)
    await bot.drained()
    advance_to(bot, TALK_START - dt.timedelta(hours=23))
    day = await bot.emu.next_message(alice, lambda m: matches("ev_remind_day", m.text))
    assert TALK in day.text
    await bot.restart()
    advance_to(bot, TALK_START - dt.timedelta(hours=1, minutes=50))
    hour = await bot.emu.next_message(alice, lambda m: matches("ev_remind_hour", m.text))
    assert TALK in hour.text
    await bot.drained()
    texts = [m.text or "" for m in bot.emu.messages(alice)]
    assert sum(matches("ev_remind_day", x) for x in texts) == 1
    assert sum(matches("ev_remind_hour", x) for x in texts) == 1


async def test_a_moved_event_is_told_once_to_each_company_signed_up(ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    alice = await signed_up(bot)
    await bot.drained()
    edit_catalogue(bot, "start: 2026-12-03 14:00", "start: 2026-12-03 15:00")
    answer = await bot.say(bot.admin, "/reload")
    assert "Catalogue updated" in answer.text, answer.text
    moved = await bot.emu.next_message(alice, lambda m: matches("ev_event_changed", m.text))
    assert "15:00–16:00" in moved.text
    ics = await bot.emu.next_message(alice, lambda m: m.document is not None)
    assert ics.document is not None
    assert ics.document.content is not None
    assert b"SEQUENCE:1" in ics.document.content
    assert b"DTSTART:20261203T070000Z" in ics.document.content
    await bot.restart()
    # Called off afterwards: told once more, and the registration ends.
    edit_catalogue(bot, "    signup_deadline: 2026-12-02 17:00\n",
                   "    signup_deadline: 2026-12-02 17:00\n    status: cancelled\n")
    await bot.say(bot.admin, "/reload")
    off = await bot.emu.next_message(alice, lambda m: matches("ev_event_cancelled", m.text))
    assert TALK in off.text
    await bot.drained()
    texts = [m.text or "" for m in bot.emu.messages(alice)]
    assert sum(matches("ev_event_changed", x) for x in texts) == 1
    assert sum(matches("ev_event_cancelled", x) for x in texts) == 1
    assert (await registration(bot)).status == "cancelled"
    assert await seats_taken(bot) == 0  # the seats went with the event


async def test_an_event_with_registrations_cannot_be_deleted_from_the_file(
        ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    await signed_up(bot)
    await bot.drained()
    text = bot.catalogue_path.read_text(encoding="utf-8")
    start = text.index("  - id: policy-talk")
    end = text.index("  - id: key-only")
    bot.catalogue_path.write_text(text[:start] + text[end:], encoding="utf-8")
    answer = await bot.say(bot.admin, "/reload")
    assert "previous one stays in service" in answer.text, answer.text
    assert "policy-talk" in answer.text
    assert "status: cancelled" in answer.text
    assert bot.runtime.cat.event("policy-talk") is not None
    # Removing an event nobody registered for (the last one in the file) is an ordinary edit.
    bot.catalogue_path.write_text(text[:end], encoding="utf-8")
    answer = await bot.say(bot.admin, "/reload")
    assert "Catalogue updated" in answer.text, answer.text
    assert bot.runtime.cat.event("key-only") is None
    assert (await registration(bot)).status == "confirmed"


async def test_frontdoor_check_refuses_a_file_that_drops_a_registered_event(
        ev_bot: BotUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from bot.cli import cli

    bot = ev_bot
    await signed_up(bot)
    await bot.drained()
    text = bot.catalogue_path.read_text(encoding="utf-8")
    dropped = tmp_path / "dropped.yaml"
    dropped.write_text(text[:text.index("  - id: policy-talk")]
                       + text[text.index("  - id: key-only"):], encoding="utf-8")
    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", bot.db.url)
    # The command runs its own event loop, as it does from a shell.
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["check", str(dropped)])
    assert result.exit_code == 1, result.output
    assert "event 'policy-talk' has 1 registration" in result.output
    kept = await asyncio.to_thread(CliRunner().invoke, cli, ["check", str(bot.catalogue_path)])
    assert kept.exit_code == 0, kept.output


async def test_attendees_names_go_with_the_retention_of_closed_threads(
        ev_bot: BotUnderTest) -> None:
    bot = ev_bot
    await signed_up(bot)
    assert (await registration(bot)).attendees != ""
    days = bot.runtime.settings.retention_closed_days
    advance_to(bot, bot.clock.now() + dt.timedelta(days=days - 1))
    await retention_job(bot.runtime)
    assert (await registration(bot)).attendees != ""  # not yet
    advance_to(bot, bot.clock.now() + dt.timedelta(days=2))
    await retention_job(bot.runtime)
    row = await registration(bot)
    assert row.attendees == ""
    assert (row.status, row.seats) == ("confirmed", 1)  # the place and the record stay
