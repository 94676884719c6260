"""Events: seats taken per event, and each company's registration for an event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.base import PERSONAL, Base, BigId, UTCDateTime

# Registrations that hold (or wait for) seats: one per company and event.
_LIVE_SQL = "status IN ('confirmed', 'waiting')"


class EventSeats(Base):
    """Seats taken at one event; seats are taken by ``taken + n <= capacity`` in the WHERE.

    The capacity is the catalogue's, so an admin may raise it without touching this row.
    """

    __tablename__ = "event_seats"

    event_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    taken: Mapped[int] = mapped_column(Integer, default=0)


class EventRegistration(Base):
    """One company's places at one event: who attends, the check-in token, reminders."""

    __tablename__ = "event_registrations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(32))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    # The person who signed up: confirmations, reminders and changes go to them.
    user_id: Mapped[int] = mapped_column(BigInteger)
    seats: Mapped[int] = mapped_column(Integer)
    # The names of those who attend, one per line, as the company typed them.
    attendees: Mapped[str] = mapped_column(Text, info=PERSONAL)
    # confirmed | waiting | cancelled
    status: Mapped[str] = mapped_column(String(16))
    # The secret in the check-in QR code's deep link.
    token: Mapped[str] = mapped_column(String(32), unique=True)
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attended_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    day_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    hour_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The event as the company was last told of it (time, place, status): a change in the
    # catalogue is announced to each registration once, when this differs.
    told_version: Mapped[str] = mapped_column(String(64))
    # The calendar file's SEQUENCE: raised with every change sent.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # One live registration per company and event, however many taps or replicas try.
        Index(
            "uq_event_registrations_company", "event_id", "company_id", unique=True,
            sqlite_where=text(_LIVE_SQL), postgresql_where=text(_LIVE_SQL),
        ),
        # The waiting list in order, the attendee list, reminders and changes per event.
        Index("ix_event_registrations_event", "event_id", "status", "id"),
        Index("ix_event_registrations_company", "company_id", "status"),
    )
