"""Forgetting a person, purging what is past its retention, and the audit log of both."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.companies.models import Company, JoinRequest
from storage.core.models import Dialog, MessageRef, OutboxMessage, User
from storage.core.repos import Updates
from storage.events.repo import Registrations
from storage.notices.repo import Notices
from storage.privacy.models import AuditEntry
from storage.records.repo import Records
from storage.requests.models import Request, RequestEvent, SnippetUse
from storage.requests.status import RequestStatus
from storage.visits.models import Booking, BookingWait

PURGED: dict[str, Any] = {"purged": True}


@dataclass(frozen=True, slots=True)
class AuditDTO:
    at: datetime
    actor_id: int | None
    action: str
    company_id: int | None
    detail: str


@dataclass(frozen=True, slots=True)
class Purged:
    outbox: int
    dialogs: int
    events: int


def _rows(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class Privacy:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def record(self, at: datetime, action: str, *, actor_id: int | None = None,
                     company_id: int | None = None, detail: str = "") -> None:
        self.s.add(AuditEntry(at=at, actor_id=actor_id, action=action, company_id=company_id,
                              detail=detail[:500]))
        await self.s.flush()

    async def recent(self, limit: int = 20) -> list[AuditDTO]:
        rows = await self.s.scalars(
            select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit))
        return [AuditDTO(r.at, r.actor_id, r.action, r.company_id, r.detail) for r in rows]

    async def forget_person(self, user_id: int) -> None:
        """Erase a person: their name, their Telegram identity, what they were typing, the
        messages the bot sent them. What their company did stays, without their name."""
        s = self.s
        await s.execute(delete(Dialog).where(Dialog.user_id == user_id))
        await s.execute(delete(MessageRef).where(MessageRef.chat_id == user_id))
        await s.execute(update(OutboxMessage).where(OutboxMessage.chat_id == user_id)
                        .values(payload=PURGED, chat_id=0, error=None))
        await s.execute(update(RequestEvent).where(RequestEvent.author_id == user_id)
                        .values(author_id=None, author_name=""))
        await s.execute(update(Request).where(Request.created_by == user_id)
                        .values(created_by=0))
        await s.execute(update(SnippetUse).where(SnippetUse.officer_id == user_id)
                        .values(officer_id=None))
        await s.execute(update(Booking).where(Booking.user_id == user_id).values(user_id=0))
        await s.execute(update(BookingWait).where(BookingWait.user_id == user_id)
                        .values(user_id=0))
        await s.execute(delete(JoinRequest).where(JoinRequest.user_id == user_id))
        await Updates(s).forget_answers()
        await Records(s).forget_person(user_id)
        await Registrations(s).forget_person(user_id)
        await Notices(s).forget_person(user_id)
        await s.execute(delete(User).where(User.id == user_id))
        # The log keeps that it happened, not who it was.
        await s.execute(update(AuditEntry).where(AuditEntry.actor_id == user_id)
                        .values(actor_id=None))
        await s.execute(update(AuditEntry).where(AuditEntry.detail == f"user {user_id}")
                        .values(detail="user (forgotten)"))

    async def clear_contact(self, company_id: int) -> tuple[str, str]:
        """Empty a company's contact name and phone; returns what they were."""
        row = await self.s.get(Company, company_id)
        if row is None:
            return "", ""
        old = (row.contact_name, row.phone)
        row.contact_name, row.phone = "", ""
        await self.s.flush()
        return old

    async def purge_mentions(self, *texts: str) -> int:
        """Empty every queued or sent message body that mentions one of ``texts``."""
        needles = [t for t in texts if t and len(t) >= 2]
        if not needles:
            return 0
        await Updates(self.s).forget_answers()
        body = cast(OutboxMessage.payload, String)
        # JSON may hold text as it is or as \\u escapes: look for both.
        forms = {form for t in needles for form in (t, json.dumps(t)[1:-1])}
        result = await self.s.execute(
            update(OutboxMessage).where(or_(*(body.contains(f) for f in forms)))
            .values(payload=PURGED))
        return _rows(result)

    async def purge_old(self, *, outbox_before: datetime, dialogs_before: datetime,
                        closed_before: datetime) -> Purged:
        """Retention: message bodies, abandoned forms, and the names in long-closed threads."""
        outbox = await self.s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.created_at < outbox_before,
                   OutboxMessage.status.in_(("sent", "dead")),
                   cast(OutboxMessage.payload, String) != json.dumps(PURGED))
            .values(payload=PURGED))
        dialogs = await self.s.execute(delete(Dialog).where(Dialog.updated_at < dialogs_before))
        closed = select(Request.id).where(
            Request.status.in_((RequestStatus.CLOSED, RequestStatus.WITHDRAWN)),
            Request.closed_at < closed_before)
        events = await self.s.execute(
            update(RequestEvent).where(RequestEvent.request_id.in_(closed),
                                       RequestEvent.author_name != "")
            .values(author_name=""))
        await self.s.execute(
            update(Request).where(Request.id.in_(closed), Request.owner_name.is_not(None))
            .values(owner_name=None))
        return Purged(_rows(outbox), _rows(dialogs), _rows(events))
