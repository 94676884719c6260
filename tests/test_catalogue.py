"""The service catalogue: the shipped file, every class of mistake an admin can make, diffs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pytest

from bot.admin.reload import diff_lines
from bot.catalogue import (
    Calendar,
    Catalogue,
    CatalogueError,
    CatalogueIssue,
    Closure,
    Text,
    Window,
    Workday,
    diff_catalogues,
    load_catalogue,
    parse_catalogue,
    summary,
)

SHIPPED = Path(__file__).resolve().parent.parent / "catalogue.yaml"
FILE = "catalogue.yaml"
MARK = "# <-"

# A small valid catalogue. Each error case edits it and marks the line the error must point at
# with "# <-", so line numbers are checked against the text itself.
BASE = """\
version: 1
stations:
  - id: robot-park
    code: RP
    name: {zh: 上海机器人产业园, en: Shanghai Robot Industrial Park}
    address: 上海市宝山区（机器人产业园）
    windows:
      - {weekday: tue, start: "09:00", end: "11:30", slot_minutes: 30, seats: 2}
  - id: bio-park
    code: BP
    name: {zh: 北上海生物医药产业园}
    address: 上海市宝山区（生物医药产业园）
    windows:
      - {weekday: thu, start: "14:00", end: "16:30", slot_minutes: 30, seats: 2}
categories:
  - {id: ip, name: {zh: 知识产权保护及利用, en: IP protection and use}}
  - {id: quality, name: 质量提升}
services:
  - id: ip-insurance
    category: ip
    name: {zh: 知识产权保险, en: IP insurance}
    description: 介绍知识产权保险的险种
    delivery: both
    form:
      - key: kind
        prompt: 关注哪一类保险？
        type: choice
        choices:
          - {id: enforcement, label: 专利执行保险}
          - {id: liability, label: 侵权责任保险}
  - id: shanghai-brand
    category: quality
    name: “上海品牌”认证辅导
    description: 讲解认证要求
    delivery: request
    stations: [bio-park]
calendar:
  closures:
    - {date: 2026-10-01, until: 2026-10-07, reason: 国庆节}
  workdays:
    - {date: 2026-10-10, replaces_weekday: wed, reason: 国庆节调休上班}
"""

ROBOT_WINDOW = '{weekday: tue, start: "09:00", end: "11:30", slot_minutes: 30, seats: 2}'
BIO_WINDOW = '{weekday: thu, start: "14:00", end: "16:30", slot_minutes: 30, seats: 2}'
CHOICES = """\
        type: choice
        choices:
          - {id: enforcement, label: 专利执行保险}
          - {id: liability, label: 侵权责任保险}
"""


def edit(*changes: tuple[str, str]) -> str:
    """Apply (old, new) replacements to BASE; each old text must be there exactly once."""
    text = BASE
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def marked_line(text: str) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if MARK in line]
    assert len(lines) == 1, "mark exactly one line"
    return lines[0]


def issues_of(text: str) -> list[CatalogueIssue]:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, FILE)
    assert caught.value.issues, "a CatalogueError always carries its issues"
    return caught.value.issues


def issue_at(text: str, field: str) -> CatalogueIssue:
    issues = issues_of(text)
    matching = [issue for issue in issues if issue.field == field]
    assert matching, f"no issue for {field}; got:\n" + "\n".join(map(str, issues))
    assert len(matching) == 1, matching
    return matching[0]


def window(weekday: str, start: str, end: str, slot: int, seats: int, extra: str = "") -> str:
    body = f'weekday: {weekday}, start: "{start}", end: "{end}", slot_minutes: {slot}'
    return "{" + body + f", seats: {seats}{extra}}}"


# -- the shipped file ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue(SHIPPED)


def test_shipped_catalogue_loads_with_the_articles_stations(shipped: Catalogue) -> None:
    """The shipped file is valid and has the five stations with their reference codes."""
    assert summary(shipped) == "5 stations, 9 windows, 5 categories, 19 services"
    codes = {station.id: station.code for station in shipped.stations}
    assert codes == {
        "bio-park": "BP",
        "materials-park": "MP",
        "robot-park": "RP",
        "university-park": "UP",
        "bureau": "BS",
    }
    bio = shipped.station("bio-park")
    assert bio is not None
    assert bio.name.zh == "北上海生物医药产业园"
    assert bio.timezone == "Asia/Shanghai"
    assert all(station.windows for station in shipped.stations)


def test_shipped_catalogue_has_the_four_areas_and_coordination(shipped: Catalogue) -> None:
    """Categories follow the service list's four areas, each with 3-5 services."""
    assert [c.id for c in shipped.categories] == [
        "ip",
        "quality",
        "standards",
        "certification",
        "coordination",
    ]
    for category in shipped.categories:
        assert 3 <= len(shipped.services_in(category.id)) <= 5, category.id
    for service_id in (
        "ip-pledge-financing",
        "ip-insurance",
        "shanghai-brand",
        "standard-self-declaration",
        "certification-consulting",
        "clinical-trial-matching",
        "cross-department",
    ):
        service = shipped.service(service_id)
        assert service is not None, service_id
        assert service.name.en, service_id


