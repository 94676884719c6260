"""The composition root: settings → features → runtime → PTB Application → handlers → workers.

It reads like a table of contents: each feature's ``setup`` is called here, in order, and
nothing anywhere registers itself by being imported.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

import bot.admin
import bot.companies
import bot.events
import bot.notices
import bot.posters
import bot.privacy
import bot.records
import bot.reports
import bot.requests
import bot.visits
import handlers.companies
import handlers.core
import handlers.events
import handlers.notices
import handlers.privacy
import handlers.records
import handlers.reports
import handlers.requests
import handlers.visits
import storage.notices
from bot.admin.reload import announce_reload
from bot.admin.versions import accept_file, follow_versions, settle_at_start
from bot.catalogue import Catalogue
from bot.core.clock import Clock, SystemClock
from bot.core.context import background_work, current_staff_chat
from bot.core.features import Features
from bot.core.jobs import prune_processed_updates, run_jobs
from bot.core.runtime import CatalogueHolder, Runtime
from bot.core.settings import Settings
from bot.core.watch import file_changes
from bot.delivery.budget import SharedBudget
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.menus import set_command_menus
from bot.delivery.pacing import LaneRateLimiter
from bot.delivery.updates import PerChatUpdateProcessor, transports
from bot.delivery.updates_bot import SkippingBot
from handlers.core.plumbing import App, Context
from storage.core.db import Database

log = logging.getLogger(__name__)


def build_features() -> Features:
    """Every feature's commands, flows, fallbacks and jobs, registered in this order."""
    features = Features()
    features.add_job(prune_processed_updates)
    bot.companies.setup(features)
    bot.requests.setup(features)
    bot.visits.setup(features)
    bot.admin.setup(features)
    bot.privacy.setup(features)
    bot.records.setup(features)
    bot.reports.setup(features)
    bot.posters.setup(features)
    bot.events.setup(features)
    storage.notices.setup()
    bot.notices.setup(features)
    return features


def make_runtime(settings: Settings, *, db: Database | None = None, clock: Clock | None = None,
                 catalogue: Catalogue | None = None) -> Runtime:
    """The one way to build a runtime (the bot, the sandbox, the tests, the benchmark).

    ``catalogue`` serves a catalogue already loaded; by default it is read from the settings'
    file (and a bad file raises ``CatalogueError``).
    """
    holder = (CatalogueHolder(settings.catalogue, catalogue, settings.timezone)
              if catalogue is not None
              else CatalogueHolder.load(settings.catalogue, settings.timezone))
    return Runtime(settings=settings, db=db or Database(settings.database_url),
                   catalogue=holder, features=build_features(), clock=clock or SystemClock())


def register_handlers(app: App) -> None:
    """Every audience's Telegram handlers, most specific first."""
    # Staff commands and buttons first: in a private chat a /queue would otherwise be taken
    # as an unknown enterprise command by the catch-all below.
    handlers.requests.setup(app)
    handlers.visits.setup(app)
    # Before the core: it takes a check-in pass's /start ev-… ahead of the front desk's /start.
    handlers.events.setup(app)
    handlers.companies.setup(app)
    handlers.privacy.setup(app)
    handlers.records.setup(app)
    handlers.reports.setup(app)
    handlers.notices.setup(app)
    # The catch-alls: commands, messages and flow buttons of private chats, the error handler,
    # and last, an answer for any button nobody took.
    handlers.core.setup(app)


async def watch_catalogue(rt: Runtime) -> None:
    """Pick up edits of catalogue.yaml on disk; admins hear what changed or what is wrong.

    A valid edit is recorded for every replica to serve; only the process that recorded it
    tells the admins (bot.admin.versions).
    """
    async for _ in file_changes(rt.settings.catalogue,
                                settle_seconds=rt.settings.catalogue_watch_seconds):
        try:
            async with background_work(rt) as ctx:
                result, recorded = await accept_file(ctx, by="watch")
                log.info("catalogue.yaml changed on disk: %s",
                         "in service" if result.ok else "refused")
                if not result.ok or recorded is not None:
                    # Not "saved again as it was", "/reload took it already" or "another
                    # replica recorded it first".
                    await announce_reload(ctx, result, recorded)
        except Exception:
            log.exception("could not take the catalogue change")


def build_application(rt: Runtime, *, concurrent: bool = True, job_tick: float = 1.0) -> Any:
    """The PTB Application with every handler, in order, and the background workers."""
    settings = rt.settings
    calls, polls = transports(settings)
    # A RetryAfter reaches the outbox, which reschedules the message. One process (SQLite)
    # counts its sends in memory, bulk after the rest (bot.delivery.pacing); replicas
    # (PostgreSQL) take every send's place in the budget they share, direct answers and
    # outbox alike (bot.delivery.budget).
    limiter: Any = None
    if settings.rate_limit:
        limiter = LaneRateLimiter() if rt.db.sqlite else SharedBudget(rt)
    telegram_bot = SkippingBot(
        settings.bot_token, base_url=settings.api_base_url,
        base_file_url=settings.api_file_url, request=calls, get_updates_request=polls,
        # Every text the bot writes is HTML, its values escaped by the texts' t().
        defaults=Defaults(parse_mode=ParseMode.HTML), arbitrary_callback_data=False,
        rate_limiter=limiter,
    )
    builder = ApplicationBuilder().bot(telegram_bot).context_types(ContextTypes(context=Context))
    if concurrent:
        builder = builder.concurrent_updates(PerChatUpdateProcessor(metrics=rt.metrics))
    tasks: list[asyncio.Task[None]] = []

    async def post_init(app: Any) -> None:
        rt.bot_username = app.bot.username  # asked of Telegram (getMe) when it initialised
        await set_command_menus(app.bot, settings, await current_staff_chat(rt))
        dispatcher = Dispatcher(rt, app.bot)
        app.bot_data["dispatcher"] = dispatcher
        try:
            # Before the first update: every replica serves the catalogue recorded in service.
            await settle_at_start(rt)
        except Exception:
            log.warning("could not ask which catalogue is in service; asking again later",
                        exc_info=True)
        tasks.append(asyncio.create_task(dispatcher.run(), name="outbox"))
        if settings.catalogue_watch_seconds > 0:
            tasks.append(asyncio.create_task(watch_catalogue(rt), name="catalogue-watch"))
        if settings.catalogue_poll_seconds > 0:
            tasks.append(asyncio.create_task(follow_versions(rt), name="catalogue-follow"))
        tasks.append(asyncio.create_task(run_jobs(rt, job_tick), name="jobs"))

    async def post_stop(app: Any) -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        tasks.clear()

    async def post_shutdown(app: Any) -> None:
        await rt.db.dispose()

    builder = builder.post_init(post_init).post_stop(post_stop).post_shutdown(post_shutdown)
    app: Any = builder.build()
    app.bot_data["rt"] = rt
    register_handlers(app)
    return app
