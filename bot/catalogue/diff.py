"""What changed between two catalogues, and a one-line summary of one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.catalogue.model import Catalogue, Closure, Service, Station, Text

__all__ = ["CatalogueDiff", "Renamed", "both_languages", "diff_catalogues", "summary"]


N = TypeVar("N", Station, Service)


@dataclass(frozen=True, slots=True)
class Renamed:
    """An entry whose id stayed while its Chinese or English name changed."""

    id: str
    old: Text
    new: Text


@dataclass(frozen=True, slots=True)
class _Changes(Generic[N]):
    added: tuple[N, ...]
    removed: tuple[N, ...]
    renamed: tuple[Renamed, ...]


def _compare(old: tuple[N, ...], new: tuple[N, ...]) -> _Changes[N]:
    old_by_id = {item.id: item for item in old}
    new_by_id = {item.id: item for item in new}
    return _Changes(
        added=tuple(item for item in new if item.id not in old_by_id),
        removed=tuple(item for item in old if item.id not in new_by_id),
        renamed=tuple(
            Renamed(item.id, old_by_id[item.id].name, item.name)
            for item in new
            if item.id in old_by_id and old_by_id[item.id].name != item.name
        ),
    )


@dataclass(frozen=True, slots=True)
class CatalogueDiff:
    """Stations and services added, removed or renamed (same id, other zh or en name)."""

    added_stations: tuple[Station, ...] = ()
    removed_stations: tuple[Station, ...] = ()
    renamed_stations: tuple[Renamed, ...] = ()
    added_services: tuple[Service, ...] = ()
    removed_services: tuple[Service, ...] = ()
    renamed_services: tuple[Renamed, ...] = ()
    added_closures: tuple[Closure, ...] = ()
    removed_closures: tuple[Closure, ...] = ()
    # Something else changed (windows, forms, texts, make-up days): the file is not the same.
    other_changes: bool = False

    @property
    def is_empty(self) -> bool:
        """Tell whether the new catalogue is the same as the old one."""
        return not self.other_changes and not (
            self.added_stations
            or self.removed_stations
            or self.renamed_stations
            or self.added_services
            or self.removed_services
            or self.renamed_services
            or self.added_closures
            or self.removed_closures
        )



def both_languages(text: Text) -> str:
    """Show both languages, since a rename may touch either."""
    return text.zh if not text.en else f"{text.zh} / {text.en}"


def diff_catalogues(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Compare two catalogues by id."""
    stations = _compare(old.stations, new.stations)
    services = _compare(old.services, new.services)
    return CatalogueDiff(
        added_stations=stations.added,
        removed_stations=stations.removed,
        renamed_stations=stations.renamed,
        added_services=services.added,
        removed_services=services.removed,
        renamed_services=services.renamed,
        added_closures=tuple(c for c in new.calendar.closures if c not in old.calendar.closures),
        removed_closures=tuple(c for c in old.calendar.closures if c not in new.calendar.closures),
        other_changes=old.digest != new.digest,
    )


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def summary(cat: Catalogue) -> str:
    """Describe a catalogue in one line: "5 stations, 6 windows, 5 categories, 19 services"."""
    windows = sum(len(station.windows) for station in cat.stations)
    return ", ".join(
        (
            _count(len(cat.stations), "station"),
            _count(windows, "window"),
            _count(len(cat.categories), "category", "categories"),
            _count(len(cat.services), "service"),
        )
    )
