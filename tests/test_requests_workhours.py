"""Working-hours promises: counted on working days of the calendar, within office hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.catalogue import DEFAULT_HOURS, Calendar, Closure, OfficeHours, Span, Text, Workday
from bot.requests.workhours import WorkClock

SH = "Asia/Shanghai"
ZONE = ZoneInfo(SH)
PLAIN = Calendar()
# 1 Oct 2026 (Thu) to 7 Oct closed; Sat 10 Oct worked instead of a Wednesday.
NATIONAL_DAY = Calendar(
    closures=tuple(Closure(date(2026, 10, d), (), Text("国庆节")) for d in range(1, 8)),
    workdays=(Workday(date(2026, 10, 10), 2, Text("调休")),),
)


def add_working_hours(start: datetime, hours: float, calendar: Calendar, *, tz: str,
                      station_id: str | None = None,
                      office: OfficeHours = DEFAULT_HOURS) -> datetime:
    return WorkClock(calendar, tz=tz, station_id=station_id, office=office).add(start, hours)


def working_hours_between(start: datetime, end: datetime, calendar: Calendar, *, tz: str,
                          station_id: str | None = None,
                          office: OfficeHours = DEFAULT_HOURS) -> float:
    return WorkClock(calendar, tz=tz, station_id=station_id, office=office).between(start, end)


def local(y: int, m: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=ZONE)


def test_hours_within_one_working_day() -> None:
    due = add_working_hours(local(2026, 12, 1, 10), 4, PLAIN, tz=SH)
    assert due == local(2026, 12, 1, 14)
    assert due.tzinfo == UTC


def test_friday_afternoon_promise_runs_into_monday() -> None:
    assert add_working_hours(local(2026, 12, 4, 16), 4, PLAIN, tz=SH) == local(2026, 12, 7, 12)


def test_submission_before_opening_counts_from_nine() -> None:
    assert add_working_hours(local(2026, 12, 1, 6, 30), 2, PLAIN, tz=SH) == local(2026, 12, 1, 11)


def test_submission_in_the_evening_counts_from_the_next_morning() -> None:
    assert add_working_hours(local(2026, 12, 1, 20), 1.5, PLAIN, tz=SH) == local(
        2026, 12, 2, 10, 30)


def test_holidays_are_skipped_and_make_up_saturday_counts() -> None:
    # Wed 30 Sep 16:00 + 4h: one hour that day, then the holiday week, then Thu 8 Oct.
    assert add_working_hours(local(2026, 9, 30, 16), 4, NATIONAL_DAY, tz=SH) == local(
        2026, 10, 8, 12)
    # Fri 9 Oct 16:00 + 2h: one hour Friday, one on the make-up Saturday.
    assert add_working_hours(local(2026, 10, 9, 16), 2, NATIONAL_DAY, tz=SH) == local(
        2026, 10, 10, 10)


def test_a_closure_of_one_station_only_delays_that_station() -> None:
    cal = Calendar(closures=(Closure(date(2026, 12, 2), ("robot-park",), Text("搬迁")),))
    start = local(2026, 12, 1, 16)
    assert add_working_hours(start, 2, cal, tz=SH, station_id="robot-park") == local(
        2026, 12, 3, 10)
    assert add_working_hours(start, 2, cal, tz=SH, station_id="bio-park") == local(
        2026, 12, 2, 10)


def test_many_hours_span_several_days() -> None:
    assert add_working_hours(local(2026, 12, 1, 9), 20, PLAIN, tz=SH) == local(2026, 12, 3, 13)


def test_utc_input_is_read_in_the_station_zone() -> None:
    # 01:00 UTC is 09:00 in Shanghai.
    start = datetime(2026, 12, 1, 1, tzinfo=UTC)
    assert add_working_hours(start, 1, PLAIN, tz=SH) == datetime(2026, 12, 1, 2, tzinfo=UTC)


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_working_hours(datetime(2026, 12, 1, 9), 1, PLAIN, tz=SH)


def test_hours_between_skip_nights_and_weekends() -> None:
    assert working_hours_between(local(2026, 12, 4, 16), local(2026, 12, 7, 12), PLAIN,
                                 tz=SH) == pytest.approx(4)
    assert working_hours_between(local(2026, 12, 7, 12), local(2026, 12, 4, 16), PLAIN,
                                 tz=SH) == 0


# -- a station's own office hours -------------------------------------------------------------
def office(**days: str) -> OfficeHours:
    """Office hours as the catalogue writes them, e.g. office(mon="09:00-11:30, 13:30-17:00")."""
    names = ("mon", "tue", "wed", "thu", "fri")

    def spans(text: str) -> tuple[Span, ...]:
        pairs = (part.strip().split("-") for part in text.split(","))
        return tuple(Span(time.fromisoformat(a), time.fromisoformat(b)) for a, b in pairs)

    return OfficeHours(tuple(spans(days[n]) if n in days else () for n in names))


WITH_LUNCH = "09:00-11:30, 13:30-17:00"
LUNCH_BREAK = office(**dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), WITH_LUNCH))


def test_a_lunch_break_is_not_working_time() -> None:
    # Tue 11:00 + 1h: half an hour before lunch, half an hour after it.
    assert add_working_hours(local(2026, 12, 1, 11), 1, PLAIN, tz=SH,
                             office=LUNCH_BREAK) == local(2026, 12, 1, 14)
    # Submitted during lunch: the clock starts when the office reopens.
    assert add_working_hours(local(2026, 12, 1, 12), 1, PLAIN, tz=SH,
                             office=LUNCH_BREAK) == local(2026, 12, 1, 14, 30)
    assert working_hours_between(local(2026, 12, 1, 9), local(2026, 12, 1, 17), PLAIN, tz=SH,
                                 office=LUNCH_BREAK) == pytest.approx(6)


def test_a_weekday_without_office_hours_is_skipped() -> None:
    monday_to_thursday = office(mon="09:00-17:00", tue="09:00-17:00", wed="09:00-17:00",
                                thu="09:00-17:00")
    # Thu 3 Dec 16:00 + 2h: one hour Thursday, none on Friday, one on Monday.
    assert add_working_hours(local(2026, 12, 3, 16), 2, PLAIN, tz=SH,
                             office=monday_to_thursday) == local(2026, 12, 7, 10)


def test_a_short_friday_moves_the_promise_to_monday() -> None:
    short_friday = office(mon=WITH_LUNCH, tue=WITH_LUNCH, wed=WITH_LUNCH, thu=WITH_LUNCH,
                          fri="09:00-11:30")
    # Fri 4 Dec 16:00 + 4h: Friday is over; Monday 09:00-11:30, then 13:30-15:00.
    assert add_working_hours(local(2026, 12, 4, 16), 4, PLAIN, tz=SH,
                             office=short_friday) == local(2026, 12, 7, 15)


def test_a_make_up_day_keeps_the_hours_of_the_weekday_it_stands_in_for() -> None:
    # Sat 10 Oct 2026 is worked as a Wednesday; this office opens Wednesday afternoons only.
    afternoons = office(mon="09:00-17:00", tue="09:00-17:00", wed="14:00-17:00",
                        thu="09:00-17:00", fri="09:00-17:00")
    # Fri 9 Oct 16:00 + 2h: one hour Friday, one on the make-up Saturday from 14:00.
    assert add_working_hours(local(2026, 10, 9, 16), 2, NATIONAL_DAY, tz=SH,
                             office=afternoons) == local(2026, 10, 10, 15)
    # Closed days keep no hours, whatever the office's week says.
    assert add_working_hours(local(2026, 9, 30, 16), 4, NATIONAL_DAY, tz=SH,
                             office=afternoons) == local(2026, 10, 8, 12)


def test_office_hours_and_a_stations_closure_work_together() -> None:
    cal = Calendar(closures=(Closure(date(2026, 12, 2), ("robot-park",), Text("搬迁")),))
    # Tue 1 Dec 16:00 + 2h at the robot park: one hour Tuesday, Wednesday closed, then
    # Thursday 09:00-10:00.
    assert add_working_hours(local(2026, 12, 1, 16), 2, cal, tz=SH, station_id="robot-park",
                             office=LUNCH_BREAK) == local(2026, 12, 3, 10)
