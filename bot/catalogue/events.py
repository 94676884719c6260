"""The events section: lectures, policy briefings (宣贯会) and trainings companies sign up for.

An event is held at a station (its address and time zone) or at a venue written out; times
are ``YYYY-MM-DD HH:MM`` in that zone (an end may be just ``HH:MM`` on the same day). An
event is called off with ``status: cancelled``, never by deleting it: the companies signed up
are told, and ``frontdoor check`` and the reload refuse a file that drops an event people
registered for (bot/events/guard.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Final
from zoneinfo import ZoneInfo

import yaml

from bot.catalogue.checks import unique
from bot.catalogue.model import Audience, Event, EventKind, Station
from bot.catalogue.nodes import Fields, NodeReader, join, raw

__all__ = ["read_events"]

# The keys each kind of mapping may have; True marks the required ones.
_EVENT_KEYS: Final = {
    "id": True, "kind": False, "title": True, "description": False, "station": False,
    "venue": False, "start": True, "end": True, "capacity": True, "seats_per_company": False,
    "signup_deadline": False, "audience": False, "status": False,
}
_AUDIENCE_KEYS: Final = {"stations": False, "categories": False, "tiers": False}
_KINDS: tuple[EventKind, ...] = ("lecture", "briefing", "training")
_STATUSES: Final = ("scheduled", "cancelled")
_DEFAULT_KIND: EventKind = "briefing"
_KIND_OF: dict[str, EventKind] = {kind: kind for kind in _KINDS}
_MOMENT_RE: Final = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{1,2}:[0-9]{2})$")
_CLOCK_RE: Final = re.compile(r"^[0-9]{1,2}:[0-9]{2}$")
# Seats one company may take at most, whatever the file says: a sign-up names each person.
MAX_SEATS_PER_COMPANY: Final = 10
MAX_CAPACITY: Final = 10000


def read_events(reader: NodeReader, top: Fields, stations: Mapping[str, Station],
                station_ids: list[str], category_ids: list[str], tier_ids: list[str],
                default_timezone: str) -> tuple[Event, ...]:
    """The file's events in order; an event with any problem is reported and left out."""
    ids: dict[str, int] = {}
    known = {"station": station_ids, "category": category_ids, "tier": tier_ids}
    events = [
        _event(reader, node, path, ids, stations, known, default_timezone)
        for node, path in reader.items(top, "events")
    ]
    return tuple(e for e in events if e is not None)


def _moment(reader: NodeReader, fields: Fields, key: str, zone: str,
            day: dt.date | None = None) -> dt.datetime | None:
    """``YYYY-MM-DD HH:MM`` in ``zone`` (or ``HH:MM`` on ``day``), as an aware UTC time."""
    if key not in fields.items:
        return None
    node, path = fields.value_node(key), join(fields.path, key)
    if not fields.has(key):
        if fields.spec[key]:
            reader.problem(node, path, f"{key} has no value")
        return None
    text = raw(node)
    match = _MOMENT_RE.match(text)
    if match is None and day is not None and _CLOCK_RE.match(text):
        date_text, clock_text = day.isoformat(), text
    elif match is not None:
        date_text, clock_text = match[1], match[2]
    else:
        same_day = " (or HH:MM on the start's day)" if day is not None else ""
        reader.problem(node, path, f"'{text}' is not a date and time: write "
                                   f"YYYY-MM-DD HH:MM{same_day}, e.g. 2027-03-18 14:00")
        return None
    hour, minute = (int(part) for part in clock_text.split(":"))
    try:
        date = dt.date.fromisoformat(date_text)
        clock = dt.time(hour, minute)
    except ValueError:
        reader.problem(node, path, f"'{text}' is not a real date and time")
        return None
    return dt.datetime.combine(date, clock, ZoneInfo(zone)).astimezone(dt.UTC)


