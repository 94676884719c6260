"""What an operator and a load balancer see: /healthz, /readyz, /metrics, and a webhook that
answers Telegram only once the update's work is committed."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select, text

from bot.core.leader import Leadership
from bot.core.logs import JsonFormatter
from bot.core.redact import RedactingFilter
from bot.delivery.webhook import SECRET_HEADER
from frontdoor_emulator import BotApiEmulator
from storage.core.db import Database
from storage.migrate import revisions
from storage.tables import ProcessedUpdate
from tests.conftest import PG_SKIP, PG_URL, drop_schema, make_bot, postgres_database
from tests.harness import TOKEN, BotUnderTest, matches
from tests.test_webhook import SECRET, forged_update, free_port


@pytest.fixture
async def ops_bot(emu: BotApiEmulator, sqlite_db: Database,
                  tmp_path: Path) -> AsyncIterator[tuple[BotUnderTest, str, str]]:
    ops, hook = free_port(), free_port()
    url = f"http://127.0.0.1:{hook}/telegram/hook"
    under_test = make_bot(emu, sqlite_db, tmp_path, ops_port=ops, webhook_url=url,
                          webhook_secret=SECRET, webhook_listen="127.0.0.1",
                          webhook_port=hook)
    await under_test.start()
    yield under_test, f"http://127.0.0.1:{ops}", url
    await under_test.stop()


async def test_health_and_readiness_answer_and_say_what_is_missing(
        ops_bot: tuple[BotUnderTest, str, str]) -> None:
    bot, ops, _ = ops_bot
    async with aiohttp.ClientSession() as http:
        async with http.get(ops + "/healthz") as alive:
            assert alive.status == 200
        async with http.get(ops + "/readyz") as ready:
            assert ready.status == 200, await ready.text()
        # A database left behind by a release: not ready, and the answer says what to run.
        async with bot.db.session() as s:
            await s.execute(text("UPDATE alembic_version SET version_num = :old"),
                            {"old": revisions()[0]})
        async with http.get(ops + "/readyz") as behind:
            assert behind.status == 503
            body = await behind.json()
            assert any("frontdoor migrate" in p for p in body["problems"])
        async with bot.db.session() as s:
            await s.execute(text("UPDATE alembic_version SET version_num = :new"),
                            {"new": revisions()[-1]})
        async with http.get(ops + "/readyz") as again:
            assert again.status == 200


async def test_metrics_count_updates_sends_and_the_outbox(
        ops_bot: tuple[BotUnderTest, str, str]) -> None:
    bot, ops, _ = ops_bot
    alice = bot.user("Alice")
    answer = await bot.say(alice, "/help")
    assert matches("help", answer.text)
    await bot.drained()
    async with aiohttp.ClientSession() as http, http.get(ops + "/metrics") as scrape:
        assert scrape.status == 200
        body = await scrape.text()
    assert 'frontdoor_updates_total{kind="message",outcome="handled"} 1.0' in body
    assert "frontdoor_update_seconds_bucket" in body
    assert 'frontdoor_outbox_pending{lane="interactive"} 0.0' in body
    assert 'frontdoor_job_runs_total{job="prune_processed_updates",outcome="ok"}' in body
    assert "frontdoor_db_connections_in_use" in body
    assert SECRET not in body


async def test_the_webhook_answers_after_the_update_is_committed(
        ops_bot: tuple[BotUnderTest, str, str]) -> None:
    bot, _, hook = ops_bot
    update = forged_update(777001, 777001, "/help")
    async with aiohttp.ClientSession() as http:
        async with http.post(hook, json=update, headers={SECRET_HEADER: SECRET}) as answer:
            assert answer.status == 200
        # By the time Telegram hears "200", the update is on record: a replica killed after
        # this point has nothing left to lose.
        async with bot.db.reader() as s:
            done = await s.scalar(select(ProcessedUpdate.update_id).where(
                ProcessedUpdate.update_id == update["update_id"]))
        assert done == update["update_id"]
        # Delivered again (Telegram did not hear the answer): handled once, answered again.
        async with http.post(hook, json=update, headers={SECRET_HEADER: SECRET}) as again:
            assert again.status == 200


async def test_each_update_gets_one_log_line_without_its_text(
        ops_bot: tuple[BotUnderTest, str, str], caplog: pytest.LogCaptureFixture) -> None:
    bot, _, _ = ops_bot
    alice = bot.user("Alice")
    with caplog.at_level(logging.INFO, logger="bot.delivery.updates"):
        await bot.say(alice, "我的电话是 13900000000")
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.delivery.updates"]
    assert len(lines) == 1
    assert f"message chat {alice.id}: handled in" in lines[0]
    assert "13900000000" not in lines[0]


def test_json_log_lines_carry_no_secret() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter(TOKEN, SECRET))  # as `frontdoor run` sets it up
    log = logging.getLogger("frontdoor.test.json")
    log.addHandler(handler)
    log.propagate = False
    try:
        try:
            raise RuntimeError(f"posting to /bot{TOKEN}/getMe with {SECRET} failed")
        except RuntimeError:
            log.exception("call failed for %s", TOKEN)
    finally:
        log.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["level"] == "ERROR"
    assert entry["message"] == "call failed for <token>"
    assert "RuntimeError" in entry["error"]
    assert TOKEN not in lines[0]
    assert SECRET not in lines[0]


@pytest.mark.postgres
async def test_one_process_runs_the_jobs_and_another_takes_over_when_it_dies() -> None:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    first_db, schema = await postgres_database()
    second_db = Database(PG_URL, schema=schema)
    other_db = Database(PG_URL, schema=schema + "_x")  # another deployment elects its own
    first, second = Leadership(first_db), Leadership(second_db)
    try:
        assert await first.held()
        assert not await second.held()
        assert await first.held()  # still its own
        elsewhere = Leadership(other_db)
        assert await elsewhere.held()
        await elsewhere.release()
        # The leader's process dies: its connection drops, and the lock goes with it.
        pid = (await first._conn.execute(text("SELECT pg_backend_pid()"))).scalar()
        async with second_db.session() as s:
            await s.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        # The server lets the lock go once the backend has exited: a moment, not at once.
        for _ in range(100):
            if await second.held():
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("nobody took the jobs over")
        assert not await first.held()  # it finds its connection gone, and the lock taken
        await second.release()  # a clean stop hands the jobs on at once
        assert await first.held()
        await first.release()
    finally:
        await first.release()
        await second.release()
        for db in (first_db, second_db, other_db):
            await db.dispose()
        await drop_schema(schema)


async def test_on_sqlite_the_one_process_runs_the_jobs(sqlite_db: Database) -> None:
    assert await Leadership(sqlite_db).held()
