"""The stations section: each station with its address and phone, office hours, weekly
windows and booking settings."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

import yaml

from bot.catalogue.checks import Pending, WindowDraft, overlaps, unique
from bot.catalogue.hours import read_hours, spans_text
from bot.catalogue.model import Defaults, OfficeHours, Station, Text, Window, is_placeholder
from bot.catalogue.nodes import WEEKDAY_LABELS, Fields, NodeReader, join

__all__ = ["MAX_HORIZON_DAYS", "read_station"]

_MIN_SLOT_MINUTES: Final = 5
MAX_HORIZON_DAYS: Final = 366
# A number to dial: digits with spaces, dashes, brackets or a leading +, and an optional
# extension (转 801, ext. 801); 021-66661234, (021) 6666 1234, 12345, +86 21 6666 1234.
_PHONE_RE: Final = re.compile(
    r"^\+?[0-9(（][0-9 ()（）-]*[0-9](\s*(转|ext\.?|x)\s*[0-9]{1,6})?$", re.IGNORECASE
)
_PHONE_DIGITS: Final = (5, 20)

# The keys each kind of mapping may have; True marks the required ones.
_STATION_KEYS: Final = {
    "id": True,
    "code": True,
    "name": True,
    "address": True,
    "phone": False,
    "hours": False,
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
    if address is not None:
        _address_placeholder(reader, fields, address)
    phone = _phone(reader, fields)
    hours = read_hours(reader, fields, "hours") or defaults.hours
    timezone = reader.get(fields, "timezone", reader.timezone)
    topic_id = reader.get(fields, "topic_id", reader.at_least(1))
    windows = _windows(reader, fields, station_id, pending, hours)
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
        phone=phone,
        hours=hours,
        timezone=timezone or defaults.timezone,
        topic_id=topic_id,
        windows=windows,
        **{
            key: getattr(defaults, key) if value is None else value
            for key, value in overrides.items()
        },
    )


def _address_placeholder(reader: NodeReader, fields: Fields, address: Text) -> None:
    if is_placeholder(address.zh) or (address.en is not None and is_placeholder(address.en)):
        reader.warn(
            fields.value_node("address"), join(fields.path, "address"),
            "the address is a placeholder (待补充): companies see it as written until the "
            "real one is filled in",
        )


def _phone(reader: NodeReader, fields: Fields) -> str | None:
    """The station's number; a placeholder or no phone is a warning and gives None."""
    path = join(fields.path, "phone")
    if not fields.has("phone"):
        reader.warn(
            fields.value_node("phone") if "phone" in fields.items else fields.node, path,
            "no phone: companies told to contact the station get no number to call",
        )
        return None
    node = fields.value_node("phone")
    value = reader.string(node, path)
    if value is None:
        return None
    if is_placeholder(value):
        reader.warn(
            node, path,
            "the phone is a placeholder (待补充): companies are given no number until the "
            "real one is filled in",
        )
        return None
    digits = sum(c.isdigit() for c in value)
    if not _PHONE_RE.match(value) or not _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]:
        reader.problem(
            node, path,
            f"'{value}' is not a phone number: write digits with the area code, e.g. "
            "021-66661234 or 021-66661234 转 801 (or 待补充 until it is known)",
        )
        return None
    return " ".join(value.split())


def _windows(
    reader: NodeReader, fields: Fields, station_id: str | None, pending: Pending,
    hours: OfficeHours,
) -> tuple[Window, ...]:
    windows: list[tuple[Window, yaml.Node]] = []
    for node, path in reader.items(fields, "windows"):
        draft = WindowDraft(station_id, None, [])
        pending.windows.append(draft)
        window = _window(reader, node, path, draft)
        if window is None:
            continue
        overlaps(reader, window, node, path, windows)
        _within_hours(reader, window, node, path, hours)
        windows.append((window, node))
        draft.window = window
    return tuple(window for window, _ in windows)


def _within_hours(
    reader: NodeReader, window: Window, node: yaml.Node, path: str, hours: OfficeHours
) -> None:
    """Warn of a window held while the office is closed: likely a slip in one of the two."""
    spans = hours.on(window.weekday)
    if any(span.start <= window.start and window.end <= span.end for span in spans):
        return
    kept = spans_text(spans) if spans else "none"
    reader.warn(
        node, path,
        f"the {WEEKDAY_LABELS[window.weekday]} window {window.start:%H:%M}-{window.end:%H:%M} "
        f"is outside the station's office hours that day ({kept})",
    )


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
