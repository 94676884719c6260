"""Requests from enterprises, their threads, and the per-station reference sequences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.base import PERSONAL, Base, BigId, UTCDateTime


class Request(Base):
    """One enterprise's question, from submission to its rating.

    ``status``: submitted → claimed ⇄ waiting → resolved → closed, or withdrawn.
    """

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # Read aloud on the phone: station code, YYMM, per-station-per-month sequence.
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    station_id: Mapped[str] = mapped_column(String(32))
    service_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    description: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(BigInteger)
    claimed_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    owner_name: Mapped[str | None] = mapped_column(String(128), nullable=True, info=PERSONAL)
    # The card in the staff group: an outbox row, so edits find the delivered message.
    card_outbox_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When the first-response promise runs out, and when admins are called in.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    escalate_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Bumped whenever the request goes back to the queue (unclaim, transfer): reminders of
    # an earlier round never suppress those of the next one.
    queue_round: Mapped[int] = mapped_column(Integer, default=0)
    announced: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rating_comment: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        # The lists read the first page of these in the order they show it.
        Index("ix_requests_queue", "status", "created_at", "id"),
        Index("ix_requests_company", "company_id", "created_at", "id"),
        Index("ix_requests_owner", "claimed_by", "status"),
        # What the background jobs look for every second: due reminders, escalations, closings.
        Index("ix_requests_due", "status", "announced", "due_at"),
        Index("ix_requests_escalate", "status", "escalated", "escalate_at"),
        Index("ix_requests_resolved", "status", "resolved_at"),
    )


class RequestEvent(Base):
    """One entry of a request's thread: a message, an internal note, a status change, a file."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    # message | note | status | attachment | recalled (an officer's reply taken back)
    kind: Mapped[str] = mapped_column(String(16))
    # enterprise | staff | system
    side: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    author_name: Mapped[str] = mapped_column(String(128), default="", info=PERSONAL)
    text: Mapped[str] = mapped_column(Text, default="")
    file_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    file_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The officer's message in the staff group this entry relays, so it can be recalled.
    source_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    __table_args__ = (Index("ix_request_events_thread", "request_id", "id"),)


class ReferenceSequence(Base):
    """The last number handed out per station and month; bumped by a conditional update."""

    __tablename__ = "request_sequences"

    station_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    yymm: Mapped[str] = mapped_column(String(4), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class SnippetUse(Base):
    """One officers' saved answer sent on one request: what the monthly report counts.

    ``request_id`` is no foreign key, so a use stays counted after its request is gone;
    ``officer_id`` is emptied when the officer asks to be forgotten.
    """

    __tablename__ = "snippet_uses"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    snippet_id: Mapped[str] = mapped_column(String(32))
    request_id: Mapped[int] = mapped_column(BigInteger)
    officer_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_snippet_uses_period", "used_at", "snippet_id"),)
