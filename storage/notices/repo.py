"""Notices: composing them, choosing their people a batch at a time, counting how it went."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, exists, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.companies.models import Company
from storage.core.models import OutboxMessage, User
from storage.core.sql import insert_ignore
from storage.notices.models import CompanyInterest, Notice, NoticeOptOut, NoticeRecipient
from storage.records.models import CompanyTag
from storage.requests.models import Request

# What the error of an undelivered outbox row says when the person had blocked the bot.
BLOCKED_ERRORS = ("Forbidden%", "Skipped: the user blocked%")
CANCELLED = "cancelled with the notice"


@dataclass(frozen=True, slots=True)
class NoticeDTO:
    id: int
    author_id: int
    author_lang: str
    kind: str
    text: str
    file_id: str | None
    file_kind: str | None
    audience: str
    audience_values: list[str]
    services: list[str]
    status: str
    send_at: datetime
    cursor: int
    queued_all: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress_outbox_id: int | None
    progress_at: datetime | None
    progress_text: str | None
    companies: int
    sent: int
    failed: int
    blocked: int
    skipped: int


@dataclass(frozen=True, slots=True)
class Reach:
    """Who an audience is today: companies, their people, and of those who would not get it."""

    companies: int
    people: int
    opted_out: int
    blocked: int

    @property
    def receiving(self) -> int:
        return self.people - self.opted_out - self.blocked


@dataclass(frozen=True, slots=True)
class Candidate:
    user_id: int
    company_id: int
    language: str
    blocked: bool
    opted_out: bool


@dataclass(frozen=True, slots=True)
class Tally:
    """Where a notice's recipients stand."""

    sent: int = 0
    failed: int = 0
    blocked: int = 0
    pending: int = 0
    skipped: int = 0
    cancelled: int = 0


@dataclass(frozen=True, slots=True)
class Miss:
    """Someone a notice did not reach, and why (blocked, opted_out, failed, cancelled)."""

    user_id: int
    name: str
    company: str
    reason: str
    error: str


def _dto(r: Notice) -> NoticeDTO:
    return NoticeDTO(
        id=r.id, author_id=r.author_id, author_lang=r.author_lang, kind=r.kind, text=r.text,
        file_id=r.file_id, file_kind=r.file_kind, audience=r.audience,
        audience_values=[str(v) for v in r.audience_values or []],
        services=[str(v) for v in r.services or []], status=r.status, send_at=r.send_at,
        cursor=r.cursor, queued_all=r.queued_all, created_at=r.created_at,
        started_at=r.started_at, finished_at=r.finished_at,
        progress_outbox_id=r.progress_outbox_id, progress_at=r.progress_at,
        progress_text=r.progress_text, companies=r.companies, sent=r.sent, failed=r.failed,
        blocked=r.blocked, skipped=r.skipped,
    )


def audience_filter(audience: str, values: Sequence[str],
                    services: Sequence[str]) -> ColumnElement[bool]:
    """The companies an audience means, as a condition on ``companies``."""
    if audience == "stations":
        return Company.station_id.in_(list(values))
    if audience == "tiers":
        return Company.tier.in_(list(values))
    if audience == "tags":
        return exists().where(CompanyTag.company_id == Company.id,
                              CompanyTag.tag.in_(list(values)))
    if audience == "categories":
        return or_(
            exists().where(Request.company_id == Company.id,
                           Request.service_id.in_(list(services))),
            exists().where(CompanyInterest.company_id == Company.id,
                           CompanyInterest.category_id.in_(list(values))),
        )
    return true()


def _opted_out(kind: str) -> ColumnElement[bool]:
    return exists().where(NoticeOptOut.user_id == User.id, NoticeOptOut.kind == kind)


def _is_blocked() -> ColumnElement[bool]:
    return or_(*(OutboxMessage.error.like(p) for p in BLOCKED_ERRORS))


