"""Typed, frozen values for the service catalogue (stations, windows, services, calendar).

Ids are stable keys stored in the database and carried in button payloads; labels are
bilingual ``Text`` values that may change freely without orphaning any data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Final, Literal

from bot.catalogue.errors import CatalogueIssue

__all__ = [
    "DEFAULT_HOURS",
    "DEFAULT_TIMEZONE",
    "PLACEHOLDER_MARKS",
    "SNIPPET_PLACEHOLDERS",
    "Calendar",
    "Catalogue",
    "Category",
    "Choice",
    "Closure",
    "Defaults",
    "Delivery",
    "OfficeHours",
    "Question",
    "QuestionType",
    "Service",
    "Snippet",
    "Span",
    "Station",
    "Text",
    "Tier",
    "Window",
    "Workday",
    "is_placeholder",
    "placeholders_in",
]

DEFAULT_TIMEZONE = "Asia/Shanghai"

# A value not known yet is written with one of these marks (上海市宝山区（地址待补充）,
# phone: 待补充): the file stays valid, `frontdoor check` lists each one as a warning.
PLACEHOLDER_MARKS: Final = ("待补充", "to be added")


def is_placeholder(value: str) -> bool:
    """Tell whether a value from the file is a marked placeholder, not the real thing."""
    folded = value.casefold()
    return any(mark in folded for mark in PLACEHOLDER_MARKS)

QuestionType = Literal["text", "number", "choice", "date"]
Delivery = Literal["request", "visit", "both"]


@dataclass(frozen=True, slots=True)
class Text:
    """A label in Chinese, optionally also in English."""

    zh: str
    en: str | None = None

    def get(self, lang: str) -> str:
        """Return the English text for ``"en"`` when there is one, the Chinese text otherwise."""
        if lang == "en" and self.en:
            return self.en
        return self.zh


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a choice question; ``id`` goes into button payloads."""

    id: str
    label: Text


@dataclass(frozen=True, slots=True)
class Question:
    """An extra question a service's request form asks after the common ones."""

    key: str
    prompt: Text
    type: QuestionType = "text"
    required: bool = True
    choices: tuple[Choice, ...] = ()

    def choice(self, choice_id: str) -> Choice | None:
        """Return the choice with this id, or None."""
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True, slots=True)
class Window:
    """A weekly reception window at a station, cut into bookable slots."""

    weekday: int  # 0 = Monday .. 6 = Sunday, as datetime.date.weekday()
    start: dt.time
    end: dt.time
    slot_minutes: int
    seats: int
    services: tuple[str, ...] = ()  # empty = every visit service offered at the station

    def slot_starts(self) -> list[dt.time]:
        """Return the start time of every slot, in order."""
        day = dt.date(2000, 1, 3)
        cursor = dt.datetime.combine(day, self.start)
        end = dt.datetime.combine(day, self.end)
        step = dt.timedelta(minutes=self.slot_minutes)
        starts: list[dt.time] = []
        while cursor + step <= end:
            starts.append(cursor.time())
            cursor += step
        return starts

    def accepts(self, service_id: str) -> bool:
        """Tell whether a booking for this service may take a seat in this window."""
        return not self.services or service_id in self.services


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one day, such as 09:00-11:30."""

    start: dt.time
    end: dt.time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """When a station's office is staffed, Monday to Friday; a day without spans is not.

    A make-up working day (调休) keeps the hours of the weekday it stands in for, and a
    closure keeps none: see ``Station.office_on``.
    """

    days: tuple[tuple[Span, ...], ...]  # index 0 = Monday .. 4 = Friday

    def on(self, weekday: int | None) -> tuple[Span, ...]:
        """The spans of a weekday (0 = Monday); none for None or a weekend day."""
        if weekday is None or not 0 <= weekday < len(self.days):
            return ()
        return self.days[weekday]


# What stations keep when neither they nor the catalogue's defaults say otherwise.
DEFAULT_HOURS: Final = OfficeHours(((Span(dt.time(9, 0), dt.time(17, 0)),),) * 5)


@dataclass(frozen=True, slots=True)
class Station:
    """A service direct station (服务直通站) in a park, or the bureau's own window."""

    id: str
    code: str  # 2-4 capital letters used in request references such as "BS-2611-0042"
    name: Text
    address: Text
    phone: str | None = None  # None: not in the file, or still a placeholder there
    hours: OfficeHours = DEFAULT_HOURS
    timezone: str = DEFAULT_TIMEZONE  # IANA name
    topic_id: int | None = None  # forum topic in the staff group, None = the group itself
    windows: tuple[Window, ...] = ()
    min_notice_minutes: int = 120
    horizon_days: int = 28
    cancel_cutoff_minutes: int = 120
    max_upcoming_bookings: int = 2

    def windows_on(self, weekday: int) -> tuple[Window, ...]:
        """Return the windows held on this weekday (0 = Monday), earliest first."""
        return tuple(sorted((w for w in self.windows if w.weekday == weekday), key=_start))

    def office_on(self, day: dt.date, calendar: Calendar) -> tuple[Span, ...]:
        """The office hours kept on this date: none when the calendar says it is not worked."""
        return self.hours.on(calendar.effective_weekday(day, self.id))


