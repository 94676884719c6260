"""Small dialect helpers, so repositories read the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase


def _table(model: type[DeclarativeBase] | Table) -> Table:
    table = model if isinstance(model, Table) else model.__table__
    assert isinstance(table, Table)
    return table


# One statement per table and dialect, built once: the values travel as parameters, so
# SQLAlchemy neither rebuilds the statement nor recomputes its cache key on every call.
_IGNORING: dict[tuple[str, str], Any] = {}


async def insert_ignore(
    session: AsyncSession, model: type[DeclarativeBase] | Table, values: dict[str, Any]
) -> bool:
    """INSERT that does nothing on a key conflict; True when the row was inserted."""
    table = _table(model)
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    stmt = _IGNORING.get((dialect, table.name))
    if stmt is None:
        maker = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = _IGNORING[(dialect, table.name)] = maker(table).on_conflict_do_nothing()
    result = await session.execute(stmt, values)
    return bool(getattr(result, "rowcount", 0))


_REPLACING: dict[tuple[str, str], Any] = {}


async def upsert(
    session: AsyncSession, model: type[DeclarativeBase] | Table, values: dict[str, Any]
) -> None:
    """INSERT that, on a primary-key conflict, replaces the row's other columns with ``values``."""
    table = _table(model)
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    stmt = _REPLACING.get((dialect, table.name))
    if stmt is None:
        maker = postgresql.insert if dialect == "postgresql" else sqlite.insert
        insert = maker(table)
        keys = [c.name for c in table.primary_key.columns]
        stmt = _REPLACING[(dialect, table.name)] = insert.on_conflict_do_update(
            index_elements=keys,
            set_={c.name: insert.excluded[c.name] for c in table.columns if c.name not in keys},
        )
    await session.execute(stmt, values)


def dialect_name(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind else "sqlite"
