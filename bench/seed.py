"""Bulk rows for "how cost grows", and the repository calls timed against them.

``python -m bench seed --rows N --database-url URL`` fills a migrated database with N
companies and N people (one per company) through SQLAlchemy core bulk inserts. The queries
timed here are the repository functions the handlers call, on the same session factory the
bot uses.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.credit_code import make_credit_code
from storage.db import Database
from storage.models import Company, User
from storage.repos import Companies, Users

CHUNK = 5_000
STATIONS = ("robotics", "biomed", "materials", "unipark")
# Seeded people get ids far from the emulator's, which counts up from small numbers.
USER_ID_BASE = 9_000_000_000


def seed_code(n: int) -> str:
    """A valid credit code for seeded company ``n`` (a division code bench users never use)."""
    return make_credit_code(f"91310115{n:09d}")


def seed_name(n: int) -> str:
    return f"宝山种子企业{n:06d}有限公司"


async def seed_companies(session: AsyncSession, rows: int, now: datetime) -> None:
    """Companies and their people: what exists before the requests and booking features."""
    start = int(await session.scalar(select(func.count()).select_from(Company)) or 0)
    companies, users = Company.__table__, User.__table__
    assert isinstance(companies, Table)
    assert isinstance(users, Table)
    for lo in range(start, start + rows, CHUNK):
        hi = min(lo + CHUNK, start + rows)
        codes = {n: seed_code(n) for n in range(lo, hi)}
        # Plain executemany: one statement for the chunk (RETURNING would go row by row).
        await session.execute(insert(companies), [
            {"credit_code": code, "name": seed_name(n), "contact_name": "张三",
             "phone": "13800138000", "station_id": STATIONS[n % len(STATIONS)],
             "tier": "standard", "created_at": now, "updated_at": now}
            for n, code in codes.items()
        ])
        ids: dict[str, int] = dict((await session.execute(
            select(companies.c.credit_code, companies.c.id)
            .where(companies.c.credit_code.in_(list(codes.values())))
        )).all())
        await session.execute(insert(users), [
            {"id": USER_ID_BASE + n, "first_name": f"种子{n}", "username": None,
             "language": "zh", "language_chosen": False, "company_id": ids[code],
             "blocked_bot": False, "created_at": now}
            for n, code in codes.items()
        ])


# --- requests and bookings -------------------------------------------------------------------
# When the requests and booking features are merged, add their seeders here (requests spread
# over the seeded companies with a realistic mix of states, bookings over the stations' slots)
# and list them in SEEDERS, so /queue, /requests and the slot listing are timed at scale too.
Seeder = Callable[[AsyncSession, int, datetime], Awaitable[None]]
SEEDERS: tuple[Seeder, ...] = (seed_companies,)


async def seed(db: Database, rows: int) -> None:
    now = datetime.now(UTC)
    for seeder in SEEDERS:
        async with db.session() as session:
            await seeder(session, rows, now)


# ---------------------------------------------------------------------------------------------
# timing the repository calls
# ---------------------------------------------------------------------------------------------
Query = Callable[[AsyncSession, int], Awaitable[Any]]


async def search_by_name(s: AsyncSession, rows: int) -> Any:
    return await Companies(s).search(f"{rows // 2:06d}")


async def search_by_code(s: AsyncSession, rows: int) -> Any:
    return await Companies(s).search(seed_code(rows // 2))


async def company_by_code(s: AsyncSession, rows: int) -> Any:
    return await Companies(s).by_code(seed_code(rows // 2))


async def company_members(s: AsyncSession, rows: int) -> Any:
    company = await Companies(s).by_code(seed_code(rows // 2))
    assert company is not None
    return await Users(s).members(company.id)


async def user_touch(s: AsyncSession, rows: int) -> Any:
    return await Users(s).touch(USER_ID_BASE + rows // 2, f"种子{rows // 2}", None, "zh",
                                datetime.now(UTC))


@dataclass(frozen=True)
class TimedQuery:
    label: str
    fn: Query | None  # None: the feature is not merged yet
    write: bool = False


QUERIES: tuple[TimedQuery, ...] = (
    TimedQuery("Companies.search (name)", search_by_name),
    TimedQuery("Companies.search (credit code)", search_by_code),
    TimedQuery("Companies.by_code", company_by_code),
    TimedQuery("Users.members", company_members),
    TimedQuery("Users.touch (every update)", user_touch, write=True),
    # Timed once the features land: the officers' /queue, a company's /requests, a slot list.
    TimedQuery("/queue", None),
    TimedQuery("company /requests", None),
    TimedQuery("slot listing", None),
)


async def time_query(db: Database, query: TimedQuery, rows: int, repeat: int) -> float:
    """Median seconds of one call, each in its own unit of work like a handler's."""
    assert query.fn is not None
    samples: list[float] = []
    for _ in range(repeat):
        opener = db.session if query.write else db.reader
        t0 = time.perf_counter()
        async with opener() as s:
            await query.fn(s, rows)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)
