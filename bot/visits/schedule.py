"""Slot arithmetic: weekly windows → dated slots in UTC, and the one rule book for booking.

Pure functions over the catalogue and a moment in time. Listing slots and accepting a booking
both ask :func:`slot_problem`, so a slot that is not offered cannot be booked with a forged
payload either. Wall-clock times live in the station's zone; every instant leaves here in UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.catalogue import Catalogue, Station
from bot.core.display import BEIJING_ZONES
from bot.texts import t

UTC = dt.UTC
DAY_BEFORE_REMINDER = dt.time(9, 0)
ROSTER_TIME = dt.time(8, 0)
HOUR_BEFORE = dt.timedelta(hours=1)


class Problem(StrEnum):
    """Why a slot cannot be booked now; the text key is ``bk_problem_<value>``."""

    NO_STATION = "no_station"
    CLOSED = "closed"
    NO_SLOT = "no_slot"
    SERVICE = "service"
    PAST = "past"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    LIMIT = "limit"


@dataclass(frozen=True, slots=True)
class Slot:
    """One bookable period of a window on one date."""

    station_id: str
    day: dt.date  # the station's local date
    start: dt.datetime  # aware UTC
    end: dt.datetime  # aware UTC
    seats: int
    services: tuple[str, ...]  # empty: every bookable service of the station

    @property
    def key(self) -> int:
        """Minutes since the epoch: a short, exact name for the slot in button payloads."""
        return minute_key(self.start)

    def accepts(self, service_id: str | None) -> bool:
        return service_id is None or not self.services or service_id in self.services


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def minute_key(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // 60


# Any slot key outside 2000–2099 is forged: a button never names such a time.
FIRST_KEY = 946_684_800 // 60
LAST_KEY = 4_102_444_800 // 60


def is_key(key: int) -> bool:
    return FIRST_KEY <= key < LAST_KEY


def from_key(key: int) -> dt.datetime:
    if not is_key(key):
        raise ValueError(f"no slot starts at minute {key}")
    return dt.datetime.fromtimestamp(key * 60, UTC)


def local(station: Station, moment: dt.datetime) -> dt.datetime:
    """The moment as wall-clock time at the station."""
    return moment.astimezone(zone(station.timezone))


def local_day(station: Station, moment: dt.datetime) -> dt.date:
    return local(station, moment).date()


def at_local(station: Station, day: dt.date, time: dt.time) -> dt.datetime | None:
    """The UTC instant of a wall-clock time at the station; None if the clock skips it (DST)."""
    tz = zone(station.timezone)
    wall = dt.datetime.combine(day, time, tzinfo=tz)
    instant = wall.astimezone(UTC)
    # A time inside a spring-forward gap does not survive the round trip.
    if instant.astimezone(tz).replace(tzinfo=None) != wall.replace(tzinfo=None):
        return None
    return instant


def slots_on(cat: Catalogue, station: Station, day: dt.date) -> list[Slot]:
    """Every slot the station's windows give on this local date (closures and 调休 applied)."""
    weekday = cat.calendar.effective_weekday(day, station.id)
    if weekday is None:
        return []
    slots: list[Slot] = []
    for window in station.windows_on(weekday):
        length = dt.timedelta(minutes=window.slot_minutes)
        for start_time in window.slot_starts():
            start = at_local(station, day, start_time)
            if start is None:
                continue
            slots.append(Slot(station.id, day, start, start + length, window.seats,
                              window.services))
    return slots


def service_offered(cat: Catalogue, station: Station, service_id: str | None) -> bool:
    if service_id is None:
        return True
    service = cat.service(service_id)
    return service is not None and service.bookable and station.id in service.stations


def slot_problem(
    cat: Catalogue, station_id: str, start: dt.datetime, now: dt.datetime, *,
    service_id: str | None = None, upcoming: int = 0,
) -> tuple[Slot | None, Problem | None]:
    """The slot starting at ``start`` and why it cannot be booked (None: it can).

    ``upcoming`` is how many live future bookings the company holds already (elsewhere than
    this slot); the booking transaction passes the count it read under the company's lock.
    """
    station = cat.station(station_id)
    if station is None:
        return None, Problem.NO_STATION
    day = local_day(station, start)
    if cat.calendar.closed(day, station.id) is not None:
        return None, Problem.CLOSED
    slot = next((s for s in slots_on(cat, station, day) if s.start == start), None)
    if slot is None:
        return None, Problem.NO_SLOT
    return slot, _rules(cat, station, slot, now, service_id, upcoming)


def _rules(cat: Catalogue, station: Station, slot: Slot, now: dt.datetime,
           service_id: str | None, upcoming: int) -> Problem | None:
    """Why an existing slot of an open day cannot be booked now (None: it can)."""
    if not service_offered(cat, station, service_id) or not slot.accepts(service_id):
        return Problem.SERVICE
    if slot.start <= now:
        return Problem.PAST
    if slot.start < now + dt.timedelta(minutes=station.min_notice_minutes):
        return Problem.TOO_SOON
    if slot.day > local_day(station, now) + dt.timedelta(days=station.horizon_days):
        return Problem.TOO_FAR
    if upcoming >= station.max_upcoming_bookings:
        return Problem.LIMIT
    return None


def bookable_days(
    cat: Catalogue, station_id: str, now: dt.datetime, *, service_id: str | None = None,
    upcoming: int = 0,
) -> dict[dt.date, list[Slot]]:
    """Every day within the horizon that has a bookable slot, with those slots, in order."""
    station = cat.station(station_id)
    if station is None:
        return {}
    today = local_day(station, now)
    days: dict[dt.date, list[Slot]] = {}
    for offset in range(station.horizon_days + 1):
        day = today + dt.timedelta(days=offset)
        if cat.calendar.closed(day, station.id) is not None:
            continue
        # The same rules as slot_problem, without working the day's slots out again for
        # each slot; a start two windows share is judged by the first, as there.
        day_slots = slots_on(cat, station, day)
        first = {s.start: s for s in reversed(day_slots)}
        open_slots = [
            s for s in day_slots
            if _rules(cat, station, first[s.start], now, service_id, upcoming) is None
        ]
        if open_slots:
            days[day] = open_slots
    return days


def day_before_reminder(station: Station, start: dt.datetime) -> dt.datetime:
    """09:00 station time on the day before the visit, in UTC."""
    day = local_day(station, start) - dt.timedelta(days=1)
    moment = at_local(station, day, DAY_BEFORE_REMINDER)
    # 09:00 never falls in a DST gap in practice; fall back to 24 hours before if it does.
    return moment if moment is not None else start - dt.timedelta(days=1)


def roster_moment(station: Station, day: dt.date) -> dt.datetime:
    """08:00 station time on ``day``, in UTC: when the morning roster goes out."""
    moment = at_local(station, day, ROSTER_TIME)
    assert moment is not None, "08:00 is never skipped by a clock change"
    return moment


def zone_label(station: Station, moment: dt.datetime, lang: str = "zh") -> str:
    """The zone as people read it: 北京时间 in China, else ``Europe/Berlin, UTC+01:00``."""
    if station.timezone in BEIJING_ZONES:
        return t(lang, "zone_beijing")
    offset = local(station, moment).strftime("%z")
    return f"{station.timezone}, UTC{offset[:3]}:{offset[3:]}"
