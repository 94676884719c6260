"""The catalogue's events: what an admin writes, and every mistake named at its line."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.catalogue import CatalogueError, CatalogueIssue, load_catalogue, parse_catalogue
from tests.test_catalogue import BASE, FILE, MARK, SHIPPED, marked_line

EVENT = """\
events:
  - id: ip-briefing
    kind: briefing
    title: {zh: 知识产权政策宣贯会, en: IP policy briefing}
    description: 解读政策
    station: robot-park
    venue: 二楼会议室
    start: 2027-03-18 14:00
    end: "16:00"
    capacity: 60
    seats_per_company: 2
    signup_deadline: 2027-03-17 17:00
    audience: all
"""


def with_event(*changes: tuple[str, str]) -> str:
    text = EVENT
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return BASE + text


def issue_at(text: str, field: str) -> CatalogueIssue:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, FILE)
    matching = [i for i in caught.value.issues if i.field == field]
    assert len(matching) == 1, "\n".join(map(str, caught.value.issues))
    return matching[0]


def test_an_event_is_read_with_its_times_in_the_stations_zone() -> None:
    cat = parse_catalogue(with_event(), FILE)
    event = cat.event("ip-briefing")
    assert event is not None
    assert event.start == dt.datetime(2027, 3, 18, 6, 0, tzinfo=dt.UTC)
    assert event.end == dt.datetime(2027, 3, 18, 8, 0, tzinfo=dt.UTC)
    assert event.signup_deadline == dt.datetime(2027, 3, 17, 9, 0, tzinfo=dt.UTC)
    assert (event.capacity, event.seats_per_company, event.kind) == (60, 2, "briefing")
    assert event.audience.everyone
    assert not event.cancelled
    assert event.venue is not None
    assert event.venue.zh == "二楼会议室"


def test_defaults_an_audience_and_calling_an_event_off() -> None:
    cat = parse_catalogue(with_event(
        ("    signup_deadline: 2027-03-17 17:00\n", ""),
        ("    seats_per_company: 2\n", ""),
        ("    kind: briefing\n", ""),
        ("    audience: all\n",
         "    audience: {stations: [bio-park], categories: [ip], tiers: [key]}\n"
         "    status: cancelled\n"),
    ), FILE)
    event = cat.event("ip-briefing")
    assert event is not None
    assert event.signup_deadline == event.start
    assert event.seats_per_company == 1
    assert event.kind == "briefing"
    assert event.audience.stations == ("bio-park",)
    assert event.audience.categories == ("ip",)
    assert event.audience.tiers == ("key",)
    assert event.cancelled


def test_a_version_changes_with_the_time_place_or_status_only() -> None:
    base = parse_catalogue(with_event(), FILE).event("ip-briefing")
    renamed = parse_catalogue(with_event(("en: IP policy briefing", "en: IP briefing")),
                              FILE).event("ip-briefing")
    moved = parse_catalogue(with_event(('end: "16:00"', 'end: "16:30"')),
                            FILE).event("ip-briefing")
    assert base is not None
    assert renamed is not None
    assert moved is not None
    assert base.version == renamed.version
    assert base.version != moved.version


@pytest.mark.parametrize(("old", "new", "field", "words"), [
    ("start: 2027-03-18 14:00", "start: 2027-03-18 下午两点  " + MARK, "events[0].start",
     "is not a date and time"),
    ("start: 2027-03-18 14:00", "start: 2027-02-30 14:00  " + MARK, "events[0].start",
     "not a real date"),
    ('end: "16:00"', 'end: "13:00"  ' + MARK, "events[0].end", "ends before it starts"),
    ("signup_deadline: 2027-03-17 17:00", "signup_deadline: 2027-03-19 17:00  " + MARK,
     "events[0].signup_deadline", "after the start"),
    ("capacity: 60", "capacity: 0  " + MARK, "events[0].capacity", "at least 1"),
    ("seats_per_company: 2", "seats_per_company: 80  " + MARK, "events[0].seats_per_company",
     "at most 10"),
    ("station: robot-park", "station: robot-prk  " + MARK, "events[0].station",
     "unknown station"),
    ("kind: briefing", "kind: seminar  " + MARK, "events[0].kind", "unknown kind"),
    ("audience: all", "audience: everybody  " + MARK, "events[0].audience",
     "is not an audience"),
    ("audience: all", "audience: {tiers: [vip]}  " + MARK, "events[0].audience.tiers[0]",
     "unknown tier"),
    ("audience: all", "audience: {categories: [qualty]}  " + MARK,
     "events[0].audience.categories[0]", "unknown category"),
    ("audience: all", "status: off  " + MARK, "events[0].status", "unknown status"),
    ("capacity: 60", "capcity: 60  " + MARK, "events[0].capcity", "did you mean 'capacity'"),
])
def test_each_mistake_is_named_at_its_line(old: str, new: str, field: str, words: str) -> None:
    text = with_event((old, new))
    issue = issue_at(text, field)
    assert issue.line == marked_line(text), str(issue)
    assert words in issue.message, str(issue)


def test_more_seats_per_company_than_the_capacity_is_refused() -> None:
    text = with_event(("capacity: 60", "capacity: 1"),
                      ("seats_per_company: 2", "seats_per_company: 2  " + MARK))
    issue = issue_at(text, "events[0].seats_per_company")
    assert issue.line == marked_line(text)


def test_an_event_needs_a_station_or_a_venue_and_a_unique_id() -> None:
    text = with_event(("    station: robot-park\n", ""), ("    venue: 二楼会议室\n", ""))
    issue = issue_at(text, "events[0].station")
    assert "venue" in issue.message
    twice = BASE + EVENT + EVENT.replace("events:\n", "")
    repeated = issue_at(twice, "events[1].id")
    assert "already used" in repeated.message


def test_a_venue_alone_uses_the_default_zone() -> None:
    cat = parse_catalogue(with_event(("    station: robot-park\n", "")), FILE)
    event = cat.event("ip-briefing")
    assert event is not None
    assert event.station is None
    assert event.timezone == "Asia/Shanghai"


def test_the_shipped_sample_events_are_ahead_and_valid() -> None:
    cat = load_catalogue(SHIPPED)
    assert len(cat.events) >= 2
    assert all(e.start.year == 2027 and not e.cancelled for e in cat.events)
