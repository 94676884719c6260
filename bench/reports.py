"""``python -m bench reports``: how long /report takes on a big history, and who waits.

N requests (default 100,000) are bulk-inserted over two months, the stations, services and
officers, with their threads (claims, officers' messages, notes), resolutions, ratings, and
some visits. Then the report of the second month, for one station and for every station, is
built by the code /report runs (``bot.reports.metrics.build`` and
``bot.reports.workbook.workbook`` over a read-only session), while a ticker on the same event
loop measures how late it wakes up: how long another person would have waited. Each figure
is printed next to its target and beside a plain ``SELECT count(*)`` over the same rows, so a
slow machine can be told from slow code. Speed is reported, never asserted.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import psutil
from sqlalchemy import Table, func, insert, or_, select

from bench.run import fresh_database
from bench.seed import (
    ROOT,
    SEED_OFFICERS,
    _seeded_companies,
    seed_bookings,
    seed_companies,
    settle,
)
from bot.catalogue import Catalogue, Station, load_catalogue
from bot.reports.metrics import Clocks, Report, build, spans
from bot.reports.period import Period, parse_period
from bot.reports.workbook import workbook
from storage.core.db import Database, is_sqlite
from storage.reports.queries import Reports, Span, within
from storage.tables import Request, RequestEvent

T = TypeVar("T")

BUREAU_TZ = "Asia/Shanghai"
SHANGHAI = ZoneInfo(BUREAU_TZ)
# The two months of history; the report is of the second (the first gives it requests
# resolved, answered or due in it that were submitted before).
MONTHS = ("2026-10", "2026-11")
REPORTED = MONTHS[1]
ONE_STATION = "robot-park"
CHUNK = 5_000
# Targets at 100k requests (docs/bench.md).
NUMBERS_TARGET_S = 5.0
WORKBOOK_TARGET_S = 30.0
TICK_S = 0.01
# One company per this many requests; one visit per this many requests.
REQUESTS_PER_COMPANY = 10
REQUESTS_PER_VISIT = 10
# (status, weight): most requests of two months closed and rated, some resolved and not yet
# rated, a few in progress, withdrawn or still waiting in the queue.
MIX = (("closed", 70), ("resolved", 10), ("claimed", 6), ("waiting", 4), ("withdrawn", 5),
       ("submitted", 5))
# (stars, weight) of the ratings given.
STARS = ((5, 55), (4, 25), (3, 10), (2, 6), (1, 4))


# ---------------------------------------------------------------------------------------------
# seeding
# ---------------------------------------------------------------------------------------------
def _months() -> tuple[datetime, datetime]:
    """The history's first and last moment (UTC)."""
    first = parse_period(MONTHS[0], date(2027, 1, 1)).first
    after = parse_period(MONTHS[1], date(2027, 1, 1)).after
    return (datetime.combine(first, clock_time(0), SHANGHAI).astimezone(UTC),
            datetime.combine(after, clock_time(0), SHANGHAI).astimezone(UTC))


def _weighted(pairs: tuple[tuple[Any, int], ...]) -> list[Any]:
    return [value for value, weight in pairs for _ in range(weight)]


