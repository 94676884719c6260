"""Alembic environment: async engines, SQLite batch mode, optional PostgreSQL schema."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool, text
from sqlalchemy.ext.asyncio import create_async_engine

from storage.migrate import run_sync_migrations

config = context.config


async def _main() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url
    schema = config.get_main_option("frontdoor.schema")
    connect_args = {"server_settings": {"search_path": schema}} if schema else {}
    engine = create_async_engine(url, poolclass=pool.NullPool, connect_args=connect_args)
    async with engine.connect() as conn:
        if schema:
            await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            await conn.commit()
        await conn.run_sync(run_sync_migrations, config)
        await conn.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `frontdoor migrate`")
asyncio.run(_main())