def test_shipped_catalogue_limits_clinical_trials_to_the_biomedical_park(
    shipped: Catalogue,
) -> None:
    """A service listing stations is offered only there; others default to every station."""
    assert [s.id for s in shipped.stations_for("clinical-trial-matching")] == [
        "bio-park",
        "bureau",
    ]
    assert len(shipped.stations_for("cross-department")) == 5
    clinical = shipped.service("clinical-trial-matching")
    assert clinical is not None
    assert clinical.response_hours == 8
    assert {q.type for q in clinical.form} == {"choice", "date"}


def test_shipped_catalogue_source_and_digest(shipped: Catalogue) -> None:
    """The digest identifies the exact text that was loaded."""
    assert shipped.source == str(SHIPPED)
    expected = hashlib.sha256(SHIPPED.read_bytes().decode("utf-8").encode("utf-8")).hexdigest()
    assert shipped.digest == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2026, 1, 2), False),  # 元旦 run, a Friday
        (dt.date(2026, 1, 4), True),  # Sunday worked for New Year
        (dt.date(2026, 2, 14), True),  # Saturday worked for the Spring Festival
        (dt.date(2026, 2, 16), False),  # Monday inside the Spring Festival
        (dt.date(2026, 2, 23), False),  # last day of the Spring Festival run
        (dt.date(2026, 2, 24), True),  # back to work
        (dt.date(2026, 2, 28), True),  # Saturday worked for the Spring Festival
        (dt.date(2026, 4, 6), False),  # 清明 Monday
        (dt.date(2026, 5, 5), False),  # 劳动节 Tuesday
        (dt.date(2026, 5, 9), True),  # Saturday worked for Labour Day
        (dt.date(2026, 6, 19), False),  # 端午 Friday
        (dt.date(2026, 9, 20), True),  # Sunday worked for National Day
        (dt.date(2026, 9, 25), False),  # 中秋 Friday
        (dt.date(2026, 10, 7), False),  # last day of National Day
        (dt.date(2026, 10, 8), True),  # the Thursday after National Day is worked again
        (dt.date(2026, 10, 10), True),  # Saturday worked for National Day
        (dt.date(2026, 10, 17), False),  # an ordinary Saturday
        (dt.date(2027, 2, 8), False),  # provisional 2027 Spring Festival
    ],
)
def test_shipped_calendar_follows_the_state_council_schedule(
    shipped: Catalogue, day: dt.date, working: bool
) -> None:
    """Working days follow the 2026 holiday notice, make-up days included."""
    assert shipped.calendar.is_working_day(day) is working
    assert shipped.calendar.is_working_day(day, "robot-park") is working


def test_shipped_make_up_days_open_the_windows_of_the_day_they_pay_for(
    shipped: Catalogue,
) -> None:
    """Sat 14 Feb 2026 is worked for Fri 20 Feb, Sat 28 Feb for Mon 23 Feb."""
    assert shipped.calendar.effective_weekday(dt.date(2026, 2, 14)) == 4
    assert shipped.calendar.effective_weekday(dt.date(2026, 2, 28)) == 0
    assert shipped.calendar.effective_weekday(dt.date(2026, 2, 16)) is None
    assert shipped.calendar.effective_weekday(dt.date(2026, 3, 3)) == 1


# -- model -----------------------------------------------------------------------------------


def test_text_falls_back_to_chinese() -> None:
    """English where there is English; Chinese for every other language and as fallback."""
    both = Text("质量提升", "Quality improvement")
    assert both.get("en") == "Quality improvement"
    assert both.get("zh") == "质量提升"
    assert both.get("ru") == "质量提升"
    assert Text("质量提升").get("en") == "质量提升"


def test_window_cuts_slots_from_start_to_end() -> None:
    """A 09:00-11:30 window in 30-minute slots has five slots, the last at 11:00."""
    w = Window(weekday=1, start=dt.time(9), end=dt.time(11, 30), slot_minutes=30, seats=2)
    assert w.slot_starts() == [
        dt.time(9),
        dt.time(9, 30),
        dt.time(10),
        dt.time(10, 30),
        dt.time(11),
    ]
    assert w.accepts("anything")
    only = dataclasses.replace(w, services=("ip-insurance",))
    assert only.accepts("ip-insurance")
    assert not only.accepts("shanghai-brand")


def test_window_drops_a_last_slot_that_would_overrun() -> None:
    """Slots never run past the window's end."""
    w = Window(weekday=0, start=dt.time(9), end=dt.time(10, 10), slot_minutes=30, seats=1)
    assert w.slot_starts() == [dt.time(9), dt.time(9, 30)]