def _start(window: Window) -> dt.time:
    return window.start


@dataclass(frozen=True, slots=True)
class Category:
    """One area of the service list, such as 知识产权保护及利用."""

    id: str
    name: Text
    description: Text | None = None


@dataclass(frozen=True, slots=True)
class Service:
    """One item of the service list."""

    id: str
    category: str
    name: Text
    description: Text
    bring: tuple[Text, ...]
    delivery: Delivery
    stations: tuple[str, ...]  # resolved: every station when the file leaves it empty
    response_hours: float = 4.0  # first-response promise, in working hours
    form: tuple[Question, ...] = ()
    # Words companies use for it that its name and description do not (free-question search).
    keywords: tuple[str, ...] = ()
    # Free questions ("none of these, just ask") are filed as requests for this service.
    general: bool = False

    @property
    def bookable(self) -> bool:
        """Tell whether enterprises can book a window visit for this service."""
        return self.delivery in ("visit", "both")

    @property
    def requestable(self) -> bool:
        """Tell whether enterprises can file a written request for this service."""
        return self.delivery in ("request", "both")


# What a saved answer may say about the request it answers, filled in when it is sent.
SNIPPET_PLACEHOLDERS: Final = ("company", "reference", "station", "officer")
_PLACEHOLDER_RE: Final = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class Tier:
    """A grade of company on its growth record (分类分级): 一般企业, 成长型, 重点企业, …"""

    id: str
    name: Text
    emoji: str


EventKind = Literal["lecture", "briefing", "training"]


@dataclass(frozen=True, slots=True)
class Audience:
    """Whom an event is meant for: companies of these stations, tiers or interests (the
    categories of services they asked about); nothing listed = every company."""

    stations: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()

    @property
    def everyone(self) -> bool:
        return not (self.stations or self.categories or self.tiers)


@dataclass(frozen=True, slots=True)
class Event:
    """A lecture, policy briefing (宣贯会) or training companies sign up for.

    Times are aware datetimes in UTC; ``timezone`` is the zone they are shown in (the
    station's, or the catalogue's default for a venue elsewhere).
    """

    id: str
    kind: EventKind
    title: Text
    start: dt.datetime
    end: dt.datetime
    signup_deadline: dt.datetime
    capacity: int
    seats_per_company: int
    timezone: str
    station: str | None = None
    venue: Text | None = None
    description: Text | None = None
    audience: Audience = Audience()
    cancelled: bool = False

    @property
    def version(self) -> str:
        """What the companies signed up are told about when it changes: time, place, status."""
        venue = (self.venue.zh, self.venue.en or "") if self.venue else ("", "")
        basis = "|".join((self.start.isoformat(), self.end.isoformat(), self.station or "",
                          *venue, "cancelled" if self.cancelled else "on"))
        return hashlib.sha256(basis.encode()).hexdigest()[:16]


# The tiers when the file lists none; ``standard`` is every new company's tier.
DEFAULT_TIERS: Final = (
    Tier("standard", Text("一般企业", "Standard"), "⚪"),
    Tier("growth", Text("成长型", "Growth"), "🟢"),
    Tier("key", Text("重点企业", "Key enterprise"), "🔴"),
)


@dataclass(frozen=True, slots=True)
class Snippet:
    """An officers' saved answer (常用回复): typed as ``/s <keyword>`` in reply to a request."""

    id: str
    name: Text
    keywords: tuple[str, ...]  # as written; matched without regard to case
    text: Text
    # Where it applies: the services listed and every service of the categories listed;
    # both empty = every service.
    categories: tuple[str, ...] = ()
    services: tuple[str, ...] = ()

    def applies_to(self, service: Service | None) -> bool:
        """Tell whether the answer fits a request for this service."""
        if not self.categories and not self.services:
            return True
        return service is not None and (
            service.id in self.services or service.category in self.categories)

    def fill(self, lang: str, values: dict[str, str]) -> str:
        """The text in ``lang`` with each {placeholder} replaced by its value."""
        return _PLACEHOLDER_RE.sub(lambda m: values.get(m[1], m[0]), self.text.get(lang))


def placeholders_in(text: str) -> list[tuple[int, str]]:
    """Every {name} in a text, with where it starts."""
    return [(m.start(), m[1]) for m in _PLACEHOLDER_RE.finditer(text)]


@dataclass(frozen=True, slots=True)
class Closure:
    """A day on which windows are closed, at every station or at the ones listed."""

    date: dt.date
    stations: tuple[str, ...]  # empty = every station
    reason: Text

    def applies_to(self, station_id: str | None) -> bool:
        """Tell whether the closure covers this station (None: only closures of all stations)."""
        if not self.stations:
            return True
        return station_id is not None and station_id in self.stations


