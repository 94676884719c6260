"""The bot token never reaches a log line, a stored error or a message: HTTP libraries put the
request URL, token and all, into their error texts."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select

from bot.core.redact import RedactingFilter, redact
from frontdoor_emulator import BotApiEmulator
from storage.core.db import Database
from storage.core.repos import Outbox
from storage.tables import OutboxMessage
from tests.conftest import make_bot
from tests.harness import TOKEN


@pytest.fixture
async def broken_send(emu: BotApiEmulator) -> AsyncIterator[str]:
    """A Bot API in front of the emulator whose sendMessage answers with a redirect loop (as a
    misconfigured proxy would): aiohttp's error then names the URL, token included."""

    async def relay(request: web.Request) -> web.StreamResponse:
        if request.path.endswith("/sendMessage"):
            raise web.HTTPTemporaryRedirect(str(request.url))
        async with aiohttp.ClientSession() as http, http.request(
                request.method, emu.url + request.path_qs, data=await request.read(),
                headers={"Content-Type": request.headers.get("Content-Type", "")}) as answer:
            return web.Response(status=answer.status, body=await answer.read(),
                                content_type="application/json")

    server = web.Application()
    server.router.add_route("*", "/{tail:.*}", relay)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def test_a_failing_send_stores_and_logs_no_token(
        emu: BotApiEmulator, sqlite_db: Database, tmp_path: Path, broken_send: str,
        caplog: pytest.LogCaptureFixture) -> None:
    bot = make_bot(emu, sqlite_db, tmp_path, telegram_api_url=broken_send)
    await bot.start()
    try:
        async with sqlite_db.session() as session:
            await Outbox(session).add(bot.staff.id, "send", {"text": "hello", "buttons": []},
                                      bot.clock.now())
        bot.runtime.wake()

        async def error() -> str:
            async with sqlite_db.reader() as session:
                row = await session.scalar(select(OutboxMessage))
            return row.error if row is not None and row.error else ""

        for _ in range(200):
            if await error():
                break
            await asyncio.sleep(0.02)
        stored = await error()
        assert "TooManyRedirects" in stored  # the failure is recorded …
        assert TOKEN not in stored  # … without the token
        assert "bot<token>" in stored
    finally:
        await bot.stop()
    assert TOKEN not in caplog.text


def test_the_log_filter_redacts_messages_and_tracebacks() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "calling %s", (
        f"https://api.telegram.org/bot{TOKEN}/getMe",), None)
    try:
        raise RuntimeError(f"failed: /bot{TOKEN}/sendMessage")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    assert RedactingFilter(TOKEN).filter(record)
    text = logging.Formatter().format(record)
    assert TOKEN not in text
    assert "/bot<token>/getMe" in text
    assert "/bot<token>/sendMessage" in text


def test_a_bare_token_of_the_real_shape_is_hidden_without_being_named() -> None:
    real_shape = "1234567890:AAH" + "x" * 32
    assert redact(f"token is {real_shape}.") == "token is <token>."
