"""A station's address, phone and office hours in the catalogue: read, checked, and the
placeholders still to fill in listed as warnings that never stop the catalogue."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.catalogue import DEFAULT_HOURS, Span, parse_catalogue
from tests.test_catalogue import BASE, FILE, edit, issue_at, marked_line

ROBOT_ADDRESS = "    address: 上海市宝山区（机器人产业园）\n"


def robot(*lines: str) -> str:
    """BASE with these lines added to the robot park, after its address."""
    return edit((ROBOT_ADDRESS, ROBOT_ADDRESS + "".join(f"    {line}\n" for line in lines)))


def spans(*pairs: tuple[str, str]) -> tuple[Span, ...]:
    return tuple(Span(dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in pairs)


def test_phone_and_office_hours_are_read_per_weekday() -> None:
    cat = parse_catalogue(robot(
        "phone: 021-66661234 转 801",
        "hours:",
        '  mon-thu: "09:00-11:30, 13:30-17:00"',
        '  fri: ["09:00-11:30"]',
    ), FILE)
    station = cat.station("robot-park")
    assert station is not None
    assert station.phone == "021-66661234 转 801"
    lunch = spans(("09:00", "11:30"), ("13:30", "17:00"))
    assert [station.hours.on(d) for d in range(7)] == [
        lunch, lunch, lunch, lunch, spans(("09:00", "11:30")), (), ()]
    assert [w.field for w in cat.warnings] == ["stations[1].phone"]  # bio-park has none


def test_a_station_without_hours_keeps_the_catalogues_default_hours() -> None:
    plain = parse_catalogue(BASE, FILE).station("bio-park")
    assert plain is not None
    assert plain.hours == DEFAULT_HOURS
    text = BASE.replace("version: 1\n",
                        'version: 1\ndefaults:\n  hours: {mon-fri: "08:30-16:30"}\n')
    bio = parse_catalogue(text, FILE).station("bio-park")
    assert bio is not None
    assert [bio.hours.on(d) for d in range(5)] == [spans(("08:30", "16:30"))] * 5


def test_chinese_weekday_ranges_and_a_make_up_day_use_the_hours_of_the_day_replaced() -> None:
    cat = parse_catalogue(robot("hours: {周一至周四: 09:00-17:00, 周五: 09:00-12:00}"), FILE)
    station = cat.station("robot-park")
    assert station is not None
    # Sat 10 Oct 2026 is worked as a Wednesday in BASE's calendar; 5 Oct is a closure.
    assert station.office_on(dt.date(2026, 10, 10), cat.calendar) == spans(("09:00", "17:00"))
    assert station.office_on(dt.date(2026, 10, 5), cat.calendar) == ()
    assert station.office_on(dt.date(2026, 10, 9), cat.calendar) == spans(("09:00", "12:00"))


HOURS_MISTAKES = [
    pytest.param(
        robot("hours:", '  mon-fri: "09:00-25:00"  # <-'),
        "stations[0].hours.mon-fri", "'09:00-25:00' is not a time span", id="bad-time"),
    pytest.param(
        robot("hours:", '  mon-fri: "11:30-09:00"  # <-'),
        "stations[0].hours.mon-fri", "'11:30-09:00' must end after it starts", id="backwards"),
    pytest.param(
        robot("hours:", '  mon-fri: "09:00-12:00, 11:00-17:00"  # <-'),
        "stations[0].hours.mon-fri", "11:00-17:00 starts before 09:00-12:00 ends",
        id="overlapping-spans"),
    pytest.param(
        robot("hours:", '  mon-fri: "09:00-17:00"', '  wed: "09:00-12:00"  # <-'),
        "stations[0].hours.wed", "Wednesday already has hours (line 8)", id="day-named-twice"),
    pytest.param(
        robot("hours:", '  sat: "09:00-12:00"  # <-'),
        "stations[0].hours.sat", "must be Monday to Friday, found Saturday", id="saturday"),
    pytest.param(
        robot("hours:", '  mon-fry: "09:00-17:00"  # <-'),
        "stations[0].hours.mon-fry", "'fry' is not a weekday (did you mean 'fri'?)",
        id="misspelt-weekday"),
    pytest.param(
        robot("hours:", '  fri-mon: "09:00-17:00"  # <-'),
        "stations[0].hours.fri-mon", "the range runs backwards", id="range-backwards"),
    pytest.param(
        robot("hours:", "  mon-fri:", '    - "09:00-11:30"', '    - "1330-1700"  # <-'),
        "stations[0].hours.mon-fri[1]", "'1330-1700' is not a time span", id="list-item"),
    pytest.param(
        robot("hours:", '  mon-fri: ""  # <-'),
        "stations[0].hours.mon-fri", "no time spans", id="empty-day"),
    pytest.param(
        robot('hours: "09:00-17:00"  # <-'),
        "stations[0].hours", "expected office hours as weekdays to time spans",
        id="not-a-mapping"),
    pytest.param(
        robot("hours: {}  # <-"),
        "stations[0].hours", "no office hours on any day", id="no-hours-at-all"),
    pytest.param(
        BASE.replace("version: 1\n", 'version: 1\ndefaults:\n  hours: {tue: "9-17"}  # <-\n'),
        "defaults.hours.tue", "'9-17' is not a time span", id="in-defaults"),
    pytest.param(
        robot("phone: call us  # <-"),
        "stations[0].phone", "'call us' is not a phone number", id="phone-not-a-number"),
    pytest.param(
        robot("phone: 021  # <-"),
        "stations[0].phone", "'021' is not a phone number", id="phone-too-short"),
]


@pytest.mark.parametrize(("text", "field", "message"), HOURS_MISTAKES)
def test_each_hours_or_phone_mistake_is_reported_at_its_line_and_field(
    text: str, field: str, message: str
) -> None:
    issue = issue_at(text, field)
    assert message in issue.message
    assert issue.line == marked_line(text)
    assert not issue.warning


def test_placeholders_and_a_missing_phone_are_warnings_not_errors() -> None:
    text = edit(
        (ROBOT_ADDRESS, "    address: {zh: 上海市宝山区（地址待补充）, en: To be added}  # <-\n"
                        "    phone: 待补充\n"),
    )
    cat = parse_catalogue(text, FILE)  # still a usable catalogue
    robot_park, bio_park = cat.station("robot-park"), cat.station("bio-park")
    assert robot_park is not None
    assert bio_park is not None
    assert robot_park.phone is None  # nobody is given 待补充 to dial
    assert robot_park.address.zh == "上海市宝山区（地址待补充）"
    line = marked_line(text)
    bio_line = next(n for n, row in enumerate(text.splitlines(), 1) if "id: bio-park" in row)
    assert [(w.line, w.field) for w in cat.warnings] == [
        (line, "stations[0].address"),
        (line + 1, "stations[0].phone"),
        (bio_line, "stations[1].phone"),  # bio-park lists no phone at all
    ]
    assert all(w.warning for w in cat.warnings)
    assert str(cat.warnings[1]).startswith(
        f"catalogue.yaml:{line + 1}: stations[0].phone: warning: the phone is a placeholder (待补充)")


def test_a_window_outside_the_office_hours_is_a_warning() -> None:
    text = robot("phone: 021-66661234", 'hours: {mon-fri: "13:30-17:00"}')
    cat = parse_catalogue(text, FILE)
    warnings = [w for w in cat.warnings if w.field == "stations[0].windows[0]"]
    assert len(warnings) == 1
    assert "Tuesday window 09:00-11:30 is outside the station's office hours" in (
        warnings[0].message)
    assert warnings[0].line == next(
        n for n, row in enumerate(text.splitlines(), 1) if "weekday: tue" in row)
