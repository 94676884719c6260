"""One place wires everything: settings → runtime → PTB Application → handlers → workers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Awaitable, Hashable
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
)

from bot.admin import announce_reload
from bot.context import background_work
from bot.delivery import Dispatcher
from bot.jobs import JOBS, add_job
from bot.runtime import Runtime
from bot.settings import Settings
from bot.transport import AiohttpRequest
from storage.repos import Updates

log = logging.getLogger(__name__)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Handles updates concurrently across chats but strictly in order within a chat.

    A person's second message must not overtake their first (the flow engine would see the
    answers out of order); different people never wait for each other. In a group that
    means each member in order: the officers of a busy staff group work side by side (their
    conversations are kept per person, and their races are settled by the database).
    """

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: defaultdict[Hashable, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._waiting: defaultdict[Hashable, int] = defaultdict(int)

    @staticmethod
    def _key(update: object) -> Hashable:
        if isinstance(update, Update):
            chat, user = update.effective_chat, update.effective_user
            if chat is not None:
                if chat.type != "private" and user is not None:
                    return (chat.id, user.id)
                return chat.id
            if user is not None:
                return user.id
        return 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self._key(update)
        self._waiting[key] += 1
        try:
            async with self._locks[key]:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


async def watch_catalogue(rt: Runtime) -> None:
    """Pick up edits of catalogue.yaml on disk; admins hear what changed or what is wrong."""
    interval = rt.settings.catalogue_watch_seconds
    while interval > 0:
        await asyncio.sleep(interval)
        if not rt.catalogue.changed_on_disk():
            continue
        result = rt.catalogue.reload()
        log.info("catalogue.yaml changed on disk: %s", "in service" if result.ok else "refused")
        try:
            async with background_work(rt) as ctx:
                await announce_reload(ctx, result)
        except Exception:
            log.exception("could not tell the admins about the catalogue change")


# Telegram redelivers an update for at most a day; a week of ids is plenty to recognise one.
PROCESSED_UPDATES_KEPT = timedelta(days=7)
PRUNE_EVERY = timedelta(hours=1)


async def prune_processed_updates(rt: Runtime) -> None:
    """Forget update ids too old to be delivered again, once an hour."""
    now = rt.clock.now()
    last = rt.state.get("pruned_updates_at")
    if last is not None and now - last < PRUNE_EVERY:
        return
    rt.state["pruned_updates_at"] = now
    async with rt.db.session() as s:
        await Updates(s).prune(now - PROCESSED_UPDATES_KEPT)


add_job(prune_processed_updates)


async def run_jobs(rt: Runtime, tick: float = 1.0) -> None:
    """Reminders, escalations, rosters: each job looks at the clock and the database."""
    while True:
        for job in JOBS:
            try:
                await job(rt)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background job %s failed", getattr(job, "__name__", job))
        rt.background_wakeup.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(rt.background_wakeup.wait(), tick)


def use_transport(builder: Any, settings: Settings) -> Any:
    """aiohttp for API calls and long polls, unless the settings ask for PTB's httpx."""
    if settings.http_transport == "httpx":
        return builder  # PTB's defaults: HTTPXRequest, 256 connections, 1 for getUpdates
    # getUpdates runs one long poll at a time: one connection is all it needs.
    return builder.request(AiohttpRequest()).get_updates_request(
        AiohttpRequest(connection_pool_size=1)
    )


def build_application(rt: Runtime, *, concurrent: bool = True, job_tick: float = 1.0) -> Any:
    """The PTB Application with every handler, in order, and the background workers."""
    from handlers import register_all
    from handlers.common import Context

    settings = rt.settings
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_file_url)
        .context_types(ContextTypes(context=Context))
        .arbitrary_callback_data(False)
    )
    builder = use_transport(builder, settings)
    if settings.rate_limit:
        # max_retries=0: a RetryAfter reaches the outbox, which reschedules the message.
        limiter: Any = AIORateLimiter(max_retries=0)
        builder = builder.rate_limiter(limiter)
    if concurrent:
        builder = builder.concurrent_updates(PerChatUpdateProcessor())
    tasks: list[asyncio.Task[None]] = []

    async def post_init(app: Any) -> None:
        dispatcher = Dispatcher(rt, app.bot)
        app.bot_data["dispatcher"] = dispatcher
        tasks.append(asyncio.create_task(dispatcher.run(), name="outbox"))
        tasks.append(asyncio.create_task(watch_catalogue(rt), name="catalogue-watch"))
        tasks.append(asyncio.create_task(run_jobs(rt, job_tick), name="jobs"))

    async def post_stop(app: Any) -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        tasks.clear()

    async def post_shutdown(app: Any) -> None:
        await rt.db.dispose()

    builder = builder.post_init(post_init).post_stop(post_stop).post_shutdown(post_shutdown)
    app = builder.build()
    app.bot_data["rt"] = rt
    register_all(app)
    return app
