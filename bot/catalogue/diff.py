"""What changed between two catalogues, and a one-line summary of one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.catalogue.model import Catalogue, Service, Station, Text

__all__ = ["CatalogueDiff", "Renamed", "diff_catalogues", "summary"]


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


_LABELS = {
    "zh": {
        "station_added": "新增站点：{name}（{id}）",
        "station_removed": "移除站点：{name}（{id}）",
        "station_renamed": "站点更名：{old} → {new}（{id}）",
        "service_added": "新增服务：{name}（{id}）",
        "service_removed": "移除服务：{name}（{id}）",
        "service_renamed": "服务更名：{old} → {new}（{id}）",
        "none": "站点和服务没有变化",
    },
    "en": {
        "station_added": "Station added: {name} ({id})",
        "station_removed": "Station removed: {name} ({id})",
        "station_renamed": "Station renamed: {old} → {new} ({id})",
        "service_added": "Service added: {name} ({id})",
        "service_removed": "Service removed: {name} ({id})",
        "service_renamed": "Service renamed: {old} → {new} ({id})",
        "none": "No station or service changed",
    },
}


@dataclass(frozen=True, slots=True)
class CatalogueDiff:
    """Stations and services added, removed or renamed (same id, other zh or en name)."""

    added_stations: tuple[Station, ...] = ()
    removed_stations: tuple[Station, ...] = ()
    renamed_stations: tuple[Renamed, ...] = ()
    added_services: tuple[Service, ...] = ()
    removed_services: tuple[Service, ...] = ()
    renamed_services: tuple[Renamed, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Tell whether no station or service was added, removed or renamed."""
        return not (
            self.added_stations
            or self.removed_stations
            or self.renamed_stations
            or self.added_services
            or self.removed_services
            or self.renamed_services
        )

    def summary_lines(self, lang: str) -> list[str]:
        """One line per change, in Chinese unless ``lang`` is "en"; one line if nothing changed."""
        labels = _LABELS["en" if lang == "en" else "zh"]
        lines: list[str] = []
        for kind, added, removed, renamed in (
            ("station", self.added_stations, self.removed_stations, self.renamed_stations),
            ("service", self.added_services, self.removed_services, self.renamed_services),
        ):
            lines += [
                labels[f"{kind}_added"].format(name=item.name.get(lang), id=item.id)
                for item in added
            ]
            lines += [
                labels[f"{kind}_removed"].format(name=item.name.get(lang), id=item.id)
                for item in removed
            ]
            lines += [
                labels[f"{kind}_renamed"].format(
                    old=_both(change.old), new=_both(change.new), id=change.id
                )
                for change in renamed
            ]
        return lines or [labels["none"]]


def _both(text: Text) -> str:
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
