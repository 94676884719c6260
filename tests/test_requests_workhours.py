"""Working-hours promises: counted on working days of the calendar, within office hours."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.catalogue import Calendar, Closure, Text, Workday
from bot.requests.workhours import add_working_hours, working_hours_between

SH = "Asia/Shanghai"
ZONE = ZoneInfo(SH)
PLAIN = Calendar()
# 1 Oct 2026 (Thu) to 7 Oct closed; Sat 10 Oct worked instead of a Wednesday.
NATIONAL_DAY = Calendar(
    closures=tuple(Closure(date(2026, 10, d), (), Text("国庆节")) for d in range(1, 8)),
    workdays=(Workday(date(2026, 10, 10), 2, Text("调休")),),
)


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
