"""The migration stairway: every revision upgrades, downgrades and upgrades again."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from storage.migrate import downgrade, revisions, upgrade
from tests.conftest import PG_SKIP, PG_URL, drop_schema


async def tables(url: str, schema: str | None = None) -> set[str]:
    args = {"server_settings": {"search_path": schema}} if schema else {}
    engine = create_async_engine(url, connect_args=args)
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda c: set(inspect(c).get_table_names(schema=schema)))
    await engine.dispose()
    return names - {"alembic_version"}


async def stairway(url: str, schema: str | None = None) -> None:
    revs = revisions()
    assert revs[0] == "0001_foundation"
    previous = "base"
    for rev in revs:
        await upgrade(url, rev, schema=schema)
        after_up = await tables(url, schema)
        await downgrade(url, previous, schema=schema)
        await upgrade(url, rev, schema=schema)
        assert await tables(url, schema) == after_up
        previous = rev
    await downgrade(url, "base", schema=schema)
    assert await tables(url, schema) == set()
    await upgrade(url, "head", schema=schema)
    assert "companies" in await tables(url, schema)


async def test_stairway_on_sqlite(tmp_path: Path) -> None:
    await stairway(f"sqlite+aiosqlite:///{tmp_path / 'stairs.db'}")


@pytest.mark.postgres
async def test_stairway_on_postgresql() -> None:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        await stairway(PG_URL, schema)
    finally:
        await drop_schema(schema)
