"""The link from a visit to its request: the migration that makes it a foreign key."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from storage.migrate import downgrade, upgrade
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
