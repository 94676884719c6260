"""The whole benchmark: cost growth, our bot under load, the echo bots, correctness, a table."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bench import journeys
from bench.load import (
    ROOT,
    TOKEN,
    BotProcess,
    Journey,
    MeasuredEmulator,
    Phase,
    Recorder,
    closed_loop,
    open_loop,
    python_argv,
    wait_polling,
)
from bench.seed import QUERIES, seed, time_query
from frontdoor_emulator import Chat
from frontdoor_emulator import User as Person
from storage.core.db import Database, is_sqlite
from storage.migrate import upgrade
from storage.tables import Booking, BookingSlot, Company, OutboxMessage, Request, User
from storage.visits.status import LIVE

SIZES = (1_000, 10_000, 100_000)
# Bookings that occupy a seat of their slot (live ones, and past visits that were kept).
SEAT_HOLDING = (*LIVE, "arrived", "no_show")
# Officers in the bench's staff group; each request goes to one of them.
OFFICERS = 8


@dataclass
class Options:
    quick: bool = False
    database_url: str | None = None  # PostgreSQL server to make fresh databases on
    users: int = 64
    seconds: float = 20.0
    warmup: float = 3.0
    preseed: int = 100_000
    echo: bool = True
    aiogram: bool = True
    scaling: bool = True
    transport: str = "aiohttp"
    keep: bool = False

    @classmethod
    def quick_run(cls, **overrides: Any) -> Options:
        values: dict[str, Any] = {"quick": True, "seconds": 6.0, "warmup": 2.0,
                                  "preseed": 10_000}
        values.update(overrides)
        return cls(**values)


@dataclass
class Report:
    options: Options
    backend: str = "sqlite"
    phases: dict[str, Phase] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    peak_rss: int = 0
    scaling: dict[str, dict[int, float | None]] = field(default_factory=dict)
    updates_per_journey: float = 0.0

    @property
    def correct(self) -> bool:
        return all(ok for _, ok, _ in self.checks)


# ---------------------------------------------------------------------------------------------
# databases
# ---------------------------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def fresh_database(server_url: str | None, directory: Path, name: str,
                         keep: bool = False, template: str | None = None) -> AsyncIterator[str]:
    """A new, migrated database: a SQLite file, or a new database on the PostgreSQL server
    (a copy of ``template``, a database URL on the same server no one is connected to, when
    given)."""
    if server_url is None or is_sqlite(server_url):
        url = f"sqlite+aiosqlite:///{directory / f'{name}.db'}"
        await upgrade(url)
        yield url
        return
    dbname = f"frontdoor_bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    copy = f' TEMPLATE "{make_url(template).database}"' if template else ""
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{dbname}"{copy}'))
    url = make_url(server_url).set(database=dbname).render_as_string(hide_password=False)
    try:
        await upgrade(url)
        yield url
    finally:
        if not keep:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        await admin.dispose()


# ---------------------------------------------------------------------------------------------
# how cost grows
# ---------------------------------------------------------------------------------------------
async def measure_scaling(report: Report, directory: Path,
                          stack: contextlib.AsyncExitStack) -> str | None:
    """Time the queries at each size; returns the database of the load run's size, kept
    open on ``stack`` so the load run need not seed the same rows a second time."""
    opts = report.options
    repeat = 15 if opts.quick else 60
    reuse: str | None = None
    for size in SIZES:
        keep = size == opts.preseed
        async with contextlib.AsyncExitStack() as scope:
            url = await (stack if keep else scope).enter_async_context(fresh_database(
                opts.database_url, directory, f"scale{size}", keep=opts.keep))
            if keep:
                reuse = url
            db = Database(url)
            t0 = time.perf_counter()
            await seed(db, size)
            seeded = time.perf_counter() - t0
            print(f"  seeded {size:>7,} companies, people, requests, bookings and sent "
                  f"messages in {seeded:.1f}s", flush=True)
            for query in QUERIES:
                row = report.scaling.setdefault(query.label, {})
                row[size] = None if query.fn is None else await time_query(
                    db, query, size, repeat)
            await db.dispose()
    return reuse


# ---------------------------------------------------------------------------------------------
# load
# ---------------------------------------------------------------------------------------------
def bot_env(url: str, api_url: str, catalogue: Path, staff_chat: int, admin: int,
            transport: str) -> dict[str, str]:
    """The bot's configuration, as an operator would set it; Telegram's rate limits off
    because the emulator has none and they would cap the run at 30 messages/s."""
    return {
        "FRONTDOOR_BOT_TOKEN": TOKEN,
        "FRONTDOOR_DATABASE_URL": url,
        "FRONTDOOR_TELEGRAM_API_URL": api_url,
        "FRONTDOOR_CATALOGUE": str(catalogue),
        "FRONTDOOR_STAFF_CHAT_ID": str(staff_chat),
        "FRONTDOOR_ADMIN_IDS": str(admin),
        "FRONTDOOR_RATE_LIMIT": "false",
        "FRONTDOOR_CATALOGUE_WATCH_SECONDS": "0",
        "FRONTDOOR_HTTP_TRANSPORT": transport,
    }


def staff_group(emu: MeasuredEmulator) -> tuple[Chat, list[Person], Person]:
    """The forum group the bot's staff work in: eight officers and an admin."""
    officers = [emu.add_user(f"科员{i}", language_code="zh-hans") for i in range(OFFICERS)]
    admin = emu.add_user("Admin", language_code="en")
    staff = emu.add_group("Frontdoor staff", members=[*officers, admin], admins=[officers[0]],
                          forum=True)
    return staff, officers, admin


