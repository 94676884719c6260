"""``python -m bench explain --database-url URL``: the plan of every statement the timed
repository calls run, as the database chooses it (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's
EXPLAIN), to confirm they are index scans on a seeded database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bench.seed import QUERIES, TimedQuery
from storage.core.db import Database


async def capture(db: Database, query: TimedQuery, rows: int) -> list[tuple[str, Any]]:
    """The SQL statements (and their parameters) one call of ``query`` runs."""
    assert query.fn is not None
    seen: list[tuple[str, Any]] = []

    def listen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT", "WITH")):
            seen.append((statement, parameters))

    engines = {db.engine.sync_engine, db.read_engine.sync_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", listen)
    try:
        opener = db.session if query.write else db.reader
        async with opener() as s:
            await query.fn(s, rows)
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", listen)
    return seen


def _run(conn: Any, statement: str, parameters: Any) -> list[Any]:
    return list(conn.exec_driver_sql(statement, parameters).all())


async def plans(db: Database, rows: int) -> list[tuple[str, str, list[str]]]:
    """(query label, statement, plan lines) for every statement of every timed query."""
    out: list[tuple[str, str, list[str]]] = []
    for query in QUERIES:
        if query.fn is None:
            continue
        seen: dict[str, Any] = {}
        for statement, parameters in await capture(db, query, rows):
            seen.setdefault(statement, parameters)
        for statement, parameters in seen.items():
            prefix = "EXPLAIN QUERY PLAN " if db.sqlite else "EXPLAIN "
            async with db.engine.connect() as conn:
                raw = await conn.run_sync(_run, prefix + statement, parameters)
                await conn.rollback()
            lines = [str(r[-1]) for r in raw]
            out.append((query.label, " ".join(statement.split()), lines))
    return out


async def explain(url: str, rows: int) -> None:
    db = Database(url)
    try:
        for label, statement, lines in await plans(db, rows):
            print(f"## {label}\n{statement[:300]}")
            for line in lines:
                print(f"    {line}")
    finally:
        await db.dispose()