def test_calendar_sunday_worked_as_monday_opens_mondays_windows() -> None:
    """A make-up Sunday takes the weekday it replaces; a station closure shuts one station."""
    sunday = dt.date(2026, 1, 4)
    station_closed = dt.date(2026, 3, 4)  # a Wednesday
    calendar = Calendar(
        closures=(Closure(station_closed, ("robot-park",), Text("站点搬迁")),),
        workdays=(Workday(sunday, 0, Text("调休上班")),),
    )
    assert calendar.effective_weekday(sunday) == 0
    assert calendar.is_working_day(sunday)
    assert not calendar.is_working_day(dt.date(2026, 1, 11))  # an ordinary Sunday
    assert not calendar.is_working_day(station_closed, "robot-park")
    assert calendar.is_working_day(station_closed, "bio-park")
    assert calendar.is_working_day(station_closed)  # no closure of every station
    closure = calendar.closed(station_closed, "robot-park")
    assert closure is not None
    assert closure.reason.zh == "站点搬迁"
    assert calendar.closed(station_closed, "bio-park") is None


def test_lookups_by_id() -> None:
    """Lookups answer None or an empty list for unknown ids."""
    cat = parse_catalogue(BASE, FILE)
    robot = cat.station("robot-park")
    assert robot is not None
    assert robot.code == "RP"
    assert cat.station("nowhere") is None
    category = cat.category("ip")
    assert category is not None
    assert category.name.get("en") == "IP protection and use"
    assert cat.category("nothing") is None
    assert [s.id for s in cat.services_in("quality")] == ["shanghai-brand"]
    assert [s.id for s in cat.services_at("robot-park")] == ["ip-insurance"]
    assert [s.id for s in cat.services_at("bio-park")] == ["ip-insurance", "shanghai-brand"]
    assert [s.id for s in cat.stations_for("ip-insurance")] == ["robot-park", "bio-park"]
    assert cat.stations_for("nothing") == []
    assert cat.service("nothing") is None