async def plan_journeys(report: Report, emu: MeasuredEmulator, recorder: Recorder, staff: Chat,
                        officers: list[Person]) -> tuple[journeys.Player, Journey]:
    """Ask the running bot which steps it offers, and count the updates of one journey."""
    player = journeys.Player(emu, staff=staff, officers=officers)
    probe = player.new_user(10**8)
    await journeys.register(player, probe, 10**8)
    steps, notes = await journeys.plan(player, probe)
    report.notes.extend(notes)
    for note in notes:
        print(f"  {note}", flush=True)
    journey = journeys.full_journey(player, steps)
    # Updates per journey, counted on one quiet run.
    recorder.reset()
    await journey(10**8 + 1)
    report.updates_per_journey = float(recorder.queued)
    return player, journey


def bookings_note(player: journeys.Player) -> str:
    full = ", ".join(f"{station} {n}" for station, n in player.no_seat.most_common())
    return (f"bookings: {len(player.booked)} made, {player.seats_raced} confirmations found "
            f"the seat just taken (and took the nearest free one), "
            f"{sum(player.no_seat.values())} found their station full"
            + (f" ({full})" if full else ""))


async def run_ours(report: Report, emu: MeasuredEmulator, recorder: Recorder, url: str,
                   directory: Path) -> None:
    opts = report.options
    catalogue = directory / "catalogue.yaml"
    shutil.copyfile(ROOT / "catalogue.yaml", catalogue)
    staff, officers, admin = staff_group(emu)
    bot = BotProcess(
        "frontdoor", python_argv("-m", "bot.cli", "run"),
        bot_env(url, emu.url, catalogue, staff.id, admin.id, opts.transport),
        directory / "frontdoor.log",
    )
    bot.start()
    try:
        await wait_polling(emu, bot)
        player, journey = await plan_journeys(report, emu, recorder, staff, officers)

        print(f"  saturating with {opts.users} people for {opts.seconds:.0f}s …", flush=True)
        sat = await closed_loop("frontdoor", recorder, journey, users=opts.users,
                                seconds=opts.seconds, warmup=opts.warmup, bot=bot)
        report.phases["ours"] = sat
        per_second = 0.5 * sat.throughput / max(1.0, report.updates_per_journey)
        print(f"  {sat.throughput:.0f} updates/s; steady load at half: "
              f"{per_second:.1f} new enterprises/s …", flush=True)
        paced = await open_loop("frontdoor @50%", recorder, journey,
                                per_second=max(per_second, 0.5), seconds=opts.seconds,
                                bot=bot, first_id=10**7)
        report.phases["paced"] = paced
        await check_correctness(report, player, url, catalogue)
        report.peak_rss = bot.peak_rss
        report.notes.append(bookings_note(player))
    except Exception:
        print(bot.log_tail(), flush=True)
        raise
    finally:
        await bot.stop()
    if not report.correct:
        print(bot.log_tail(), flush=True)


