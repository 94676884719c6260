"""``python -m bench --replicas N``: the bot as 1, 2, … N replicas behind nginx, on PostgreSQL.

The same journeys and people as the load benchmark, but the emulator posts each update to a
real nginx (webhook mode) that spreads the posts over the replicas. For each count of replicas:
full-journey updates/s, the bot's CPU per update summed over the replicas and each replica's
own, the CPU that PostgreSQL's backends and nginx spent per update, how busy the machine's
cores were, and where PostgreSQL's backends waited (pg_stat_activity and pg_locks sampled
every 100 ms in the window). The bare echo bots run on their own emulators, as in the load
benchmark. If the replicas share no bottleneck, an update costs each replica the same CPU
whatever their number.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psutil
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.balancer import NGINX, NGINX_MISSING, Balancer, Replica, serve
from bench.load import ROOT, MeasuredEmulator, Phase, closed_loop, fmt_ms
from bench.run import (
    Options,
    Report,
    bookings_note,
    bot_env,
    check_correctness,
    emulator,
    fresh_database,
    plan_journeys,
    run_echoes,
    staff_group,
    work_directory,
)
from bench.seed import seed
from storage.core.db import Database, is_sqlite

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
# Rows of each kind seeded before the runs (once; each count of replicas gets a copy).
PRESEED = 10_000
# An update should cost a replica the same CPU with two replicas as with one.
TARGET_CPU_DRIFT = 0.15
SAMPLE_EVERY = 0.1
# Each replica's CPU with no one talking (its background polls), measured before the load.
IDLE_SECONDS = 3.0
TOP = 8


@dataclass
class Snapshot:
    """CPU seconds and counters at one moment."""

    at: float
    replicas: list[float]
    handled: list[int]
    nginx: float
    postgres: float | None  # the whole server's CPU seconds (None: not on this machine)
    bench: float
    busy: float  # the machine's CPU seconds not idle, all cores


@dataclass
class Waits:
    """What the run database's backends were doing, sample by sample."""

    ticks: int = 0
    states: Counter[str] = field(default_factory=Counter)  # wait event (or running)
    lock_statements: Counter[str] = field(default_factory=Counter)
    ungranted: Counter[str] = field(default_factory=Counter)  # pg_locks: type and mode
    # Updates "Telegram" holds (queued, or posted and not yet answered), by chat kind.
    queued: Counter[str] = field(default_factory=Counter)
    backends: set[int] = field(default_factory=set)  # every backend seen
    connected: int = 0  # backends seen, summed over the samples


@dataclass
class CountRun:
    """One count of replicas, saturated."""

    count: int
    report: Report
    phase: Phase | None = None
    replica_cpu: list[float] = field(default_factory=list)
    handled: list[int] = field(default_factory=list)
    postgres_cpu: float | None = None
    nginx_cpu: float = 0.0
    bench_cpu: float = 0.0
    busy_cores: float = 0.0
    window: float = 0.0
    idle: list[float] = field(default_factory=list)  # CPU seconds a second, each replica
    waits: Waits = field(default_factory=Waits)

    @property
    def updates(self) -> int:
        return len(self.phase.latencies) if self.phase else 0

    def per_update_ms(self, cpu_seconds: float) -> float:
        return 1000 * cpu_seconds / self.updates if self.updates else float("nan")

    def net_ms_per_update(self) -> float:
        """Bot CPU per update once each replica's idle CPU over the window is taken off."""
        return self.per_update_ms(sum(self.replica_cpu) - sum(self.idle) * self.window)

    def per_replica_ms(self) -> list[tuple[float, float]]:
        """Each replica's CPU ms per update it handled, and its share of the updates (its
        /metrics counts what it handled; the share applied to the updates measured here)."""
        total = sum(self.handled)
        out: list[tuple[float, float]] = []
        for cpu, handled in zip(self.replica_cpu, self.handled, strict=True):
            share = handled / total if total else float("nan")
            taken = self.updates * share
            out.append((1000 * cpu / taken if taken else float("nan"), share))
        return out


