"""The process's dependencies in one typed object: settings, database, catalogue, clock."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.catalogue import Catalogue, CatalogueDiff, CatalogueError, diff_catalogues, load_catalogue
from bot.catalogue.search import ServiceIndex
from bot.core.clock import Clock, SystemClock
from bot.core.features import Features
from bot.core.metrics import Metrics
from bot.core.settings import Settings
from storage.core.db import Database

log = logging.getLogger(__name__)


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

    @classmethod
    def load(cls, path: Path, default_timezone: str | None = None) -> CatalogueHolder:
        """Load the file; stations without a zone of their own use ``default_timezone``."""
        return cls(path, load_catalogue(path, default_timezone=default_timezone),
                   default_timezone)

    def read(self) -> Catalogue:
        """The file as it is now (``CatalogueError`` if it cannot be used)."""
        return load_catalogue(self.path, default_timezone=self.default_timezone)

    def reload(self) -> ReloadResult:
        """Read the file again; keep the catalogue in service unless the new one is valid."""
        try:
            new = self.read()
        except CatalogueError as exc:
            return ReloadResult(False, self.current, errors=tuple(str(i) for i in exc.issues))
        index = ServiceIndex(new)
        old, self.current, self.index = self.current, new, index
        return ReloadResult(True, new, diff=diff_catalogues(old, new))


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

    @property
    def cat(self) -> Catalogue:
        return self.catalogue.current

    @property
    def search(self) -> ServiceIndex:
        """The index of the catalogue in service, for free questions."""
        return self.catalogue.index

    def wake(self) -> None:
        """Tell the background workers that there is something to look at now."""
        self.outbox_wakeup.set()
        self.background_wakeup.set()
