"""Plain rules of requests: reading dates and numbers, references, refused files, schema."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.requests.enterprise import reference_for
from bot.requests.intake import parse_date, parse_number

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(("typed", "expected"), [
    ("2026-12-03", date(2026, 12, 3)),
    ("2026/12/3", date(2026, 12, 3)),
    ("2026.12.3", date(2026, 12, 3)),
    ("2026年12月3日", date(2026, 12, 3)),
    ("２０２６－１２－０３", date(2026, 12, 3)),
    ("20261203", date(2026, 12, 3)),
    ("12月3日", date(2026, 12, 3)),
    ("1月5号", date(2027, 1, 5)),  # January has passed this year: the next one
    ("11月30日", date(2027, 11, 30)),
])
def test_dates_people_type_are_read(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["下个月", "2026-13-01", "2026-02-30", "12/3", "2月30日", ""])
def test_impossible_or_ambiguous_dates_are_refused(typed: str) -> None:
    assert parse_date(typed, TODAY) is None


@pytest.mark.parametrize(("typed", "expected"), [
    ("3", "3"), ("12.5", "12.5"), ("1,000", "1000"), ("３", "3"), (" 42 ", "42"),
])
def test_numbers_are_read(typed: str, expected: str) -> None:
    assert parse_number(typed) == expected


@pytest.mark.parametrize("typed", ["三", "-3", "1e5", "3件", "", "1.2.3"])
def test_non_numbers_are_refused(typed: str) -> None:
    assert parse_number(typed) is None


def test_reference_uses_the_month_in_the_station_zone() -> None:
    # 16:30 UTC on 30 November is already 1 December in Shanghai.
    when = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    assert reference_for("BS", when, "Asia/Shanghai", 42) == "BS-2612-0042"
    assert reference_for("BS", when, "UTC", 7) == "BS-2611-0007"