@dataclass
class ReplicasReport:
    options: Options
    runs: list[CountRun] = field(default_factory=list)
    echoes: Report | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        return all(run.report.correct for run in self.runs)


# ---------------------------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------------------------
def _busy_seconds() -> float:
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


def _cpu(pid: int) -> float:
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


def _server_cpu(backend: int) -> float | None:
    """The CPU seconds of the PostgreSQL server a backend belongs to: the postmaster, its
    live children, and those that exited (the pool opens and closes connections past its
    size, so a run's backends come and go). Other databases' work on the server counts too."""
    try:
        postmaster = psutil.Process(backend).parent()
        if postmaster is None:
            return None
        times = postmaster.cpu_times()
        children = postmaster.children()
    except psutil.Error:
        return None
    return (float(times.user + times.system + times.children_user + times.children_system)
            + sum(_cpu(child.pid) for child in children))


class Watch:
    """Samples the run database's backends on a connection to the server's own database."""

    def __init__(self, monitor: AsyncEngine, dbname: str, emu: MeasuredEmulator,
                 staff: int) -> None:
        self.monitor, self.dbname, self.emu, self.staff = monitor, dbname, emu, staff
        self.waits = Waits()

    async def backends(self) -> list[int]:
        async with self.monitor.connect() as conn:
            rows = await conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = :db"),
                {"db": self.dbname})
            return [int(pid) for (pid,) in rows]

    async def snapshot(self, replicas: list[Replica], balancer: Balancer,
                       http: aiohttp.ClientSession) -> Snapshot:
        handled = [await replica.handled(http) for replica in replicas]
        pids = await self.backends()
        return Snapshot(
            at=time.perf_counter(), replicas=[r.cpu_seconds() for r in replicas],
            handled=handled, nginx=balancer.cpu_seconds(),
            postgres=_server_cpu(pids[0]) if pids else None, bench=_cpu(os.getpid()),
            busy=_busy_seconds(),
        )

    async def window(self, replicas: list[Replica], balancer: Balancer,
                     http: aiohttp.ClientSession, warmup: float,
                     seconds: float) -> tuple[Snapshot, Snapshot]:
        """Snapshots at the start and the end of the measurement window (the end when the
        window closes, not once the people have finished the step they were in), sampling
        in between."""
        await asyncio.sleep(warmup)
        start = await self.snapshot(replicas, balancer, http)
        sampler = asyncio.create_task(self.sample())
        await asyncio.sleep(max(0.0, seconds - (time.perf_counter() - start.at)))
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
        return start, await self.snapshot(replicas, balancer, http)

    async def sample(self) -> None:
        """Every SAMPLE_EVERY: each backend not idle, by what it waits on; statements
        waiting for a lock; locks asked for and not granted."""
        waits = self.waits
        async with self.monitor.connect() as conn:
            while True:
                rows = (await conn.execute(text(
                    "SELECT pid, state, wait_event_type, wait_event, query "
                    "FROM pg_stat_activity WHERE datname = :db"), {"db": self.dbname})).all()
                locks = (await conn.execute(text(
                    "SELECT l.locktype, l.mode FROM pg_locks l JOIN pg_stat_activity a "
                    "ON a.pid = l.pid WHERE NOT l.granted AND a.datname = :db"),
                    {"db": self.dbname})).all()
                await conn.rollback()
                waits.ticks += 1
                for update in self.emu.pending_updates:
                    chat = _chat_id(update)
                    waits.queued["staff group" if chat == self.staff else "private chats"] += 1
                waits.backends.update(int(row[0]) for row in rows)
                waits.connected += len(rows)
                for _, state, kind, event, query in rows:
                    if state == "idle":
                        continue
                    if state == "active" and kind is None:
                        key = "running (CPU)"
                    elif state == "active":
                        key = f"{kind}:{event}"
                    else:
                        key = f"{state} ({kind}:{event})"
                    waits.states[key] += 1
                    if kind == "Lock":
                        waits.lock_statements[_statement(query)] += 1
                for locktype, mode in locks:
                    waits.ungranted[f"{locktype} {mode}"] += 1
                await asyncio.sleep(SAMPLE_EVERY)


