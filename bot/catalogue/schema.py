"""The whole file: its sections in order, the defaults, then the checks between sections.

Reading never stops at the first problem: each entry is read to the end, problems are
collected, and an entry with any problem is left out of the cross-reference checks that would
only repeat it. Each section is read by its own module (stations, services, closures);
this one reads the top level and puts the catalogue together.
"""

from __future__ import annotations

from typing import Final

import yaml

from bot.catalogue.checks import Pending, cross_check
from bot.catalogue.closures import read_calendar
from bot.catalogue.events import read_events
from bot.catalogue.hours import read_hours
from bot.catalogue.model import Catalogue, Defaults
from bot.catalogue.nodes import Fields, NodeReader, is_null
from bot.catalogue.services import read_category, read_service
from bot.catalogue.snippets import check_snippets, read_snippet
from bot.catalogue.stations import MAX_HORIZON_DAYS, read_station
from bot.catalogue.tiers import read_tiers

__all__ = ["SUPPORTED_VERSION", "read_catalogue"]

SUPPORTED_VERSION: Final = 1

# The keys each kind of mapping may have; True marks the required ones.
_TOP_KEYS: Final = {
    "version": True,
    "defaults": False,
    "stations": True,
    "categories": True,
    "services": True,
    "calendar": False,
    "snippets": False,
    "tiers": False,
    "events": False,
}
_DEFAULTS_KEYS: Final = {
    "response_hours": False,
    "timezone": False,
    "hours": False,
    "max_upcoming_bookings": False,
    "min_notice_minutes": False,
    "horizon_days": False,
    "cancel_cutoff_minutes": False,
    "hold_minutes": False,
}


def read_catalogue(
    reader: NodeReader, root: yaml.Node, base_defaults: Defaults, digest: str
) -> Catalogue | None:
    """The catalogue in ``root``, or None with every problem in ``reader.issues``."""
    top = reader.mapping(root, "", _TOP_KEYS)
    if top is None:
        return None
    version = _version(reader, top)
    defaults = _defaults(reader, top, base_defaults)
    pending = Pending()

    station_ids: dict[str, int] = {}
    codes: dict[str, int] = {}
    stations = [
        read_station(reader, node, path, defaults, station_ids, codes, pending)
        for node, path in _entries(reader, top, "stations", "station")
    ]
    category_ids: dict[str, int] = {}
    categories = [
        read_category(reader, node, path, category_ids, pending)
        for node, path in _entries(reader, top, "categories", "category")
    ]
    service_ids: dict[str, int] = {}
    general_lines: list[int] = []
    drafts = [
        read_service(reader, node, path, defaults, service_ids, general_lines)
        for node, path in _entries(reader, top, "services", "service")
    ]
    calendar = read_calendar(reader, top, pending)
    tiers = read_tiers(reader, top)
    events = read_events(
        reader, top, {s.id: s for s in stations if s is not None}, list(station_ids),
        list(category_ids), [tier.id for tier in tiers], defaults.timezone)
    services = cross_check(reader, pending, list(station_ids), list(category_ids), drafts)
    snippet_ids: dict[str, int] = {}
    keywords: dict[str, int] = {}
    snippets = check_snippets(reader, [
        read_snippet(reader, node, path, snippet_ids, keywords)
        for node, path in reader.items(top, "snippets")
    ], list(category_ids), list(service_ids))

    if reader.issues or version is None or calendar is None:
        return None
    return Catalogue(
        version=version,
        defaults=defaults,
        stations=tuple(s for s in stations if s is not None),
        categories=tuple(c for c in categories if c is not None),
        services=tuple(services),
        calendar=calendar,
        source=reader.filename,
        digest=digest,
        warnings=tuple(sorted(reader.warnings, key=lambda issue: issue.line or 0)),
        snippets=tuple(snippets),
        tiers=tiers,
        events=events,
    )


def _entries(
    reader: NodeReader, top: Fields, key: str, what: str
) -> list[tuple[yaml.Node, str]]:
    """The items of a required top-level list, which must not be empty."""
    if key not in top.items:
        return []
    node = top.value_node(key)
    entries = reader.items(top, key)
    if not entries and (isinstance(node, yaml.SequenceNode) or is_null(node)):
        reader.problem(node, key, f"list at least one {what}")
    return entries


def _version(reader: NodeReader, top: Fields) -> int | None:
    version = reader.get(top, "version", reader.at_least(0))
    if version is not None and version != SUPPORTED_VERSION:
        reader.problem(
            top.value_node("version"),
            "version",
            f"unsupported version {version}: this program reads version {SUPPORTED_VERSION}",
        )
        return None
    return version


def _defaults(reader: NodeReader, top: Fields, base: Defaults) -> Defaults:
    if not top.has("defaults"):
        return base
    fields = reader.mapping(top.value_node("defaults"), "defaults", _DEFAULTS_KEYS)
    if fields is None:
        return base
    response_hours = reader.get(fields, "response_hours", reader.positive)
    timezone = reader.get(fields, "timezone", reader.timezone)
    hours = read_hours(reader, fields, "hours")
    upcoming = reader.get(fields, "max_upcoming_bookings", reader.at_least(1))
    notice = reader.get(fields, "min_notice_minutes", reader.at_least(0))
    horizon = reader.get(fields, "horizon_days", reader.at_least(1, MAX_HORIZON_DAYS))
    cutoff = reader.get(fields, "cancel_cutoff_minutes", reader.at_least(0))
    hold = reader.get(fields, "hold_minutes", reader.at_least(1))
    return Defaults(
        response_hours=base.response_hours if response_hours is None else response_hours,
        timezone=timezone or base.timezone,
        hours=hours or base.hours,
        max_upcoming_bookings=base.max_upcoming_bookings if upcoming is None else upcoming,
        min_notice_minutes=base.min_notice_minutes if notice is None else notice,
        horizon_days=base.horizon_days if horizon is None else horizon,
        cancel_cutoff_minutes=base.cancel_cutoff_minutes if cutoff is None else cutoff,
        hold_minutes=base.hold_minutes if hold is None else hold,
    )