def test_catalogue_is_frozen() -> None:
    """No one can change a loaded catalogue in place."""
    cat = parse_catalogue(BASE, FILE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cat.version = 2  # type: ignore[misc]


def test_defaults_apply_where_nothing_is_set() -> None:
    """Stations and services take the defaults block's values unless they set their own."""
    text = edit(
        ("version: 1\n", "version: 1\ndefaults: {response_hours: 6, horizon_days: 14}\n"),
        ("    code: BP\n", "    code: BP\n    horizon_days: 7\n"),
        ("    delivery: request\n", "    delivery: request\n    response_hours: 1.5\n"),
    )
    cat = parse_catalogue(text, FILE)
    assert cat.defaults.response_hours == 6
    assert cat.defaults.hold_minutes == 30
    robot, bio = cat.stations
    assert (robot.horizon_days, bio.horizon_days) == (14, 7)
    assert robot.min_notice_minutes == 120
    insurance, brand = cat.services
    assert (insurance.response_hours, brand.response_hours) == (6, 1.5)


def test_yaml_guesses_do_not_leak_into_values() -> None:
    """Unquoted 9:30 is a time (not 570 minutes), NO is a code, weekday numbers are ISO."""
    text = edit(
        ("    code: RP\n", "    code: NO\n"),
        (ROBOT_WINDOW, "{weekday: 2, start: 9:30, end: 11:30, slot_minutes: 30, seats: 2}"),
        (BIO_WINDOW, '{weekday: 星期四, start: "14:00", end: "16:30", slot_minutes: 30, seats: 2}'),
    )
    cat = parse_catalogue(text, FILE)
    robot, bio = cat.stations
    assert robot.code == "NO"
    assert (robot.windows[0].weekday, robot.windows[0].start) == (1, dt.time(9, 30))
    assert bio.windows[0].weekday == 3


# -- one mistake, one issue at the right line and field ----------------------------------------

ERROR_CASES = [
    # version
    pytest.param(
        edit(("version: 1\n", "version: 2  # <-\n")),
        "version",
        "unsupported version 2: this program reads version 1",
        id="unsupported-version",
    ),
    pytest.param(
        edit(("version: 1\nstations:\n", "stations:  # <-\n")),
        "version",
        "missing version",
        id="missing-version",
    ),
    pytest.param(
        edit(("version: 1\n", "version: one  # <-\n")),
        "version",
        "expected a whole number",
        id="version-not-a-number",
    ),
    # unknown and repeated keys
    pytest.param(
        BASE + "calender: {}  # <-\n",
        "calender",
        "unknown key 'calender' (did you mean 'calendar'?)",
        id="unknown-top-level-key",
    ),
    pytest.param(
        edit(("    address: 上海市宝山区（机器人产业园）\n", "    adress: 上海市宝山区  # <-\n")),
        "stations[0].adress",
        "unknown key 'adress' (did you mean 'address'?)",
        id="typo-in-entry-key",
    ),
    pytest.param(
        edit(
            (
                "    address: 上海市宝山区（机器人产业园）\n",
                "    address:\n      zh: 机器人\n      cn: x  # <-\n",
            )
        ),
        "stations[0].address.cn",
        "unknown key 'cn'",
        id="unknown-language",
    ),
    pytest.param(
        edit(("    code: RP\n", "    code: RP\n    code: RX  # <-\n")),
        "stations[0].code",
        "repeated key (first on line 4)",
        id="repeated-key",
    ),
    # duplicate ids
    pytest.param(
        edit(("  - id: bio-park\n", "  - id: robot-park  # <-\n")),
        "stations[1].id",
        "'robot-park' is already used (line 3)",
        id="duplicate-station-id",
    ),
    pytest.param(
        edit(("{id: quality, name: 质量提升}", "{id: ip, name: 质量提升}  # <-")),
        "categories[1].id",
        "'ip' is already used",
        id="duplicate-category-id",
    ),
    pytest.param(
        edit(("  - id: shanghai-brand\n", "  - id: ip-insurance  # <-\n")),
        "services[1].id",
        "'ip-insurance' is already used",
        id="duplicate-service-id",
    ),
    pytest.param(
        edit(
            (
                "          - {id: liability, label: 侵权责任保险}\n",
                "          - {id: liability, label: 侵权责任保险}\n"
                "      - {key: kind, prompt: 第二个问题}  # <-\n",
            )
        ),
        "services[0].form[1].key",
        "'kind' is already used",
        id="duplicate-question-key",
    ),
    pytest.param(
        edit(
            ("{id: liability, label: 侵权责任保险}", "{id: enforcement, label: 侵权责任保险}  # <-")
        ),
        "services[0].form[0].choices[1].id",
        "'enforcement' is already used",
        id="duplicate-choice-id",
    ),
    pytest.param(
        edit(("    code: BP\n", "    code: RP  # <-\n")),
        "stations[1].code",
        "'RP' is already used (line 4)",
        id="duplicate-station-code",
    ),
    pytest.param(
        edit(("stations: [bio-park]", "stations: [bio-park, bio-park]  # <-")),
        "services[1].stations[1]",
        "station 'bio-park' is listed twice",
        id="station-listed-twice",
    ),
    # unknown references
    pytest.param(
        edit(("    category: quality\n", "    category: qualty  # <-\n")),
        "services[1].category",
        "unknown category 'qualty' (did you mean 'quality'?)",
        id="unknown-category",
    ),
    pytest.param(
        edit(("stations: [bio-park]", "stations: [bio-prk]  # <-")),
        "services[1].stations[0]",
        "unknown station 'bio-prk' (did you mean 'bio-park'?)",
        id="unknown-service-station",
    ),
    pytest.param(
        edit(
            (
                ROBOT_WINDOW,
                window("tue", "09:00", "11:30", 30, 2, ", services: [ip-insurence]") + "  # <-",
            )
        ),
        "stations[0].windows[0].services[0]",
        "unknown service 'ip-insurence' (did you mean 'ip-insurance'?)",
        id="unknown-window-service",
    ),
    pytest.param(
        edit(
            ("until: 2026-10-07, reason", "until: 2026-10-07, stations: [robot-prk], reason")
        ).replace("reason: 国庆节}", "reason: 国庆节}  # <-"),
        "calendar.closures[0].stations[0]",
        "unknown station 'robot-prk' (did you mean 'robot-park'?)",
        id="unknown-closure-station",
    ),
    # windows
    pytest.param(
        edit((ROBOT_WINDOW, window("tue", "25:00", "11:30", 30, 2) + "  # <-")),
        "stations[0].windows[0].start",
        "'25:00' is not a time of day: write HH:MM",
        id="hour-25",
    ),
    pytest.param(
        edit((ROBOT_WINDOW, window("tue", "09:00", "9h", 30, 2) + "  # <-")),
        "stations[0].windows[0].end",
        "'9h' is not a time of day",
        id="time-9h",
    ),
    pytest.param(
        edit((ROBOT_WINDOW, window("tue", "09:00", "08:00", 30, 2) + "  # <-")),
        "stations[0].windows[0].end",
        "the window must end after it starts (09:00)",
        id="end-before-start",
    ),
    pytest.param(
        edit((ROBOT_WINDOW, window("tue", "09:00", "11:30", 40, 2) + "  # <-")),
        "stations[0].windows[0].slot_minutes",
        "40-minute slots do not divide 09:00-11:30 (150 minutes) evenly",
        id="slots-do-not-divide",
    ),
    pytest.param(
        edit((ROBOT_WINDOW, window("tue", "09:00", "11:30", 30, 0) + "  # <-")),
        "stations[0].windows[0].seats",
        "must be at least 1, found 0",
        id="no-seats",
    ),
    pytest.param(
        edit((ROBOT_WINDOW, window("tue", "09:00", "11:30", 3, 2) + "  # <-")),
        "stations[0].windows[0].slot_minutes",
        "must be at least 5, found 3",
        id="tiny-slots",
    ),
    pytest.param(
        edit((ROBOT_WINDOW, window("funday", "09:00", "11:30", 30, 2) + "  # <-")),
        "stations[0].windows[0].weekday",
        "'funday' is not a weekday",
        id="weekday-name",
    ),
    pytest.param(
        edit((ROBOT_WINDOW, window("8", "09:00", "11:30", 30, 2) + "  # <-")),
        "stations[0].windows[0].weekday",
        "1 = Monday",
        id="weekday-number-8",
    ),
    pytest.param(
        edit((ROBOT_WINDOW, window("sat", "09:00", "11:30", 30, 2) + "  # <-")),
        "stations[0].windows[0].weekday",
        "must be Monday to Friday, found Saturday",
        id="window-on-saturday",
    ),
    pytest.param(
        edit(
            (
                ROBOT_WINDOW,
                ROBOT_WINDOW + "\n      - " + window("tue", "11:00", "12:00", 30, 1) + "  # <-",
            )
        ),
        "stations[0].windows[1]",
        "overlaps the Tuesday window on line 8",
        id="overlapping-windows",
    ),
    # texts
    pytest.param(
        edit(("name: {zh: 北上海生物医药产业园}", "name: {en: North Shanghai Park}  # <-")),
        "stations[1].name.zh",
        "missing zh",
        id="missing-zh-name",
    ),
    pytest.param(
        edit(
            ("        prompt: 关注哪一类保险？\n", "        prompt: {en: Which insurance}  # <-\n")
        ),
        "services[0].form[0].prompt.zh",
        "missing zh",
        id="missing-zh-prompt",
    ),
    pytest.param(
        edit(("    description: 讲解认证要求\n", '    description: ""  # <-\n')),
        "services[1].description",
        "the text is empty",
        id="empty-description",
    ),
    # ids and codes
    pytest.param(
        edit(("  - id: bio-park\n", "  - id: Bio_Park  # <-\n")),
        "stations[1].id",
        "'Bio_Park' cannot be an id",
        id="id-not-callback-safe",
    ),
    pytest.param(
        edit(("  - id: shanghai-brand\n", "  - id: " + "a" * 33 + "  # <-\n")),
        "services[1].id",
        "at most 32 characters",
        id="id-too-long",
    ),
    pytest.param(
        edit(("    code: RP\n", "    code: rp  # <-\n")),
        "stations[0].code",
        "'rp' is not a code of 2-4 capital letters",
        id="code-lowercase",
    ),
    pytest.param(
        edit(("    code: RP\n", "    code: ROBOT  # <-\n")),
        "stations[0].code",
        "'ROBOT' is not a code",
        id="code-too-long",
    ),
    pytest.param(
        edit(("    code: RP\n", "    code: RP\n    timezone: Asia/Shangai  # <-\n")),
        "stations[0].timezone",
        "unknown time zone 'Asia/Shangai'",
        id="bad-time-zone",
    ),
    pytest.param(
        edit(("    code: RP\n", "    code: RP\n    topic_id: general  # <-\n")),
        "stations[0].topic_id",
        "expected a whole number",
        id="topic-not-a-number",
    ),
    # forms
    pytest.param(
        edit((CHOICES, "        type: choice\n")).replace(
            "      - key: kind\n", "      - key: kind  # <-\n"
        ),
        "services[0].form[0].choices",
        "a choice question needs at least one choice",
        id="choice-without-choices",
    ),
    pytest.param(
        edit(
            (
                "        type: choice\n        choices:\n",
                "        type: text\n        choices:  # <-\n",
            )
        ),
        "services[0].form[0].choices",
        "only a question of type choice has choices (this one is text)",
        id="choices-on-text-question",
    ),
    pytest.param(
        edit(("        type: choice\n", "        type: txt  # <-\n")),
        "services[0].form[0].type",
        "unknown type 'txt' (did you mean 'text'?)",
        id="unknown-question-type",
    ),
    pytest.param(
        edit(
            (
                "        prompt: 关注哪一类保险？\n",
                "        prompt: 关注哪一类保险？\n        required: maybe  # <-\n",
            )
        ),
        "services[0].form[0].required",
        "expected true or false",
        id="required-not-boolean",
    ),
    # services
    pytest.param(
        edit(("    delivery: request\n", "    delivery: walk-in  # <-\n")),
        "services[1].delivery",
        "unknown delivery 'walk-in': use request, visit or both",
        id="unknown-delivery",
    ),
    pytest.param(
        edit(("stations: [bio-park]", "stations: bio-park  # <-")),
        "services[1].stations",
        "expected a list, found 'bio-park'",
        id="stations-not-a-list",
    ),
    pytest.param(
        edit(
            (
                ROBOT_WINDOW,
                window("tue", "09:00", "11:30", 30, 2, ", services: [shanghai-brand]") + "  # <-",
            )
        ),
        "stations[0].windows[0].services[0]",
        "service 'shanghai-brand' is delivered on request only",
        id="window-takes-request-only-service",
    ),
    pytest.param(
        edit(
            ("    delivery: request\n", "    delivery: both\n"),
            (
                ROBOT_WINDOW,
                window("tue", "09:00", "11:30", 30, 2, ", services: [shanghai-brand]") + "  # <-",
            ),
        ),
        "stations[0].windows[0].services[0]",
        "service 'shanghai-brand' is not offered at station 'robot-park'",
        id="window-takes-service-not-offered-there",
    ),
    pytest.param(
        edit(
            ("  - id: shanghai-brand\n", "  - id: shanghai-brand  # <-\n"),
            ("    delivery: request\n", "    delivery: visit\n"),
            (BIO_WINDOW, window("thu", "14:00", "16:30", 30, 2, ", services: [ip-insurance]")),
        ),
        "services[1]",
        "service 'shanghai-brand' can be booked (delivery: visit) but no window",
        id="bookable-service-without-window",
    ),
    pytest.param(
        edit(
            (
                "  - {id: quality, name: 质量提升}\n",
                "  - {id: quality, name: 质量提升}\n  - {id: standards, name: 标准化提升}  # <-\n",
            )
        ),
        "categories[2]",
        "category 'standards' has no services",
        id="category-without-services",
    ),
    # durations
    pytest.param(
        edit(("    delivery: request\n", "    delivery: request\n    response_hours: 0  # <-\n")),
        "services[1].response_hours",
        "must be more than 0, found 0",
        id="zero-response-hours",
    ),
    pytest.param(
        edit(("    delivery: request\n", "    delivery: request\n    response_hours: -2  # <-\n")),
        "services[1].response_hours",
        "must be more than 0, found -2",
        id="negative-response-hours",
    ),
    pytest.param(
        edit(("version: 1\n", "version: 1\ndefaults:\n  horizon_days: 0  # <-\n")),
        "defaults.horizon_days",
        "must be at least 1, found 0",
        id="zero-horizon",
    ),
    pytest.param(
        edit(("version: 1\n", "version: 1\ndefaults:\n  min_notice_minutes: -5  # <-\n")),
        "defaults.min_notice_minutes",
        "must be at least 0, found -5",
        id="negative-notice",
    ),
    pytest.param(
        edit(("version: 1\n", "version: 1\ndefaults:\n  hold_minutes: 0  # <-\n")),
        "defaults.hold_minutes",
        "must be at least 1, found 0",
        id="zero-hold",
    ),
    pytest.param(
        edit(("    code: BP\n", "    code: BP\n    max_upcoming_bookings: 0  # <-\n")),
        "stations[1].max_upcoming_bookings",
        "must be at least 1, found 0",
        id="zero-bookings",
    ),
    # calendar
    pytest.param(
        edit(("{date: 2026-10-10,", "{date: 2026-02-30,")).replace(
            "reason: 国庆节调休上班}", "reason: 国庆节调休上班}  # <-"
        ),
        "calendar.workdays[0].date",
        "'2026-02-30' is not a date: write YYYY-MM-DD",
        id="impossible-date",
    ),
    pytest.param(
        edit(("{date: 2026-10-01,", "{date: tomorrow,")).replace(
            "reason: 国庆节}", "reason: 国庆节}  # <-"
        ),
        "calendar.closures[0].date",
        "'tomorrow' is not a date",
        id="date-not-a-date",
    ),
    pytest.param(
        edit(("until: 2026-10-07", "until: 2026-09-30")).replace(
            "reason: 国庆节}", "reason: 国庆节}  # <-"
        ),
        "calendar.closures[0].until",
        "until (2026-09-30) is before date (2026-10-01)",
        id="closure-ends-before-it-starts",
    ),
    pytest.param(
        edit(("{date: 2026-10-10,", "{date: 2026-10-03,")).replace(
            "reason: 国庆节调休上班}", "reason: 国庆节调休上班}  # <-"
        ),
        "calendar.workdays[0].date",
        "2026-10-03 is also a closure (line 39)",
        id="closed-and-worked-same-day",
    ),
    pytest.param(
        edit(("{date: 2026-10-10,", "{date: 2026-10-12,")).replace(
            "reason: 国庆节调休上班}", "reason: 国庆节调休上班}  # <-"
        ),
        "calendar.workdays[0].date",
        "2026-10-12 is a Monday: only a Saturday or Sunday can be a make-up working day",
        id="make-up-day-on-a-weekday",
    ),
    pytest.param(
        edit(("replaces_weekday: wed,", "replaces_weekday: sun,")).replace(
            "reason: 国庆节调休上班}", "reason: 国庆节调休上班}  # <-"
        ),
        "calendar.workdays[0].replaces_weekday",
        "must be Monday to Friday, found Sunday",
        id="make-up-day-replaces-sunday",
    ),
]


@pytest.mark.parametrize(("text", "field", "message"), ERROR_CASES)
def test_each_mistake_is_reported_at_its_line_and_field(
    text: str, field: str, message: str
) -> None:
    issue = issue_at(text, field)
    assert message in issue.message
    assert issue.line == marked_line(text)
    assert issue.file == FILE


def test_a_good_catalogue_has_no_issues() -> None:
    """The base of every error case is itself valid (so each case fails for its own edit)."""
    cat = parse_catalogue(BASE, FILE)
    assert summary(cat) == "2 stations, 2 windows, 2 categories, 2 services"
    assert cat.calendar.is_working_day(dt.date(2026, 10, 10))
    assert not cat.calendar.is_working_day(dt.date(2026, 10, 5))


def test_a_misspelt_key_is_reported_once() -> None:
    """'adress' gets a suggestion; no second 'missing address' for the same slip."""
    text = edit(("    address: 上海市宝山区（机器人产业园）\n", "    adress: 上海市宝山区\n"))
    assert [str(issue) for issue in issues_of(text)] == [
        "catalogue.yaml:6: stations[0].adress: unknown key 'adress' (did you mean 'address'?)"
    ]


def test_a_missing_key_without_a_look_alike_is_reported_missing() -> None:
    text = edit(("    address: 上海市宝山区（机器人产业园）\n", ""))
    assert [str(issue) for issue in issues_of(text)] == [
        "catalogue.yaml:3: stations[0].address: missing address"
    ]


def test_issue_reads_file_line_field_message() -> None:
    """The printed form is what an admin pastes into a chat: file:line: field: message."""
    text = edit(("stations: [bio-park]", "stations: [bio-prk]"))
    issue = issue_at(text, "services[1].stations[0]")
    assert str(issue) == (
        "catalogue.yaml:36: services[1].stations[0]: "
        "unknown station 'bio-prk' (did you mean 'bio-park'?)"
    )


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    """Three unrelated mistakes in three sections come back together, top to bottom."""
    text = edit(
        ("    code: RP\n", "    code: rp\n"),
        ("    delivery: request\n", "    delivery: walk-in\n"),
        ("{date: 2026-10-10,", "{date: 2026-10-12,"),
    )
    issues = issues_of(text)
    assert [issue.field for issue in issues] == [
        "stations[0].code",
        "services[1].delivery",
        "calendar.workdays[0].date",
    ]
    assert [issue.line for issue in issues] == sorted(issue.line or 0 for issue in issues)
    assert str(issues_of(text)[0]) in str(CatalogueError(issues))


def test_a_file_that_is_not_a_mapping() -> None:
    issues = issues_of("- stations\n- services\n")
    assert [(i.line, i.field) for i in issues] == [(1, "")]
    assert "expected a mapping" in issues[0].message


def test_an_empty_file() -> None:
    issues = issues_of("# nothing yet\n")
    assert len(issues) == 1
    assert "the file is empty" in issues[0].message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            edit(("    code: RP\n", "    code: RP\n   name: oops  # <-\n")), id="indentation"
        ),
        pytest.param(edit(("    code: RP\n", "\tcode: RP  # <-\n")), id="tab"),
    ],
)
def test_yaml_syntax_errors_name_their_line(text: str) -> None:
    issues = issues_of(text)
    assert len(issues) == 1
    assert issues[0].message.startswith("YAML syntax error")
    assert issues[0].line == marked_line(text)


