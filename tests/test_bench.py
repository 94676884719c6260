"""The load benchmark's harness at a tiny scale, with the bot in this process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench import journeys
from bench.load import MeasuredEmulator, Recorder, closed_loop, open_loop
from bench.run import Options, Report, check_correctness
from bench.seed import QUERIES, seed, time_query
from storage.core.db import Database
from tests.conftest import make_bot
from tests.harness import TOKEN, BotUnderTest


@pytest.fixture
async def measured(sqlite_db: Database, tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    emu = MeasuredEmulator(Recorder(), token=TOKEN)
    await emu.start()
    under_test = make_bot(emu, sqlite_db, tmp_path)
    await under_test.start()
    yield under_test
    await under_test.stop()
    await emu.stop()


async def test_a_tiny_run_registers_everyone_once_and_times_every_update(
    measured: BotUnderTest,
) -> None:
    emu = measured.emu
    assert isinstance(emu, MeasuredEmulator)
    player = journeys.Player(emu, staff=measured.staff, officers=measured.officers)
    probe = player.new_user(999)
    await journeys.register(player, probe, 999)
    steps, notes = await journeys.plan(player, probe)
    assert [s.name for s in steps] == ["register", "browse", "submit_request",
                                       "claim_reply_resolve", "rate", "book"]
    assert notes == []
    journey = journeys.full_journey(player, steps)
    emu.recorder.reset()
    await journey(998)
    per_journey = emu.recorder.queued
    assert len(emu.recorder.samples) == per_journey  # every update of the journey answered

    phase = await closed_loop("tiny", emu.recorder, journey, users=3, seconds=2.5, warmup=0.1,
                              bot=None)
    paced = await open_loop("paced", emu.recorder, journey, per_second=4, seconds=0.5,
                            bot=None, first_id=5000)

    assert phase.completed >= 1
    assert phase.failures == []
    assert paced.failures == []
    assert paced.completed == 2
    # Every update of both journeys got an answer (how many depends on the service's form).
    assert len(paced.latencies) == emu.recorder.queued >= 2 * 20
    assert 0 < paced.percentile(50) < 5
    report = Report(Options())
    await check_correctness(report, player, measured.db.url, measured.catalogue_path)
    assert report.correct, report.checks
    assert {name for name, _, _ in report.checks} >= {
        "every submitted request stored exactly once",
        "every request carded exactly once in the staff group",
        "every officer's reply delivered to the enterprise",
        "no slot over capacity (seat counters and bookings)",
    }
    assert player.rated
    assert player.booked
    # Journeys cut short by the end of the window may have registered before they stopped.
    assert len(player.registered) >= phase.completed + paced.completed + 1


async def test_seeded_rows_are_found_by_the_repositories(sqlite_db: Database) -> None:
    await seed(sqlite_db, 300)
    for query in QUERIES:
        if query.fn is not None:
            assert await time_query(sqlite_db, query, 300, repeat=1) > 0
    async with sqlite_db.reader() as s:
        from bench.seed import company_members, search_by_code

        assert len(await search_by_code(s, 300)) == 1
        assert len(await company_members(s, 300)) == 1


def test_the_reports_bench_builds_both_reports_and_prints_every_figure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`python -m bench reports` on a tiny history: both scopes measured, every figure shown."""
    from bench.__main__ import main

    assert main(["reports", "--requests", "300", "--heap"]) == 0
    out = capsys.readouterr().out
    assert "seeded 300 requests" in out
    for scope in ("| robot-park, 2026-11 |", "| every station, 2026-11 |"):
        row = next(line for line in out.splitlines() if line.startswith(scope))
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        rows, baseline, numbers, sheet, lag, rss, heap = cells[1:]
        assert int(rows.replace(",", "")) > 0
        assert baseline.endswith(" ms")
        assert numbers.endswith(" s")
        assert sheet.endswith(" s")
        assert lag.count(" ms") == 2
        assert rss.endswith(" MB")
        assert heap.count("MB") == 2
    for target in ("numbers ≤ 5 s (robot-park, 2026-11)",
                   "workbook ≤ 30 s (every station, 2026-11)"):
        assert f"| {target} |" in out
