"""What the booking jobs remember between ticks belongs to one runtime, not to the process."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.visits import jobs, roster
from storage.core.db import Database
from storage.tables import Booking
from tests.booking_support import MONDAY_1400, attempt, make_companies, runtime
from tests.harness import CATALOGUE

CLOSED_MONDAY = "    - {date: 2026-12-07, stations: [robot-park], reason: {zh: 检修, en: Repairs}}\n"


def closed_catalogue() -> str:
    text = CATALOGUE.read_text(encoding="utf-8")
    assert "  closures:\n" in text
    return text.replace("  closures:\n", "  closures:\n" + CLOSED_MONDAY, 1)


async def status(db: Database, booking_id: int) -> str:
    async with db.reader() as session:
        row = await session.get(Booking, booking_id)
    assert row is not None
    return row.status


async def test_a_new_runtime_checks_closures_even_if_an_old_one_had_the_same_id(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Python reuses the id() of a runtime that is gone (a restart in the same process, the
    # sandbox's resets); make every id equal so that reuse is certain.
    monkeypatch.setattr(jobs, "id", lambda _obj: 1, raising=False)
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "open").mkdir()
    old = runtime(sqlite_db, tmp_path / "old", closed_catalogue())
    await jobs.displace_closed(old)  # nothing booked on that Monday yet
    # A replica still on the catalogue without the closure books the Monday meanwhile.
    still_open = runtime(sqlite_db, tmp_path / "open")
    (company,) = await make_companies(still_open, 1)
    outcome = await attempt(still_open, company, 1000, MONDAY_1400)
    assert outcome.booking is not None
    new = runtime(sqlite_db, tmp_path / "new", closed_catalogue())
    await jobs.displace_closed(new)
    assert await status(sqlite_db, outcome.booking.id) == "cancelled"


def test_the_booking_jobs_are_each_in_the_tick_list_once() -> None:
    from bot.app import build_features

    registered = build_features().jobs
    for job in (jobs.send_reminders, jobs.expire_holds, jobs.displace_closed,
                roster.morning_roster):
        assert sum(existing is job for existing in registered) == 1, job
