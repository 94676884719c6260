"""The catalogue in service, recorded: every replica serves the newest version written here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.base import Base, BigId, UTCDateTime
from storage.core.sql import dialect_name

# Whoever records a version first holds this for the rest of its transaction (PostgreSQL), so
# two replicas that read the same edit at once record it once.
_RECORD_LOCK = "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '/catalogue'))"


class CatalogueVersion(Base):
    """One catalogue put in service: its text, its SHA-256, who put it there and when."""

    __tablename__ = "catalogue_versions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    # The file it was read from, as the recording process named it.
    source: Mapped[str] = mapped_column(String(255), default="")
    # "watch", "reload" or "start", and the admin's id for /reload.
    recorded_by: Mapped[str] = mapped_column(String(32))
    admin_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_catalogue_versions_digest", "digest"),)


@dataclass(frozen=True, slots=True)
class VersionHead:
    """The newest version's id and digest: what a replica compares every few seconds."""

    id: int
    digest: str


@dataclass(frozen=True, slots=True)
class VersionDTO:
    id: int
    digest: str
    content: str
    source: str
    recorded_by: str
    admin_id: int | None
    recorded_at: datetime


_HEAD = select(CatalogueVersion.id, CatalogueVersion.digest).order_by(
    CatalogueVersion.id.desc()).limit(1)


class CatalogueVersions:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def head(self) -> VersionHead | None:
        """The newest version's id and digest (one indexed row, no content)."""
        row = (await self.s.execute(_HEAD)).first()
        return VersionHead(row[0], row[1]) if row else None

    async def get(self, version_id: int) -> VersionDTO | None:
        row = await self.s.get(CatalogueVersion, version_id)
        if row is None:
            return None
        return VersionDTO(row.id, row.digest, row.content, row.source, row.recorded_by,
                          row.admin_id, row.recorded_at)

    async def known(self, digest: str) -> bool:
        """Whether this text was ever in service."""
        found = await self.s.scalar(
            select(CatalogueVersion.id).where(CatalogueVersion.digest == digest).limit(1))
        return found is not None

    async def record(self, digest: str, content: str, *, source: str, recorded_by: str,
                     admin_id: int | None, now: datetime) -> tuple[int, bool]:
        """Put a version in service: its id, and True when this call recorded it (False: the
        newest version is this text already, recorded by another process first)."""
        if dialect_name(self.s) == "postgresql":
            await self.s.execute(text(_RECORD_LOCK))
        head = await self.head()
        if head is not None and head.digest == digest:
            return head.id, False
        row = CatalogueVersion(digest=digest, content=content, source=source[:255],
                               recorded_by=recorded_by, admin_id=admin_id, recorded_at=now)
        self.s.add(row)
        await self.s.flush()
        return row.id, True