def test_an_unclosed_brace_names_where_it_was_opened() -> None:
    """YAML notices a missing } on the next line; the message points back at the open one."""
    text = edit(("name: {zh: 北上海生物医药产业园}", "name: {zh: 北上海生物医药产业园  # <-"))
    (issue,) = issues_of(text)
    opened = marked_line(text)
    assert issue.line == opened + 1
    assert f"while parsing a flow mapping on line {opened}" in issue.message


def test_an_unreadable_file_is_one_clear_issue(tmp_path: Path) -> None:
    missing = tmp_path / "catalogue.yaml"
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(missing)
    (issue,) = caught.value.issues
    assert issue.line is None
    assert issue.file == str(missing)
    assert issue.message.startswith("cannot read the file")
    assert str(issue).startswith(f"{missing}: cannot read the file")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_bytes(BASE.encode("utf-8") + "bad: 质量\n".encode("gb18030"))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    (issue,) = caught.value.issues
    assert issue.line == BASE.count("\n") + 1
    assert "UTF-8" in issue.message


def test_a_file_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    """Windows editors add a BOM; it must not break the file."""
    path = tmp_path / "catalogue.yaml"
    path.write_bytes(BASE.encode("utf-8-sig"))
    assert summary(load_catalogue(path)) == "2 stations, 2 windows, 2 categories, 2 services"