def _chat_id(update: dict[str, Any]) -> int | None:
    body = update.get("message") or update.get("callback_query") or {}
    message = body.get("message", body) if "callback_query" in update else body
    chat = message.get("chat") or {}
    return int(chat["id"]) if "id" in chat else None


def _statement(query: str | None) -> str:
    return re.sub(r"\s+", " ", query or "").strip()[:90]


async def _postgres_problem(url: str) -> str | None:
    """Why the replicas cannot run on ``url``, or None."""
    if is_sqlite(url) or not make_url(url).drivername.startswith("postgresql"):
        return "replicas need PostgreSQL (SQLite serves one process): give --database-url"
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # unreachable, refused, no such role: all mean "skip"
        return f"PostgreSQL is not reachable at {make_url(url)!r}: {type(exc).__name__}"
    finally:
        await engine.dispose()
    return None


async def _statements_note(url: str) -> str:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            loaded = str(await conn.scalar(text("SHOW shared_preload_libraries")) or "")
    finally:
        await engine.dispose()
    if "pg_stat_statements" in loaded:
        return ("pg_stat_statements is loaded on this server: with --keep, its view in each "
                "kept database lists the run's statements by time")
    return ("pg_stat_statements is not loaded on this server (shared_preload_libraries): the "
            "waits below come from sampling pg_stat_activity and pg_locks")


# ---------------------------------------------------------------------------------------------
# one count of replicas
# ---------------------------------------------------------------------------------------------
async def run_count(run: CountRun, url: str, server: str, directory: Path) -> None:
    opts = run.report.options
    home = directory / f"replicas-{run.count}"
    home.mkdir()
    async with emulator() as (emu, recorder):
        staff, officers, admin = staff_group(emu)
        balancer = Balancer(home)
        env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
        env.update(bot_env(url, emu.url, ROOT / "catalogue.yaml", staff.id, admin.id,
                           opts.transport))
        env.update(balancer.env())
        replicas = [Replica(n, env, home) for n in range(run.count)]
        monitor = create_async_engine(server)
        watch = Watch(monitor, str(make_url(url).database), emu, staff.id)
        http = aiohttp.ClientSession()
        try:
            await balancer.start(replicas)
            await serve(emu, replicas, http)
            player, journey = await plan_journeys(run.report, emu, recorder, staff, officers)
            await asyncio.sleep(1.0)  # the probe's last messages leave the outbox
            before = [replica.cpu_seconds() for replica in replicas]
            await asyncio.sleep(IDLE_SECONDS)
            run.idle = [(replica.cpu_seconds() - cpu) / IDLE_SECONDS
                        for replica, cpu in zip(replicas, before, strict=True)]
            print(f"  {run.count} replica(s): saturating with {opts.users} people for "
                  f"{opts.seconds:.0f}s …", flush=True)
            window = asyncio.create_task(watch.window(replicas, balancer, http, opts.warmup,
                                                      opts.seconds))
            phase = await closed_loop(f"frontdoor ×{run.count}", recorder, journey,
                                      users=opts.users, seconds=opts.seconds,
                                      warmup=opts.warmup, bot=None)
            _account(run, phase, *await window)
            run.waits = watch.waits
            print(f"  {phase.throughput:.0f} updates/s, {phase.cpu_ms_per_update:.2f} bot CPU "
                  "ms/update", flush=True)
            await check_correctness(run.report, player, url)
            run.report.notes.append(bookings_note(player))
        except Exception:
            for replica in replicas:
                print(f"replica {replica.number}:\n{replica.log_tail()}", flush=True)
            raise
        finally:
            await http.close()
            for replica in replicas:
                await replica.stop()
            await balancer.stop()
            await monitor.dispose()
        if not run.report.correct:
            for replica in replicas:
                print(f"replica {replica.number}:\n{replica.log_tail()}", flush=True)