@dataclass(frozen=True, slots=True)
class Workday:
    """A Saturday or Sunday worked instead of a weekday (调休)."""

    date: dt.date
    replaces_weekday: int  # 0 = Monday .. 4 = Friday: whose windows open that day
    reason: Text


@dataclass(frozen=True, slots=True)
class Calendar:
    """Closures and make-up working days; every other Monday to Friday is a working day."""

    closures: tuple[Closure, ...] = ()
    workdays: tuple[Workday, ...] = ()
    _closures_by_date: dict[dt.date, tuple[Closure, ...]] = field(
        init=False, repr=False, compare=False, hash=False
    )
    _workdays_by_date: dict[dt.date, Workday] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        by_date: dict[dt.date, list[Closure]] = {}
        for closure in self.closures:
            by_date.setdefault(closure.date, []).append(closure)
        object.__setattr__(self, "_closures_by_date", {d: tuple(c) for d, c in by_date.items()})
        object.__setattr__(self, "_workdays_by_date", {w.date: w for w in self.workdays})

    def closed(self, d: dt.date, station_id: str | None = None) -> Closure | None:
        """Return the closure that shuts this station on this day, or None.

        With ``station_id=None`` only closures of every station count.
        """
        for closure in self._closures_by_date.get(d, ()):
            if closure.applies_to(station_id):
                return closure
        return None

    def workday(self, d: dt.date) -> Workday | None:
        """Return the make-up working day on this date, or None."""
        return self._workdays_by_date.get(d)

    def effective_weekday(self, d: dt.date, station_id: str | None = None) -> int | None:
        """Return the weekday whose windows open on this day, or None when it is not worked."""
        if self.closed(d, station_id) is not None:
            return None
        workday = self._workdays_by_date.get(d)
        if workday is not None:
            return workday.replaces_weekday
        weekday = d.weekday()
        return weekday if weekday < 5 else None

    def is_working_day(self, d: dt.date, station_id: str | None = None) -> bool:
        """Tell whether the day is worked: Monday to Friday unless closed, or a make-up day."""
        return self.effective_weekday(d, station_id) is not None


@dataclass(frozen=True, slots=True)
class Defaults:
    """Values every station and service takes unless it sets its own."""

    response_hours: float = 4.0
    timezone: str = DEFAULT_TIMEZONE
    hours: OfficeHours = DEFAULT_HOURS
    max_upcoming_bookings: int = 2
    min_notice_minutes: int = 120
    horizon_days: int = 28
    cancel_cutoff_minutes: int = 120
    hold_minutes: int = 30  # how long a slot is held while an enterprise confirms


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The whole validated catalogue; ``digest`` is the SHA-256 of the source text."""

    version: int
    defaults: Defaults
    stations: tuple[Station, ...]
    categories: tuple[Category, ...]
    services: tuple[Service, ...]
    calendar: Calendar
    source: str  # the file it was read from
    digest: str
    # What is valid but wants attention, such as placeholders still in the file.
    warnings: tuple[CatalogueIssue, ...] = field(default=(), compare=False)
    snippets: tuple[Snippet, ...] = ()
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    events: tuple[Event, ...] = ()
    _stations: dict[str, Station] = field(init=False, repr=False, compare=False, hash=False)
    _categories: dict[str, Category] = field(init=False, repr=False, compare=False, hash=False)
    _services: dict[str, Service] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_stations", {s.id: s for s in self.stations})
        object.__setattr__(self, "_categories", {c.id: c for c in self.categories})
        object.__setattr__(self, "_services", {s.id: s for s in self.services})

    def station(self, station_id: str) -> Station | None:
        """Return the station with this id, or None."""
        return self._stations.get(station_id)

    def category(self, category_id: str) -> Category | None:
        """Return the category with this id, or None."""
        return self._categories.get(category_id)

    def service(self, service_id: str) -> Service | None:
        """Return the service with this id, or None."""
        return self._services.get(service_id)

    def services_in(self, category_id: str) -> list[Service]:
        """Return the services of a category, in file order."""
        return [s for s in self.services if s.category == category_id]

    def services_at(self, station_id: str) -> list[Service]:
        """Return the services offered at a station, in file order."""
        return [s for s in self.services if station_id in s.stations]

    def stations_for(self, service_id: str) -> list[Station]:
        """Return the stations that offer a service, in file order."""
        service = self._services.get(service_id)
        if service is None:
            return []
        return [s for s in self.stations if s.id in service.stations]

    def tier(self, tier_id: str) -> Tier | None:
        """Return the tier with this id, or None."""
        return next((tier for tier in self.tiers if tier.id == tier_id), None)

    def snippets_for(self, service_id: str) -> list[Snippet]:
        """The saved answers that fit a request for this service, in file order."""
        service = self._services.get(service_id)
        return [s for s in self.snippets if s.applies_to(service)]

    def event(self, event_id: str) -> Event | None:
        """Return the event with this id, or None."""
        return next((e for e in self.events if e.id == event_id), None)

    def general_service(self) -> Service | None:
        """The service free questions are filed as (``general: true``), or None."""
        return next((s for s in self.services if s.general), None)
