"""Fixtures: databases (SQLite file, PostgreSQL when reachable), the emulator, the bot."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.clock import Clock
from bot.posters.fonts import NoChineseFont, poster_font
from frontdoor_emulator import BotApiEmulator
from storage.core.db import Database
from storage.migrate import upgrade
from tests.harness import TOKEN, BotUnderTest, copy_catalogue, manual_clock, system_clock

os.environ["NO_PROXY"] = "127.0.0.1,localhost"
# PTB 22 warns on every RetryAfter unless told to use timedelta values (its future default).
os.environ["PTB_TIMEDELTA"] = "true"

PG_URL = os.environ.get("FRONTDOOR_TEST_PG_URL")
PG_SKIP = "PostgreSQL tests need FRONTDOOR_TEST_PG_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)"


async def sqlite_database(directory: Path) -> Database:
    url = f"sqlite+aiosqlite:///{directory / 'frontdoor.db'}"
    await upgrade(url)
    return Database(url)


async def postgres_database() -> tuple[Database, str]:
    """A fresh schema per test, so tests never see each other's rows."""
    assert PG_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    await upgrade(PG_URL, schema=schema)
    return Database(PG_URL, schema=schema), schema


async def drop_schema(schema: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    assert PG_URL
    engine = create_async_engine(PG_URL)
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    await engine.dispose()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    db = await sqlite_database(tmp_path)
    yield db
    await db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """The same test on SQLite and on PostgreSQL (skipped when none is configured)."""
    if request.param == "sqlite":
        db = await sqlite_database(tmp_path)
        yield db
        await db.dispose()
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    db, schema = await postgres_database()
    yield db
    await db.dispose()
    await drop_schema(schema)


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator(token=TOKEN, bot_username="frontdoor_bot")
    await emulator.start()
    yield emulator
    await emulator.stop()


def make_bot(emu: BotApiEmulator, db: Database, tmp_path: Path, *, clock: Clock | None = None,
             **overrides: object) -> BotUnderTest:
    officers = [emu.add_user(n, language_code="zh-hans") for n in ("李科员", "张科员", "陈科长")]
    admin = emu.add_user("Admin", language_code="en")
    staff = emu.add_group("Frontdoor staff", members=[*officers, admin], admins=[officers[2]],
                          forum=True)
    return BotUnderTest(
        emu=emu, db=db, catalogue_path=copy_catalogue(tmp_path), clock=clock or system_clock(),
        staff=staff, officers=officers, admin=admin, settings_overrides=dict(overrides),
    )


@pytest.fixture
async def bot(emu: BotApiEmulator, sqlite_db: Database, tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    """The real bot, polling the emulator, on a fresh SQLite file."""
    under_test = make_bot(emu, sqlite_db, tmp_path)
    await under_test.start()
    yield under_test
    await under_test.stop()


@pytest.fixture
async def any_bot(emu: BotApiEmulator, any_db: Database, tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    """The real bot on SQLite, and again on PostgreSQL."""
    under_test = make_bot(emu, any_db, tmp_path)
    await under_test.start()
    yield under_test
    await under_test.stop()


@pytest.fixture
async def clocked_bot(
    emu: BotApiEmulator, sqlite_db: Database, tmp_path: Path
) -> AsyncIterator[BotUnderTest]:
    """The real bot whose clock only moves when the test says (``bot.clock.advance``)."""
    under_test = make_bot(emu, sqlite_db, tmp_path, clock=manual_clock())
    await under_test.start()
    yield under_test
    await under_test.stop()


@pytest.fixture
def chinese_font() -> None:
    """Posters need a font with Chinese glyphs (Debian: fonts-wqy-microhei); CI installs it
    and sets FRONTDOOR_REQUIRE_CJK=1, so there a missing font fails instead of skipping."""
    try:
        poster_font()
    except NoChineseFont as exc:
        if os.environ.get("FRONTDOOR_REQUIRE_CJK") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))


@pytest.fixture
async def shared() -> AsyncIterator[tuple[Database, Database]]:
    """Two replicas' connections to one PostgreSQL database."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    first, schema = await postgres_database()
    second = Database(PG_URL, schema=schema)
    yield first, second
    await first.dispose()
    await second.dispose()
    await drop_schema(schema)
