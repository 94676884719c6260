"""Notices (broadcasts) an admin sends to companies, who was queued for each, who opted out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.base import Base, BigId, UTCDateTime


class Notice(Base):
    """One notice: what it says, to whom, and how far its delivery has come.

    ``status``: scheduled → sending (⇄ paused) → done, or cancelled. ``cursor`` is the last
    person id queued: recipients are taken in id order, a batch at a time, and the cursor moves
    in the same transaction as the batch's outbox rows, so a restart continues after it.
    """

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    author_id: Mapped[int] = mapped_column(BigInteger)
    author_lang: Mapped[str] = mapped_column(String(8), default="zh")
    kind: Mapped[str] = mapped_column(String(8))  # policy | events
    text: Mapped[str] = mapped_column(Text)  # HTML, as the admin formatted it
    file_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    file_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)  # document | photo
    # everyone | stations | categories | tiers | tags, and the ids chosen
    audience: Mapped[str] = mapped_column(String(16))
    audience_values: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The services of the chosen categories when it was composed (a category's audience is
    # the companies that asked for one of them).
    services: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12))
    send_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    queued_all: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The admin's progress message (an outbox row, edited as delivery goes on).
    progress_outbox_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    progress_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    companies: Mapped[int] = mapped_column(Integer, default=0)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_notices_status", "status", "send_at"),)


class NoticeRecipient(Base):
    """A person a notice was meant for: queued once (``outbox_id``), or skipped and why."""

    __tablename__ = "notice_recipients"

    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    company_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    outbox_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # blocked | opted_out, when nothing was queued
    skipped: Mapped[str | None] = mapped_column(String(16), nullable=True)


class NoticeOptOut(Base):
    """A person who asked not to receive notices of one kind."""

    __tablename__ = "notice_opt_outs"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CompanyInterest(Base):
    """A category of services a company chose in /settings to hear about."""

    __tablename__ = "company_interests"

    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
