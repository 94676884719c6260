"""Bookings, their seat counters and the waiting list: every race is settled in SQL here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.core.sql import dialect_name, insert_ignore
from storage.tables import Booking, BookingSlot, BookingWait, Company
from storage.visits.status import LIVE, SEATED, BookingStatus, WaitStatus

# Bookings that still count: they hold a seat and are yet to happen.


@dataclass(frozen=True, slots=True)
class BookingDTO:
    id: int
    company_id: int
    user_id: int
    station_id: str
    starts_at: datetime
    ends_at: datetime
    service_id: str | None
    request_id: int | None
    note: str | None
    status: str
    cancel_reason: str | None
    hold_until: datetime | None
    ics_uid: str
    sequence: int
    created_at: datetime

    @property
    def ref(self) -> str:
        """The reference people quote on the phone and at the window."""
        return f"BK{self.id:06d}"


@dataclass(frozen=True, slots=True)
class WaitDTO:
    id: int
    company_id: int
    user_id: int
    station_id: str
    starts_at: datetime
    service_id: str | None


def booking_dto(row: Booking) -> BookingDTO:
    return BookingDTO(
        id=row.id, company_id=row.company_id, user_id=row.user_id, station_id=row.station_id,
        starts_at=row.starts_at, ends_at=row.ends_at, service_id=row.service_id,
        request_id=row.request_id, note=row.note, status=row.status,
        cancel_reason=row.cancel_reason, hold_until=row.hold_until, ics_uid=row.ics_uid,
        sequence=row.sequence, created_at=row.created_at,
    )


def _rows(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class Bookings:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    @property
    def _pg(self) -> bool:
        return dialect_name(self.s) == "postgresql"

    # -- locks and seats ------------------------------------------------------------------
    async def lock_company(self, company_id: int) -> None:
        """Serialise one company's booking transactions (its upcoming-limit check and insert).

        NO KEY UPDATE, not UPDATE: inserting a booking that references the company takes a
        KEY SHARE lock, which this must not block. SQLite's write transactions are already
        serial (BEGIN IMMEDIATE).
        """
        if self._pg:
            await self.s.execute(
                select(Company.id).where(Company.id == company_id).with_for_update(key_share=True)
            )

    async def ensure_slot(self, station_id: str, starts_at: datetime) -> None:
        await insert_ignore(self.s, BookingSlot, {
            "station_id": station_id, "starts_at": starts_at, "taken": 0,
        })

    async def lock_slots(self, slots: list[tuple[str, datetime]]) -> None:
        """Lock several slot rows in one fixed order, so two reschedules never deadlock."""
        for station_id, starts_at in slots:
            await self.ensure_slot(station_id, starts_at)
        if not self._pg:
            return
        ids = []
        for station_id, starts_at in slots:
            ids.append(await self.s.scalar(select(BookingSlot.id).where(
                BookingSlot.station_id == station_id, BookingSlot.starts_at == starts_at)))
        await self.s.execute(
            select(BookingSlot.id).where(BookingSlot.id.in_(ids)).order_by(BookingSlot.id)
            .with_for_update()
        )

    async def take_seat(self, station_id: str, starts_at: datetime, seats: int) -> bool:
        """Take one seat if one is left: the database decides, however many try at once."""
        await self.ensure_slot(station_id, starts_at)
        result = await self.s.execute(
            update(BookingSlot)
            .where(BookingSlot.station_id == station_id, BookingSlot.starts_at == starts_at,
                   BookingSlot.taken < seats)
            .values(taken=BookingSlot.taken + 1)
        )
        return _rows(result) == 1

    async def release_seat(self, station_id: str, starts_at: datetime) -> None:
        await self.s.execute(
            update(BookingSlot)
            .where(BookingSlot.station_id == station_id, BookingSlot.starts_at == starts_at,
                   BookingSlot.taken > 0)
            .values(taken=BookingSlot.taken - 1)
        )

    async def taken(self, station_id: str, start: datetime, end: datetime) -> dict[datetime, int]:
        rows = await self.s.execute(
            select(BookingSlot.starts_at, BookingSlot.taken).where(
                BookingSlot.station_id == station_id, BookingSlot.starts_at >= start,
                BookingSlot.starts_at <= end)
        )
        return {row[0]: row[1] for row in rows.all()}

    # -- bookings -------------------------------------------------------------------------
    async def insert(self, values: dict[str, Any]) -> int | None:
        """Insert a booking; None when the company holds this slot already (unique key)."""
        if not await insert_ignore(self.s, Booking, values):
            return None
        return await self.s.scalar(
            select(Booking.id).where(
                Booking.company_id == values["company_id"],
                Booking.station_id == values["station_id"],
                Booking.starts_at == values["starts_at"],
                Booking.status == values["status"],
            ).order_by(Booking.id.desc()).limit(1)
        )

    async def get(self, booking_id: int) -> BookingDTO | None:
        row = await self.s.get(Booking, booking_id, populate_existing=True)
        return booking_dto(row) if row else None

    async def live_for_slot(
        self, company_id: int, station_id: str, starts_at: datetime
    ) -> BookingDTO | None:
        row = await self.s.scalar(select(Booking).where(
            Booking.company_id == company_id, Booking.station_id == station_id,
            Booking.starts_at == starts_at, Booking.status.in_(LIVE)))
        return booking_dto(row) if row else None

    async def upcoming_count(
        self, company_id: int, now: datetime, exclude: int | None = None
    ) -> int:
        query = select(func.count()).select_from(Booking).where(
            Booking.company_id == company_id, Booking.status.in_(LIVE), Booking.starts_at > now)
        if exclude is not None:
            query = query.where(Booking.id != exclude)
        return int(await self.s.scalar(query) or 0)

    async def transition(
        self, booking_id: int, from_status: tuple[str, ...], to_status: str, now: datetime,
        **values: Any,
    ) -> bool:
        """Move a booking on only if it is still in one of ``from_status``: one winner."""
        query = (
            update(Booking)
            .where(Booking.id == booking_id, Booking.status.in_(from_status))
            .values(status=to_status, updated_at=now, **values)
        )
        return _rows(await self.s.execute(query)) == 1

    async def claim_closure_rebook(self, booking_id: int) -> bool:
        """Mark a visit cancelled by a closure as rebooked: one tap of its notice wins."""
        result = await self.s.execute(
            update(Booking)
            .where(Booking.id == booking_id, Booking.cancel_reason == "closure")
            .values(cancel_reason="closure_rebooked")
        )
        return _rows(result) == 1

    async def accept_offer(self, booking_id: int, to_status: str, now: datetime) -> bool:
        result = await self.s.execute(
            update(Booking)
            .where(Booking.id == booking_id, Booking.status == BookingStatus.OFFERED,
                   Booking.hold_until > now)
            .values(status=to_status, hold_until=None, updated_at=now)
        )
        return _rows(result) == 1

    async def of_company(
        self, company_id: int, now: datetime, *, upcoming: bool, limit: int = 10
    ) -> list[BookingDTO]:
        query = select(Booking).where(Booking.company_id == company_id)
        if upcoming:
            query = query.where(Booking.status.in_(LIVE), Booking.starts_at > now).order_by(
                Booking.starts_at)
        else:
            query = query.where(
                (Booking.starts_at <= now) | Booking.status.not_in(LIVE)
            ).order_by(Booking.starts_at.desc())
        return [booking_dto(r) for r in await self.s.scalars(query.limit(limit))]

    async def seated_between(
        self, station_id: str, start: datetime, end: datetime
    ) -> list[tuple[BookingDTO, str]]:
        """Bookings holding a seat in [start, end), with the company's name, in time order."""
        rows = await self.s.execute(
            select(Booking, Company.name).join(Company, Company.id == Booking.company_id)
            .where(Booking.station_id == station_id, Booking.starts_at >= start,
                   Booking.starts_at < end,
                   Booking.status.in_(SEATED), Booking.status != BookingStatus.OFFERED)
            .order_by(Booking.starts_at, Booking.id)
        )
        return [(booking_dto(b), name) for b, name in rows]

    async def for_request(self, request_id: int, limit: int = 3) -> list[BookingDTO]:
        """The request's visits that hold or held a seat, the latest ``limit`` in time order."""
        rows = await self.s.scalars(
            select(Booking).where(Booking.request_id == request_id,
                                  Booking.status.in_(SEATED),
                                  Booking.status != BookingStatus.OFFERED)
            .order_by(Booking.starts_at.desc(), Booking.id.desc()).limit(limit)
        )
        return sorted((booking_dto(r) for r in rows), key=lambda b: (b.starts_at, b.id))

    async def live_upcoming(self, now: datetime) -> list[BookingDTO]:
        rows = await self.s.scalars(select(Booking).where(
            Booking.status.in_(LIVE), Booking.starts_at > now).order_by(Booking.starts_at))
        return [booking_dto(r) for r in rows]

    async def due_reminders(self, kind: str, now: datetime, limit: int = 50) -> list[BookingDTO]:
        at, sent = (
            (Booking.remind_day_at, Booking.day_reminded_at) if kind == "day"
            else (Booking.remind_hour_at, Booking.hour_reminded_at)
        )
        rows = await self.s.scalars(
            select(Booking).where(Booking.status == BookingStatus.CONFIRMED, sent.is_(None),
                                  at <= now, Booking.starts_at > now)
            .order_by(at).limit(limit)
        )
        return [booking_dto(r) for r in rows]

    async def mark_reminded(self, booking_id: int, kind: str, now: datetime) -> bool:
        """Claim the reminder: only one unit of work, on any replica, gets True."""
        column = Booking.day_reminded_at if kind == "day" else Booking.hour_reminded_at
        result = await self.s.execute(
            update(Booking)
            .where(Booking.id == booking_id, Booking.status == BookingStatus.CONFIRMED,
                   column.is_(None))
            .values({column: now})
        )
        return _rows(result) == 1

    async def expired_offers(self, now: datetime, limit: int = 50) -> list[BookingDTO]:
        rows = await self.s.scalars(select(Booking).where(
            Booking.status == BookingStatus.OFFERED, Booking.hold_until <= now).limit(limit))
        return [booking_dto(r) for r in rows]

    async def no_shows(self, company_id: int, since: datetime) -> int:
        return int(await self.s.scalar(select(func.count()).select_from(Booking).where(
            Booking.company_id == company_id, Booking.status == BookingStatus.NO_SHOW,
            Booking.starts_at >= since)) or 0)

    # -- waiting list ---------------------------------------------------------------------
    async def add_wait(self, values: dict[str, Any]) -> bool:
        """Join the waiting list of a slot; False when this company waits there already."""
        return await insert_ignore(self.s, BookingWait, {**values, "status": WaitStatus.WAITING})

    async def next_waiter(self, station_id: str, starts_at: datetime) -> WaitDTO | None:
        query = (
            select(BookingWait)
            .where(BookingWait.station_id == station_id, BookingWait.starts_at == starts_at,
                   BookingWait.status == WaitStatus.WAITING)
            .order_by(BookingWait.id).limit(1)
        )
        if self._pg:
            query = query.with_for_update(skip_locked=True)
        row = await self.s.scalar(query)
        if row is None:
            return None
        return WaitDTO(row.id, row.company_id, row.user_id, row.station_id, row.starts_at,
                       row.service_id)

    async def close_wait(self, wait_id: int, status: str) -> bool:
        result = await self.s.execute(
            update(BookingWait)
            .where(BookingWait.id == wait_id, BookingWait.status == WaitStatus.WAITING)
            .values(status=status)
        )
        return _rows(result) == 1