def _office_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A moment between ``start`` and ``end``, nine times out of ten in office hours."""
    days = (end - start).days
    day = (start + timedelta(days=rng.randrange(days))).astimezone(SHANGHAI)
    hour = rng.uniform(8.5, 17.5) if rng.random() < 0.9 else rng.uniform(0, 24)
    local = datetime.combine(day.date(), clock_time(0), SHANGHAI) + timedelta(hours=hour)
    return local.astimezone(UTC)


async def seed_history(db: Database, requests: int, cat: Catalogue) -> dict[str, int]:
    """Companies, ``requests`` requests with their threads, and visits; returns the counts."""
    start, end = _months()
    rng = random.Random(requests)
    async with db.session() as session:
        await seed_companies(session, max(1, requests // REQUESTS_PER_COMPANY), end)
    async with db.session() as session:
        companies = await _seeded_companies(session)
        first_id = int(await session.scalar(select(func.max(Request.id))) or 0) + 1
    services = list(cat.services)
    stations = [st.id for st in cat.stations]
    statuses, stars = _weighted(MIX), _weighted(STARS)
    request_table, event_table = Request.__table__, RequestEvent.__table__
    assert isinstance(request_table, Table)
    assert isinstance(event_table, Table)
    sequence: dict[tuple[str, str], int] = {}
    events_written = 0
    for lo in range(0, requests, CHUNK):
        rows: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for n in range(lo, min(lo + CHUNK, requests)):
            rid = first_id + n
            company_id, _, user_id = companies[rng.randrange(len(companies))]
            station = stations[n % len(stations)]
            service = services[rng.randrange(len(services))]
            status = statuses[rng.randrange(len(statuses))]
            created = _office_moment(rng, start, end)
            yymm = created.astimezone(SHANGHAI).strftime("%y%m")
            number = sequence[(station, yymm)] = sequence.get((station, yymm), 0) + 1
            officer = SEED_OFFICERS[rng.randrange(len(SEED_OFFICERS))]
            claimed = status not in ("submitted", "withdrawn")
            claimed_at = created + timedelta(minutes=rng.randrange(5, 60 * 30)) if claimed \
                else None
            resolved_at = claimed_at + timedelta(hours=rng.uniform(0.5, 96)) \
                if claimed_at is not None and status in ("resolved", "closed") else None
            closed_at = resolved_at + timedelta(hours=rng.uniform(0.1, 48)) \
                if resolved_at is not None and status == "closed" else (
                    created + timedelta(hours=rng.uniform(0.1, 72))
                    if status == "withdrawn" else None)
            rating = stars[rng.randrange(len(stars))] if status == "closed" else None
            rows.append({
                "id": rid, "reference": f"{station[:2].upper()}-{yymm}-{number:05d}",
                "company_id": company_id, "station_id": station, "service_id": service.id,
                "status": status, "answers": {}, "description": f"报表需求 {n}",
                "created_by": user_id, "claimed_by": officer if claimed else None,
                "claimed_at": claimed_at, "owner_name": f"科员{officer % 100}" if claimed
                else None, "card_outbox_id": None, "created_at": created,
                "updated_at": closed_at or resolved_at or claimed_at or created,
                "due_at": created + timedelta(hours=service.response_hours),
                "escalate_at": created + timedelta(hours=2 * service.response_hours),
                "queue_round": 0, "announced": True, "escalated": True,
                "first_response_at": claimed_at, "resolved_at": resolved_at,
                "closed_at": closed_at, "rating": rating,
                "rating_comment": "回复太慢" if rating is not None and rating <= 2 else None,
            })
            thread = [("status", "enterprise", created, "submitted")]
            if rng.random() < 0.3:
                thread.append(("message", "enterprise",
                               created + timedelta(minutes=rng.randrange(1, 120)), "请尽快"))
            if claimed_at is not None:
                thread.append(("status", "staff", claimed_at, "claimed"))
                # Four in five officers write to the company; some before claiming.
                if rng.random() < 0.8:
                    said = claimed_at + timedelta(minutes=rng.randrange(-20, 240))
                    thread.append(("message", "staff", max(said, created), "您好，已收到"))
                if rng.random() < 0.1:
                    thread.append(("note", "staff", claimed_at + timedelta(minutes=5), "备注"))
            if resolved_at is not None:
                thread.append(("status", "staff", resolved_at, "resolved"))
            if status == "withdrawn" and closed_at is not None:
                thread.append(("status", "enterprise", closed_at, "withdrawn"))
            events.extend({"request_id": rid, "kind": kind, "side": side,
                           "author_id": officer if side == "staff" else user_id,
                           "author_name": "", "text": text, "created_at": when}
                          for kind, side, when, text in thread)
        async with db.session() as session:
            # Plain executemany: one statement per chunk, no RETURNING.
            await session.execute(insert(request_table), rows)
            await session.execute(insert(event_table), events)
        events_written += len(events)
    visits = max(1, requests // REQUESTS_PER_VISIT)
    async with db.session() as session:
        await seed_bookings(session, visits, end, cat)
    await settle(db)
    return {"companies": len(companies), "requests": requests, "events": events_written,
            "visits": visits}


# ---------------------------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------------------------
@dataclass
class Measure:
    """One timed step: seconds, the worst lateness of a 10 ms ticker, memory growth."""

    seconds: float = 0.0
    worst_lag: float = 0.0
    rss_growth: int = 0
    heap_peak: int | None = None


@dataclass
class ScopeResult:
    label: str
    rows: int = 0  # requests submitted or resolved in the month (the workbook's rows)
    baseline: float = 0.0  # SELECT count(*) of those rows
    numbers: Measure = field(default_factory=Measure)
    workbook: Measure = field(default_factory=Measure)
    workbook_bytes: int = 0
    received: int = 0


@dataclass
class ReportsBench:
    backend: str
    requests: int
    seeded: dict[str, int] = field(default_factory=dict)
    seed_seconds: float = 0.0
    scopes: list[ScopeResult] = field(default_factory=list)


class _RssPeak:
    """The process's resident memory, sampled every 10 ms in a thread; the peak above the
    start."""

    def __init__(self) -> None:
        self._proc = psutil.Process()
        self._stop = threading.Event()
        self.start = int(self._proc.memory_info().rss)
        self.peak = self.start
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(TICK_S):
            self.peak = max(self.peak, int(self._proc.memory_info().rss))

    def __enter__(self) -> _RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, int(self._proc.memory_info().rss))

    @property
    def growth(self) -> int:
        return self.peak - self.start


async def _ticker(stop: asyncio.Event, measure: Measure) -> None:
    """Another coroutine on the loop: how late does it wake up from a 10 ms sleep?"""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        due = loop.time() + TICK_S
        await asyncio.sleep(TICK_S)
        measure.worst_lag = max(measure.worst_lag, loop.time() - due)


async def timed(fn: Callable[[], Awaitable[T]], *, heap: bool) -> tuple[T, Measure]:
    """Run ``fn`` with the ticker beside it; with ``heap``, under tracemalloc (slower, so
    its time is not the one reported)."""
    measure, stop = Measure(), asyncio.Event()
    ticker = asyncio.create_task(_ticker(stop, measure))
    await asyncio.sleep(0)
    if heap:
        tracemalloc.start()
    try:
        with _RssPeak() as rss:
            started = time.perf_counter()
            result = await fn()
            measure.seconds = time.perf_counter() - started
        measure.rss_growth = rss.growth
        if heap:
            measure.heap_peak = tracemalloc.get_traced_memory()[1]
    finally:
        if heap:
            tracemalloc.stop()
        stop.set()
        await ticker
    return result, measure


async def _baseline(db: Database, scope: list[Span]) -> tuple[int, float]:
    """``SELECT count(*)`` of the requests submitted or resolved in the month: the rows the
    workbook lists. The median of three."""
    r = Request
    stmt = select(func.count()).select_from(r).where(
        or_(within(r.station_id, r.created_at, scope), within(r.station_id, r.resolved_at,
                                                             scope)))
    samples, count = [], 0
    for _ in range(3):
        started = time.perf_counter()
        async with db.reader() as session:
            count = int(await session.scalar(stmt) or 0)
        samples.append(time.perf_counter() - started)
    return count, statistics.median(samples)


async def measure_scope(db: Database, cat: Catalogue, period: Period, label: str,
                        stations: list[Station], every: bool, *, heap: bool) -> ScopeResult:
    result = ScopeResult(label)
    scope = spans(cat, period, stations, BUREAU_TZ, every=every)
    result.rows, result.baseline = await _baseline(db, scope)
    zone = BUREAU_TZ if every else stations[0].timezone
    clocks = Clocks(cat, BUREAU_TZ)

    async def numbers() -> Report:
        async with db.reader(snapshot=True) as session:
            return await build(Reports(session), cat, period, stations, BUREAU_TZ, every=every)

    report, result.numbers = await timed(numbers, heap=False)
    result.received = report.received

    async def sheet() -> bytes:
        async with db.reader(snapshot=True) as session:
            return await workbook(Reports(session), cat, report, scope, clocks, "zh", zone)

    content, result.workbook = await timed(sheet, heap=False)
    result.workbook_bytes = len(content)
    if heap:
        # Python's own allocations, traced in a second pass (tracing slows it down).
        _, traced = await timed(numbers, heap=True)
        result.numbers.heap_peak = traced.heap_peak
        _, traced = await timed(sheet, heap=True)
        result.workbook.heap_peak = traced.heap_peak
    return result


async def run_reports(requests: int, server_url: str | None, *, heap: bool = False,
                      keep: bool = False) -> ReportsBench:
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    backend = "sqlite" if server_url is None or is_sqlite(server_url) else "postgresql"
    bench = ReportsBench(backend, requests)
    cat = load_catalogue(ROOT / "catalogue.yaml")
    period = parse_period(REPORTED, date(2027, 1, 1))
    station = cat.station(ONE_STATION)
    assert station is not None
    directory = Path(tempfile.mkdtemp(prefix="frontdoor-bench-reports-"))
    try:
        async with fresh_database(server_url, directory, "reports", keep=keep) as url:
            db = Database(url)
            try:
                started = time.perf_counter()
                bench.seeded = await seed_history(db, requests, cat)
                bench.seed_seconds = time.perf_counter() - started
                print(f"  seeded {requests:,} requests ({bench.seeded['events']:,} thread "
                      f"entries, {bench.seeded['companies']:,} companies, "
                      f"{bench.seeded['visits']:,} visits) in {bench.seed_seconds:.1f}s",
                      flush=True)
                for label, stations, every in (
                    (f"{ONE_STATION}, {REPORTED}", [station], False),
                    (f"every station, {REPORTED}", list(cat.stations), True),
                ):
                    print(f"  {label} …", flush=True)
                    bench.scopes.append(await measure_scope(db, cat, period, label, stations,
                                                            every, heap=heap))
            finally:
                await db.dispose()
    finally:
        if keep:
            print(f"database kept in {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    return bench


# ---------------------------------------------------------------------------------------------
# the table
# ---------------------------------------------------------------------------------------------
def _mb(value: int | None) -> str:
    return "—" if value is None else f"{value / 2**20:.1f} MB"


def _mark(ok: bool) -> str:
    return "✔" if ok else "✘"


def print_reports(bench: ReportsBench) -> None:
    cpus = psutil.cpu_count() or 0
    print(f"\nFrontdoor reports benchmark ({bench.backend}; {bench.requests:,} requests over "
          f"{MONTHS[0]} and {MONTHS[1]}; {cpus} CPUs; Python {platform.python_version()})\n")
    print("| scope | rows | SELECT count(*) | numbers | workbook | worst wait of another "
          "coroutine (numbers / workbook) | RSS growth | Python heap peak (numbers / "
          "workbook) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for s in bench.scopes:
        print(f"| {s.label} | {s.rows:,} | {s.baseline * 1000:.1f} ms | "
              f"{s.numbers.seconds:.2f} s | {s.workbook.seconds:.2f} s | "
              f"{s.numbers.worst_lag * 1000:.0f} ms / {s.workbook.worst_lag * 1000:.0f} ms | "
              f"{_mb(max(s.numbers.rss_growth, s.workbook.rss_growth))} | "
              f"{_mb(s.numbers.heap_peak)} / {_mb(s.workbook.heap_peak)} |")
    print("\n| target | where we stand | |\n|---|---|---|")
    for s in bench.scopes:
        print(f"| numbers ≤ {NUMBERS_TARGET_S:.0f} s ({s.label}) | {s.numbers.seconds:.2f} s | "
              f"{_mark(s.numbers.seconds <= NUMBERS_TARGET_S)} |")
        print(f"| workbook ≤ {WORKBOOK_TARGET_S:.0f} s ({s.label}) | {s.workbook.seconds:.2f} s "
              f"| {_mark(s.workbook.seconds <= WORKBOOK_TARGET_S)} |")
    print(f"\nnote: {bench.seed_seconds:.1f}s to seed; the workbook of every station is "
          f"{bench.scopes[-1].workbook_bytes / 2**20:.1f} MB" if bench.scopes else "")


def main(requests: int, server_url: str | None, *, heap: bool = False,
         keep: bool = False) -> int:
    print(f"reports ({requests:,} requests):", flush=True)
    bench = asyncio.run(run_reports(requests, server_url, heap=heap, keep=keep))
    print_reports(bench)
    sys.stdout.flush()
    return 0
