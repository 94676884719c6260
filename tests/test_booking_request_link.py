"""The link from a visit to its request: the foreign key, its migration, the domain's rule."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from bot.core.runtime import Runtime
from storage.core.db import Database
from storage.migrate import downgrade, upgrade
from storage.requests.repo import Requests
from tests.booking_support import MONDAY_1400, attempt, make_companies, runtime, seats_taken
from tests.conftest import PG_SKIP, PG_URL, drop_schema

T = "'2026-12-03 01:00:00'"


async def _company_and_request(conn: AsyncConnection) -> None:
    await conn.execute(text(
        "INSERT INTO companies (id, credit_code, name, contact_name, phone, station_id, tier, "
        f"created_at, updated_at) VALUES (1, 'X', 'Acme', 'W', '1', 'robot-park', 'standard', "
        f"{T}, {T})"))
    await conn.execute(text(
        "INSERT INTO requests (id, reference, company_id, station_id, service_id, status, "
        "answers, description, created_by, created_at, updated_at, due_at, escalate_at, "
        "queue_round, announced, escalated) VALUES (7, 'RP-2612-0001', 1, 'robot-park', "
        f"'other-needs', 'submitted', '{{}}', 'd', 1, {T}, {T}, {T}, {T}, 0, false, false)"))


async def _booking(conn: AsyncConnection, booking_id: int, request_id: int,
                   status: str = "confirmed", hour: int = 1) -> None:
    start = f"'2026-12-03 0{hour}:00:00'"
    await conn.execute(text(
        "INSERT INTO bookings (id, company_id, user_id, station_id, starts_at, ends_at, "
        "request_id, status, remind_day_at, remind_hour_at, ics_uid, sequence, created_at, "
        f"updated_at) VALUES ({booking_id}, 1, 1, 'robot-park', {start}, {start}, {request_id}, "
        f"'{status}', {T}, {T}, 'u{booking_id}', 0, {T}, {T})"))


@pytest.mark.parametrize("dialect", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_visits_naming_a_missing_request_lose_the_link_not_the_visit(
    dialect: str, tmp_path: Path,
) -> None:
    schema: str | None = None
    if dialect == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'link.db'}"
    else:
        if not PG_URL:
            pytest.skip(PG_SKIP)
        url, schema = PG_URL, f"t_{uuid.uuid4().hex[:12]}"
    kwargs = {"connect_args": {"server_settings": {"search_path": schema}}} if schema else {}
    engine = create_async_engine(url, **kwargs)  # type: ignore[arg-type]
    try:
        await upgrade(url, "0004_join_requests", schema=schema)
        async with engine.begin() as conn:
            await _company_and_request(conn)
            await _booking(conn, 1, 7)
            await _booking(conn, 2, 999, hour=2)  # no such request
        await upgrade(url, schema=schema)
        async with engine.connect() as conn:
            links = dict((await conn.execute(
                text("SELECT id, request_id FROM bookings ORDER BY id"))).all())
        assert links == {1: 7, 2: None}
        # The copy SQLite makes of the table keeps the one-seat-per-company key partial:
        # a cancelled visit and a new one in the same slot live side by side.
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE bookings SET status = 'cancelled' WHERE id = 1"))
            await _booking(conn, 3, 7)
        await downgrade(url, "0004_join_requests", schema=schema)
        await upgrade(url, schema=schema)
    finally:
        await engine.dispose()
        if schema:
            await drop_schema(schema)


# -- the domain's rule: a visit names an open request of its own company ---------------------
async def _request(rt: Runtime, company_id: int, reference: str) -> int:
    async with rt.db.session() as session:
        now = rt.clock.now()
        req = await Requests(session).create({
            "reference": reference, "company_id": company_id, "station_id": "robot-park",
            "service_id": "other-needs", "answers": {}, "description": "d", "created_by": 1,
            "created_at": now, "due_at": now, "escalate_at": now,
        })
        return req.id


async def test_a_visit_names_only_an_open_request_of_the_company_that_books_it(
    any_db: Database, tmp_path: Path,
) -> None:
    rt = runtime(any_db, tmp_path)
    acme, beta = await make_companies(rt, 2)
    betas = await _request(rt, beta, "RP-2612-0001")
    withdrawn = await _request(rt, acme, "RP-2612-0002")
    async with rt.db.session() as session:
        assert await Requests(session).withdraw(withdrawn, acme, rt.clock.now())
    for request_id in (betas, withdrawn):
        refused = await attempt(rt, acme, 1000, MONDAY_1400, request_id=request_id)
        assert refused.problem == "request"
    assert await seats_taken(rt, MONDAY_1400) == 0
    own = await _request(rt, acme, "RP-2612-0003")
    booked = await attempt(rt, acme, 1000, MONDAY_1400, request_id=own)
    assert booked.ok
    assert booked.booking is not None
    assert booked.booking.request_id == own


async def test_a_reschedule_keeps_its_request_even_after_the_request_was_resolved(
    any_db: Database, tmp_path: Path,
) -> None:
    rt = runtime(any_db, tmp_path)
    (acme,) = await make_companies(rt, 1)
    own = await _request(rt, acme, "RP-2612-0001")
    first = await attempt(rt, acme, 1000, MONDAY_1400, request_id=own)
    assert first.booking is not None
    async with rt.db.session() as session:
        await Requests(session).change(own, [], {"status": "resolved"})
    moved = await attempt(rt, acme, 1000, MONDAY_1400 + dt.timedelta(minutes=30),
                          request_id=own, reschedule_of=first.booking.id)
    assert moved.ok
    assert moved.booking is not None
    assert moved.booking.request_id == own
    async with rt.db.reader() as session:
        thread = await Requests(session).events(own, kinds=["visit"])
    assert [e.text.split("：")[0] for e in thread] == [
        "预约窗口 BK000001", "窗口预约 BK000001 改期为 BK000002"]
