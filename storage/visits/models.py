"""Window visits: seat counters per slot, bookings, and the waiting list of full slots."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.base import PERSONAL, Base, BigId, UTCDateTime
from storage.visits.status import WaitStatus

# Statuses whose booking still holds its seat and its place in the per-company key.
_SEATED_SQL = "status IN ('offered', 'pending_approval', 'confirmed', 'arrived', 'no_show')"
_WAITING_SQL = "status = 'waiting'"


class BookingSlot(Base):
    """Seats taken in one slot of a station; a seat is taken by ``taken < seats`` in the WHERE."""

    __tablename__ = "booking_slots"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    taken: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("station_id", "starts_at"),)


class Booking(Base):
    """One company's visit to one slot, from offer or booking to arrival, no-show or cancel."""

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    # The person who booked: reminders and notices go to them.
    user_id: Mapped[int] = mapped_column(BigInteger)
    station_id: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    service_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The request this visit is about, if any; a deleted request leaves the visit standing.
    request_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("requests.id", ondelete="SET NULL"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True, info=PERSONAL)
    # offered | pending_approval | confirmed | arrived | no_show | cancelled | declined | expired
    status: Mapped[str] = mapped_column(String(16))
    cancel_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    hold_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    remind_day_at: Mapped[datetime] = mapped_column(UTCDateTime())
    remind_hour_at: Mapped[datetime] = mapped_column(UTCDateTime())
    day_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    hour_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The calendar event: a reschedule keeps the UID and raises the sequence.
    ics_uid: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # One seat per company per slot, however many taps or replicas try.
        Index(
            "uq_bookings_company_slot", "company_id", "station_id", "starts_at", unique=True,
            sqlite_where=text(_SEATED_SQL), postgresql_where=text(_SEATED_SQL),
        ),
        Index("ix_bookings_station_start", "station_id", "starts_at"),
        Index("ix_bookings_company_status", "company_id", "status"),
        # A request's visits, for its card and its history.
        Index("ix_bookings_request", "request_id"),
        # Reminders, expired holds and closures look at live bookings still ahead.
        Index("ix_bookings_status_start", "status", "starts_at"),
    )


class BookingWait(Base):
    """A company waiting for a seat in a full slot; offered in order of joining."""

    __tablename__ = "booking_waits"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    station_id: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    service_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # waiting | offered | done
    status: Mapped[str] = mapped_column(String(8), default=WaitStatus.WAITING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # Waiting once per slot at a time; after an offer (taken, passed or expired) the
        # company may join again, so only rows still waiting are in the key.
        Index(
            "uq_booking_waits_waiting", "company_id", "station_id", "starts_at", unique=True,
            sqlite_where=text(_WAITING_SQL), postgresql_where=text(_WAITING_SQL),
        ),
        Index("ix_booking_waits_slot", "station_id", "starts_at", "status"),
    )
