"""The stations section: each station with its weekly windows and booking settings."""

from __future__ import annotations

import datetime as dt
from typing import Final

import yaml

from bot.catalogue.checks import Pending, WindowDraft, overlaps, unique
from bot.catalogue.model import Defaults, Station, Window
from bot.catalogue.nodes import Fields, NodeReader, join

__all__ = ["MAX_HORIZON_DAYS", "read_station"]

_MIN_SLOT_MINUTES: Final = 5
MAX_HORIZON_DAYS: Final = 366

# The keys each kind of mapping may have; True marks the required ones.
_STATION_KEYS: Final = {
    "id": True,
    "code": True,
    "name": True,
    "address": True,
    "timezone": False,
    "topic_id": False,
    "windows": False,
    "min_notice_minutes": False,
    "horizon_days": False,
    "cancel_cutoff_minutes": False,
    "max_upcoming_bookings": False,
}
_WINDOW_KEYS: Final = {
    "weekday": True,
    "start": True,
    "end": True,
    "slot_minutes": True,
    "seats": True,
    "services": False,
}

_WINDOW_WEEKDAYS: Final = (
    "windows open on working days; a Saturday or Sunday is worked only when listed "
    "under calendar.workdays"
)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def read_station(
    reader: NodeReader,
    node: yaml.Node,
    path: str,
    defaults: Defaults,
    ids: dict[str, int],
    codes: dict[str, int],
    pending: Pending,
) -> Station | None:
    before = len(reader.issues)
    fields = reader.mapping(node, path, _STATION_KEYS)
    if fields is None:
        return None
    station_id = reader.get(fields, "id", reader.ident)
    unique(reader, station_id, fields, "id", ids)
    code = reader.get(fields, "code", reader.code)
    unique(reader, code, fields, "code", codes)
    name = reader.get(fields, "name", reader.text)
    address = reader.get(fields, "address", reader.text)
    timezone = reader.get(fields, "timezone", reader.timezone)
    topic_id = reader.get(fields, "topic_id", reader.at_least(1))
    windows = _windows(reader, fields, station_id, pending)
    overrides = {
        key: reader.get(fields, key, reader.at_least(minimum, maximum))
        for key, minimum, maximum in (
            ("min_notice_minutes", 0, None),
            ("horizon_days", 1, MAX_HORIZON_DAYS),
            ("cancel_cutoff_minutes", 0, None),
            ("max_upcoming_bookings", 1, None),
        )
    }
    if station_id is None or code is None or name is None or address is None:
        return None
    if len(reader.issues) > before:
        return None
    return Station(
        id=station_id,
        code=code,
        name=name,
        address=address,
        timezone=timezone or defaults.timezone,
        topic_id=topic_id,
        windows=windows,
        **{
            key: getattr(defaults, key) if value is None else value
            for key, value in overrides.items()
        },
    )


def _windows(
    reader: NodeReader, fields: Fields, station_id: str | None, pending: Pending
) -> tuple[Window, ...]:
    windows: list[tuple[Window, yaml.Node]] = []
    for node, path in reader.items(fields, "windows"):
        draft = WindowDraft(station_id, None, [])
        pending.windows.append(draft)
        window = _window(reader, node, path, draft)
        if window is None:
            continue
        overlaps(reader, window, node, path, windows)
        windows.append((window, node))
        draft.window = window
    return tuple(window for window, _ in windows)


def _window(reader: NodeReader, node: yaml.Node, path: str, draft: WindowDraft) -> Window | None:
    before = len(reader.issues)
    fields = reader.mapping(node, path, _WINDOW_KEYS)
    if fields is None:
        return None
    weekday = reader.get(fields, "weekday", reader.work_weekday(_WINDOW_WEEKDAYS))
    start = reader.get(fields, "start", reader.time)
    end = reader.get(fields, "end", reader.time)
    slot_minutes = reader.get(fields, "slot_minutes", reader.at_least(_MIN_SLOT_MINUTES))
    seats = reader.get(fields, "seats", reader.at_least(1))
    draft.services = reader.id_list(fields, "services", "service")
    if start is not None and end is not None:
        length = _minutes(end) - _minutes(start)
        if length <= 0:
            reader.problem(
                fields.value_node("end"),
                join(path, "end"),
                f"the window must end after it starts ({start:%H:%M})",
            )
        elif slot_minutes is not None and length % slot_minutes:
            reader.problem(
                fields.value_node("slot_minutes"),
                join(path, "slot_minutes"),
                f"{slot_minutes}-minute slots do not divide {start:%H:%M}-{end:%H:%M} "
                f"({length} minutes) evenly",
            )
    if weekday is None or start is None or end is None or slot_minutes is None or seats is None:
        return None
    if len(reader.issues) > before:
        return None
    return Window(
        weekday=weekday,
        start=start,
        end=end,
        slot_minutes=slot_minutes,
        seats=seats,
        services=tuple(ref.id for ref in draft.services),
    )
