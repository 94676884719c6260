"""Engines and sessions: one ``async_sessionmaker`` per process, one session per unit of work."""

from __future__ import annotations

import asyncio
import fcntl
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import IO, Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# Statements run on the event loop's thread (see InlineConnection): a wait for another
# process's write lock must never be long, or every timer, poll and webhook freezes with it.
# SQLite's own wait is kept to 50 ms; Database.session() waits longer, asynchronously.
SQLITE_BUSY_TIMEOUT_MS = 50
# How long a unit of work waits for another process to let go of the write lock.
SQLITE_LOCK_PATIENCE_S = 300.0


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


class AlreadyServed(Exception):
    """Another process serves this SQLite database already."""


def claim_sqlite(url: str) -> IO[str] | None:
    """Hold the SQLite database for this process, or raise :class:`AlreadyServed`.

    SQLite has one writer and this process's writers queue in memory, so a second bot on the
    same file would fight it for the lock and repeat its background work. The claim is an
    exclusive lock on ``<database>.lock``, held while the returned file stays open; the
    operating system lets it go when the process ends, however it ends. An in-memory
    database needs no claim (None).
    """
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    handle = open(f"{database}.lock", "a", encoding="utf-8")  # noqa: SIM115 (held open)
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise AlreadyServed(database) from None
    return handle


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection, running each call on the event loop's own thread.

    aiosqlite sends every call (cursor, execute, fetch, close, commit) to a worker thread
    and back: ~0.1 ms of thread hand-over each, a dozen per unit of work, and while the
    write lock is held every hop also waits its turn in a busy event loop. The statements
    themselves take microseconds on a local file in WAL mode, so they run in place. What
    could block the loop — waiting for another *process's* write lock — is bounded by
    ``busy_timeout`` (50 ms) and then waited for asynchronously by ``Database.session``;
    this process's writers queue on ``Database``'s lock instead.
    """

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)


def _inline_creator(path: str) -> Callable[[], Any]:
    def connector() -> sqlite3.Connection:
        # Opened in aiosqlite's thread, used on the loop's: hence check_same_thread=False.
        return sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)

    async def create() -> InlineConnection:
        connection = InlineConnection(connector, 64)
        # Like SQLAlchemy does for aiosqlite: an idle worker thread must not keep the
        # process alive if a connection is garbage-collected unclosed.
        connection._thread.daemon = True
        await connection
        return connection

    return create


def _sqlite_engine(url: str, *, immediate: bool, **kwargs: Any) -> AsyncEngine:
    path = make_url(url).database
    if path and path != ":memory:" and not path.startswith("file:"):
        kwargs.pop("connect_args", None)
        kwargs["async_creator"] = _inline_creator(path)
    engine = create_async_engine(url, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins (see the "begin" hook).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        # Deleted and overwritten content is zeroed in the file, not left in free pages:
        # a person who asked to be forgotten is gone from the disk too.
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that reads and then writes fails with SQLITE_BUSY instead of
        # waiting when another writer got there first; IMMEDIATE takes the write lock up front,
        # so concurrent writers queue on busy_timeout and the database settles every race.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """The process's engines and session factories.

    ``session()`` opens a read-write unit of work; ``reader()`` a read-only one. On SQLite
    they use separate engines so that reads never wait for the single writer; on PostgreSQL
    a reader shares the pool and runs each statement on its own (autocommit).
    """

    def __init__(self, url: str, *, echo: bool = False, schema: str | None = None) -> None:
        self.url = url
        self.sqlite = is_sqlite(url)
        kwargs: dict[str, Any] = {"echo": echo}
        if self.sqlite:
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
            kwargs["pool_size"] = 8
            kwargs["max_overflow"] = 8
            kwargs["pool_timeout"] = 120
            self.engine = _sqlite_engine(url, immediate=True, **kwargs)
            self.read_engine = _sqlite_engine(url, immediate=False, **kwargs)
        else:
            if schema:
                kwargs["connect_args"] = {"server_settings": {"search_path": schema}}
            kwargs["pool_size"] = 10
            kwargs["max_overflow"] = 20
            kwargs["pool_timeout"] = 120
            self.engine = create_async_engine(url, **kwargs)
            # Reads need no transaction of their own on PostgreSQL: under READ COMMITTED each
            # statement sees its own snapshot either way, and without one a read is one
            # round trip, not three (BEGIN, the query, COMMIT). Same pool, same connections.
            self.read_engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.schema = schema
        # SQLite has one writer at a time. Writers of this process queue here, in order, and
        # start the moment the previous one commits; left to SQLite, each would poll its busy
        # handler, which sleeps 1, 2, 5, 10 … 100 ms between tries and leaves the lock idle.
        # Other processes (a migration, a second bot by mistake) still meet busy_timeout.
        self._write_turn: asyncio.Lock | None = asyncio.Lock() if self.sqlite else None
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._readers = async_sessionmaker(self.read_engine, expire_on_commit=False)
        # A read that must see one moment throughout (a report's many statements; on
        # PostgreSQL a server-side cursor also needs a transaction). SQLite's read
        # transactions see one moment already.
        self._snapshots = self._readers if self.sqlite else async_sessionmaker(
            self.engine.execution_options(isolation_level="REPEATABLE READ"),
            expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A read-write unit of work: commits on success, rolls back on any error."""
        if self._write_turn is None:
            async with self._sessions() as session, session.begin():
                yield session
            return
        async with self._write_turn:
            session = await self._locked_session()
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            finally:
                await session.close()

    async def _locked_session(self) -> AsyncSession:
        """A session in a transaction that holds SQLite's write lock (BEGIN IMMEDIATE ran).

        When another process holds the lock, SQLite gives up after 50 ms; the session is
        thrown away and the lock asked for again after a pause that grows to half a second,
        so the event loop keeps serving everything else meanwhile, and this process's
        writers, queued on ``_write_turn``, go on in order once the lock is free.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SQLITE_LOCK_PATIENCE_S
        pause = 0.01
        while True:
            session = self._sessions()
            try:
                await session.connection()  # runs BEGIN IMMEDIATE
                return session
            except OperationalError as exc:
                await session.close()
                if "locked" not in str(exc).lower() or loop.time() > deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.5)

    @asynccontextmanager
    async def reader(self, *, snapshot: bool = False) -> AsyncIterator[AsyncSession]:
        """A read-only unit of work; with ``snapshot``, all of its statements see the
        database as it was at the first (needed to stream rows from a server-side cursor)."""
        async with (self._snapshots if snapshot else self._readers)() as session, \
                session.begin():
            yield session

    async def checkpoint(self) -> None:
        """On SQLite, write the log back into the file and empty it, so what was erased is
        not kept in older page copies there (nothing to do on PostgreSQL)."""
        if not self.sqlite:
            return
        async with self.engine.connect() as conn:
            # Outside any transaction (a checkpoint cannot run inside one): the driver's own.
            raw = await conn.get_raw_connection()
            driver: Any = raw.driver_connection
            await driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.sqlite:
            await self.read_engine.dispose()