def test_weekday_names_and_numbers_mean_the_same_day() -> None:
    """tue, tuesday, 周二 and 2 all mean Tuesday (1 = Monday)."""
    weekdays = set()
    for spelling in ("tue", "Tuesday", "周二", "2"):
        text = edit((ROBOT_WINDOW, window(spelling, "09:00", "11:30", 30, 2)))
        robot = parse_catalogue(text, FILE).station("robot-park")
        assert robot is not None
        weekdays.add(robot.windows[0].weekday)
    assert weekdays == {1}


# -- diff and summary ------------------------------------------------------------------------


def test_diff_of_identical_catalogues_is_empty() -> None:
    cat = parse_catalogue(BASE, FILE)
    diff = diff_catalogues(cat, parse_catalogue(BASE, FILE))
    assert diff.is_empty
    assert diff_lines(diff, "en") == ["No station or service changed"]
    assert diff_lines(diff, "zh") == ["站点和服务没有变化"]


def test_diff_finds_added_removed_and_renamed() -> None:
    """Ids decide identity: a new id is an addition, a changed name a rename."""
    old = parse_catalogue(BASE, FILE)
    new_text = edit(
        (
            "name: {zh: 上海机器人产业园, en: Shanghai Robot Industrial Park}",
            "name: {zh: 上海机器人产业园, en: Robot Park}",
        ),
        ("    name: “上海品牌”认证辅导\n", "    name: “上海品牌”认证\n"),
        ("  - id: ip-insurance\n", "  - id: ip-pledge-financing\n"),
    )
    new = parse_catalogue(new_text, FILE)
    diff = diff_catalogues(old, new)
    assert not diff.is_empty
    assert [s.id for s in diff.added_services] == ["ip-pledge-financing"]
    assert [s.id for s in diff.removed_services] == ["ip-insurance"]
    assert [(r.id, r.old.zh, r.new.zh) for r in diff.renamed_services] == [
        ("shanghai-brand", "“上海品牌”认证辅导", "“上海品牌”认证")
    ]
    assert [(r.id, r.old.en, r.new.en) for r in diff.renamed_stations] == [
        ("robot-park", "Shanghai Robot Industrial Park", "Robot Park")
    ]
    assert diff.added_stations == diff.removed_stations == ()
    assert diff_lines(diff, "en") == [
        "Station renamed: 上海机器人产业园 / Shanghai Robot Industrial Park → "
        "上海机器人产业园 / Robot Park (robot-park)",
        "Service added: IP insurance (ip-pledge-financing)",
        "Service removed: IP insurance (ip-insurance)",
        "Service renamed: “上海品牌”认证辅导 → “上海品牌”认证 (shanghai-brand)",
    ]
    assert diff_lines(diff, "zh")[1] == "新增服务：知识产权保险（ip-pledge-financing）"


