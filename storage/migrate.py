"""Alembic, driven from code: ``frontdoor migrate`` and the start-up upgrade call these."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str, schema: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if schema:
        cfg.set_main_option("frontdoor.schema", schema)
    return cfg


def _run(fn_name: str, url: str, revision: str, schema: str | None) -> None:
    cfg = alembic_config(url, schema)
    getattr(command, fn_name)(cfg, revision)


async def upgrade(url: str, revision: str = "head", schema: str | None = None) -> None:
    """Bring the database to ``revision`` (the newest by default)."""
    await asyncio.to_thread(_run, "upgrade", url, revision, schema)


async def downgrade(url: str, revision: str, schema: str | None = None) -> None:
    await asyncio.to_thread(_run, "downgrade", url, revision, schema)


def revisions() -> list[str]:
    """Every revision id, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def current_revision(session: AsyncSession) -> str | None:
    """The revision the database is at (None: never migrated)."""
    try:
        found = await session.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError:
        return None
    return str(found) if found is not None else None


def run_sync_migrations(connection: Connection, cfg: Config) -> None:
    """Used by ``env.py``: run the configured command on an open connection."""
    from alembic import context

    from storage.tables import Base

    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
