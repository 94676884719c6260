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


# One statement per kind, table and dialect, built once: the values travel as parameters, so
# SQLAlchemy neither rebuilds the statement nor recomputes its cache key on every call.
_STATEMENTS: dict[tuple[str, str, str], Any] = {}


def _statement(session: AsyncSession, model: type[DeclarativeBase] | Table, kind: str) -> Any:
    """The dialect's INSERT for ``model`` that ignores (``kind`` "ignore") or replaces
    ("replace") a row whose primary or unique key is taken."""
    table = _table(model)
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    stmt = _STATEMENTS.get((kind, dialect, table.name))
    if stmt is None:
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        if kind == "ignore":
            stmt = insert.on_conflict_do_nothing()
        else:
            keys = [c.name for c in table.primary_key.columns]
            stmt = insert.on_conflict_do_update(
                index_elements=keys,
                set_={c.name: insert.excluded[c.name] for c in table.columns
                      if c.name not in keys},
            )
        _STATEMENTS[(kind, dialect, table.name)] = stmt
    return stmt


async def insert_ignore(
    session: AsyncSession, model: type[DeclarativeBase] | Table, values: dict[str, Any]
) -> bool:
    """INSERT that does nothing on a key conflict; True when the row was inserted."""
    result = await session.execute(_statement(session, model, "ignore"), values)
    return bool(getattr(result, "rowcount", 0))


async def upsert(
    session: AsyncSession, model: type[DeclarativeBase] | Table, values: dict[str, Any]
) -> None:
    """INSERT that, on a primary-key conflict, replaces the row's other columns with ``values``."""
    await session.execute(_statement(session, model, "replace"), values)


def dialect_name(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind else "sqlite"
