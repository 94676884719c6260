"""Tables of companies and of the requests to join one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.base import PERSONAL, Base, BigId, UTCDateTime


class Company(Base):
    """A registered enterprise.

    Its name is also indexed for substring search outside this model (dialect-specific, see
    migration 0005): an FTS5 trigram table on SQLite, a pg_trgm GIN index on PostgreSQL.
    """

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(100), info=PERSONAL)
    phone: Mapped[str] = mapped_column(String(32), info=PERSONAL)
    station_id: Mapped[str] = mapped_column(String(32), index=True)
    tier: Mapped[str] = mapped_column(String(16), default="standard")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class JoinRequest(Base):
    """Someone asks to join a registered company; an existing contact (or an officer) decides.

    Credit codes are public, so knowing one must not be enough to see a company's requests.
    """

    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    # pending | approved | declined
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    __table_args__ = (
        # One open request per person and company.
        Index("uq_join_requests_pending", "company_id", "user_id", unique=True,
              sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
    )