def test_diff_finds_stations_added_and_removed() -> None:
    old = parse_catalogue(BASE, FILE)
    new = parse_catalogue(
        edit(("  - id: bio-park\n", "  - id: bio-park-2\n"), ("[bio-park]", "[bio-park-2]")), FILE
    )
    diff = diff_catalogues(old, new)
    assert [s.id for s in diff.added_stations] == ["bio-park-2"]
    assert [s.id for s in diff.removed_stations] == ["bio-park"]
    assert diff_lines(diff, "zh")[:2] == [
        "新增服务站：北上海生物医药产业园（bio-park-2）",
        "移除服务站：北上海生物医药产业园（bio-park）",
    ]


def test_summary_counts_in_singular_and_plural() -> None:
    text = edit(
        ("  - {id: quality, name: 质量提升}\n", ""),
        ("    category: quality\n", "    category: ip\n"),
    )
    cat = parse_catalogue(text, FILE)
    single = dataclasses.replace(cat, stations=cat.stations[:1], services=cat.services[:1])
    assert summary(single) == "1 station, 1 window, 1 category, 1 service"



def test_stations_fall_back_to_the_configured_zone_when_the_file_names_none() -> None:
    """FRONTDOOR_TIMEZONE applies where neither the station nor ``defaults`` give a zone."""
    assert "timezone" not in BASE
    cat = parse_catalogue(BASE, FILE, default_timezone="Asia/Urumqi")
    assert cat.defaults.timezone == "Asia/Urumqi"
    assert {s.timezone for s in cat.stations} == {"Asia/Urumqi"}
    explicit = parse_catalogue("version: 1\ndefaults: {timezone: Europe/Berlin}\n" + BASE[11:],
                               FILE, default_timezone="Asia/Urumqi")
    assert {s.timezone for s in explicit.stations} == {"Europe/Berlin"}
