"""The numbers of a report, asked of the database as aggregates (definitions: docs/reports.md).

A report covers a range of local dates; each station's part of it is a UTC range of its own
(its time zone), so every query takes a list of :class:`Span` values and ORs them.
Counts and breakdowns come back as a few grouped rows; what needs the catalogue's working
calendar (hours between two moments) comes back as narrow rows, one per request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables import (
    Booking,
    Company,
    FollowUp,
    Request,
    RequestEvent,
    SnippetUse,
)
from storage.visits.status import BookingStatus

# A first-response deadline lies at most this long after submission (a 4-hour promise made
# before a week-long holiday): requests submitted earlier cannot have a deadline in the period.
DEADLINE_LOOKBACK = timedelta(days=31)
# Visits that held a seat (docs/reports.md, "booked").
BOOKED = (BookingStatus.CONFIRMED, BookingStatus.PENDING_APPROVAL, BookingStatus.ARRIVED,
          BookingStatus.NO_SHOW)
# Staff events that are a response the company saw: a claim, a relayed message or file
# (recalled ones included: they reached the company). Internal notes are not.
RELAYED_KINDS = ("message", "attachment", "recalled")
# Rows fetched at a time when a report reads one row per request or visit: a month of a
# hundred thousand requests never sits in memory at once (a server-side cursor on
# PostgreSQL), and SQLite, which runs on the event loop's thread, hands it back between
# batches.
BATCH = 1000


@dataclass(frozen=True, slots=True)
class Span:
    """Some stations' part of a report: ``[start, end)`` in UTC.

    ``others`` turns ``stations`` into the stations *not* listed (those no longer in the
    catalogue, counted in the bureau's time zone).
    """

    stations: tuple[str, ...]
    start: datetime
    end: datetime
    others: bool = False


@dataclass(frozen=True, slots=True)
class CountRow:
    station_id: str
    service_id: str
    officer_id: int | None
    officer_name: str | None
    count: int


@dataclass(frozen=True, slots=True)
class Timing:
    """One request's moments, for working-hours arithmetic."""

    id: int
    station_id: str
    service_id: str
    created_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    status: str
    reference: str


@dataclass(frozen=True, slots=True)
class BadRating:
    reference: str
    station_id: str
    company: str
    officer_name: str | None
    rating: int
    comment: str | None
    rated_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReturnVisit:
    """A 差评 of the period and its 回访 (``status`` None: none was opened, e.g. rated
    before 回访 existed)."""

    reference: str
    rating: int
    comment: str | None
    status: str | None
    outcome: str | None


@dataclass(frozen=True, slots=True)
class RequestRow:
    """One request as the workbook lists it."""

    id: int
    reference: str
    company: str
    credit_code: str
    station_id: str
    service_id: str
    status: str
    created_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    officer_name: str | None
    rating: int | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class VisitRow:
    id: int
    company: str
    credit_code: str
    station_id: str
    service_id: str | None
    starts_at: datetime
    ends_at: datetime
    status: str
    request_reference: str | None


def _station(column: Any, span: Span) -> ColumnElement[bool]:
    station: ColumnElement[str] = column
    if span.others:
        return station.not_in(span.stations) if span.stations else station.is_not(None)
    return station.in_(span.stations)


def within(station: Any, moment: Any,
           spans: Sequence[Span]) -> ColumnElement[bool]:
    """``moment`` lies in the span of its row's station."""
    return or_(false(), *(and_(_station(station, s), moment >= s.start, moment < s.end)
                          for s in spans))


def before_end(station: Any, spans: Sequence[Span],
               moment: Any, *, shift: timedelta = timedelta(0),
               ) -> ColumnElement[bool]:
    """``moment`` lies in ``[start - shift, end)`` of its station's span."""
    return or_(false(), *(and_(_station(station, s), moment >= s.start - shift,
                               moment < s.end) for s in spans))


def first_response_at(request_id: Any) -> Any:
    """The row's request's first claim or relayed officer message (the database's MIN),
    found through the thread's index: a report reads its own requests' threads, not every
    thread in the history."""
    e = RequestEvent
    response = and_(e.side == "staff", or_(
        and_(e.kind == "status", e.text == "claimed"), e.kind.in_(RELAYED_KINDS)))
    return (select(func.min(e.created_at)).where(e.request_id == request_id, response)
            .scalar_subquery())


class Reports:
    """Read-only: every query a report asks, over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def _counts(self, where: ColumnElement[bool], *, by_officer: bool) -> list[CountRow]:
        r = Request
        officer = [r.claimed_by, r.owner_name] if by_officer else []
        stmt = (select(r.station_id, r.service_id, *officer, func.count())
                .where(where).group_by(r.station_id, r.service_id, *officer))
        out = []
        row: Any
        for row in await self.s.execute(stmt):
            if by_officer:
                out.append(CountRow(row[0], row[1], row[2], row[3], int(row[4])))
            else:
                out.append(CountRow(row[0], row[1], None, None, int(row[2])))
        return out

    async def received(self, spans: Sequence[Span]) -> list[CountRow]:
        return await self._counts(within(Request.station_id, Request.created_at, spans),
                                  by_officer=False)

    async def resolved(self, spans: Sequence[Span]) -> list[CountRow]:
        return await self._counts(within(Request.station_id, Request.resolved_at, spans),
                                  by_officer=True)

    async def open_at_end(self, spans: Sequence[Span]) -> list[CountRow]:
        r = Request
        clauses = [
            and_(_station(r.station_id, s), r.created_at < s.end,
                 or_(r.resolved_at.is_(None), r.resolved_at >= s.end),
                 or_(r.closed_at.is_(None), r.closed_at >= s.end))
            for s in spans
        ]
        return await self._counts(or_(false(), *clauses), by_officer=True)

    async def rating_counts(self, spans: Sequence[Span]) -> dict[tuple[str, int], int]:
        """(station, rating) → how many ratings given in the period."""
        r = Request
        stmt = (select(r.station_id, r.rating, func.count())
                .where(r.rating.is_not(None), within(r.station_id, r.closed_at, spans))
                .group_by(r.station_id, r.rating))
        return {(row[0], int(row[1] or 0)): int(row[2]) for row in await self.s.execute(stmt)}

    async def bad_ratings(self, spans: Sequence[Span], worst: int = 2) -> list[BadRating]:
        r, c = Request, Company
        stmt = (select(r.reference, r.station_id, c.name, r.owner_name, r.rating,
                       r.rating_comment, r.closed_at)
                .join(c, c.id == r.company_id)
                .where(r.rating <= worst, within(r.station_id, r.closed_at, spans))
                .order_by(r.closed_at, r.id))
        return [BadRating(row[0], row[1], row[2], row[3], int(row[4] or 0), row[5], row[6])
                for row in await self.s.execute(stmt)]

    async def return_visits(self, spans: Sequence[Span], worst: int = 2) -> list[ReturnVisit]:
        """The period's 差评 (rated ``worst`` stars or fewer, by the rating's moment), each
        with the follow-up opened about it, oldest rating first."""
        r, f = Request, FollowUp
        first = (select(f.request_id, func.min(f.id).label("id"))
                 .where(f.request_id.is_not(None)).group_by(f.request_id).subquery())
        stmt = (select(r.reference, r.rating, r.rating_comment, f.status, f.outcome)
                .outerjoin(first, first.c.request_id == r.id)
                .outerjoin(f, f.id == first.c.id)
                .where(r.rating <= worst, within(r.station_id, r.closed_at, spans))
                .order_by(r.closed_at, r.id))
        return [ReturnVisit(row[0], int(row[1] or 0), row[2], row[3], row[4])
                for row in await self.s.execute(stmt)]

    async def snippet_uses(self, spans: Sequence[Span]) -> dict[str, int]:
        """How many times each saved answer was sent in the period, on the stations' requests.

        A use whose request is gone (forgotten at the company's wish) has no station: only
        the report of every station counts it.
        """
        u = SnippetUse
        station = func.coalesce(Request.station_id, "")
        rows = await self.s.execute(
            select(u.snippet_id, func.count()).outerjoin(Request, Request.id == u.request_id)
            .where(within(station, u.used_at, spans)).group_by(u.snippet_id))
        return {snippet_id: int(n) for snippet_id, n in rows.all()}

    async def _stream(self, stmt: Any) -> AsyncIterator[Any]:
        """The statement's rows, fetched ``BATCH`` at a time (on the session's connection:
        plain rows, without the ORM's loading of each one)."""
        result = await (await self.s.connection()).stream(stmt)
        async for batch in result.partitions(BATCH):
            for row in batch:
                yield row

    async def _timings(self, where: ColumnElement[bool]) -> AsyncIterator[Timing]:
        r = Request
        stmt = (select(r.id, r.station_id, r.service_id, r.created_at, first_response_at(r.id),
                       r.resolved_at, r.status, r.reference)
                .where(where).order_by(r.id))
        async for row in self._stream(stmt):
            yield Timing(*row)

    def submitted_timings(self, spans: Sequence[Span]) -> AsyncIterator[Timing]:
        """Requests submitted in the period, or early enough for their first-response
        deadline to fall in it."""
        return self._timings(before_end(Request.station_id, spans, Request.created_at,
                                        shift=DEADLINE_LOOKBACK))

    def resolved_timings(self, spans: Sequence[Span]) -> AsyncIterator[Timing]:
        return self._timings(within(Request.station_id, Request.resolved_at, spans))

    async def request_rows(self, spans: Sequence[Span]) -> AsyncIterator[RequestRow]:
        """Every request submitted or resolved in the period, oldest first, for the sheet."""
        r, c = Request, Company
        stmt = (select(r.id, r.reference, c.name, c.credit_code, r.station_id, r.service_id,
                       r.status, r.created_at, first_response_at(r.id), r.resolved_at,
                       r.closed_at, r.owner_name, r.rating, r.rating_comment)
                .join(c, c.id == r.company_id)
                .where(or_(within(r.station_id, r.created_at, spans),
                           within(r.station_id, r.resolved_at, spans)))
                .order_by(r.created_at, r.id))
        async for row in self._stream(stmt):
            yield RequestRow(*row)

    async def seats_booked(self, spans: Sequence[Span]) -> dict[tuple[str, datetime, str], int]:
        """(station, slot start, status) → visits, for visits that held a seat."""
        b = Booking
        stmt = (select(b.station_id, b.starts_at, b.status, func.count())
                .where(b.status.in_(BOOKED), within(b.station_id, b.starts_at, spans))
                .group_by(b.station_id, b.starts_at, b.status))
        return {(row[0], row[1], row[2]): int(row[3]) for row in await self.s.execute(stmt)}

    async def visit_rows(self, spans: Sequence[Span]) -> AsyncIterator[VisitRow]:
        b, c, r = Booking, Company, Request
        stmt = (select(b.id, c.name, c.credit_code, b.station_id, b.service_id, b.starts_at,
                       b.ends_at, b.status, r.reference)
                .join(c, c.id == b.company_id).outerjoin(r, r.id == b.request_id)
                .where(within(b.station_id, b.starts_at, spans))
                .order_by(b.starts_at, b.id))
        async for row in self._stream(stmt):
            yield VisitRow(*row)

    async def new_companies(self, spans: Sequence[Span]) -> dict[str, int]:
        c = Company
        stmt = (select(c.station_id, func.count())
                .where(within(c.station_id, c.created_at, spans)).group_by(c.station_id))
        return {row[0]: int(row[1]) for row in await self.s.execute(stmt)}

    async def attendance(self, spans: Sequence[Span]) -> dict[str, tuple[int, int, int]]:
        """station → (booked, attended, no-shows), counted by the database."""
        b = Booking
        stmt = (select(
            b.station_id, func.count(),
            func.sum(case((b.status == BookingStatus.ARRIVED, 1), else_=0)),
            func.sum(case((b.status == BookingStatus.NO_SHOW, 1), else_=0)),
        ).where(b.status.in_(BOOKED), within(b.station_id, b.starts_at, spans))
            .group_by(b.station_id))
        return {row[0]: (int(row[1]), int(row[2] or 0), int(row[3] or 0))
                for row in await self.s.execute(stmt)}