def _account(run: CountRun, phase: Phase, start: Snapshot, end: Snapshot) -> None:
    run.phase = phase
    run.replica_cpu = [b - a for a, b in zip(start.replicas, end.replicas, strict=True)]
    run.handled = [b - a for a, b in zip(start.handled, end.handled, strict=True)]
    phase.cpu_seconds = sum(run.replica_cpu)
    run.nginx_cpu = end.nginx - start.nginx
    if start.postgres is not None and end.postgres is not None:
        run.postgres_cpu = end.postgres - start.postgres
    run.bench_cpu = end.bench - start.bench
    run.window = end.at - start.at
    run.busy_cores = (end.busy - start.busy) / max(run.window, 1e-9)


# ---------------------------------------------------------------------------------------------
# the whole run
# ---------------------------------------------------------------------------------------------
async def run_replicas(opts: Options, most: int) -> ReplicasReport | None:
    """1, 2, … ``most`` replicas, then the echo bots; None (with a line why) when nginx or
    PostgreSQL is missing."""
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    server = opts.database_url or DEFAULT_PG
    if NGINX is None:
        print(f"replicas benchmark skipped: {NGINX_MISSING}", flush=True)
        return None
    problem = await _postgres_problem(server)
    if problem:
        print(f"replicas benchmark skipped: {problem}", flush=True)
        return None
    report = ReplicasReport(opts)
    report.notes.append(await _statements_note(server))
    with work_directory(opts.keep) as directory:
        async with fresh_database(server, directory, "replicas", keep=opts.keep) as template:
            if opts.preseed:
                db = Database(template)
                t0 = time.perf_counter()
                await seed(db, opts.preseed)
                await db.dispose()
                print(f"seeded {opts.preseed:,} rows of each kind in "
                      f"{time.perf_counter() - t0:.1f}s; each count of replicas gets a copy",
                      flush=True)
            for count in range(1, most + 1):
                run = CountRun(count, Report(opts, backend="postgresql"))
                report.runs.append(run)
                async with fresh_database(server, directory, f"replicas{count}",
                                          keep=opts.keep, template=template) as url:
                    await run_count(run, url, server, directory)
        report.echoes = Report(opts)
        await run_echoes(report.echoes, directory)
    return report


# ---------------------------------------------------------------------------------------------
# the tables
# ---------------------------------------------------------------------------------------------
def _mark(ok: bool) -> str:
    return "✔" if ok else "✘"


def _cores() -> str:
    try:
        usable = len(psutil.Process().cpu_affinity() or [])
    except (AttributeError, psutil.Error):
        usable = psutil.cpu_count() or 0
    return (f"{psutil.cpu_count(logical=True)} logical CPUs, "
            f"{psutil.cpu_count(logical=False)} physical, {usable} usable")


def _ms(value: float) -> str:
    return "–" if value != value else f"{value:.2f}"


