"""Event registrations, their seat counters and the waiting list: every race is settled in
SQL here (a conditional UPDATE takes seats, a unique key keeps one registration per company)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.core.sql import dialect_name, insert_ignore
from storage.events.status import LIVE, RegistrationStatus
from storage.tables import Company, EventRegistration, EventSeats, Request


@dataclass(frozen=True, slots=True)
class RegistrationDTO:
    id: int
    event_id: str
    company_id: int
    user_id: int
    seats: int
    attendees: tuple[str, ...]
    status: str
    token: str
    attended_at: datetime | None
    told_version: str
    sequence: int
    created_at: datetime

    @property
    def ref(self) -> str:
        """The reference people quote at the door."""
        return f"EV{self.id:06d}"


def registration_dto(row: EventRegistration) -> RegistrationDTO:
    return RegistrationDTO(
        id=row.id, event_id=row.event_id, company_id=row.company_id, user_id=row.user_id,
        seats=row.seats, attendees=tuple(n for n in row.attendees.split("\n") if n),
        status=row.status, token=row.token, attended_at=row.attended_at,
        told_version=row.told_version, sequence=row.sequence, created_at=row.created_at,
    )


def _rows(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class Registrations:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    @property
    def _pg(self) -> bool:
        return dialect_name(self.s) == "postgresql"

    # -- seats ----------------------------------------------------------------------------
    async def take_seats(self, event_id: str, count: int, capacity: int) -> bool:
        """Take ``count`` seats if that many are left: the database decides, however many
        try at once."""
        await insert_ignore(self.s, EventSeats, {"event_id": event_id, "taken": 0})
        result = await self.s.execute(
            update(EventSeats)
            .where(EventSeats.event_id == event_id, EventSeats.taken + count <= capacity)
            .values(taken=EventSeats.taken + count)
        )
        return _rows(result) == 1

    async def release_seats(self, event_id: str, count: int) -> None:
        await self.s.execute(
            update(EventSeats)
            .where(EventSeats.event_id == event_id, EventSeats.taken >= count)
            .values(taken=EventSeats.taken - count)
        )

    async def taken(self, event_ids: Iterable[str]) -> dict[str, int]:
        ids = list(event_ids)
        if not ids:
            return {}
        rows = await self.s.execute(
            select(EventSeats.event_id, EventSeats.taken).where(EventSeats.event_id.in_(ids)))
        return {row[0]: row[1] for row in rows.all()}

    # -- registrations --------------------------------------------------------------------
    async def insert(self, values: dict[str, Any]) -> int | None:
        """Insert a registration; None when the company has a live one already (unique key)."""
        if not await insert_ignore(self.s, EventRegistration, values):
            return None
        return await self.s.scalar(
            select(EventRegistration.id).where(EventRegistration.token == values["token"]))

    async def get(self, registration_id: int) -> RegistrationDTO | None:
        row = await self.s.get(EventRegistration, registration_id, populate_existing=True)
        return registration_dto(row) if row else None

    async def by_token(self, token: str) -> RegistrationDTO | None:
        row = await self.s.scalar(
            select(EventRegistration).where(EventRegistration.token == token))
        return registration_dto(row) if row else None

    async def live_for(self, event_id: str, company_id: int) -> RegistrationDTO | None:
        row = await self.s.scalar(select(EventRegistration).where(
            EventRegistration.event_id == event_id, EventRegistration.company_id == company_id,
            EventRegistration.status.in_(LIVE)))
        return registration_dto(row) if row else None

    async def of_company(self, company_id: int) -> list[RegistrationDTO]:
        """The company's live registrations, oldest first."""
        rows = await self.s.scalars(select(EventRegistration).where(
            EventRegistration.company_id == company_id, EventRegistration.status.in_(LIVE))
            .order_by(EventRegistration.id))
        return [registration_dto(r) for r in rows]

    async def transition(self, registration_id: int, from_status: tuple[str, ...],
                         to_status: str, now: datetime, **values: Any) -> bool:
        """Move a registration on only if it is still in one of ``from_status``: one winner."""
        result = await self.s.execute(
            update(EventRegistration)
            .where(EventRegistration.id == registration_id,
                   EventRegistration.status.in_(from_status))
            .values(status=to_status, updated_at=now, **values)
        )
        return _rows(result) == 1

    async def has_waiting(self, event_id: str) -> bool:
        return await self.s.scalar(select(EventRegistration.id).where(
            EventRegistration.event_id == event_id,
            EventRegistration.status == RegistrationStatus.WAITING).limit(1)) is not None

    async def next_waiting(self, event_id: str) -> RegistrationDTO | None:
        """The head of the event's waiting list, locked on PostgreSQL until commit.

        A head another transaction is promoting right now is skipped (not waited for: after
        its commit a locked LIMIT 1 would find nothing), so two cancellations at once promote
        two companies.
        """
        query = (
            select(EventRegistration)
            .where(EventRegistration.event_id == event_id,
                   EventRegistration.status == RegistrationStatus.WAITING)
            .order_by(EventRegistration.id).limit(1)
        )
        if self._pg:
            query = query.with_for_update(skip_locked=True)
        row = await self.s.scalar(query)
        return registration_dto(row) if row else None

    async def mark_attended(self, registration_id: int, officer_id: int, now: datetime) -> bool:
        """Record attendance once: a second scan or press finds it done."""
        result = await self.s.execute(
            update(EventRegistration)
            .where(EventRegistration.id == registration_id,
                   EventRegistration.status == RegistrationStatus.CONFIRMED,
                   EventRegistration.attended_at.is_(None))
            .values(attended_at=now, attended_by=officer_id, updated_at=now)
        )
        return _rows(result) == 1

    async def roster(self, event_id: str) -> list[tuple[RegistrationDTO, str]]:
        """The event's confirmed and waiting registrations with the company's name, in
        order of signing up."""
        rows = await self.s.execute(
            select(EventRegistration, Company.name)
            .join(Company, Company.id == EventRegistration.company_id)
            .where(EventRegistration.event_id == event_id,
                   EventRegistration.status.in_(LIVE))
            .order_by(EventRegistration.id)
        )
        return [(registration_dto(r), name) for r, name in rows]

    async def all_for_event(self, event_id: str) -> list[tuple[RegistrationDTO, str]]:
        """Every registration of the event, cancelled ones too, with the company's name."""
        rows = await self.s.execute(
            select(EventRegistration, Company.name)
            .join(Company, Company.id == EventRegistration.company_id)
            .where(EventRegistration.event_id == event_id)
            .order_by(EventRegistration.id)
        )
        return [(registration_dto(r), name) for r, name in rows]

    async def live_counts(self) -> dict[str, int]:
        """Live registrations per event id, for every event that has any."""
        rows = await self.s.execute(
            select(EventRegistration.event_id, func.count())
            .where(EventRegistration.status.in_(LIVE))
            .group_by(EventRegistration.event_id))
        return {row[0]: int(row[1]) for row in rows.all()}

    # -- reminders and changes ------------------------------------------------------------
    async def due_reminders(self, event_id: str, kind: str,
                            limit: int = 100) -> list[RegistrationDTO]:
        sent = (EventRegistration.day_reminded_at if kind == "day"
                else EventRegistration.hour_reminded_at)
        rows = await self.s.scalars(
            select(EventRegistration).where(
                EventRegistration.event_id == event_id,
                EventRegistration.status == RegistrationStatus.CONFIRMED, sent.is_(None))
            .order_by(EventRegistration.id).limit(limit))
        return [registration_dto(r) for r in rows]

    async def mark_reminded(self, registration_id: int, kind: str, now: datetime) -> bool:
        """Claim the reminder: only one unit of work, on any replica, gets True."""
        column = (EventRegistration.day_reminded_at if kind == "day"
                  else EventRegistration.hour_reminded_at)
        result = await self.s.execute(
            update(EventRegistration)
            .where(EventRegistration.id == registration_id,
                   EventRegistration.status == RegistrationStatus.CONFIRMED,
                   column.is_(None))
            .values({column: now})
        )
        return _rows(result) == 1

    async def untold(self, event_id: str, version: str,
                     limit: int = 100) -> list[RegistrationDTO]:
        """Live registrations told of an older version of the event."""
        rows = await self.s.scalars(
            select(EventRegistration).where(
                EventRegistration.event_id == event_id,
                EventRegistration.status.in_(LIVE),
                EventRegistration.told_version != version)
            .order_by(EventRegistration.id).limit(limit))
        return [registration_dto(r) for r in rows]

    async def mark_told(self, registration_id: int, old: str, new: str, now: datetime,
                        **values: Any) -> bool:
        """Claim telling a registration of the event's change: one winner per change."""
        result = await self.s.execute(
            update(EventRegistration)
            .where(EventRegistration.id == registration_id,
                   EventRegistration.status.in_(LIVE),
                   EventRegistration.told_version == old)
            .values(told_version=new, updated_at=now,
                    sequence=EventRegistration.sequence + 1, **values)
        )
        return _rows(result) == 1

    # -- audiences ------------------------------------------------------------------------
    async def services_asked(self, company_id: int) -> set[str]:
        """The services a company has filed requests for: its interests, for an event
        meant for a category."""
        rows = await self.s.scalars(
            select(Request.service_id).where(Request.company_id == company_id).distinct())
        return set(rows)

    async def purge_names(self, before: datetime) -> int:
        """Retention: the attendees' names of registrations untouched since ``before`` (their
        event long over); seats, attendance and the company's record stay."""
        result = await self.s.execute(
            update(EventRegistration)
            .where(EventRegistration.updated_at < before, EventRegistration.attendees != "")
            .values(attendees=""))
        return int(getattr(result, "rowcount", 0) or 0)

    async def forget_person(self, user_id: int) -> None:
        """The registrations stay the company's; who signed them up is forgotten."""
        await self.s.execute(update(EventRegistration)
                             .where(EventRegistration.user_id == user_id).values(user_id=0))
