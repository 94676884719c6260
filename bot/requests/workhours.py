"""Working-hours arithmetic: a promise of "4 working hours" made on a Friday afternoon.

Hours count only on working days of the catalogue calendar (closures and 调休 make-up days
included), and only within office hours in the station's own time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.catalogue import Calendar

OFFICE_START = time(9, 0)
OFFICE_END = time(17, 0)
# A promise that cannot be kept within this many days is a calendar mistake, not a wait.
MAX_DAYS = 370


def add_working_hours(
    start: datetime, hours: float, calendar: Calendar, *, tz: str, station_id: str | None = None,
    office_start: time = OFFICE_START, office_end: time = OFFICE_END,
) -> datetime:
    """The moment ``hours`` working hours after ``start`` (aware, returned in UTC)."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if office_end <= office_start:
        raise ValueError("office hours must end after they start")
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    left = timedelta(hours=max(hours, 0.0))
    day: date = local.date()
    for _ in range(MAX_DAYS):
        if calendar.is_working_day(day, station_id):
            opens = datetime.combine(day, office_start, zone)
            closes = datetime.combine(day, office_end, zone)
            begin = max(opens, local)
            if begin < closes:
                if begin + left <= closes:
                    return (begin + left).astimezone(UTC)
                left -= closes - begin
        day += timedelta(days=1)
    raise ValueError(f"no working time within {MAX_DAYS} days of {start.isoformat()}")


def working_hours_between(
    start: datetime, end: datetime, calendar: Calendar, *, tz: str,
    station_id: str | None = None, office_start: time = OFFICE_START,
    office_end: time = OFFICE_END,
) -> float:
    """How many working hours lie between two moments (0 when ``end`` is not later)."""
    if end <= start:
        return 0.0
    zone = ZoneInfo(tz)
    a, b = start.astimezone(zone), end.astimezone(zone)
    total = timedelta(0)
    day = a.date()
    while day <= b.date():
        if calendar.is_working_day(day, station_id):
            opens = max(datetime.combine(day, office_start, zone), a)
            closes = min(datetime.combine(day, office_end, zone), b)
            if closes > opens:
                total += closes - opens
        day += timedelta(days=1)
    return total.total_seconds() / 3600