async def run_echoes(report: Report, directory: Path) -> None:
    """The baselines the options ask for: PTB's echo bot, aiogram's. Each bot gets an
    emulator of its own: nothing one left queued or half-answered can land in the next one's
    measurements."""
    opts = report.options
    for key, module, wanted in (("ptb-echo", "bench.echo_ptb", opts.echo),
                                ("aiogram-echo", "bench.echo_aiogram", opts.aiogram)):
        if wanted:
            async with emulator() as (emu, recorder):
                await run_echo(report, emu, recorder, key, module, directory)


async def run_echo(report: Report, emu: MeasuredEmulator, recorder: Recorder, key: str,
                   module: str, directory: Path) -> None:
    opts = report.options
    bot = BotProcess(key, python_argv("-m", module, emu.url, TOKEN), {},
                     directory / f"{key}.log")
    bot.start()
    try:
        await wait_polling(emu, bot)
        player = journeys.Player(emu)
        journey = journeys.echo_journey(player)
        print(f"  {key}: saturating with {opts.users} people …", flush=True)
        report.phases[key] = await closed_loop(
            key, recorder, journey, users=opts.users, seconds=opts.seconds,
            warmup=opts.warmup, bot=bot,
        )
    except Exception as exc:
        report.notes.append(f"{key} failed: {exc}")
        print(bot.log_tail(), flush=True)
    finally:
        await bot.stop()


# ---------------------------------------------------------------------------------------------
# correctness
# ---------------------------------------------------------------------------------------------
async def check_correctness(report: Report, player: journeys.Player, url: str,
                            catalogue: Path | None = None) -> None:
    """Read the bot's database directly: nothing twice, nothing lost, nothing left to send."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            await _check_companies(report, player, conn)
            pending = -1
            for _ in range(100):  # the outbox drains on its own; give it up to 10 s
                pending = int(await conn.scalar(
                    select(func.count()).select_from(OutboxMessage)
                    .where(OutboxMessage.status == "pending")
                ) or 0)
                if pending == 0:
                    break
                await conn.rollback()
                await asyncio.sleep(0.1)
            report.checks.append(("no undelivered outbox rows after drain", pending == 0,
                                  f"{pending} pending"))
            if player.confirming:
                await _check_requests(report, player, conn)
            if player.booked or player.no_seat:
                await _check_bookings(report, conn, catalogue or ROOT / "catalogue.yaml")
    finally:
        await engine.dispose()


async def _check_companies(report: Report, player: journeys.Player, conn: Any) -> None:
    counts = dict((await conn.execute(
        select(Company.credit_code, func.count()).group_by(Company.credit_code)
    )).all())
    wanted = set(player.registered.values())
    twice = [c for c, n in counts.items() if n > 1]
    missing = [c for c in wanted if c not in counts]
    report.checks.append((
        "every registered company stored exactly once",
        not twice and not missing and bool(wanted),
        f"{len(wanted)} registered, {len(missing)} missing, {len(twice)} twice",
    ))
    linked = int(await conn.scalar(
        select(func.count()).select_from(User)
        .where(User.company_id.is_not(None), User.id.in_(list(player.registered)))
    ) or 0)
    report.checks.append((
        "every registering person linked to their company",
        linked == len(player.registered),
        f"{linked}/{len(player.registered)}",
    ))


async def _check_requests(report: Report, player: journeys.Player, conn: Any) -> None:
    """Each confirmed request stored once and carded once; each officer's reply delivered."""
    rows = (await conn.execute(
        select(Request.created_by, Request.reference)
        .where(Request.created_by.in_(list(player.confirming)))
    )).all()
    by_user: dict[int, list[str]] = {}
    for user_id, reference in rows:
        by_user.setdefault(int(user_id), []).append(reference)
    missing = [u for u in player.confirming if not by_user.get(u)]
    twice = [u for u in player.confirming if len(by_user.get(u, [])) > 1]
    mismatched = [u for u, ref in player.submitted.items() if by_user.get(u) != [ref]]
    report.checks.append((
        "every submitted request stored exactly once",
        not missing and not twice and not mismatched,
        f"{len(player.confirming)} submitted, {len(missing)} missing, {len(twice)} twice, "
        f"{len(mismatched)} under another reference",
    ))
    assert player.staff is not None
    cards = Counter(
        ref for m in player.emu.transcript(player.staff)
        if m.outgoing and (ref := journeys.card_reference(m)) is not None
    )
    references = [ref for refs in by_user.values() for ref in refs]
    uncarded = [r for r in references if cards[r] == 0]
    carded_twice = [r for r in references if cards[r] > 1]
    report.checks.append((
        "every request carded exactly once in the staff group",
        not uncarded and not carded_twice,
        f"{len(references)} requests, {len(uncarded)} without a card, "
        f"{len(carded_twice)} carded twice",
    ))
    lost = [
        (user_id, text) for user_id, text in player.replies
        if not any(m.outgoing and text in (m.text or "")
                   for m in player.emu.transcript(user_id))
    ]
    report.checks.append((
        "every officer's reply delivered to the enterprise",
        not lost, f"{len(player.replies) - len(lost)}/{len(player.replies)} delivered",
    ))


