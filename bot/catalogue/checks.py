"""The checks that compare one catalogue entry with others: repeats, overlaps, references.

Ids used before every section is read (services in windows, a service's category and
stations, stations in closures) are collected as drafts and checked by ``cross_check`` once
the whole file is read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from bot.catalogue.model import Delivery, Service, Window
from bot.catalogue.nodes import WEEKDAY_LABELS, Fields, NodeReader, Ref, join, line, suggest

__all__ = [
    "Pending",
    "ServiceDraft",
    "WindowDraft",
    "cross_check",
    "new_workday",
    "overlaps",
    "unique",
]


@dataclass(slots=True)
class WindowDraft:
    """A window as read (None when it has problems), with its station and the services it names."""

    station: str | None
    window: Window | None
    services: list[Ref]


@dataclass(slots=True)
class ServiceDraft:
    """A service as read (None when it has problems), with the ids it uses from other sections."""

    id: str | None
    node: yaml.Node
    path: str
    category: Ref | None
    delivery: Delivery | None
    stations: list[Ref]
    service: Service | None


@dataclass(slots=True)
class Pending:
    """What the sections leave for ``cross_check``: ids used, and where each category is."""

    windows: list[WindowDraft] = field(default_factory=list)
    closure_stations: list[Ref] = field(default_factory=list)
    category_nodes: dict[str, tuple[yaml.Node, str]] = field(default_factory=dict)


def unique(
    reader: NodeReader, value: str | None, fields: Fields, key: str, seen: dict[str, int]
) -> None:
    """Report an id or code already used by an earlier entry of the same list."""
    if value is None:
        return
    node = fields.value_node(key)
    if value in seen:
        reader.problem(
            node,
            join(fields.path, key),
            f"'{value}' is already used (line {seen[value]}): each {key} must be unique",
        )
    else:
        seen[value] = line(node)


def overlaps(
    reader: NodeReader,
    window: Window,
    node: yaml.Node,
    path: str,
    earlier: Iterable[tuple[Window, yaml.Node]],
) -> None:
    """Report each earlier window of the same station that shares some time with this one."""
    for other, other_node in earlier:
        if (
            other.weekday == window.weekday
            and window.start < other.end
            and other.start < window.end
        ):
            reader.problem(
                node,
                path,
                f"overlaps the {WEEKDAY_LABELS[window.weekday]} window on line "
                f"{line(other_node)}: for more officers at once, raise seats instead",
            )


def new_workday(
    reader: NodeReader,
    day: dt.date,
    node: yaml.Node,
    path: str,
    closed_on: dict[dt.date, int],
    worked_on: dict[dt.date, int],
) -> bool:
    """Report a make-up day that is also closed or listed before; record it otherwise."""
    if day in closed_on:
        reader.problem(
            node,
            path,
            f"{day} is also a closure (line {closed_on[day]}): a day is closed or worked, "
            "not both",
        )
        return False
    if day in worked_on:
        reader.problem(node, path, f"{day} is listed twice (first on line {worked_on[day]})")
        return False
    worked_on[day] = line(node)
    return True


def _known(reader: NodeReader, ref: Ref, known: Iterable[str], what: str) -> bool:
    known = list(known)
    if ref.id in known:
        return True
    reader.problem(ref.node, ref.path, f"unknown {what} '{ref.id}'{suggest(ref.id, known)}")
    return False


def cross_check(
    reader: NodeReader,
    pending: Pending,
    station_ids: list[str],
    category_ids: list[str],
    drafts: list[ServiceDraft],
) -> list[Service]:
    """Check every id used against those defined; return services with stations resolved."""
    offered: dict[str, tuple[str, ...]] = {}
    delivery: dict[str, Delivery | None] = {}
    used_categories: set[str] = set()
    services: list[Service] = []
    all_categories_known = True
    for draft in drafts:
        if draft.category is None:
            all_categories_known = False
        elif _known(reader, draft.category, category_ids, "category"):
            used_categories.add(draft.category.id)
        else:
            all_categories_known = False
        for ref in draft.stations:
            _known(reader, ref, station_ids, "station")
        if draft.id is None:
            continue
        offered[draft.id] = tuple(ref.id for ref in draft.stations) or tuple(station_ids)
        delivery[draft.id] = draft.delivery
        if draft.service is not None:
            services.append(dataclasses.replace(draft.service, stations=offered[draft.id]))

    for ref in pending.closure_stations:
        _known(reader, ref, station_ids, "station")

    taken: set[tuple[str, str]] = set()  # (service, station) pairs some window takes
    for window in pending.windows:
        for ref in window.services:
            if not _known(reader, ref, offered, "service"):
                continue
            if delivery[ref.id] == "request":
                reader.problem(
                    ref.node,
                    ref.path,
                    f"service '{ref.id}' is delivered on request only (delivery: request), "
                    "so no window can take it",
                )
            elif window.station is not None and window.station not in offered[ref.id]:
                reader.problem(
                    ref.node,
                    ref.path,
                    f"service '{ref.id}' is not offered at station '{window.station}': add "
                    "the station to the service's stations",
                )
        if window.station is not None and window.window is not None:
            taken.update(
                (service_id, window.station)
                for service_id in offered
                if window.window.accepts(service_id)
            )

    # A bookable service with no window would show enterprises an empty calendar. Stations
    # with a broken window are skipped: that window is reported already.
    broken = {w.station for w in pending.windows if w.window is None}
    for draft in drafts:
        if draft.id is None or draft.delivery not in ("visit", "both"):
            continue
        at = [sid for sid in offered[draft.id] if sid in station_ids]
        if (
            at
            and not broken.intersection(at)
            and not any((draft.id, sid) in taken for sid in at)
        ):
            reader.problem(
                draft.node,
                draft.path,
                f"service '{draft.id}' can be booked (delivery: {draft.delivery}) but no "
                "window at its stations takes it: add it to a window or use delivery: request",
            )

    # With a service's category unknown, "no services" would only echo that mistake.
    if all_categories_known:
        for category_id, (node, path) in pending.category_nodes.items():
            if category_id not in used_categories:
                reader.problem(
                    node,
                    path,
                    f"category '{category_id}' has no services: add one or remove it",
                )
    return services
