"""Bulk rows for "how cost grows", and the repository calls timed against them.

``python -m bench seed --rows N --database-url URL`` fills a migrated database with N
companies and N people (one per company) through SQLAlchemy core bulk inserts. The queries
timed here are the repository functions the handlers call, on the same session factory the
bot uses.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import random
import sqlite3
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue import Catalogue, load_catalogue
from bot.companies.credit_code import make_credit_code
from bot.requests.enterprise import LIST_LIMIT as ENTERPRISE_LIST_LIMIT
from bot.requests.officers import LIST_LIMIT as STAFF_LIST_LIMIT
from bot.visits.schedule import (
    HOUR_BEFORE,
    Slot,
    bookable_days,
    day_before_reminder,
    local_day,
    slots_on,
)
from storage.companies.repo import Companies
from storage.core.db import Database
from storage.core.repos import Outbox, Users
from storage.requests.repo import Requests
from storage.tables import (
    Booking,
    BookingSlot,
    Company,
    OutboxMessage,
    ReferenceSequence,
    Request,
    User,
)
from storage.visits.repo import Bookings

ROOT = Path(__file__).resolve().parent.parent

CHUNK = 5_000
STATIONS = ("bio-park", "materials-park", "robot-park", "university-park", "bureau")
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
# Seeded requests are spread over the seeded companies and the last two years, in a realistic
# mix of states: most closed and rated, a few in progress, a small queue of unclaimed ones.
# Nothing seeded is due for a reminder, escalation or automatic closing, and nothing is owed
# a message: the load run's background jobs and outbox only see the run's own work.
REQUEST_MIX = (("closed", 70), ("withdrawn", 5), ("resolved", 5), ("waiting", 5),
               ("claimed", 10), ("submitted", 5))
STATION_CODES = {"bio-park": "BP", "materials-park": "MP", "robot-park": "RP",
                 "university-park": "UP", "bureau": "BS"}
SERVICES = ("ip-pledge-financing", "ip-insurance", "trademark-guidance", "qms-coaching",
            "standard-self-declaration", "certification-consulting", "policy-consulting",
            "other-needs")
HISTORY = timedelta(days=730)
# Officers of the seeded history (ids far from the emulator's).
SEED_OFFICERS = tuple(range(8_000_000_000, 8_000_000_012))


async def _seeded_companies(session: AsyncSession) -> list[tuple[int, str, int]]:
    """(company id, station, a member's user id) of every company with a person."""
    rows = await session.execute(
        select(Company.id, Company.station_id, func.min(User.id))
        .join(User, User.company_id == Company.id)
        .group_by(Company.id, Company.station_id).order_by(Company.id)
    )
    return [(int(c), str(st), int(u)) for c, st, u in rows.all()]


async def seed_requests(session: AsyncSession, rows: int, now: datetime) -> None:
    """``rows`` requests over the seeded companies, the last two years, every state."""
    companies = await _seeded_companies(session)
    if not companies:
        return
    requests = Request.__table__
    assert isinstance(requests, Table)
    rng = random.Random(rows)
    statuses = [status for status, weight in REQUEST_MIX for _ in range(weight)]
    sequence: dict[tuple[str, str], int] = {}
    for lo in range(0, rows, CHUNK):
        batch: list[dict[str, Any]] = []
        for n in range(lo, min(lo + CHUNK, rows)):
            company_id, station, user_id = companies[rng.randrange(len(companies))]
            status = statuses[n % len(statuses)]
            # Unclaimed and unfinished requests are recent; the rest spread over two years.
            if status == "submitted":
                created = now - timedelta(minutes=rng.randrange(1, 3 * 24 * 60))
            elif status in ("claimed", "waiting", "resolved"):
                created = now - timedelta(minutes=rng.randrange(60, 6 * 24 * 60))
            else:
                created = now - timedelta(minutes=rng.randrange(7 * 24 * 60,
                                                                int(HISTORY.total_seconds() // 60)))
            code = STATION_CODES[station]
            yymm = (created + timedelta(hours=8)).strftime("%y%m")
            number = sequence[(code, yymm)] = sequence.get((code, yymm), 0) + 1
            officer = SEED_OFFICERS[n % len(SEED_OFFICERS)]
            claimed = status != "submitted" and status != "withdrawn"
            resolved = created + timedelta(hours=rng.randrange(2, 72)) if status in (
                "resolved", "closed") else None
            if resolved is not None and status == "resolved" and resolved > now:
                resolved = now - timedelta(minutes=1)
            batch.append({
                "reference": f"{code}-{yymm}-{number:04d}", "company_id": company_id,
                "station_id": station, "service_id": SERVICES[n % len(SERVICES)],
                "status": status, "answers": {}, "description": f"种子需求 {n}",
                "created_by": user_id, "claimed_by": officer if claimed else None,
                "claimed_at": created + timedelta(minutes=30) if claimed else None,
                "owner_name": f"科员{officer % 100}" if claimed else None,
                "card_outbox_id": None, "created_at": created, "updated_at": created,
                "due_at": created + timedelta(hours=4),
                "escalate_at": created + timedelta(hours=8), "queue_round": 0,
                # Reminders and escalations of the seeded queue went out long ago.
                "announced": True, "escalated": True,
                "first_response_at": created + timedelta(hours=1) if claimed else None,
                "resolved_at": resolved,
                "closed_at": (resolved or created) if status in ("closed", "withdrawn") else None,
                "rating": 1 + n % 5 if status == "closed" else None, "rating_comment": None,
            })
        await session.execute(insert(requests), batch)
    # New submissions continue each station's monthly sequence after the seeded ones.
    sequences = ReferenceSequence.__table__
    assert isinstance(sequences, Table)
    await session.execute(insert(sequences), [
        {"station_code": code, "yymm": yymm, "last": last}
        for (code, yymm), last in sequence.items()
    ])


async def seed_bookings(session: AsyncSession, rows: int, now: datetime,
                        cat: Catalogue | None = None) -> None:
    """``rows`` bookings in the stations' real slots: the coming weeks a third full, the past
    day by day backwards (kept visits, no-shows, cancellations) until ``rows`` are placed.

    Every slot's seat counter agrees with the bookings holding a seat, and no slot is over
    capacity, so the bench's correctness checks hold for seeded rows too.
    """
    cat = cat or load_catalogue(ROOT / "catalogue.yaml")
    companies = await _seeded_companies(session)
    if not companies:
        return
    bookings, slots_table = Booking.__table__, BookingSlot.__table__
    assert isinstance(bookings, Table)
    assert isinstance(slots_table, Table)
    rng = random.Random(rows + 1)
    made = 0
    booking_rows: list[dict[str, Any]] = []
    counters: list[dict[str, Any]] = []
    company_at = 0

    def place(slot: Slot, held: int, cancelled: int, future: bool) -> None:
        nonlocal made, company_at
        station = cat.station(slot.station_id)
        assert station is not None
        seated = 0
        for i in range(held + cancelled):
            if made >= rows:
                break
            seated += i < held
            company_id, _, user_id = companies[company_at % len(companies)]
            company_at += 1
            status = ("confirmed" if future else
                      "no_show" if rng.random() < 0.07 else "arrived") if i < held else "cancelled"
            booking_rows.append({
                "company_id": company_id, "user_id": user_id, "station_id": slot.station_id,
                "starts_at": slot.start, "ends_at": slot.end,
                "service_id": SERVICES[made % len(SERVICES)], "request_id": None,
                "note": None, "status": status,
                "cancel_reason": "company" if status == "cancelled" else None,
                "hold_until": None,
                "remind_day_at": day_before_reminder(station, slot.start),
                "remind_hour_at": slot.start - HOUR_BEFORE,
                # Reminders of seeded visits count as sent: the run's jobs stay quiet.
                "day_reminded_at": now, "hour_reminded_at": now,
                "ics_uid": f"seed-{made}@frontdoor", "sequence": 0,
                "created_at": min(now, slot.start) - timedelta(days=3),
                "updated_at": min(now, slot.start) - timedelta(days=3),
            })
            made += 1
        if seated:
            counters.append({"station_id": slot.station_id, "starts_at": slot.start,
                             "taken": seated})

    stations = [s for s in cat.stations if s.windows]
    # The weeks ahead: about a third of the seats, so the load run finds free ones.
    for station in stations:
        today = local_day(station, now)
        for offset in range(1, station.horizon_days + 1):
            for slot in slots_on(cat, station, today + timedelta(days=offset)):
                if made < rows and slot.start > now + timedelta(days=1) and rng.random() < 0.33:
                    place(slot, 1, 0, future=True)
    day = 1
    while made < rows:
        for station in stations:
            past = local_day(station, now) - timedelta(days=day)
            for slot in slots_on(cat, station, past):
                place(slot, rng.randint(0, slot.seats), rng.randint(0, 2), future=False)
        day += 1
        if day > 365 * 50:
            break
    for lo in range(0, len(booking_rows), CHUNK):
        await session.execute(insert(bookings), booking_rows[lo:lo + CHUNK])
    for lo in range(0, len(counters), CHUNK):
        await session.execute(insert(slots_table), counters[lo:lo + CHUNK])


async def seed_outbox(session: AsyncSession, rows: int, now: datetime) -> None:
    """``rows`` messages delivered long ago: the outbox keeps every row it ever sent."""
    outbox = OutboxMessage.__table__
    assert isinstance(outbox, Table)
    for lo in range(0, rows, CHUNK):
        await session.execute(insert(outbox), [
            {"chat_id": USER_ID_BASE + n, "thread_id": None, "kind": "send",
             "payload": {"text": f"种子消息 {n}", "buttons": []}, "ref_kind": None,
             "ref_id": None, "status": "sent", "attempts": 1,
             "not_before": now - timedelta(days=1), "locked_until": None,
             "created_at": now - timedelta(days=1), "sent_at": now - timedelta(days=1),
             "sent_message_id": n + 1, "error": None, "dedupe_key": None}
            for n in range(lo, min(lo + CHUNK, rows))
        ])


Seeder = Callable[[AsyncSession, int, datetime], Awaitable[None]]
SEEDERS: tuple[Seeder, ...] = (seed_companies, seed_requests, seed_bookings, seed_outbox)


async def seed(db: Database, rows: int) -> None:
    now = datetime.now(UTC)
    for seeder in SEEDERS:
        async with db.session() as session:
            await seeder(session, rows, now)
    await settle(db)


async def settle(db: Database) -> None:
    """Leave the database as a running one would be after a bulk load: SQLite's log folded
    into the file (readers otherwise look every page up in a huge write-ahead log), and
    PostgreSQL's planner statistics gathered (its autovacuum would soon do the same)."""
    if db.sqlite:
        path = make_url(db.url).database
        if path and path != ":memory:":
            # Outside any transaction (SQLAlchemy would open one): a plain connection.
            with contextlib.closing(sqlite3.connect(path)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    async with db.engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql("ANALYZE")


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


async def staff_queue(s: AsyncSession, rows: int) -> Any:
    """What /queue reads: the oldest unclaimed requests, and each one's company."""
    queue = await Requests(s).queue(limit=STAFF_LIST_LIMIT)
    return await Companies(s).many({r.company_id for r in queue})


async def company_requests(s: AsyncSession, rows: int) -> Any:
    """What /requests reads: the person's company, its newest requests (first page)."""
    company = await Companies(s).by_code(seed_code(rows // 2))
    assert company is not None
    return await Requests(s).for_company(company.id, limit=ENTERPRISE_LIST_LIMIT)


@functools.cache
def _catalogue() -> Catalogue:
    return load_catalogue(ROOT / "catalogue.yaml")


async def slot_listing(s: AsyncSession, rows: int) -> Any:
    """What /book's day list reads: the company's upcoming bookings, the station's open
    days within the horizon, and the seats taken in them (the busiest station)."""
    cat, now = _catalogue(), datetime.now(UTC)
    company = await Companies(s).by_code(seed_code(rows // 2))
    assert company is not None
    bookings = Bookings(s)
    count = await bookings.upcoming_count(company.id, now)
    days = bookable_days(cat, "bureau", now, upcoming=count)
    first = next(iter(days.values()))[0].start
    last = list(days.values())[-1][-1].start
    return await bookings.taken("bureau", first, last)


async def requests_due(s: AsyncSession, rows: int) -> Any:
    """What the requests job asks every second: is a reminder, escalation or closing due?"""
    now = datetime.now(UTC)
    return await Requests(s).anything_due(now, now - timedelta(days=7))


async def bookings_due(s: AsyncSession, rows: int) -> Any:
    """What the booking jobs ask every second: reminders due, holds run out."""
    now, bookings = datetime.now(UTC), Bookings(s)
    return (await bookings.due_reminders("day", now), await bookings.due_reminders("hour", now),
            await bookings.expired_offers(now))


async def outbox_claim(s: AsyncSession, rows: int) -> Any:
    """The dispatcher's lease of due messages (when its indexed look finds any)."""
    return await Outbox(s).claim_due(datetime.now(UTC), 50, timedelta(seconds=30))


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
    TimedQuery("/queue (oldest unclaimed)", staff_queue),
    TimedQuery("company /requests (newest first)", company_requests),
    TimedQuery("slot listing (next 4 weeks)", slot_listing),
    TimedQuery("requests job: anything due (every second)", requests_due),
    TimedQuery("booking jobs: reminders, holds (every second)", bookings_due),
    TimedQuery("outbox: claiming due messages (dispatcher)", outbox_claim, write=True),
)


async def time_query(db: Database, query: TimedQuery, rows: int, repeat: int) -> float:
    """Median seconds of one call, each in its own unit of work like a handler's."""
    assert query.fn is not None
    opener = db.session if query.write else db.reader
    # Warm the statement caches and the pages the call reads, and start from a collected
    # heap: the first calls after a bulk load measure the load, not the query.
    for _ in range(5):
        async with opener() as s:
            await query.fn(s, rows)
    gc.collect()
    samples: list[float] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        async with opener() as s:
            await query.fn(s, rows)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)
