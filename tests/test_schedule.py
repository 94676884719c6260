"""Slot arithmetic: windows, closures, make-up days, notice, horizon and DST, without a bot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.catalogue import Catalogue, load_catalogue, parse_catalogue
from bot.visits import schedule
from bot.visits.schedule import Problem

SHIPPED = Path(__file__).resolve().parent.parent / "catalogue.yaml"
UTC = dt.UTC
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)  # a Tuesday

BERLIN = """\
version: 1
stations:
  - id: berlin
    code: BE
    name: Berlin desk
    address: Unter den Linden 1
    timezone: Europe/Berlin
    windows:
      - {weekday: mon, start: "09:00", end: "10:00", slot_minutes: 30, seats: 1}
categories:
  - {id: ip, name: IP}
services:
  - id: advice
    category: ip
    name: Advice
    description: Advice
    delivery: visit
calendar:
  closures: []
  workdays: []
"""


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue(SHIPPED)


@pytest.fixture(scope="module")
def berlin() -> Catalogue:
    return parse_catalogue(BERLIN, "berlin.yaml")


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def starts(cat: Catalogue, station: str, day: dt.date) -> list[dt.datetime]:
    found = cat.station(station)
    assert found is not None
    return [s.start for s in schedule.slots_on(cat, found, day)]


def test_a_window_is_cut_into_slots_in_utc(shipped: Catalogue) -> None:
    # Robot park, Monday 14:00-16:30 Shanghai in 30-minute slots.
    got = starts(shipped, "robot-park", dt.date(2026, 12, 7))
    assert got == [utc(2026, 12, 7, 6, 0), utc(2026, 12, 7, 6, 30), utc(2026, 12, 7, 7, 0),
                   utc(2026, 12, 7, 7, 30), utc(2026, 12, 7, 8, 0)]


def test_berlin_window_keeps_its_wall_clock_across_the_autumn_change(berlin: Catalogue) -> None:
    # Summer time (UTC+2) on Monday 19 October, winter time (UTC+1) after Sunday 25 October.
    assert starts(berlin, "berlin", dt.date(2026, 10, 19)) == [
        utc(2026, 10, 19, 7, 0), utc(2026, 10, 19, 7, 30)]
    assert starts(berlin, "berlin", dt.date(2026, 10, 26)) == [
        utc(2026, 10, 26, 8, 0), utc(2026, 10, 26, 8, 30)]


def test_berlin_window_keeps_its_wall_clock_across_the_spring_change(berlin: Catalogue) -> None:
    assert starts(berlin, "berlin", dt.date(2027, 3, 22)) == [
        utc(2027, 3, 22, 8, 0), utc(2027, 3, 22, 8, 30)]
    assert starts(berlin, "berlin", dt.date(2027, 3, 29)) == [
        utc(2027, 3, 29, 7, 0), utc(2027, 3, 29, 7, 30)]


def test_one_week_between_berlin_slots_across_dst_is_not_168_hours(berlin: Catalogue) -> None:
    before = starts(berlin, "berlin", dt.date(2026, 10, 19))[0]
    after = starts(berlin, "berlin", dt.date(2026, 10, 26))[0]
    assert after - before == dt.timedelta(days=7, hours=1)


def test_berlin_zone_label_says_the_offset_of_that_day(berlin: Catalogue) -> None:
    station = berlin.station("berlin")
    assert station is not None
    assert schedule.zone_label(station, utc(2026, 10, 19, 7)) == "Europe/Berlin, UTC+02:00"
    assert schedule.zone_label(station, utc(2026, 10, 26, 8)) == "Europe/Berlin, UTC+01:00"


def test_day_before_reminder_is_nine_in_the_morning_station_time_across_dst(
    berlin: Catalogue,
) -> None:
    station = berlin.station("berlin")
    assert station is not None
    # Visit Monday 26 Oct 09:00 CET; the day before is Sunday 25 Oct, already on winter time.
    assert schedule.day_before_reminder(station, utc(2026, 10, 26, 8)) == utc(2026, 10, 25, 8)
    # Visit Monday 29 Mar 09:00 CEST; Sunday 28 Mar 09:00 is already summer time.
    assert schedule.day_before_reminder(station, utc(2027, 3, 29, 7)) == utc(2027, 3, 28, 7)


def test_a_wall_clock_time_skipped_by_spring_forward_has_no_instant(berlin: Catalogue) -> None:
    station = berlin.station("berlin")
    assert station is not None
    assert schedule.at_local(station, dt.date(2027, 3, 28), dt.time(2, 30)) is None
    assert schedule.at_local(station, dt.date(2027, 3, 28), dt.time(3, 30)) == utc(2027, 3, 28, 1, 30)


def test_a_closed_day_has_no_slots_and_refuses_a_forged_one(shipped: Catalogue) -> None:
    # National Day: Monday 5 October 2026 is closed at every station.
    assert starts(shipped, "robot-park", dt.date(2026, 10, 5)) == []
    forged = dt.datetime(2026, 10, 5, 14, 0, tzinfo=SHANGHAI).astimezone(UTC)
    now = dt.datetime(2026, 9, 20, 9, 0, tzinfo=SHANGHAI)
    assert schedule.slot_problem(shipped, "robot-park", forged, now)[1] is Problem.CLOSED


def test_a_make_up_saturday_opens_the_windows_of_the_weekday_it_replaces(
    shipped: Catalogue,
) -> None:
    # Saturday 10 October 2026 is worked as a Wednesday: the materials park's Wednesday window.
    got = starts(shipped, "materials-park", dt.date(2026, 10, 10))
    assert got[0] == dt.datetime(2026, 10, 10, 9, 0, tzinfo=SHANGHAI).astimezone(UTC)
    assert len(got) == 5
    # An ordinary Saturday opens nothing.
    assert starts(shipped, "materials-park", dt.date(2026, 10, 17)) == []


def test_notice_horizon_and_limit_are_the_same_rules_for_listing_and_booking(
    shipped: Catalogue,
) -> None:
    bio = dt.date(2026, 12, 1)  # the bio park opens Tuesday 09:00-11:30
    slot_1030 = dt.datetime.combine(bio, dt.time(10, 30), tzinfo=SHANGHAI).astimezone(UTC)
    slot_1100 = dt.datetime.combine(bio, dt.time(11, 0), tzinfo=SHANGHAI).astimezone(UTC)
    assert schedule.slot_problem(shipped, "bio-park", slot_1030, NOW)[1] is Problem.TOO_SOON
    assert schedule.slot_problem(shipped, "bio-park", slot_1100, NOW)[1] is None
    listed = schedule.bookable_days(shipped, "bio-park", NOW)
    assert [s.start for s in listed[bio]] == [slot_1100]
    # 28 days ahead is the last bookable day.
    last = max(listed)
    assert last <= bio + dt.timedelta(days=28)
    too_far = dt.datetime(2026, 12, 31, 9, 0, tzinfo=SHANGHAI).astimezone(UTC)
    assert schedule.slot_problem(shipped, "robot-park", too_far, NOW)[1] is Problem.TOO_FAR
    # A company at its limit is offered nothing, and refused the same way.
    assert schedule.bookable_days(shipped, "bio-park", NOW, upcoming=2) == {}
    assert schedule.slot_problem(shipped, "bio-park", slot_1100, NOW,
                                 upcoming=2)[1] is Problem.LIMIT


def test_forged_times_and_services_are_refused(shipped: Catalogue) -> None:
    off_grid = dt.datetime(2026, 12, 7, 14, 10, tzinfo=SHANGHAI).astimezone(UTC)
    assert schedule.slot_problem(shipped, "robot-park", off_grid, NOW)[1] is Problem.NO_SLOT
    sunday = dt.datetime(2026, 12, 6, 14, 0, tzinfo=SHANGHAI).astimezone(UTC)
    assert schedule.slot_problem(shipped, "robot-park", sunday, NOW)[1] is Problem.NO_SLOT
    assert schedule.slot_problem(shipped, "nowhere", sunday, NOW)[1] is Problem.NO_STATION
    # The university park's Friday hour takes only IP finance services.
    friday = dt.datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI).astimezone(UTC)
    assert schedule.slot_problem(shipped, "university-park", friday, NOW,
                                 service_id="ip-pledge-financing")[1] is None
    other = next(s.id for s in shipped.services
                 if s.bookable and "university-park" in s.stations
                 and s.id not in ("ip-pledge-financing", "ip-insurance", "trademark-guidance"))
    assert schedule.slot_problem(shipped, "university-park", friday, NOW,
                                 service_id=other)[1] is Problem.SERVICE


def test_slot_keys_round_trip_to_the_same_instant() -> None:
    moment = utc(2026, 12, 7, 6, 30)
    assert schedule.from_key(schedule.minute_key(moment)) == moment
