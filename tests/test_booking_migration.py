"""The bookings migration goes up, down and up again on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from storage.migrate import downgrade, upgrade
from tests.conftest import PG_SKIP, PG_URL, drop_schema

TABLES = {"booking_slots", "bookings", "booking_waits"}


async def tables(url: str, schema: str | None) -> set[str]:
    kwargs = {"connect_args": {"server_settings": {"search_path": schema}}} if schema else {}
    engine = create_async_engine(url, **kwargs)  # type: ignore[arg-type]
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    await engine.dispose()
    return names


@pytest.mark.parametrize("dialect", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_bookings_tables_survive_the_stairway(dialect: str, tmp_path: Path) -> None:
    schema: str | None = None
    if dialect == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'stairs.db'}"
    else:
        if not PG_URL:
            pytest.skip(PG_SKIP)
        url, schema = PG_URL, f"t_{uuid.uuid4().hex[:12]}"
    try:
        await upgrade(url, schema=schema)
        assert await tables(url, schema) >= TABLES
        await downgrade(url, "0001_foundation", schema=schema)
        assert not TABLES & await tables(url, schema)
        await upgrade(url, schema=schema)
        assert await tables(url, schema) >= TABLES
    finally:
        if schema:
            await drop_schema(schema)