async def _check_bookings(report: Report, conn: Any, catalogue_path: Path) -> None:
    """No slot holds more companies than it has seats; the seat counters agree."""
    from bot.catalogue import load_catalogue  # only when bookings ran
    from bot.visits.schedule import local_day, slots_on

    cat = load_catalogue(catalogue_path)
    seated = (await conn.execute(
        select(Booking.station_id, Booking.starts_at, func.count())
        .where(Booking.status.in_(SEAT_HOLDING))
        .group_by(Booking.station_id, Booking.starts_at)
    )).all()
    held = {(station, _utc(start)): int(n) for station, start, n in seated}
    slots = {(station, _utc(start)): int(taken) for station, start, taken in (await conn.execute(
        select(BookingSlot.station_id, BookingSlot.starts_at, BookingSlot.taken))).all()}

    def seats(station_id: str, start: datetime) -> int:
        station = cat.station(station_id)
        if station is None:
            return 0
        return next((s.seats for s in slots_on(cat, station, local_day(station, start))
                     if s.start == start), 0)

    over = [key for key in set(held) | set(slots)
            if max(held.get(key, 0), slots.get(key, 0)) > seats(*key)]
    report.checks.append((
        "no slot over capacity (seat counters and bookings)", not over,
        f"{len(slots)} slots used, {sum(held.values())} seats held, {len(over)} over capacity",
    ))
    # Bookings still ahead hold their seat in the counter; past ones keep it too (a no-show
    # or an arrival does not give it back), so the two agree slot by slot.
    drift = [key for key in set(held) | set(slots) if held.get(key, 0) != slots.get(key, 0)]
    report.checks.append((
        "seat counters agree with the bookings holding seats", not drift,
        f"{len(drift)} slots disagree",
    ))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# the whole run
# ---------------------------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def emulator() -> AsyncIterator[tuple[MeasuredEmulator, Recorder]]:
    recorder = Recorder()
    emu = MeasuredEmulator(recorder)
    await emu.start()
    try:
        yield emu, recorder
    finally:
        await emu.stop()


@contextlib.contextmanager
def work_directory(keep: bool) -> Iterator[Path]:
    """A fresh folder for a run's logs and databases, removed afterwards unless ``keep``."""
    directory = Path(tempfile.mkdtemp(prefix="frontdoor-bench-"))
    try:
        yield directory
    finally:
        if keep:
            print(f"logs and databases kept in {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


async def run(opts: Options) -> Report:
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    report = Report(opts)
    if opts.database_url and not is_sqlite(opts.database_url):
        report.backend = "postgresql"
    with work_directory(opts.keep) as directory:
        async with contextlib.AsyncExitStack() as stack:
            seeded: str | None = None
            if opts.scaling:
                print("how cost grows:", flush=True)
                seeded = await measure_scaling(report, directory, stack)
            # The scaling database of the same size is the load run's, seeded already.
            if seeded is None:
                seeded = await stack.enter_async_context(fresh_database(
                    opts.database_url, directory, "load", keep=opts.keep))
                if opts.preseed:
                    db = Database(seeded)
                    await seed(db, opts.preseed)
                    await db.dispose()
            url = seeded
            print(f"frontdoor ({report.backend}, {opts.preseed:,} rows of each kind already "
                  "there):", flush=True)
            async with emulator() as (emu, recorder):
                await run_ours(report, emu, recorder, url, directory)
        await run_echoes(report, directory)
    return report
