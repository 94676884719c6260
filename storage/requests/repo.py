"""Requests, their threads and reference numbers; every state change is a conditional update.

Each change says which state it starts from (``WHERE status IN …``), so two people acting
at once can never both succeed: the database decides, and the loser is told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, false, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.core.sql import dialect_name, insert_ignore
from storage.requests.status import OPEN, WORKING, RequestStatus
from storage.tables import ReferenceSequence, Request, RequestEvent


@dataclass(frozen=True, slots=True)
class RequestDTO:
    id: int
    reference: str
    company_id: int
    station_id: str
    service_id: str
    status: str
    answers: dict[str, Any]
    description: str
    created_by: int
    claimed_by: int | None
    claimed_at: datetime | None
    owner_name: str | None
    card_outbox_id: int | None
    created_at: datetime
    updated_at: datetime
    due_at: datetime
    escalate_at: datetime
    queue_round: int
    announced: bool
    escalated: bool
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    rating: int | None
    rating_comment: str | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True, slots=True)
class EventDTO:
    id: int
    request_id: int
    kind: str
    side: str
    author_id: int | None
    author_name: str
    text: str
    file_id: str | None
    file_kind: str | None
    created_at: datetime


def request_dto(row: Any) -> RequestDTO:
    """From a model instance or a Core row of the requests table (same attribute names)."""
    return RequestDTO(
        id=row.id, reference=row.reference, company_id=row.company_id,
        station_id=row.station_id, service_id=row.service_id, status=row.status,
        answers=dict(row.answers or {}), description=row.description,
        created_by=row.created_by, claimed_by=row.claimed_by, claimed_at=row.claimed_at,
        owner_name=row.owner_name, card_outbox_id=row.card_outbox_id,
        created_at=row.created_at, updated_at=row.updated_at, due_at=row.due_at,
        escalate_at=row.escalate_at, queue_round=row.queue_round, announced=row.announced,
        escalated=row.escalated, first_response_at=row.first_response_at,
        resolved_at=row.resolved_at, closed_at=row.closed_at, rating=row.rating,
        rating_comment=row.rating_comment,
    )


def event_dto(row: RequestEvent) -> EventDTO:
    return EventDTO(
        id=row.id, request_id=row.request_id, kind=row.kind, side=row.side,
        author_id=row.author_id, author_name=row.author_name, text=row.text,
        file_id=row.file_id, file_kind=row.file_kind, created_at=row.created_at,
    )


# Read as plain Core rows: the card, the lists and every button press read requests.
_REQUESTS = Request.__table__
_REQUEST_BY_ID = select(_REQUESTS).where(Request.id == bindparam("id"))


class Requests:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    # -- creating ---------------------------------------------------------------------------
    async def next_number(self, station_code: str, yymm: str) -> int:
        """The next sequence number of a station's month, allocated by the database.

        The insert creates the month's row once (a concurrent twin does nothing); the
        increment then takes the row's lock, so two submissions never share a number.
        """
        await insert_ignore(self.s, ReferenceSequence,
                            {"station_code": station_code, "yymm": yymm, "last": 0})
        number = await self.s.scalar(
            update(ReferenceSequence)
            .where(ReferenceSequence.station_code == station_code,
                   ReferenceSequence.yymm == yymm)
            .values(last=ReferenceSequence.last + 1)
            .returning(ReferenceSequence.last)
        )
        assert number is not None
        return int(number)

    async def create(self, values: dict[str, Any]) -> RequestDTO:
        row = Request(
            **values, status=RequestStatus.SUBMITTED, queue_round=0, announced=False,
            escalated=False, updated_at=values["created_at"],
        )
        self.s.add(row)
        await self.s.flush()
        return request_dto(row)

    async def set_card(self, request_id: int, outbox_id: int | None) -> None:
        await self.s.execute(
            update(Request).where(Request.id == request_id).values(card_outbox_id=outbox_id)
        )

    # -- reading ----------------------------------------------------------------------------
    async def get(self, request_id: int) -> RequestDTO | None:
        row = (await self.s.execute(_REQUEST_BY_ID, {"id": request_id})).first()
        return request_dto(row) if row else None

    async def by_reference(self, reference: str) -> RequestDTO | None:
        row = await self.s.scalar(
            select(Request).where(Request.reference == reference.strip().upper())
        )
        return request_dto(row) if row else None

    async def _list(self, *where: ColumnElement[bool], newest_first: bool = True,
                    limit: int = 20) -> list[RequestDTO]:
        order = (Request.created_at.desc(), Request.id.desc()) if newest_first else (
            Request.created_at, Request.id)
        rows = await self.s.execute(
            select(_REQUESTS).where(*where).order_by(*order).limit(limit))
        return [request_dto(r) for r in rows]

    async def for_company(self, company_id: int, limit: int = 20) -> list[RequestDTO]:
        return await self._list(Request.company_id == company_id, limit=limit)

    async def for_companies(self, company_ids: Iterable[int], limit: int = 20) -> list[RequestDTO]:
        ids = list(company_ids)
        if not ids:
            return []
        return await self._list(Request.company_id.in_(ids), limit=limit)

    async def all_open(self, limit: int = 1000) -> list[RequestDTO]:
        """Every open request, oldest first (their cards go to a moved staff group)."""
        return await self._list(Request.status.in_(OPEN), newest_first=False, limit=limit)

    async def open_for_company(self, company_id: int) -> list[RequestDTO]:
        return await self._list(Request.company_id == company_id, Request.status.in_(OPEN),
                                limit=50)

    async def open_for_companies(self, company_ids: Iterable[int]) -> dict[int, list[RequestDTO]]:
        """Every open request of these companies, oldest first, by company: one query."""
        ids = sorted(set(company_ids))
        if not ids:
            return {}
        found: dict[int, list[RequestDTO]] = {}
        rows = await self.s.scalars(
            select(Request).where(Request.company_id.in_(ids), Request.status.in_(OPEN))
            .order_by(Request.created_at, Request.id)
        )
        for row in rows:
            found.setdefault(row.company_id, []).append(request_dto(row))
        return found

    async def open_of_company(self, request_id: int, company_id: int, *,
                              hold: bool = False) -> RequestDTO | None:
        """The request if it is this company's and open; ``hold`` keeps it open until commit.

        On PostgreSQL holding is a share lock: a concurrent resolve or withdraw waits for this
        transaction (SQLite's write transactions are serial already).
        """
        query = select(Request).where(
            Request.id == request_id, Request.company_id == company_id,
            Request.status.in_(OPEN))
        if hold and dialect_name(self.s) == "postgresql":
            query = query.with_for_update(read=True)
        row = await self.s.scalar(query.execution_options(populate_existing=True))
        return request_dto(row) if row else None

    async def queue(self, limit: int = 20) -> list[RequestDTO]:
        """Unclaimed requests, oldest first."""
        return await self._list(Request.status == RequestStatus.SUBMITTED, newest_first=False,
                                limit=limit)

    async def owned_by(self, user_id: int, limit: int = 30) -> list[RequestDTO]:
        return await self._list(Request.claimed_by == user_id, Request.status.in_(WORKING),
                                newest_first=False, limit=limit)

    async def due_announcements(self, now: datetime) -> list[RequestDTO]:
        return await self._list(Request.status == RequestStatus.SUBMITTED,
                                Request.announced == false(), Request.due_at <= now,
                                newest_first=False, limit=100)

    async def due_escalations(self, now: datetime) -> list[RequestDTO]:
        return await self._list(Request.status == RequestStatus.SUBMITTED,
                                Request.escalated == false(), Request.escalate_at <= now,
                                newest_first=False, limit=100)

    async def due_closing(self, resolved_before: datetime) -> list[RequestDTO]:
        return await self._list(Request.status == RequestStatus.RESOLVED,
                                Request.resolved_at <= resolved_before,
                                newest_first=False, limit=100)

    async def anything_due(self, now: datetime, resolved_before: datetime) -> bool:
        """Is any reminder, escalation or automatic closing due? (One cheap query.)

        The earliest moment of each kind, each read off the end of its index: the cost
        stays the same however many requests are waiting, and a planner misjudging how many
        rows an OR would match (PostgreSQL does) has nothing to misjudge.
        """
        def earliest(column: Any, *where: ColumnElement[bool]) -> Any:
            return select(func.min(column)).where(*where).scalar_subquery()

        announce, escalate, close = (await self.s.execute(select(
            earliest(Request.due_at, Request.status == RequestStatus.SUBMITTED,
                     Request.announced == false()),
            earliest(Request.escalate_at, Request.status == RequestStatus.SUBMITTED,
                     Request.escalated == false()),
            earliest(Request.resolved_at, Request.status == RequestStatus.RESOLVED),
        ))).one()
        return bool((announce is not None and announce <= now)
                    or (escalate is not None and escalate <= now)
                    or (close is not None and close <= resolved_before))

    async def officers(self, limit: int = 20) -> list[tuple[int, str]]:
        """People who have owned a request: the candidates for a transfer."""
        rows = await self.s.execute(
            select(Request.claimed_by, func.max(Request.owner_name))
            .where(Request.claimed_by.is_not(None))
            .group_by(Request.claimed_by)
            .order_by(func.max(Request.owner_name))
            .limit(limit)
        )
        return [(int(uid), name or str(uid)) for uid, name in rows if uid is not None]

    # -- changing ---------------------------------------------------------------------------
    async def change(self, request_id: int, when: Iterable[ColumnElement[bool]],
                     values: dict[str, Any]) -> bool:
        """Apply ``values`` only while every condition in ``when`` holds; True if it did."""
        changed = await self.s.scalar(
            update(Request)
            .where(Request.id == request_id, *when)
            .values(**values)
            .returning(Request.id)
        )
        return changed is not None

    async def claim(self, request_id: int, user_id: int, name: str, now: datetime) -> bool:
        """Take an unclaimed request: exactly one of any number of simultaneous presses wins."""
        return await self.change(
            request_id, [Request.claimed_by.is_(None), Request.status == RequestStatus.SUBMITTED],
            {"claimed_by": user_id, "owner_name": name[:128], "claimed_at": now,
             "status": RequestStatus.CLAIMED, "updated_at": now},
        )

    def _owner(self, by: int | None) -> list[ColumnElement[bool]]:
        """Only the owner may act, unless ``by`` is None (an admin acting for anyone)."""
        return [Request.status.in_(WORKING)] + (
            [Request.claimed_by == by] if by is not None else [])

    def _requeue(self, now: datetime, due: datetime, escalate: datetime) -> dict[str, Any]:
        return {
            "claimed_by": None, "owner_name": None, "claimed_at": None,
            "status": RequestStatus.SUBMITTED,
            "queue_round": Request.queue_round + 1, "announced": False, "escalated": False,
            "due_at": due, "escalate_at": escalate, "updated_at": now,
        }

    async def unclaim(self, request_id: int, by: int | None, now: datetime, due: datetime,
                      escalate: datetime) -> bool:
        return await self.change(request_id, self._owner(by), self._requeue(now, due, escalate))

    async def move_to_station(self, request_id: int, by: int | None, station_id: str,
                              now: datetime, due: datetime, escalate: datetime) -> bool:
        return await self.change(request_id, self._owner(by),
                                 {**self._requeue(now, due, escalate), "station_id": station_id})

    async def reassign(self, request_id: int, by: int | None, to_user: int, name: str,
                       now: datetime) -> bool:
        return await self.change(request_id, self._owner(by), {
            "claimed_by": to_user, "owner_name": name[:128], "claimed_at": now,
            "updated_at": now,
        })

    async def resolve(self, request_id: int, by: int | None, now: datetime) -> bool:
        return await self.change(request_id, self._owner(by), {
            "status": RequestStatus.RESOLVED, "resolved_at": now, "updated_at": now,
        })

    async def withdraw(self, request_id: int, company_id: int, now: datetime) -> bool:
        """Withdraw while nobody has claimed it; a claim committed first wins."""
        return await self.change(request_id, [
            Request.company_id == company_id, Request.status == RequestStatus.SUBMITTED,
            Request.claimed_by.is_(None),
        ], {"status": RequestStatus.WITHDRAWN, "closed_at": now, "updated_at": now})

    async def reopen(self, request_id: int, company_id: int, resolved_after: datetime,
                     now: datetime) -> bool:
        return await self.change(request_id, [
            Request.company_id == company_id, Request.status == RequestStatus.RESOLVED,
            Request.resolved_at > resolved_after,
        ], {"status": RequestStatus.CLAIMED, "resolved_at": None, "updated_at": now})

    async def reopen_by_staff(self, request_id: int, by: int | None, now: datetime) -> bool:
        """The officer who resolved it (``by``; None: anyone, for an admin) takes it up again,
        before the company rated it."""
        where = [Request.status == RequestStatus.RESOLVED]
        if by is not None:
            where.append(Request.claimed_by == by)
        return await self.change(request_id, where, {
            "status": RequestStatus.CLAIMED, "resolved_at": None, "updated_at": now})

    async def rate(self, request_id: int, company_id: int, rating: int, now: datetime) -> bool:
        return await self.change(request_id, [
            Request.company_id == company_id, Request.status == RequestStatus.RESOLVED,
            Request.rating.is_(None),
        ], {"status": RequestStatus.CLOSED, "rating": rating, "closed_at": now, "updated_at": now})

    async def comment(self, request_id: int, company_id: int, comment: str,
                      now: datetime) -> bool:
        return await self.change(request_id, [
            Request.company_id == company_id, Request.rating.is_not(None),
            Request.rating_comment.is_(None),
        ], {"rating_comment": comment, "updated_at": now})

    async def close_expired(self, request_id: int, resolved_before: datetime,
                            now: datetime) -> bool:
        return await self.change(request_id, [
            Request.status == RequestStatus.RESOLVED, Request.resolved_at <= resolved_before,
        ], {"status": RequestStatus.CLOSED, "closed_at": now, "updated_at": now})

    async def mark_announced(self, request_id: int, queue_round: int) -> bool:
        return await self.change(request_id, [
            Request.status == RequestStatus.SUBMITTED, Request.announced == false(),
            Request.queue_round == queue_round,
        ], {"announced": True})

    async def mark_escalated(self, request_id: int, queue_round: int) -> bool:
        return await self.change(request_id, [
            Request.status == RequestStatus.SUBMITTED, Request.escalated == false(),
            Request.queue_round == queue_round,
        ], {"escalated": True})

    async def staff_answered(self, request_id: int, now: datetime) -> None:
        """The officer wrote to the enterprise: the ball is in the enterprise's court."""
        await self.change(request_id, [Request.first_response_at.is_(None)],
                          {"first_response_at": now})
        await self.change(request_id, [Request.status == RequestStatus.CLAIMED],
                          {"status": RequestStatus.WAITING, "updated_at": now})

    async def enterprise_answered(self, request_id: int, now: datetime) -> None:
        await self.change(request_id, [Request.status == RequestStatus.WAITING],
                          {"status": RequestStatus.CLAIMED, "updated_at": now})

    async def add_event(
        self, request_id: int, kind: str, side: str, now: datetime, *, text: str = "",
        author_id: int | None = None, author_name: str = "", file_id: str | None = None,
        file_kind: str | None = None, source_message_id: int | None = None,
    ) -> None:
        self.s.add(RequestEvent(
            request_id=request_id, kind=kind, side=side, author_id=author_id,
            author_name=author_name[:128], text=text, file_id=file_id, file_kind=file_kind,
            created_at=now, source_message_id=source_message_id,
        ))
        await self.s.flush()

    async def mark_recalled(self, request_id: int, source_message_id: int) -> bool:
        """The officer took a relayed reply back: it leaves the company's view of the thread
        and stays in the staff history, marked. True if there was such a reply."""
        result = await self.s.execute(
            update(RequestEvent)
            .where(RequestEvent.request_id == request_id,
                   RequestEvent.source_message_id == source_message_id,
                   RequestEvent.side == "staff",
                   RequestEvent.kind.in_(("message", "attachment")))
            .values(kind="recalled")
        )
        return bool(getattr(result, "rowcount", 0))

    async def company_messages_since(self, company_id: int, since: datetime) -> int:
        """How many text messages the company's people wrote on its requests since ``since``."""
        count = await self.s.scalar(
            select(func.count()).select_from(RequestEvent)
            .join(Request, Request.id == RequestEvent.request_id)
            .where(Request.company_id == company_id, RequestEvent.side == "enterprise",
                   RequestEvent.kind == "message", RequestEvent.created_at >= since))
        return int(count or 0)

    async def events(self, request_id: int, *, kinds: Iterable[str] | None = None,
                     side: str | None = None, before: datetime | None = None) -> list[EventDTO]:
        stmt = select(RequestEvent).where(RequestEvent.request_id == request_id)
        if kinds is not None:
            stmt = stmt.where(RequestEvent.kind.in_(list(kinds)))
        if side is not None:
            stmt = stmt.where(RequestEvent.side == side)
        if before is not None:
            stmt = stmt.where(RequestEvent.created_at <= before)
        rows = await self.s.scalars(stmt.order_by(RequestEvent.id))
        return [event_dto(r) for r in rows]

