"""The audit log: every act on people's data (leave, remove, forget, purge), who and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.base import Base, BigId, UTCDateTime


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Who acted (a Telegram id), or None for the bot itself and for a person who asked to be
    # forgotten: the log must not keep what it records was erased.
    actor_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    action: Mapped[str] = mapped_column(String(32))
    company_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    detail: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (Index("ix_audit_log_at", "at"),)