def render(report: ReplicasReport) -> str:
    opts = report.options
    echoes = report.echoes
    ptb = echoes.phases.get("ptb-echo") if echoes else None
    aio = echoes.phases.get("aiogram-echo") if echoes else None
    mode = "quick" if opts.quick else "full"
    per_journey = next((r.report.updates_per_journey for r in report.runs), 0.0)
    lines = [
        f"Frontdoor replicas benchmark ({mode}; postgresql; webhook through nginx; "
        f"{_cores()}; Python {platform.python_version()}; transport {opts.transport}; "
        f"{opts.users} concurrent people; {opts.seconds:.0f}s windows; {opts.preseed:,} rows "
        "of each kind pre-seeded)",
        "",
        "| run | updates/s | p50 ms | p95 ms | p99 ms | bot CPU ms/update (all replicas) | "
        "each replica: CPU ms/update (its share of updates) | idle CPU ms/s, each replica | "
        "bot CPU ms/update net of idle | PostgreSQL server CPU ms/update | "
        "nginx CPU ms/update | bench CPU ms/update | cores busy | vs PTB echo |",
        "|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]

    def vs_ptb(phase: Phase) -> str:
        return f"{phase.throughput / ptb.throughput:.2f}×" if ptb and ptb.throughput else "–"

    def latency(phase: Phase) -> str:
        return (f"{phase.throughput:,.0f} | {fmt_ms(phase.percentile(50))} | "
                f"{fmt_ms(phase.percentile(95))} | {fmt_ms(phase.percentile(99))}")

    for run in report.runs:
        name = (f"frontdoor ×{run.count} replica{'s' if run.count > 1 else ''}, full journeys, "
                f"saturated ({per_journey:.0f} updates/journey)")
        phase = run.phase
        if phase is None:
            lines.append(f"| {name} |" + " – |" * 13)
            continue
        each = " · ".join(f"{_ms(ms)} ({share:.0%})" for ms, share in run.per_replica_ms())
        idle = " · ".join(f"{1000 * cpu:.0f}" for cpu in run.idle)
        lines.append(
            f"| {name} | {latency(phase)} | {phase.cpu_ms_per_update:.2f} | {each} | {idle} | "
            f"{_ms(run.net_ms_per_update())} | "
            f"{_ms(run.per_update_ms(run.postgres_cpu or float('nan')))} | "
            f"{_ms(run.per_update_ms(run.nginx_cpu))} | {_ms(run.per_update_ms(run.bench_cpu))} | "
            f"{run.busy_cores:.2f} | {vs_ptb(phase)} |")
    for label, phase in (("bare PTB echo (httpx, sequential, polling)", ptb),
                         ("bare aiogram 3 echo (defaults, polling)", aio)):
        if phase is not None:
            lines.append(f"| {label} | {latency(phase)} | {phase.cpu_ms_per_update:.2f} |"
                         + " – |" * 7 + f" {vs_ptb(phase)} |")
    lines += ["", "| target | where we stand | |", "|---|---|---|"]
    first = report.runs[0] if report.runs and report.runs[0].phase else None
    for run in report.runs[1:]:
        if first is None or first.phase is None or run.phase is None:
            continue
        ratio = run.phase.cpu_ms_per_update / first.phase.cpu_ms_per_update
        lines.append(
            f"| CPU ms/update per replica at N = {run.count} within "
            f"{TARGET_CPU_DRIFT:.0%} of N = 1 (no shared bottleneck) | "
            f"{run.phase.cpu_ms_per_update:.2f} vs {first.phase.cpu_ms_per_update:.2f} ms: "
            f"{ratio:.2f}× | {_mark(abs(ratio - 1) <= TARGET_CPU_DRIFT)} |")
        net, net_first = run.net_ms_per_update(), first.net_ms_per_update()
        ratio = net / net_first
        lines.append(
            f"| the same, net of each replica's idle CPU (its polls and jobs) | {net:.2f} vs "
            f"{net_first:.2f} ms: {ratio:.2f}× | {_mark(abs(ratio - 1) <= TARGET_CPU_DRIFT)} |")
    for run in report.runs:
        if run.phase is not None and ptb is not None and ptb.throughput:
            ratio = run.phase.throughput / ptb.throughput
            lines.append(f"| throughput ≥ 1.0× PTB echo (N = {run.count}) | {ratio:.2f}× | "
                         f"{_mark(ratio >= 1.0)} |")
    lines += ["", "| correctness | result | |", "|---|---|---|"]
    for run in report.runs:
        for name, ok, detail in run.report.checks:
            lines.append(f"| N = {run.count}: {name} | {detail} | {_mark(ok)} |")
    lines += _waits_tables(report.runs)
    notes = list(report.notes)
    for run in report.runs:
        notes += [f"N = {run.count}: {note}" for note in run.report.notes]
        if run.phase is not None and run.phase.failures:
            notes.append(f"N = {run.count}: {len(run.phase.failures)} journeys failed, first: "
                         f"{run.phase.failures[0]}")
    if echoes is not None:
        notes += echoes.notes
    if notes:
        lines.append("")
        lines += [f"note: {note}" for note in notes]
    lines += ["", f"correctness: {'ok' if report.correct else 'FAILED'}"]
    return "\n".join(lines)


def _waits_tables(runs: list[CountRun]) -> list[str]:
    """The top wait events across runs, in backends on average (and share of the non-idle
    samples); then the statements that waited on a lock, and the locks not granted."""
    runs = [run for run in runs if run.waits.ticks]
    if not runs:
        return []
    heads = " | ".join(f"N = {run.count}" for run in runs)
    out = ["", f"| where the run database's backends were (not idle; backends on average, "
               f"share), sampled every {SAMPLE_EVERY * 1000:.0f} ms | {heads} |",
           "|---|" + "---:|" * len(runs)]
    total: Counter[str] = Counter()
    for run in runs:
        total.update(run.waits.states)

    def cell(run: CountRun, counter: Counter[str], key: str) -> str:
        n = counter[key]
        busy = sum(run.waits.states.values()) or 1
        return f"{n / run.waits.ticks:.2f} ({n / busy:.0%})"

    for key, _ in total.most_common(TOP):
        out.append(f"| {key} | " + " | ".join(cell(r, r.waits.states, key) for r in runs) + " |")
    statements: Counter[str] = Counter()
    locks: Counter[str] = Counter()
    for run in runs:
        statements.update(run.waits.lock_statements)
        locks.update(run.waits.ungranted)
    if statements:
        out += ["", f"| statements waiting for a lock (backends on average) | {heads} |",
                "|---|" + "---:|" * len(runs)]
        for key, _ in statements.most_common(TOP):
            cells = " | ".join(f"{r.waits.lock_statements[key] / r.waits.ticks:.2f}"
                               for r in runs)
            out.append(f"| `{key}` | {cells} |")
    if locks:
        out += ["", f"| locks asked for and not granted (pg_locks, on average) | {heads} |",
                "|---|" + "---:|" * len(runs)]
        for key, _ in locks.most_common(TOP):
            cells = " | ".join(f"{r.waits.ungranted[key] / r.waits.ticks:.2f}" for r in runs)
            out.append(f"| {key} | {cells} |")
    out += ["", "| updates Telegram holds for the bot (queued, or posted and not answered yet; "
                f"on average) | {heads} |", "|---|" + "---:|" * len(runs)]
    for key in ("staff group", "private chats"):
        cells = " | ".join(f"{r.waits.queued[key] / r.waits.ticks:.1f}" for r in runs)
        out.append(f"| {key} | {cells} |")
    out += ["", f"| the run database's connections (backends) | {heads} |",
            "|---|" + "---:|" * len(runs)]
    cells = " | ".join(f"{r.waits.connected / r.waits.ticks:.1f}" for r in runs)
    out.append(f"| open at once, on average | {cells} |")
    cells = " | ".join(f"{len(r.waits.backends)}" for r in runs)
    out.append(f"| different backends seen in the window (each one a connection opened) "
               f"| {cells} |")
    return out


def main(opts: Options, most: int) -> int:
    report = asyncio.run(run_replicas(opts, most))
    if report is None:
        return 0
    sys.stdout.write(render(report) + "\n")
    sys.stdout.flush()
    return 0 if report.correct else 1
