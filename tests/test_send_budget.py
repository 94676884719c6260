"""One send budget for every replica: two dispatchers on one PostgreSQL database together stay
under Telegram's limit, where each alone would keep only to its own."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from telegram import Bot
from telegram.ext import ExtBot

from bot.app import make_runtime
from bot.core.runtime import Runtime
from bot.core.settings import Settings
from bot.delivery.budget import SharedBudget
from bot.delivery.dispatcher import Dispatcher
from frontdoor_emulator import BotApiEmulator
from frontdoor_emulator.models import FloodLimits
from storage.core.db import Database
from storage.core.repos import Outbox
from tests.harness import TOKEN, copy_catalogue

pytestmark = pytest.mark.postgres

# Telegram's limits, tenfold smaller so the test is short; the budget a little under them.
LIMIT_PER_SECOND = 6
MESSAGES = 24


def replica(db: Database, emu: BotApiEmulator, directory: Path, *, shared: bool) -> Runtime:
    settings = Settings(_env_file=None, bot_token=TOKEN, database_url=db.url,  # type: ignore[call-arg]
                        catalogue=copy_catalogue(directory), telegram_api_url=emu.url,
                        rate_limit=shared, send_per_second=LIMIT_PER_SECOND - 1)
    return make_runtime(settings, db=db)


async def deliver_all(emu: BotApiEmulator, dbs: tuple[Database, Database], directory: Path,
                      *, shared: bool) -> None:
    people = [emu.add_user(f"P{n}") for n in range(MESSAGES)]
    for person in people:
        emu.send_text(person, "/start")  # each person has a private chat with the bot
    runtimes = [replica(db, emu, directory, shared=shared) for db in dbs]
    async with dbs[0].session() as s:
        for person in people:
            await Outbox(s).add(person.id, "send", {"text": "通知", "buttons": []},
                                runtimes[0].clock.now())
    bots = [Bot(TOKEN, base_url=f"{emu.url}/bot") for _ in runtimes]
    dispatchers = [Dispatcher(rt, b, batch=4) for rt, b in zip(runtimes, bots, strict=True)]
    try:
        for b in bots:
            await b.initialize()

        async def drain(dispatcher: Dispatcher) -> None:
            while sum(d.delivered for d in dispatchers) < MESSAGES:
                if not await dispatcher.drain_once():
                    await asyncio.sleep(0.05)

        await asyncio.wait_for(asyncio.gather(*(drain(d) for d in dispatchers)), 60)
    finally:
        for b in bots:
            await b.shutdown()


async def test_two_replicas_together_keep_under_the_limit(
        emu: BotApiEmulator, shared: tuple[Database, Database], tmp_path: Path) -> None:
    emu.flood_limits = FloodLimits(global_per_second=LIMIT_PER_SECOND, group_per_minute=None)
    await deliver_all(emu, shared, tmp_path, shared=True)
    sends = emu.calls_of("sendMessage")
    assert len([c for c in sends if c.ok]) == MESSAGES
    assert [c for c in sends if c.status == 429] == []  # never once over the limit


async def test_without_the_shared_budget_two_replicas_go_over(
        emu: BotApiEmulator, shared: tuple[Database, Database], tmp_path: Path) -> None:
    """The same load without the budget: Telegram (the emulator) has to say "wait"."""
    emu.flood_limits = FloodLimits(global_per_second=LIMIT_PER_SECOND, group_per_minute=None)
    await deliver_all(emu, shared, tmp_path, shared=False)
    assert any(c.status == 429 for c in emu.calls_of("sendMessage"))


async def test_direct_answers_of_two_replicas_share_the_budget(
        emu: BotApiEmulator, shared: tuple[Database, Database], tmp_path: Path) -> None:
    """Answers sent straight to a person (not through the outbox) take their place in the same
    budget: two replicas answering many people at once stay under the limit."""
    emu.flood_limits = FloodLimits(global_per_second=LIMIT_PER_SECOND, group_per_minute=None)
    people = [emu.add_user(f"Q{n}") for n in range(MESSAGES)]
    for person in people:
        emu.send_text(person, "/start")
    runtimes = []
    for n, db in enumerate(shared):
        (tmp_path / str(n)).mkdir()
        runtimes.append(replica(db, emu, tmp_path / str(n), shared=True))
    bots = [ExtBot(TOKEN, base_url=f"{emu.url}/bot", rate_limiter=SharedBudget(rt))
            for rt in runtimes]
    try:
        for b in bots:
            await b.initialize()
        await asyncio.wait_for(asyncio.gather(*(
            bots[n % 2].send_message(person.id, "答复") for n, person in enumerate(people))), 60)
    finally:
        for b in bots:
            await b.shutdown()
    sends = emu.calls_of("sendMessage")
    assert len([c for c in sends if c.ok]) == MESSAGES
    assert [c for c in sends if c.status == 429] == []
