"""The catalogue being previewed and the real bot that serves it, inside a :class:`Sandbox`.

The sandbox reads the catalogue file and starts the bot the first time it is valid. The bot
serves that very file, as ``frontdoor run`` would: its own watcher and ``/reload`` read it,
and a bad edit is refused with the same errors; only each station's forum topic is the
sandbox's (:mod:`.overlay`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.catalogue import DEFAULT_TIMEZONE, Catalogue, CatalogueError, load_catalogue
from bot.core.settings import Settings
from bot.core.watch import file_changes
from frontdoor_sandbox.overlay import TopicCatalogue, with_topics
from frontdoor_sandbox.seeding import seed_company

if TYPE_CHECKING:
    from frontdoor_sandbox.server import Sandbox

log = logging.getLogger(__name__)


async def load(box: Sandbox) -> None:
    """Read the catalogue being previewed; start the bot once it is valid."""
    try:
        cat = load_catalogue(box.catalogue_path)
    except CatalogueError as exc:
        box.catalogue_errors = [str(issue) for issue in exc.issues] or ["unreadable"]
        log.warning("catalogue %s not usable:\n%s", box.catalogue_path,
                    "\n".join(box.catalogue_errors))
        box._broadcast_state()
        return
    box.catalogue, box.catalogue_errors = cat, []
    in_topics(box, cat)
    if not box.bot_running:
        await start_bot(box)
    box._broadcast_state()


def in_topics(box: Sandbox, cat: Catalogue) -> Catalogue:
    """``cat`` with each station in its topic of the staff group (new stations get one)."""
    assert box.staff is not None
    for station in cat.stations:
        if station.id not in box.topics:
            box.topics[station.id] = box.emu.add_topic(box.staff, station.name.get("zh"))
    return with_topics(cat, box.topics)


async def watch(box: Sandbox) -> None:
    """Load the previewed catalogue again whenever it changes on disk."""
    async for _ in file_changes(box.catalogue_path, settle_seconds=box.catalogue_poll):
        try:
            await load(box)
        except Exception:
            log.exception("could not reload the catalogue")


def settings(box: Sandbox, token: str) -> Settings:
    """The bot's settings: never the environment's token or database."""
    assert box.staff is not None
    cat = box.catalogue
    values: dict[str, Any] = {
        "bot_token": token,
        "database_url": box.db_url,
        "catalogue": box.catalogue_path,
        "staff_chat_id": box.staff.id,
        "admin_ids": frozenset(p.id for p in box.people.values() if p.role == "admin"),
        "telegram_api_url": box.emu.url,
        "timezone": cat.defaults.timezone if cat else DEFAULT_TIMEZONE,
        "catalogue_watch_seconds": 1.0,
        "webhook_url": None,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def start_bot(box: Sandbox) -> None:
    from bot.app import build_application, make_runtime
    from bot.delivery.lifecycle import start_application
    from storage.core.db import Database
    from storage.core.repos import Updates
    from storage.migrate import upgrade

    settings = box.settings()
    await upgrade(settings.database_url)
    db = Database(settings.database_url)
    async with db.session() as session:
        # Update ids start again at 1 in a new emulator: forget the last run's.
        await Updates(session).prune(datetime(9999, 1, 1, tzinfo=UTC))
    if not box.saved.seeded:
        await seed(box, db)
    assert box.catalogue is not None
    cat = in_topics(box, box.catalogue)
    box.rt = make_runtime(settings, db=db, clock=box.clock, catalogue=cat)
    # Reloads (the bot's watcher, an admin's /reload) read the previewed file itself.
    box.rt.catalogue = TopicCatalogue(settings.catalogue, cat, settings.timezone,
                                      lambda new: in_topics(box, new))
    app = build_application(box.rt, job_tick=box.job_tick)
    await start_application(app, poll_timeout=2)
    box.app = app
    log.info("bot running against the emulator at %s", box.emu.url)


async def seed(box: Sandbox, db: Any) -> None:
    """Register the seed company once, in the bot's database, and remember that it is done."""
    assert box.catalogue is not None
    await seed_company(db, box.catalogue, box.saved.people, box.clock.now())
    box.saved.seeded = True
    box._save()


async def stop_bot(box: Sandbox) -> None:
    app, box.app = box.app, None
    if app is None:
        return
    from bot.delivery.lifecycle import stop_application

    await stop_application(app)  # disposes the database too
    box.rt = None


__all__ = ["in_topics", "load", "settings", "start_bot", "stop_bot", "watch"]
