"""The timeline (written by every feature), tags, follow-ups, and what a company received."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.companies.models import Company
from storage.core.sql import insert_ignore
from storage.records.models import CompanyTag, FollowUp, TimelineEntry
from storage.requests.models import Request
from storage.requests.status import OPEN, RequestStatus
from storage.visits.models import Booking
from storage.visits.status import LIVE, BookingStatus

SHARED, STAFF = "shared", "staff"
OPEN_FOLLOW_UP, DONE_FOLLOW_UP = "open", "done"


@dataclass(frozen=True, slots=True)
class EntryDTO:
    id: int
    company_id: int
    kind: str
    at: datetime
    actor_id: int | None
    actor_name: str
    text: str
    ref_kind: str | None
    ref_id: int | None
    visibility: str


@dataclass(frozen=True, slots=True)
class FollowUpDTO:
    id: int
    company_id: int
    officer_id: int | None
    officer_name: str
    due_on: date
    text: str
    status: str
    created_at: datetime
    done_at: datetime | None
    escalated_at: datetime | None
    request_id: int | None = None
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class Received:
    """What a company has had from the stations, and what is still open, in counts."""

    resolved: int
    attended: int
    open_requests: int
    upcoming_visits: int


def _entry(r: TimelineEntry) -> EntryDTO:
    return EntryDTO(r.id, r.company_id, r.kind, r.at, r.actor_id, r.actor_name, r.text,
                    r.ref_kind, r.ref_id, r.visibility)


def _follow_up(r: FollowUp) -> FollowUpDTO:
    return FollowUpDTO(r.id, r.company_id, r.officer_id, r.officer_name, r.due_on, r.text,
                       r.status, r.created_at, r.done_at, r.escalated_at, r.request_id,
                       r.outcome)


class Timeline:
    """The one way anything goes on a company's record."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, company_id: int, kind: str, at: datetime, *, text: str = "",
                  actor_id: int | None = None, actor_name: str = "",
                  ref: tuple[str, int] | None = None, staff_only: bool = False) -> None:
        self.s.add(TimelineEntry(
            company_id=company_id, kind=kind[:32], at=at, actor_id=actor_id,
            actor_name=actor_name[:128], text=text[:2000],
            ref_kind=ref[0] if ref else None, ref_id=ref[1] if ref else None,
            visibility=STAFF if staff_only else SHARED))
        await self.s.flush()

    async def page(self, company_id: int, *, offset: int, limit: int,
                   staff: bool) -> tuple[list[EntryDTO], int]:
        """Newest first: one page of the company's entries, and how many there are in all."""
        where = [TimelineEntry.company_id == company_id]
        if not staff:
            where.append(TimelineEntry.visibility == SHARED)
        total = await self.s.scalar(select(func.count()).select_from(TimelineEntry).where(*where))
        rows = await self.s.scalars(
            select(TimelineEntry).where(*where)
            .order_by(TimelineEntry.at.desc(), TimelineEntry.id.desc())
            .offset(offset).limit(limit))
        return [_entry(r) for r in rows], int(total or 0)

    async def all(self, company_id: int, *, staff: bool, limit: int = 5000) -> list[EntryDTO]:
        entries, _ = await self.page(company_id, offset=0, limit=limit, staff=staff)
        return entries


