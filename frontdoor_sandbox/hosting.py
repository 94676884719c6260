"""The catalogue being previewed and the real bot that serves it, inside a :class:`Sandbox`.

The sandbox reads the catalogue file, gives the bot a copy whose stations point at the
emulator's forum topics, and starts the bot the first time the catalogue is valid; after that
the bot's own watcher picks up every change of the copy.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.catalogue import DEFAULT_TIMEZONE, Catalogue, CatalogueError, load_catalogue
from bot.runtime import CatalogueHolder, Runtime
from bot.settings import Settings
from frontdoor_sandbox.overlay import with_topics
from frontdoor_sandbox.seeding import seed_company

if TYPE_CHECKING:
    from frontdoor_sandbox.server import Sandbox

log = logging.getLogger(__name__)

CATALOGUE_COPY = "sandbox-catalogue.yaml"


def disk_stamp(path: Path) -> tuple[float, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime, st.st_size


async def load(box: Sandbox) -> None:
    """Read the catalogue being previewed; start the bot once it is valid."""
    box._stamp = disk_stamp(box.catalogue_path)
    try:
        cat = load_catalogue(box.catalogue_path)
    except CatalogueError as exc:
        box.catalogue_errors = [str(issue) for issue in exc.issues] or ["unreadable"]
        log.warning("catalogue %s not usable:\n%s", box.catalogue_path,
                    "\n".join(box.catalogue_errors))
        box._broadcast_state()
        return
    box.catalogue, box.catalogue_errors = cat, []
    write_copy(box, cat)
    if not box.bot_running:
        await start_bot(box)
    box._broadcast_state()


def write_copy(box: Sandbox, cat: Catalogue) -> None:
    assert box.staff is not None
    for station in cat.stations:
        if station.id not in box.topics:
            box.topics[station.id] = box.emu.add_topic(box.staff, station.name.get("zh"))
    text = box.catalogue_path.read_text(encoding="utf-8")
    box._file(CATALOGUE_COPY).write_text(with_topics(text, box.topics), encoding="utf-8")


async def watch(box: Sandbox) -> None:
    while True:
        await asyncio.sleep(box.catalogue_poll)
        if disk_stamp(box.catalogue_path) != box._stamp:
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
        "catalogue": box._file(CATALOGUE_COPY),
        "staff_chat_id": box.staff.id,
        "admin_ids": frozenset(p.id for p in box.people.values() if p.role == "admin"),
        "telegram_api_url": box.emu.url,
        "timezone": cat.defaults.timezone if cat else DEFAULT_TIMEZONE,
        "catalogue_watch_seconds": 1.0,
        "webhook_url": None,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def start_bot(box: Sandbox) -> None:
    from bot.app import build_application
    from storage.db import Database
    from storage.migrate import upgrade
    from storage.repos import Updates

    settings = box.settings()
    await upgrade(settings.database_url)
    db = Database(settings.database_url)
    async with db.session() as session:
        # Update ids start again at 1 in a new emulator: forget the last run's.
        await Updates(session).prune(datetime(9999, 1, 1, tzinfo=UTC))
    if not box.saved.seeded:
        await seed(box, db)
    box.rt = Runtime(settings=settings, db=db,
                     catalogue=CatalogueHolder.load(settings.catalogue, settings.timezone),
                     clock=box.clock)
    app = build_application(box.rt, job_tick=box.job_tick)
    await app.initialize()
    await app.post_init(app)
    await app.updater.start_polling(poll_interval=0.0, timeout=2)
    await app.start()
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
    if app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.post_stop(app)
    await app.shutdown()
    await app.post_shutdown(app)  # run_polling would call it; disposes the database
    box.rt = None


__all__ = ["CATALOGUE_COPY", "disk_stamp", "load", "settings", "start_bot", "stop_bot",
           "watch", "write_copy"]
