"""Every replica serves the same catalogue: an edit taken by one is served by all within seconds.

Two bots on one PostgreSQL database stand for two replicas (each talks to an emulator of its
own, with the same people in it). Each has its own copy of catalogue.yaml, so only one sees
an edit; the other must take it from the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdoor_emulator import BotApiEmulator
from storage.core.db import Database
from storage.tables import CatalogueVersion, OutboxMessage
from tests.conftest import make_bot
from tests.harness import TOKEN, BotUnderTest
from tests.test_reload import edit_catalogue

OLD_NAME = "name: {zh: 知识产权保险"
NEW_NAME = "name: {zh: 知识产权保险服务"
FOLLOW = {"catalogue_watch_seconds": 0.1, "catalogue_poll_seconds": 0.2}


@pytest.fixture
async def other_emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator(token=TOKEN, bot_username="frontdoor_bot")
    # One bot has one sequence of update ids: the second emulator's must not repeat the
    # first's, or the shared database would take its updates for ones already handled.
    emulator._next_update_id = 1_000_000
    await emulator.start()
    yield emulator
    await emulator.stop()


async def versions(db: Database) -> list[tuple[str, str]]:
    """(recorded_by, digest) of every recorded version, oldest first."""
    async with db.reader() as s:
        rows = await s.execute(select(CatalogueVersion.recorded_by, CatalogueVersion.digest)
                               .order_by(CatalogueVersion.id))
        return [(r[0], r[1]) for r in rows]


async def announcements(db: Database) -> int:
    async with db.reader() as s:
        count = await s.scalar(select(func.count()).select_from(OutboxMessage)
                               .where(OutboxMessage.dedupe_key.like("reload:%")))
    return int(count or 0)


def insurance_name(bot: BotUnderTest) -> str:
    service = bot.runtime.cat.service("ip-insurance")
    assert service is not None
    return service.name.zh


def told(bots: list[BotUnderTest], words: str) -> list[str]:
    """What the admin was told containing ``words``, whichever replica's emulator sent it."""
    return [m.text for b in bots for m in b.emu.messages(b.admin) if words in m.text]


@pytest.fixture
async def two_replicas(emu: BotApiEmulator, other_emu: BotApiEmulator,
                       shared: tuple[Database, Database],
                       tmp_path: Path) -> AsyncIterator[list[BotUnderTest]]:
    bots = []
    for n, (emulator, db) in enumerate(zip((emu, other_emu), shared, strict=True)):
        directory = tmp_path / f"replica-{n}"
        directory.mkdir()
        bots.append(make_bot(emulator, db, directory, **FOLLOW))
    for bot in bots:
        await bot.start()
    yield bots
    for bot in bots:
        await bot.stop()


async def test_an_edit_seen_by_one_replica_is_served_by_the_other(
        two_replicas: list[BotUnderTest]) -> None:
    seen, other = two_replicas
    for bot in two_replicas:
        await bot.say(bot.admin, "/help")  # the admin has talked to the bot
    assert [by for by, _ in await versions(seen.db)] == ["start"]  # one record, two starts

    edit_catalogue(seen, OLD_NAME, NEW_NAME)
    await seen.emu.wait_until(lambda: insurance_name(other) == "知识产权保险服务", timeout=10)
    bob = other.emu.add_user("Bob", language_code="zh-hans")
    card = await other.say(bob, "/start svc-ip-insurance")
    assert "知识产权保险服务" in card.text
    assert "知识产权保险服务" not in other.catalogue_path.read_text(encoding="utf-8")
    recorded = await versions(seen.db)
    assert [by for by, _ in recorded] == ["start", "watch"]
    assert recorded[-1][1] == other.runtime.cat.digest == seen.runtime.cat.digest
    # The admins hear of it once, from the replica that recorded it.
    await seen.emu.wait_until(lambda: told(two_replicas, "changed on disk"), timeout=10)
    assert await announcements(seen.db) == 1
    assert len(told(two_replicas, "changed on disk")) == 1

    # A broken edit is refused where it was read and never recorded.
    edit_catalogue(seen, "version: 1", "version: 2")
    await seen.emu.wait_until(lambda: told(two_replicas, "has errors"), timeout=10)
    assert await versions(seen.db) == recorded
    assert insurance_name(seen) == insurance_name(other) == "知识产权保险服务"

    # A replica restarted with its stale copy serves the version in service, not its file.
    await other.restart()
    assert insurance_name(other) == "知识产权保险服务"
    assert await versions(seen.db) == recorded


async def test_replicas_sharing_one_file_record_and_announce_an_edit_once(
        two_replicas: list[BotUnderTest]) -> None:
    first, second = two_replicas
    for bot in two_replicas:
        await bot.say(bot.admin, "/help")
    await second.stop()
    second.catalogue_path = first.catalogue_path  # both watch the same file
    await second.start()
    edit_catalogue(first, OLD_NAME, NEW_NAME)
    await first.emu.wait_until(lambda: told(two_replicas, "changed on disk"), timeout=10)
    await first.emu.wait_until(
        lambda: insurance_name(first) == insurance_name(second) == "知识产权保险服务", timeout=10)
    assert [by for by, _ in await versions(first.db)] == ["start", "watch"]
    assert await announcements(first.db) == 1
    assert len(told(two_replicas, "changed on disk")) == 1


async def test_reload_records_a_good_edit_only_and_the_file_wins_at_start_on_sqlite(
        bot: BotUnderTest) -> None:
    original = bot.catalogue_path.read_text(encoding="utf-8")
    assert [by for by, _ in await versions(bot.db)] == ["start"]
    edit_catalogue(bot, OLD_NAME, NEW_NAME)
    answer = await bot.say(bot.admin, "/reload")
    assert "Catalogue updated" in answer.text
    edit_catalogue(bot, "version: 1", "version: 2")
    answer = await bot.say(bot.admin, "/reload")
    assert "previous one stays in service" in answer.text
    recorded = await versions(bot.db)
    assert [by for by, _ in recorded] == ["start", "reload"]
    assert recorded[-1][1] == bot.runtime.cat.digest
    async with bot.db.reader() as s:
        admin_id = await s.scalar(select(CatalogueVersion.admin_id)
                                  .order_by(CatalogueVersion.id.desc()).limit(1))
    assert admin_id == bot.admin.id

    # One process: the file it starts with is what the admin means, even an older text.
    bot.catalogue_path.write_text(original, encoding="utf-8")
    await bot.restart()
    assert insurance_name(bot) == "知识产权保险"
    assert [by for by, _ in await versions(bot.db)] == ["start", "reload", "start"]
