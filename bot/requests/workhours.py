"""Working-hours arithmetic: a promise of "4 working hours" made on a Friday afternoon.

Hours count only on working days of the catalogue calendar (closures and 调休 make-up days
included: a make-up day keeps the hours of the weekday it stands in for), and only within
the station's office hours (by default Monday to Friday 09:00-17:00), in its own time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.catalogue import DEFAULT_HOURS, Calendar, OfficeHours

# A promise that cannot be kept within this many days is a calendar mistake, not a wait.
MAX_DAYS = 370


class WorkClock:
    """One station's working time: its calendar, office hours and zone.

    Each day's staffed stretches are worked out once and remembered, so a report that folds
    a hundred thousand requests over the same few weeks does the calendar arithmetic once per
    day, not once per request and day. Build one per use (a report, a card): the catalogue it
    reads is replaced, never changed, on reload.
    """

    __slots__ = ("_calendar", "_days", "_office", "_station_id", "_zone")

    def __init__(self, calendar: Calendar, *, tz: str, station_id: str | None = None,
                 office: OfficeHours = DEFAULT_HOURS) -> None:
        self._calendar = calendar
        self._zone = ZoneInfo(tz)
        self._station_id = station_id
        self._office = office
        self._days: dict[date, tuple[tuple[datetime, datetime], ...]] = {}

    def open_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The stretches of ``day`` the office is staffed, earliest first."""
        found = self._days.get(day)
        if found is None:
            weekday = self._calendar.effective_weekday(day, self._station_id)
            found = tuple((datetime.combine(day, span.start, self._zone),
                           datetime.combine(day, span.end, self._zone))
                          for span in self._office.on(weekday))
            self._days[day] = found
        return found

    def add(self, start: datetime, hours: float) -> datetime:
        """The moment ``hours`` working hours after ``start`` (aware, returned in UTC)."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        local = start.astimezone(self._zone)
        left = timedelta(hours=max(hours, 0.0))
        day: date = local.date()
        for _ in range(MAX_DAYS):
            for opens, closes in self.open_on(day):
                begin = max(opens, local)
                if begin < closes:
                    if begin + left <= closes:
                        return (begin + left).astimezone(UTC)
                    left -= closes - begin
            day += timedelta(days=1)
        raise ValueError(f"no working time within {MAX_DAYS} days of {start.isoformat()}")

    def between(self, start: datetime, end: datetime) -> float:
        """How many working hours lie between two moments (0 when ``end`` is not later)."""
        if end <= start:
            return 0.0
        a, b = start.astimezone(self._zone), end.astimezone(self._zone)
        total = timedelta(0)
        day, last = a.date(), b.date()
        while day <= last:
            for opens, closes in self.open_on(day):
                if min(closes, b) > max(opens, a):
                    total += min(closes, b) - max(opens, a)
            day += timedelta(days=1)
        return total.total_seconds() / 3600

