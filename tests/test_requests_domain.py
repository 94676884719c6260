"""Plain rules of requests: reading dates and numbers, references, refused files, schema."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.requests.enterprise import reference_for
from bot.requests.intake import parse_date
from bot.requests.numbers import parse_amount, parse_count

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
    ("3", "3"), ("1,000", "1000"), ("３", "3"), (" 42 ", "42"), ("三", "3"), ("三件", "3"),
    ("3件", "3"), ("十二", "12"), ("二十五人", "25"), ("一百零五", "105"), ("两千三", "2300"),
    ("一万二", "12000"), ("三万五千", "35000"),
])
def test_counts_are_read_as_people_write_them(typed: str, expected: str) -> None:
    assert parse_count(typed) == expected


@pytest.mark.parametrize("typed", ["12.5", "-3", "1e5", "", "1.2.3", "很多", "三点五"])
def test_a_count_is_a_whole_number(typed: str) -> None:
    assert parse_count(typed) is None


@pytest.mark.parametrize(("typed", "expected"), [
    ("500", "500"), ("500万", "500"), ("五百万", "500"), ("1.2万", "1.2"), ("12.5", "12.5"),
    ("1千万", "1000"), ("500万元", "500"),
])
def test_amounts_in_wan_take_what_people_type(typed: str, expected: str) -> None:
    assert parse_amount(typed, in_wan=True) == expected


def test_reference_uses_the_month_in_the_station_zone() -> None:
    # 16:30 UTC on 30 November is already 1 December in Shanghai.
    when = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    assert reference_for("BS", when, "Asia/Shanghai", 42) == "BS-2612-0042"
    assert reference_for("BS", when, "UTC", 7) == "BS-2611-0007"

