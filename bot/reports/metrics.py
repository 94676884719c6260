"""A report's numbers, exactly as docs/reports.md defines them.

Counts come from the database as aggregates (``storage.reports.queries``); the working-hours
figures need the catalogue's calendar, so they are folded here from narrow rows.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.catalogue import Catalogue, Station
from bot.reports.pace import breathe
from bot.reports.period import Period
from bot.requests import WorkClock
from bot.visits import slots_on
from storage.reports.queries import (
    DEADLINE_LOOKBACK,
    BadRating,
    CountRow,
    Reports,
    Span,
    Timing,
)

UNKNOWN = "—"


@dataclass(frozen=True, slots=True)
class Breach:
    reference: str
    station_id: str
    deadline: datetime
    first_response_at: datetime | None


@dataclass(frozen=True, slots=True)
class WindowUse:
    station_id: str
    weekday: int
    start: time
    end: time
    booked: int
    offered: int


@dataclass
class Report:
    period: Period
    station_ids: tuple[str, ...]  # empty: every station
    received: int = 0
    resolved: int = 0
    open_at_end: int = 0
    # dimension → key → [received, resolved, open at end]
    by: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    first_response_hours: list[float] = field(default_factory=list)
    resolution_hours: list[float] = field(default_factory=list)
    sla_due: int = 0
    sla_met: int = 0
    breaches: list[Breach] = field(default_factory=list)
    ratings: dict[int, int] = field(default_factory=dict)
    bad: list[BadRating] = field(default_factory=list)
    booked: int = 0
    attended: int = 0
    no_shows: int = 0
    windows: list[WindowUse] = field(default_factory=list)
    new_companies: dict[str, int] = field(default_factory=dict)
    # Monday → category → requests received that week (within the period)
    weekly: dict[date, Counter[str]] = field(default_factory=dict)
    # Monday → (due, met) by deadline week
    weekly_sla: dict[date, list[int]] = field(default_factory=dict)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def good(self) -> int:
        return self.ratings.get(4, 0) + self.ratings.get(5, 0)


def percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def nearest_rank(values: list[float], p: float) -> float | None:
    """The p-th percentile by the nearest-rank rule: the value at rank ⌈p/100 × n⌉."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


class Clocks:
    """Working-hours arithmetic on each station's calendar, office hours and zone (one
    ``WorkClock`` per station, so each day's hours are worked out once per report)."""

    def __init__(self, cat: Catalogue, bureau_tz: str) -> None:
        self.cat = cat
        self.bureau_tz = bureau_tz
        self._clocks: dict[str, WorkClock] = {}

    def zone(self, station_id: str) -> str:
        station = self.cat.station(station_id)
        return station.timezone if station else self.bureau_tz

    def _clock(self, station_id: str) -> WorkClock:
        clock = self._clocks.get(station_id)
        if clock is None:
            station = self.cat.station(station_id)
            office = station.hours if station else self.cat.defaults.hours
            clock = WorkClock(self.cat.calendar, tz=self.zone(station_id),
                              station_id=station_id, office=office)
            self._clocks[station_id] = clock
        return clock

    def hours(self, station_id: str, start: datetime, end: datetime) -> float:
        return self._clock(station_id).between(start, end)

    def deadline(self, station_id: str, service_id: str, start: datetime) -> datetime:
        service = self.cat.service(service_id)
        promise = service.response_hours if service else self.cat.defaults.response_hours
        return self._clock(station_id).add(start, promise)

    def local_day(self, station_id: str, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.zone(station_id))).date()


def spans(cat: Catalogue, period: Period, stations: list[Station], bureau_tz: str,
          *, every: bool) -> list[Span]:
    """Each time zone's stations and their UTC range; with ``every``, also the stations no
    longer in the catalogue, in the bureau's zone."""
    by_zone: dict[str, list[str]] = defaultdict(list)
    for st in stations:
        by_zone[st.timezone].append(st.id)
    out = []

    def bounds(tz: str) -> tuple[datetime, datetime]:
        zone = ZoneInfo(tz)
        return (datetime.combine(period.first, time(0), zone).astimezone(UTC),
                datetime.combine(period.after, time(0), zone).astimezone(UTC))

    for tz, ids in by_zone.items():
        out.append(Span(tuple(ids), *bounds(tz)))
    if every:
        out.append(Span(tuple(s.id for s in cat.stations), *bounds(bureau_tz), others=True))
    return out


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _add(report: Report, rows: list[CountRow], column: int, cat: Catalogue) -> int:
    total = 0
    for row in rows:
        service = cat.service(row.service_id)
        keys = {
            "station": row.station_id,
            "category": service.category if service else UNKNOWN,
            "service": row.service_id,
        }
        if column:
            keys["officer"] = row.officer_name or (UNKNOWN if row.officer_id is None
                                                   else str(row.officer_id))
        for dim, key in keys.items():
            report.by.setdefault(dim, {}).setdefault(key, [0, 0, 0])[column] += row.count
        total += row.count
    return total


