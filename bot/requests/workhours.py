"""Working-hours arithmetic: a promise of "4 working hours" made on a Friday afternoon.

Hours count only on working days of the catalogue calendar (closures and 调休 make-up days
included: a make-up day keeps the hours of the weekday it stands in for), and only within
the station's office hours (by default Monday to Friday 09:00-17:00), in its own time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.catalogue import DEFAULT_HOURS, Calendar, OfficeHours

# A promise that cannot be kept within this many days is a calendar mistake, not a wait.
MAX_DAYS = 370


def _open(day: date, calendar: Calendar, station_id: str | None, office: OfficeHours,
          zone: ZoneInfo) -> Iterator[tuple[datetime, datetime]]:
    """The stretches of ``day`` the office is staffed, earliest first."""
    for span in office.on(calendar.effective_weekday(day, station_id)):
        yield datetime.combine(day, span.start, zone), datetime.combine(day, span.end, zone)


def add_working_hours(
    start: datetime, hours: float, calendar: Calendar, *, tz: str, station_id: str | None = None,
    office: OfficeHours = DEFAULT_HOURS,
) -> datetime:
    """The moment ``hours`` working hours after ``start`` (aware, returned in UTC)."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    left = timedelta(hours=max(hours, 0.0))
    day: date = local.date()
    for _ in range(MAX_DAYS):
        for opens, closes in _open(day, calendar, station_id, office, zone):
            begin = max(opens, local)
            if begin < closes:
                if begin + left <= closes:
                    return (begin + left).astimezone(UTC)
                left -= closes - begin
        day += timedelta(days=1)
    raise ValueError(f"no working time within {MAX_DAYS} days of {start.isoformat()}")


def working_hours_between(
    start: datetime, end: datetime, calendar: Calendar, *, tz: str,
    station_id: str | None = None, office: OfficeHours = DEFAULT_HOURS,
) -> float:
    """How many working hours lie between two moments (0 when ``end`` is not later)."""
    if end <= start:
        return 0.0
    zone = ZoneInfo(tz)
    a, b = start.astimezone(zone), end.astimezone(zone)
    total = timedelta(0)
    day = a.date()
    while day <= b.date():
        for opens, closes in _open(day, calendar, station_id, office, zone):
            if min(closes, b) > max(opens, a):
                total += min(closes, b) - max(opens, a)
        day += timedelta(days=1)
    return total.total_seconds() / 3600
