"""The process's dependencies in one typed object: settings, database, catalogue, clock."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.catalogue import (
    Catalogue,
    CatalogueDiff,
    CatalogueError,
    diff_catalogues,
    load_catalogue,
    parse_catalogue,
    read_catalogue_text,
)
from bot.catalogue.search import ServiceIndex
from bot.core.clock import Clock, SystemClock
from bot.core.features import Features
from bot.core.metrics import Metrics
from bot.core.settings import Settings
from storage.core.db import Database

log = logging.getLogger(__name__)

# How long the staff group's id, once read, is used without reading it again.
STAFF_CHAT_FRESH_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class ReloadResult:
    ok: bool
    catalogue: Catalogue
    diff: CatalogueDiff | None = None
    errors: tuple[str, ...] = ()


class CatalogueHolder:
    """The catalogue in service, with its search index. A bad file never replaces a good
    catalogue; a good one is indexed once, when it is loaded."""

    def __init__(self, path: Path, catalogue: Catalogue,
                 default_timezone: str | None = None) -> None:
        self.path = path
        self.current = catalogue
        self.index = ServiceIndex(catalogue)
        self.default_timezone = default_timezone
        # The recorded version served (catalogue_versions.id), once the database was asked;
        # a newer one recorded by another process replaces it (bot.admin.versions).
        self.version_id: int | None = None
        # A recorded version this process could not read (kept from being tried again).
        self.refused_id: int | None = None

    @classmethod
    def load(cls, path: Path, default_timezone: str | None = None) -> CatalogueHolder:
        """Load the file; stations without a zone of their own use ``default_timezone``."""
        return cls(path, load_catalogue(path, default_timezone=default_timezone),
                   default_timezone)

    def read(self) -> Catalogue:
        """The file as it is now (``CatalogueError`` if it cannot be used)."""
        return self.parse(read_catalogue_text(self.path))

    def read_source(self) -> tuple[str, Catalogue]:
        """The file's text as it is now and the catalogue it makes (``CatalogueError``)."""
        text = read_catalogue_text(self.path)
        return text, self.parse(text)

    def parse(self, text: str) -> Catalogue:
        """A catalogue from text read from the file or recorded in the database."""
        return parse_catalogue(text, str(self.path), default_timezone=self.default_timezone)

    def put(self, new: Catalogue) -> ReloadResult:
        """Serve ``new`` (already validated) from now on, with its index."""
        index = ServiceIndex(new)
        old, self.current, self.index = self.current, new, index
        return ReloadResult(True, new, diff=diff_catalogues(old, new))

    def reload(self) -> ReloadResult:
        """Read the file again; keep the catalogue in service unless the new one is valid."""
        try:
            new = self.read()
        except CatalogueError as exc:
            return refused(self.current, exc)
        return self.put(new)


def refused(current: Catalogue, exc: CatalogueError) -> ReloadResult:
    """The catalogue in service stays; ``exc``'s problems, one line each."""
    return ReloadResult(False, current, errors=tuple(str(i) for i in exc.issues))


class RecentUpdates:
    """The ids of the last updates this process answered, oldest forgotten first.

    An update that comes again after this process answered it (Telegram had no word that it
    arrived) needs no second answer; one this process never answered (another process took
    it and stopped before answering) gets the answer kept with it.
    """

    def __init__(self, size: int = 10_000) -> None:
        self._ids: dict[int, None] = {}
        self._size = size

    def add(self, update_id: int) -> None:
        self._ids[update_id] = None
        if len(self._ids) > self._size:
            del self._ids[next(iter(self._ids))]

    def __contains__(self, update_id: object) -> bool:
        return update_id in self._ids


@dataclass
class Runtime:
    settings: Settings
    db: Database
    catalogue: CatalogueHolder
    # What the features registered (commands, flows, jobs, …): see bot.app.build_features.
    features: Features
    clock: Clock = field(default_factory=SystemClock)
    outbox_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    background_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    # What background jobs remember between ticks, per feature (``state.setdefault(name, {})``):
    # it lives and dies with this runtime, never shared with another one in the process.
    state: dict[str, Any] = field(default_factory=dict)
    # Counters and timings for /metrics: one registry per runtime.
    metrics: Metrics = field(default_factory=Metrics)
    # The bot's @username as Telegram reported it at start (getMe), for deep links.
    bot_username: str | None = None
    answered: RecentUpdates = field(default_factory=RecentUpdates)
    # The staff group's current id as last read (monotonic time, id).
    _staff_chat_seen: tuple[float, int] | None = field(default=None, init=False, repr=False)

    @property
    def cat(self) -> Catalogue:
        return self.catalogue.current

    @property
    def search(self) -> ServiceIndex:
        """The index of the catalogue in service, for free questions."""
        return self.catalogue.index

    def remembered_staff_chat(self) -> int | None:
        """The staff group's id, if it was read in the last ``STAFF_CHAT_FRESH_SECONDS``."""
        seen = self._staff_chat_seen
        if seen is None or time.monotonic() - seen[0] >= STAFF_CHAT_FRESH_SECONDS:
            return None
        return seen[1]

    def remember_staff_chat(self, chat_id: int) -> None:
        self._staff_chat_seen = (time.monotonic(), chat_id)

    def forget_staff_chat(self) -> None:
        """Read the staff group's id again next time (it moved, or may have)."""
        self._staff_chat_seen = None

    def wake(self) -> None:
        """Tell the background workers that there is something to look at now."""
        self.outbox_wakeup.set()
        self.background_wakeup.set()