async def build(repo: Reports, cat: Catalogue, period: Period, stations: list[Station],
                bureau_tz: str, *, every: bool) -> Report:
    """Every number of the report for ``stations`` (``every``: all, and retired ones)."""
    scope = spans(cat, period, stations, bureau_tz, every=every)
    clocks = Clocks(cat, bureau_tz)
    report = Report(period, () if every else tuple(s.id for s in stations))
    report.received = _add(report, await repo.received(scope), 0, cat)
    report.resolved = _add(report, await repo.resolved(scope), 1, cat)
    report.open_at_end = _add(report, await repo.open_at_end(scope), 2, cat)

    ends = {sid: s.end for s in scope for sid in s.stations if not s.others}
    starts = {sid: s.start for s in scope for sid in s.stations if not s.others}
    other = next((s for s in scope if s.others), None)

    def bounds(station_id: str) -> tuple[datetime, datetime]:
        if station_id in ends:
            return starts[station_id], ends[station_id]
        assert other is not None
        return other.start, other.end

    weeks = set(period.weeks())
    cutoffs: dict[tuple[str, str], datetime | None] = {}
    folded = 0
    async for item in repo.submitted_timings(scope):
        key = (item.station_id, item.service_id)
        if key not in cutoffs:
            cutoffs[key] = _cutoff(clocks, *key, bounds(item.station_id)[0])
        _fold_submitted(report, clocks, item, bounds(item.station_id), weeks, cutoffs[key])
        folded += 1
        await breathe(folded)  # a long month never keeps other people waiting
    async for item in repo.resolved_timings(scope):
        assert item.resolved_at is not None
        report.resolution_hours.append(
            clocks.hours(item.station_id, item.created_at, item.resolved_at))
        folded += 1
        await breathe(folded)

    for (_, rating), count in (await repo.rating_counts(scope)).items():
        report.ratings[rating] = report.ratings.get(rating, 0) + count
    report.bad = await repo.bad_ratings(scope)

    for booked, attended, no_shows in (await repo.attendance(scope)).values():
        report.booked += booked
        report.attended += attended
        report.no_shows += no_shows
    report.windows = _windows(cat, period, stations, await repo.seats_booked(scope))
    report.new_companies = await repo.new_companies(scope)
    return report


def _cutoff(clocks: Clocks, station_id: str, service_id: str,
            start: datetime) -> datetime | None:
    """A submission moment whose first-response deadline falls before ``start``, as late as
    whole days back allow. A later submission never has an earlier deadline, so a request
    submitted at or before it is not due in the period: its deadline need not be worked out
    (most of the month before, which is read only for the deadlines near the start)."""
    for days in range(1, DEADLINE_LOOKBACK.days + 1):
        moment = start - timedelta(days=days)
        if clocks.deadline(station_id, service_id, moment) < start:
            return moment
    return None


def _fold_submitted(report: Report, clocks: Clocks, item: Timing,
                    bounds: tuple[datetime, datetime], weeks: set[date],
                    cutoff: datetime | None = None) -> None:
    start, end = bounds
    answered = item.first_response_at if (
        item.first_response_at is not None and item.first_response_at < end) else None
    if start <= item.created_at < end:
        day = clocks.local_day(item.station_id, item.created_at)
        report.weekly.setdefault(_monday(day), Counter())[_category(clocks.cat, item)] += 1
        if answered is not None:
            report.first_response_hours.append(
                clocks.hours(item.station_id, item.created_at, answered))
    if cutoff is not None and item.created_at <= cutoff:
        return
    deadline = clocks.deadline(item.station_id, item.service_id, item.created_at)
    if not start <= deadline < end:
        return
    met = answered is not None and answered <= deadline
    report.sla_due += 1
    report.sla_met += met
    week = _monday(clocks.local_day(item.station_id, deadline))
    if week in weeks:
        tally = report.weekly_sla.setdefault(week, [0, 0])
        tally[0] += 1
        tally[1] += met
    if not met:
        report.breaches.append(Breach(item.reference, item.station_id, deadline, answered))


def _category(cat: Catalogue, item: Timing) -> str:
    service = cat.service(item.service_id)
    return service.category if service else UNKNOWN


def _windows(cat: Catalogue, period: Period, stations: list[Station],
             booked: dict[tuple[str, datetime, str], int]) -> list[WindowUse]:
    """Seats booked and offered per station and weekly window, the period's dates walked."""
    seats: Counter[tuple[str, datetime]] = Counter()
    for (station_id, starts_at, _), count in booked.items():
        seats[(station_id, starts_at)] += count
    out: list[WindowUse] = []
    for st in stations:
        uses: dict[tuple[int, time, time], list[int]] = {}
        for w in st.windows:
            uses[(w.weekday, w.start, w.end)] = [0, 0]
        day = period.first
        while day <= period.last:
            weekday = cat.calendar.effective_weekday(day, st.id)
            if weekday is not None:
                for w in st.windows_on(weekday):
                    key = (w.weekday, w.start, w.end)
                    starts = {s.start for s in slots_on(cat, st, day)
                              if _in_window(st, s.start, w.start, w.end)}
                    uses[key][1] += len(starts) * w.seats
                    uses[key][0] += sum(seats[(st.id, s)] for s in starts)
            day += timedelta(days=1)
        out.extend(WindowUse(st.id, k[0], k[1], k[2], v[0], v[1]) for k, v in uses.items())
    return out


def _in_window(st: Station, moment: datetime, start: time, end: time) -> bool:
    wall = moment.astimezone(ZoneInfo(st.timezone)).time()
    return start <= wall < end