class Notices:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    # -- composing and the history --------------------------------------------------------
    async def create(self, *, author_id: int, author_lang: str, kind: str, text: str,
                     file_id: str | None, file_kind: str | None, audience: str,
                     values: Sequence[str], services: Sequence[str], send_at: datetime,
                     now: datetime) -> int:
        row = Notice(author_id=author_id, author_lang=author_lang, kind=kind, text=text,
                     file_id=file_id, file_kind=file_kind, audience=audience,
                     audience_values=list(values), services=list(services),
                     status="scheduled", send_at=send_at, cursor=0, queued_all=False,
                     created_at=now, companies=0, sent=0, failed=0, blocked=0, skipped=0)
        self.s.add(row)
        await self.s.flush()
        return int(row.id)

    async def get(self, notice_id: int) -> NoticeDTO | None:
        row = await self.s.get(Notice, notice_id, populate_existing=True)
        return _dto(row) if row is not None else None

    async def history(self, limit: int = 20) -> list[NoticeDTO]:
        rows = await self.s.scalars(select(Notice).order_by(Notice.id.desc()).limit(limit))
        return [_dto(r) for r in rows]

    async def due(self, now: datetime) -> list[NoticeDTO]:
        """Scheduled notices whose time has come, and those being sent."""
        rows = await self.s.scalars(
            select(Notice).where(or_(
                and_(Notice.status == "scheduled", Notice.send_at <= now),
                Notice.status == "sending",
            )).order_by(Notice.id))
        return [_dto(r) for r in rows]

    async def move(self, notice_id: int, from_: Sequence[str], to: str, now: datetime) -> bool:
        """Change a notice's status if it is in one of ``from_``; True when it was."""
        values: dict[str, Any] = {"status": to}
        if to == "sending":
            values["started_at"] = func.coalesce(Notice.started_at, now)
        if to in ("done", "cancelled"):
            values["finished_at"] = now
        result = await self.s.execute(
            update(Notice).where(Notice.id == notice_id, Notice.status.in_(list(from_)))
            .values(**values))
        return bool(getattr(result, "rowcount", 0))

    async def set_progress(self, notice_id: int, *, outbox_id: int | None = None,
                           at: datetime, text: str) -> None:
        values: dict[str, Any] = {"progress_at": at, "progress_text": text}
        if outbox_id is not None:
            values["progress_outbox_id"] = outbox_id
        await self.s.execute(update(Notice).where(Notice.id == notice_id).values(**values))

    async def finish(self, notice_id: int, tally: Tally, companies: int) -> None:
        await self.s.execute(update(Notice).where(Notice.id == notice_id).values(
            sent=tally.sent, failed=tally.failed + tally.cancelled, blocked=tally.blocked,
            skipped=tally.skipped, companies=companies))

    # -- who it reaches -------------------------------------------------------------------
    async def reach(self, kind: str, audience: str, values: Sequence[str],
                    services: Sequence[str], *, after: int = 0) -> Reach:
        """Who the audience is now (people after ``after`` only, to count what is left)."""
        opted = _opted_out(kind)
        receiving = and_(~opted, User.blocked_bot.is_(False))
        row = (await self.s.execute(
            select(func.count(func.distinct(User.company_id)).filter(receiving),
                   func.count(User.id), func.count(User.id).filter(opted),
                   func.count(User.id).filter(and_(User.blocked_bot.is_(True), ~opted)))
            .select_from(User).join(Company, Company.id == User.company_id)
            .where(User.id > after, audience_filter(audience, values, services)))).one()
        return Reach(companies=int(row[0] or 0), people=int(row[1] or 0),
                     opted_out=int(row[2] or 0), blocked=int(row[3] or 0))

    async def candidates(self, notice: NoticeDTO, limit: int) -> list[Candidate]:
        """The next people of the notice's audience after its cursor, in id order."""
        rows = await self.s.execute(
            select(User.id, User.company_id, User.language, User.blocked_bot,
                   _opted_out(notice.kind))
            .join(Company, Company.id == User.company_id)
            .where(User.id > notice.cursor,
                   audience_filter(notice.audience, notice.audience_values, notice.services))
            .order_by(User.id).limit(limit))
        return [Candidate(user_id=int(r[0]), company_id=int(r[1] or 0), language=str(r[2]),
                          blocked=bool(r[3]), opted_out=bool(r[4])) for r in rows]

    async def advance(self, notice_id: int, seen: int, cursor: int, *, done: bool) -> bool:
        """Move the cursor from ``seen`` to ``cursor``; False when someone else moved it (the
        batch was queued by another worker) or the notice is no longer being sent."""
        result = await self.s.execute(
            update(Notice)
            .where(Notice.id == notice_id, Notice.cursor == seen, Notice.status == "sending")
            .values(cursor=cursor, queued_all=done))
        return bool(getattr(result, "rowcount", 0))

    async def add_recipient(self, notice_id: int, user_id: int, company_id: int,
                            outbox_id: int | None, skipped: str | None) -> bool:
        return await insert_ignore(self.s, NoticeRecipient, {
            "notice_id": notice_id, "user_id": user_id, "company_id": company_id,
            "outbox_id": outbox_id, "skipped": skipped})

    # -- how it went ----------------------------------------------------------------------
    async def tally(self, notice_id: int) -> Tally:
        counts = {"sent": 0, "failed": 0, "blocked": 0, "pending": 0, "skipped": 0,
                  "cancelled": 0}
        reason = case(
            (OutboxMessage.status != "dead", OutboxMessage.status),
            (OutboxMessage.error == CANCELLED, "cancelled"),
            (_is_blocked(), "blocked"),
            else_="failed").label("reason")
        rows = await self.s.execute(
            select(reason, func.count())
            .select_from(NoticeRecipient)
            .join(OutboxMessage, OutboxMessage.id == NoticeRecipient.outbox_id)
            .where(NoticeRecipient.notice_id == notice_id)
            .group_by(reason))
        for key, count in rows:
            counts[str(key)] = counts.get(str(key), 0) + int(count)
        skipped = await self.s.execute(
            select(NoticeRecipient.skipped, func.count())
            .where(NoticeRecipient.notice_id == notice_id, NoticeRecipient.outbox_id.is_(None))
            .group_by(NoticeRecipient.skipped))
        for why, count in skipped:
            counts["blocked" if why == "blocked" else "skipped"] += int(count)
        return Tally(**counts)

    async def companies_reached(self, notice_id: int) -> int:
        return int(await self.s.scalar(
            select(func.count(func.distinct(NoticeRecipient.company_id)))
            .join(OutboxMessage, OutboxMessage.id == NoticeRecipient.outbox_id)
            .where(NoticeRecipient.notice_id == notice_id, OutboxMessage.status == "sent"))
            or 0)

    async def misses(self, notice_id: int) -> list[Miss]:
        """Everyone the notice did not reach, with the reason, in id order."""
        rows = await self.s.execute(
            select(NoticeRecipient.user_id, User.first_name, Company.name,
                   NoticeRecipient.skipped, OutboxMessage.status, OutboxMessage.error)
            .select_from(NoticeRecipient)
            .outerjoin(OutboxMessage, OutboxMessage.id == NoticeRecipient.outbox_id)
            .outerjoin(User, User.id == NoticeRecipient.user_id)
            .outerjoin(Company, Company.id == NoticeRecipient.company_id)
            .where(NoticeRecipient.notice_id == notice_id,
                   or_(NoticeRecipient.outbox_id.is_(None), OutboxMessage.status != "sent"))
            .order_by(NoticeRecipient.user_id))
        found: list[Miss] = []
        for user_id, name, company, skipped, status, error in rows:
            error = error or ""
            if skipped:
                reason = skipped
            elif status == "pending":
                reason = "pending"
            elif error == CANCELLED:
                reason = "cancelled"
            elif error.startswith(("Forbidden", "Skipped: the user blocked")):
                reason = "blocked"
            else:
                reason = "failed"
            found.append(Miss(user_id=int(user_id), name=name or "", company=company or "",
                              reason=reason, error=error))
        return found

    async def never_queued(self, notice: NoticeDTO) -> list[Miss]:
        """The audience's people a cancelled notice never came to (after its cursor)."""
        rows = await self.s.execute(
            select(User.id, User.first_name, Company.name, User.blocked_bot,
                   _opted_out(notice.kind))
            .join(Company, Company.id == User.company_id)
            .where(User.id > notice.cursor,
                   audience_filter(notice.audience, notice.audience_values, notice.services))
            .order_by(User.id))
        return [Miss(user_id=int(r[0]), name=r[1] or "", company=r[2] or "",
                     reason="blocked" if r[3] else "opted_out" if r[4] else "cancelled",
                     error="") for r in rows]

    async def cancel_pending(self, notice_id: int, now: datetime) -> int:
        """Withdraw the notice's messages not yet sent (those being sent go on)."""
        queued = select(NoticeRecipient.outbox_id).where(
            NoticeRecipient.notice_id == notice_id, NoticeRecipient.outbox_id.is_not(None))
        result = await self.s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(queued), OutboxMessage.status == "pending",
                   or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now))
            .values(status="dead", error=CANCELLED, sent_at=now))
        return int(getattr(result, "rowcount", 0) or 0)

    # -- what each person and company chose -----------------------------------------------
    async def forget_person(self, user_id: int) -> None:
        """A forgotten person's opt-outs and places on notices' lists go; a finished notice
        keeps its totals (on the notice itself)."""
        await self.s.execute(delete(NoticeOptOut).where(NoticeOptOut.user_id == user_id))
        await self.s.execute(delete(NoticeRecipient).where(NoticeRecipient.user_id == user_id))

    async def opted_out(self, user_id: int) -> set[str]:
        rows = await self.s.scalars(select(NoticeOptOut.kind)
                                    .where(NoticeOptOut.user_id == user_id))
        return set(rows)

    async def set_opt_out(self, user_id: int, kind: str, out: bool, now: datetime) -> None:
        if out:
            await insert_ignore(self.s, NoticeOptOut, {"user_id": user_id, "kind": kind,
                                                        "at": now})
        else:
            await self.s.execute(delete(NoticeOptOut).where(NoticeOptOut.user_id == user_id,
                                                            NoticeOptOut.kind == kind))

    async def interests(self, company_id: int) -> set[str]:
        rows = await self.s.scalars(select(CompanyInterest.category_id)
                                    .where(CompanyInterest.company_id == company_id))
        return set(rows)

    async def set_interest(self, company_id: int, category_id: str, on: bool,
                           now: datetime) -> None:
        if on:
            await insert_ignore(self.s, CompanyInterest, {
                "company_id": company_id, "category_id": category_id, "at": now})
        else:
            await self.s.execute(delete(CompanyInterest).where(
                CompanyInterest.company_id == company_id,
                CompanyInterest.category_id == category_id))

    async def requested_services(self, company_id: int) -> set[str]:
        """Services the company has asked for (the domain maps them to categories)."""
        rows = await self.s.scalars(select(Request.service_id).distinct()
                                    .where(Request.company_id == company_id))
        return set(rows)

    async def tags_in_use(self) -> list[str]:
        rows = await self.s.scalars(select(CompanyTag.tag).distinct().order_by(CompanyTag.tag))
        return list(rows)