def _event(reader: NodeReader, node: yaml.Node, path: str, ids: dict[str, int],
           stations: Mapping[str, Station], known: dict[str, list[str]],
           default_timezone: str) -> Event | None:
    fields = reader.mapping(node, path, _EVENT_KEYS)
    if fields is None:
        return None
    before = len(reader.issues)
    event_id = reader.get(fields, "id", reader.ident)
    unique(reader, event_id, fields, "id", ids)
    kind = reader.get(fields, "kind", reader.one_of(
        "kind", _KINDS, "write lecture (讲座), briefing (宣贯会) or training (培训)"))
    title = reader.get(fields, "title", reader.text)
    description = reader.get(fields, "description", reader.text)
    venue = reader.get(fields, "venue", reader.text)
    station_id = reader.get(fields, "station", reader.ident)
    station = stations.get(station_id) if station_id else None
    if station_id is not None and station_id not in known["station"]:
        reader.problem(fields.value_node("station"), join(path, "station"),
                       f"unknown station '{station_id}'")
    if station_id is None and venue is None and "station" not in fields.items:
        reader.problem(node, join(path, "station"),
                       "missing station: name the station it is held at, or write a venue")
    zone = station.timezone if station is not None else default_timezone
    start = _moment(reader, fields, "start", zone)
    end = _moment(reader, fields, "end", zone,
                  start.astimezone(ZoneInfo(zone)).date() if start else None)
    if start is not None and end is not None and end <= start:
        reader.problem(fields.value_node("end"), join(path, "end"),
                       "the event ends before it starts: check start and end")
    deadline = _moment(reader, fields, "signup_deadline", zone)
    if start is not None and deadline is not None and deadline > start:
        reader.problem(fields.value_node("signup_deadline"), join(path, "signup_deadline"),
                       "the sign-up deadline is after the start: sign-ups close before it")
    capacity = reader.get(fields, "capacity", reader.at_least(1, MAX_CAPACITY))
    per_company = reader.get(fields, "seats_per_company",
                             reader.at_least(1, MAX_SEATS_PER_COMPANY))
    if capacity is not None and per_company is not None and per_company > capacity:
        reader.problem(fields.value_node("seats_per_company"), join(path, "seats_per_company"),
                       f"{per_company} seats per company is more than the capacity "
                       f"({capacity})")
    audience = _audience(reader, fields, path, known)
    status = reader.get(fields, "status", reader.one_of(
        "status", _STATUSES, "write cancelled to call the event off, or leave status out"))
    if (event_id is None or title is None or start is None or end is None
            or capacity is None or audience is None or len(reader.issues) > before):
        return None
    return Event(
        id=event_id, kind=_KIND_OF.get(kind or "", _DEFAULT_KIND), title=title, start=start,
        end=end, signup_deadline=deadline or start, capacity=capacity,
        seats_per_company=per_company or 1, timezone=zone, station=station_id, venue=venue,
        description=description, audience=audience, cancelled=status == "cancelled",
    )


def _audience(reader: NodeReader, fields: Fields, path: str,
              known: dict[str, list[str]]) -> Audience | None:
    """``all`` (or left out), or a mapping of stations, categories and tiers."""
    if not fields.has("audience"):
        return Audience()
    node, where = fields.value_node("audience"), join(path, "audience")
    if isinstance(node, yaml.ScalarNode):
        if raw(node) == "all":
            return Audience()
        reader.problem(node, where, f"'{raw(node)}' is not an audience: write all, or a "
                                    "mapping of stations, categories and tiers")
        return None
    parts = reader.mapping(node, where, _AUDIENCE_KEYS)
    if parts is None:
        return None
    before = len(reader.issues)
    found: dict[str, tuple[str, ...]] = {}
    for key, what in (("stations", "station"), ("categories", "category"), ("tiers", "tier")):
        refs = reader.id_list(parts, key, what)
        for ref in refs:
            if ref.id not in known[what]:
                reader.problem(ref.node, ref.path, f"unknown {what} '{ref.id}'")
        found[key] = tuple(ref.id for ref in refs)
    if len(reader.issues) > before:
        return None
    return Audience(stations=found["stations"], categories=found["categories"],
                    tiers=found["tiers"])
