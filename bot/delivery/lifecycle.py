"""The one way an Application starts and stops: ``frontdoor run``, the sandbox and the tests.

PTB's ``run_polling``/``run_webhook`` own the event loop and the process's signals; the
sandbox and the tests run the bot inside a loop of their own. So all three start it here, in
the order PTB would: initialize → ``post_init`` (our workers) → updater → start, and stop it in
reverse with ``post_stop`` and ``post_shutdown``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.core.settings import Settings
from bot.delivery.ops import OpsServer
from bot.delivery.webhook import WebhookServer, secret_problem

log = logging.getLogger(__name__)

# How long the updates in hand may take to finish when the bot stops.
STOP_GRACE = 30.0
ASYNCIO_FILES = os.path.dirname(asyncio.__file__)
# The update kinds the bot handles; asked of Telegram explicitly so none is silently missed.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


@dataclass(frozen=True, slots=True)
class Webhook:
    """Where the webhook server listens, and what Telegram is told to call."""

    listen: str
    port: int
    url_path: str
    url: str
    secret_token: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Webhook | None:
        """The webhook the settings ask for (None: long polling). Raises ``ValueError`` with a
        line for a person when the secret cannot protect it."""
        if not settings.webhook_url:
            return None
        problem = secret_problem(settings.webhook_secret)
        if problem:
            raise ValueError(problem)
        assert settings.webhook_secret is not None
        # The reverse proxy forwards the public URL's path unchanged.
        return cls(listen=settings.webhook_listen, port=settings.webhook_port,
                   url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
                   url=settings.webhook_url, secret_token=settings.webhook_secret)


async def start_application(app: Any, *, poll_timeout: int = 10,
                            webhook: Webhook | None = None) -> None:
    """Initialize, run ``post_init``, start receiving updates (long polling, or ``webhook``)."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    rt = app.bot_data.get("rt")
    if rt is not None and rt.settings.ops_port:
        ops = OpsServer(rt, listen=rt.settings.ops_listen, port=rt.settings.ops_port)
        await ops.start()
        app.bot_data["ops_server"] = ops
    if webhook is not None:
        server = WebhookServer(app, listen=webhook.listen, port=webhook.port,
                               path=webhook.url_path, secret=webhook.secret_token)
        await server.start()
        app.bot_data["webhook_server"] = server
        await app.bot.set_webhook(webhook.url, secret_token=webhook.secret_token,
                                  allowed_updates=ALLOWED_UPDATES)
    else:
        await app.updater.start_polling(poll_interval=0.0, timeout=poll_timeout,
                                        allowed_updates=ALLOWED_UPDATES)
    await app.start()


async def stop_application(app: Any, *, grace: float = STOP_GRACE) -> None:
    """Stop receiving, stop handling, run ``post_stop``, shut down, run ``post_shutdown``.

    The updates in hand get ``grace`` seconds to finish. One that is still going then is
    left (its transaction was not committed, or it was: either way the update comes again
    or is done), and what was still running is logged, where it waited, so a stop never
    hangs on one stuck update.
    """
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    for name in ("webhook_server", "ops_server"):
        server = app.bot_data.pop(name, None)
        if server is not None:
            await server.stop()
    if app.running:
        try:
            await asyncio.wait_for(app.stop(), grace)
        except TimeoutError:
            log.error("updates still running %g s after the stop began; leaving them: %s",
                      grace, "; ".join(_where(task) for task in asyncio.all_tasks()
                                       if task is not asyncio.current_task()))
    if app.post_stop is not None:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


def _where(task: asyncio.Task[Any]) -> str:
    """A task's name and the innermost line it waits on outside asyncio itself (following
    what each coroutine awaits)."""
    coro: Any = task.get_coro()
    where = ""
    while coro is not None and getattr(coro, "cr_frame", None) is not None:
        frame = coro.cr_frame
        if not frame.f_code.co_filename.startswith(ASYNCIO_FILES):
            where = f" at {frame.f_code.co_filename}:{frame.f_lineno}"
        coro = getattr(coro, "cr_await", None)
    return task.get_name() + where


@contextlib.asynccontextmanager
async def running(app: Any, *, poll_timeout: int = 10,
                  webhook: Webhook | None = None) -> AsyncIterator[Any]:
    """The application, started for the ``async with`` block and stopped after it."""
    await start_application(app, poll_timeout=poll_timeout, webhook=webhook)
    try:
        yield app
    finally:
        await stop_application(app)