class Records:
    """Tags, follow-ups, and the counts a record shows."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    # -- tags ---------------------------------------------------------------------------------
    async def tags(self, company_id: int) -> list[str]:
        rows = await self.s.scalars(select(CompanyTag.tag).where(
            CompanyTag.company_id == company_id).order_by(CompanyTag.added_at, CompanyTag.tag))
        return list(rows)

    async def add_tag(self, company_id: int, tag: str, by: int | None, now: datetime) -> bool:
        """True when the tag is new on this company."""
        return await insert_ignore(self.s, CompanyTag, {
            "company_id": company_id, "tag": tag, "added_at": now, "added_by": by})

    async def remove_tag(self, company_id: int, tag: str) -> bool:
        result = await self.s.execute(delete(CompanyTag).where(
            CompanyTag.company_id == company_id, CompanyTag.tag == tag))
        return bool(getattr(result, "rowcount", 0))

    # -- follow-ups ---------------------------------------------------------------------------
    async def add_follow_up(self, company_id: int, officer_id: int | None, officer_name: str,
                            due_on: date, text: str, now: datetime, *,
                            request_id: int | None = None) -> FollowUpDTO:
        row = FollowUp(company_id=company_id, officer_id=officer_id,
                       officer_name=officer_name[:128], due_on=due_on, text=text[:500],
                       status=OPEN_FOLLOW_UP, created_at=now, request_id=request_id)
        self.s.add(row)
        await self.s.flush()
        return _follow_up(row)

    async def follow_up_for_request(self, request_id: int) -> FollowUpDTO | None:
        """The 差评回访 opened for a request, if any (the first, should there be more)."""
        row = await self.s.scalar(select(FollowUp).where(FollowUp.request_id == request_id)
                                  .order_by(FollowUp.id).limit(1))
        return _follow_up(row) if row else None

    async def retext(self, follow_up_id: int, text: str) -> bool:
        """Change an open follow-up's text (a 回访 gains the company's comment)."""
        result = await self.s.execute(update(FollowUp).where(
            FollowUp.id == follow_up_id, FollowUp.status == OPEN_FOLLOW_UP).values(text=text[:500]))
        return bool(getattr(result, "rowcount", 0))

    async def follow_up(self, follow_up_id: int) -> FollowUpDTO | None:
        row = await self.s.get(FollowUp, follow_up_id)
        return _follow_up(row) if row else None

    async def _follow_ups(self, *where: ColumnElement[bool],
                          limit: int = 50) -> list[FollowUpDTO]:
        rows = await self.s.scalars(select(FollowUp).where(*where)
                                    .order_by(FollowUp.due_on, FollowUp.id).limit(limit))
        return [_follow_up(r) for r in rows]

    async def due_for_officer(self, officer_id: int, day: date) -> list[FollowUpDTO]:
        """An officer's open follow-ups due on ``day`` or before it."""
        return await self._follow_ups(FollowUp.officer_id == officer_id,
                                      FollowUp.status == OPEN_FOLLOW_UP, FollowUp.due_on <= day)

    async def due_for_station(self, station_id: str, day: date) -> list[FollowUpDTO]:
        """Open follow-ups due on ``day`` or before it, on the station's companies, and the
        回访 of requests the station handled (a company may ask another station)."""
        companies = select(Company.id).where(Company.station_id == station_id)
        requests = select(Request.id).where(Request.station_id == station_id)
        here = or_(
            and_(FollowUp.request_id.is_(None), FollowUp.company_id.in_(companies)),
            FollowUp.request_id.in_(requests),
        )
        return await self._follow_ups(here, FollowUp.status == OPEN_FOLLOW_UP,
                                      FollowUp.due_on <= day)

    async def open_follow_ups(self, company_id: int) -> list[FollowUpDTO]:
        return await self._follow_ups(FollowUp.company_id == company_id,
                                      FollowUp.status == OPEN_FOLLOW_UP)

    async def overdue(self, before: date) -> list[FollowUpDTO]:
        """Open follow-ups whose day passed before ``before`` and that nobody escalated."""
        return await self._follow_ups(FollowUp.status == OPEN_FOLLOW_UP,
                                      FollowUp.escalated_at.is_(None), FollowUp.due_on < before,
                                      limit=100)

    async def mark_escalated(self, follow_up_id: int, now: datetime) -> bool:
        result = await self.s.execute(update(FollowUp).where(
            FollowUp.id == follow_up_id, FollowUp.status == OPEN_FOLLOW_UP,
            FollowUp.escalated_at.is_(None)).values(escalated_at=now))
        return bool(getattr(result, "rowcount", 0))

    async def finish(self, follow_up_id: int, now: datetime,
                     outcome: str | None = None) -> bool:
        result = await self.s.execute(update(FollowUp).where(
            FollowUp.id == follow_up_id, FollowUp.status == OPEN_FOLLOW_UP)
            .values(status=DONE_FOLLOW_UP, done_at=now, outcome=outcome))
        return bool(getattr(result, "rowcount", 0))

    async def move(self, follow_up_id: int, seen_day: date, to: date) -> bool:
        """Move an open follow-up still due on the day it was seen with (so a second press
        changes nothing more) to ``to``; it may be escalated again when that day passes."""
        result = await self.s.execute(update(FollowUp).where(
            FollowUp.id == follow_up_id, FollowUp.status == OPEN_FOLLOW_UP,
            FollowUp.due_on == seen_day).values(due_on=to, escalated_at=None))
        return bool(getattr(result, "rowcount", 0))

    # -- what a company received ----------------------------------------------------------------
    async def received(self, company_id: int, now: datetime) -> Received:
        s = self.s
        resolved = await s.scalar(select(func.count()).select_from(Request).where(
            Request.company_id == company_id,
            Request.status.in_((RequestStatus.RESOLVED, RequestStatus.CLOSED))))
        open_requests = await s.scalar(select(func.count()).select_from(Request).where(
            Request.company_id == company_id, Request.status.in_(OPEN)))
        attended = await s.scalar(select(func.count()).select_from(Booking).where(
            Booking.company_id == company_id, Booking.status == BookingStatus.ARRIVED))
        upcoming = await s.scalar(select(func.count()).select_from(Booking).where(
            Booking.company_id == company_id, Booking.status.in_(LIVE),
            Booking.starts_at >= now))
        return Received(int(resolved or 0), int(attended or 0), int(open_requests or 0),
                        int(upcoming or 0))

    # -- forgetting ---------------------------------------------------------------------------
    async def forget_person(self, user_id: int) -> None:
        await self.s.execute(update(TimelineEntry).where(TimelineEntry.actor_id == user_id)
                             .values(actor_id=None, actor_name=""))
        await self.s.execute(update(FollowUp).where(FollowUp.officer_id == user_id)
                             .values(officer_id=None, officer_name=""))
