"""Repositories for companies and the requests to join one."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    bindparam,
    func,
    literal_column,
    select,
    table,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.companies.dto import CompanyDTO, JoinRequestDTO
from storage.core.sql import dialect_name, insert_ignore
from storage.tables import (
    Company,
    JoinRequest,
)


def company_dto(row: Company) -> CompanyDTO:
    return CompanyDTO(
        id=row.id, credit_code=row.credit_code, name=row.name, contact_name=row.contact_name,
        phone=row.phone, station_id=row.station_id, tier=row.tier, created_at=row.created_at,
    )


_COMPANIES = select(
    Company.id, Company.credit_code, Company.name, Company.contact_name, Company.phone,
    Company.station_id, Company.tier, Company.created_at,
)


_COMPANY_BY_ID = _COMPANIES.where(Company.id == bindparam("id"))


class Companies:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, company_id: int) -> CompanyDTO | None:
        row = (await self.s.execute(_COMPANY_BY_ID, {"id": company_id})).first()
        return CompanyDTO(*row) if row else None

    async def many(self, company_ids: set[int]) -> dict[int, CompanyDTO]:
        """Several companies by id in one query (a list of requests names each one's)."""
        if not company_ids:
            return {}
        rows = await self.s.execute(_COMPANIES.where(Company.id.in_(sorted(company_ids))))
        return {row.id: CompanyDTO(*row) for row in rows}

    async def by_code(self, credit_code: str) -> CompanyDTO | None:
        row = await self.s.scalar(select(Company).where(Company.credit_code == credit_code))
        return company_dto(row) if row else None

    async def create_or_get(self, values: dict[str, Any], now: datetime) -> tuple[CompanyDTO, bool]:
        """Register a company, or return the one that holds the code already (never a twin)."""
        created = await insert_ignore(
            self.s, Company, {**values, "tier": "standard", "created_at": now, "updated_at": now}
        )
        row = await self.s.scalar(
            select(Company).where(Company.credit_code == values["credit_code"])
        )
        assert row is not None
        return company_dto(row), created

    async def update(self, company_id: int, values: dict[str, Any], now: datetime) -> None:
        await self.s.execute(
            update(Company).where(Company.id == company_id).values(**values, updated_at=now)
        )

    async def search(self, text: str, limit: int = 10) -> list[CompanyDTO]:
        """Companies whose name holds ``text`` (in any case), or whose credit code it is.

        Two indexed lookups rather than one OR, which no index serves: the code through its
        unique key, the name through a trigram index where the database has one.
        """
        query = text.strip()
        found = await self._by_name(query.lower(), limit)
        code = query.upper()
        if _CODE_SHAPE.match(code) and all(c.credit_code != code for c in found):
            exact = await self.by_code(code)
            if exact is not None:
                found = sorted([*found, exact], key=lambda c: c.name)[:limit]
        return found

    async def _by_name(self, lowered: str, limit: int) -> list[CompanyDTO]:
        stmt = select(Company).order_by(Company.name).limit(limit)
        # A trigram index needs three characters; shorter text is matched by a scan.
        if len(lowered) >= 3 and dialect_name(self.s) == "sqlite" and await self._fts():
            phrase = '"' + lowered.replace('"', '""') + '"'
            matches: Select[tuple[Any]] = select(literal_column("rowid")).select_from(
                table(NAME_FTS)).where(
                literal_column(NAME_FTS).op("MATCH")(phrase))
            stmt = stmt.where(Company.id.in_(matches))
        else:
            pattern = "%" + _escape_like(lowered) + "%"
            stmt = stmt.where(func.lower(Company.name).like(pattern, escape="\\"))
        return [company_dto(r) for r in await self.s.scalars(stmt)]

    async def _fts(self) -> bool:
        """Does this SQLite database have the name index (migration 0005 makes it if it can)?"""
        bind = self.s.get_bind()
        key = str(bind.engine.url)
        if key not in _FTS_PRESENT:
            _FTS_PRESENT[key] = await self.s.scalar(
                select(literal_column("1")).select_from(table("sqlite_master"))
                .where(literal_column("name") == NAME_FTS)
            ) is not None
        return _FTS_PRESENT[key]


# The trigram table over company names on SQLite (see migration 0005), and whether each
# database has it (it needs FTS5 with the trigram tokenizer, SQLite 3.34 or later).
NAME_FTS = "companies_name_fts"


_FTS_PRESENT: dict[str, bool] = {}


# What a 统一社会信用代码 looks like (its check character is the caller's business).
_CODE_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def _escape_like(text: str) -> str:
    """The text as a literal inside a LIKE pattern (``%`` and ``_`` match only themselves)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class JoinRequests:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def open(self, company_id: int, user_id: int, now: datetime) -> tuple[int, bool]:
        """The person's pending request to join, created if there is none: (id, created)."""
        created = await insert_ignore(self.s, JoinRequest, {
            "company_id": company_id, "user_id": user_id, "status": "pending", "created_at": now,
        })
        found = await self.s.scalar(
            select(JoinRequest.id).where(
                JoinRequest.company_id == company_id, JoinRequest.user_id == user_id,
                JoinRequest.status == "pending",
            )
        )
        assert found is not None
        return found, created

    async def last_declined(self, company_id: int, user_id: int) -> datetime | None:
        """When this person's latest request to join the company was declined, if ever."""
        return await self.s.scalar(
            select(func.max(JoinRequest.decided_at)).where(
                JoinRequest.company_id == company_id, JoinRequest.user_id == user_id,
                JoinRequest.status == "declined",
            )
        )

    async def get(self, request_id: int) -> JoinRequestDTO | None:
        row = await self.s.get(JoinRequest, request_id, populate_existing=True)
        if row is None:
            return None
        return JoinRequestDTO(row.id, row.company_id, row.user_id, row.status, row.created_at)

    async def decide(self, request_id: int, approve: bool, by: int, now: datetime) -> bool:
        """Settle a pending request; False when someone else settled it first."""
        result = await self.s.execute(
            update(JoinRequest)
            .where(JoinRequest.id == request_id, JoinRequest.status == "pending")
            .values(status="approved" if approve else "declined", decided_by=by, decided_at=now)
        )
        return bool(getattr(result, "rowcount", 0))
