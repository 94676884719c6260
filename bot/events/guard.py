"""An event companies registered for never disappears by a slip in the YAML: a catalogue that
drops one is refused by /reload, the file watcher and ``frontdoor check``, like a bad file.
Calling an event off is ``status: cancelled``, which tells everyone signed up."""

from __future__ import annotations

from bot.catalogue import CatalogueIssue
from bot.catalogue.model import Catalogue
from bot.core.context import Ctx
from storage.core.db import Database
from storage.events.repo import Registrations


def dropped(counts: dict[str, int], new: Catalogue) -> list[str]:
    """One line per event with live registrations that ``new`` no longer lists."""
    kept = {event.id for event in new.events}
    return [
        str(CatalogueIssue(
            new.source, None, "events",
            f"event '{event_id}' has {n} registration{'s' if n != 1 else ''} but is no "
            "longer in the file: put it back, with status: cancelled to call it off"))
        for event_id, n in sorted(counts.items()) if event_id not in kept
    ]


async def check_catalogue(ctx: Ctx, new: Catalogue) -> list[str]:
    """The reload's check (registered with ``features.add_catalogue_check``)."""
    return dropped(await ctx.registrations.live_counts(), new)


def has_database(url: str) -> bool:
    """Is there a database to look at (a SQLite file that exists, or a server)?"""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from storage.core.db import is_sqlite

    if not is_sqlite(url):
        return True
    path = make_url(url).database
    return bool(path) and path != ":memory:" and Path(str(path)).exists()


async def check_database(url: str, new: Catalogue) -> list[str]:
    """``frontdoor check``'s look at the database (see :func:`has_database` first)."""
    db = Database(url)
    try:
        async with db.reader() as session:
            counts = await Registrations(session).live_counts()
    except Exception:  # not migrated, or not reachable: nothing registered to lose
        return []
    finally:
        await db.dispose()
    return dropped(counts, new)
