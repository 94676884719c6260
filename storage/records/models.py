"""The timeline of a company's record, its tags, and officers' follow-ups."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.base import PERSONAL, Base, BigId, UTCDateTime


class TimelineEntry(Base):
    """One thing that happened to a company, written in the unit of work that did it.

    ``visibility`` is ``shared`` (the company may read it in its own summary) or ``staff``
    (officers only: notes, tier and tag changes, follow-ups).
    """

    __tablename__ = "timeline_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Who did it (a Telegram id), or None for the bot itself and for a forgotten person.
    actor_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    actor_name: Mapped[str] = mapped_column(String(128), default="", info=PERSONAL)
    text: Mapped[str] = mapped_column(String(2000), default="", info=PERSONAL)
    # What it is about, when it is about something: ("request", id), ("booking", id), …
    ref_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    ref_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    visibility: Mapped[str] = mapped_column(String(8), default="shared")

    __table_args__ = (Index("ix_timeline_company", "company_id", "at", "id"),)


class CompanyTag(Base):
    """A free tag officers put on a company (专精特新, 高新技术企业, …)."""

    __tablename__ = "company_tags"

    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(32), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    added_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class FollowUp(Base):
    """An officer's 跟踪服务 on a company, due on a day (the station's calendar day).

    ``status``: open → done. ``escalated_at`` is set once, when it was overdue and said so.
    ``request_id`` links a 差评回访 to the request rated (no foreign key: the report keeps
    counting it when retention has removed the request); ``outcome`` is what the officer
    wrote when closing it.
    """

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    officer_name: Mapped[str] = mapped_column(String(128), default="", info=PERSONAL)
    due_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(500), default="", info=PERSONAL)
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    request_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(300), nullable=True, info=PERSONAL)

    __table_args__ = (
        Index("ix_follow_ups_officer", "officer_id", "status", "due_on"),
        Index("ix_follow_ups_due", "status", "escalated_at", "due_on"),
        Index("ix_follow_ups_company", "company_id", "status"),
        Index("ix_follow_ups_request", "request_id"),
    )
