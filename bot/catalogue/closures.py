"""The calendar section: closures (holidays and other days off) and make-up working days."""

from __future__ import annotations

import datetime as dt
from typing import Final

import yaml

from bot.catalogue.checks import Pending, new_workday
from bot.catalogue.model import Calendar, Closure, Workday
from bot.catalogue.nodes import WEEKDAY_LABELS, Fields, NodeReader, join, line

__all__ = ["read_calendar"]

_MAX_CLOSURE_DAYS: Final = 31

# The keys each kind of mapping may have; True marks the required ones.
_CALENDAR_KEYS: Final = {"closures": False, "workdays": False}
_CLOSURE_KEYS: Final = {"date": True, "until": False, "stations": False, "reason": True}
_WORKDAY_KEYS: Final = {"date": True, "replaces_weekday": True, "reason": True}

_REPLACED_WEEKDAYS: Final = (
    "a make-up day opens the windows of the working day it stands in for"
)


def read_calendar(reader: NodeReader, top: Fields, pending: Pending) -> Calendar | None:
    if not top.has("calendar"):
        return Calendar()
    before = len(reader.issues)
    fields = reader.mapping(top.value_node("calendar"), "calendar", _CALENDAR_KEYS)
    if fields is None:
        return None
    closures: list[Closure] = []
    closed_on: dict[dt.date, int] = {}
    for node, path in reader.items(fields, "closures"):
        closures.extend(_closure(reader, node, path, closed_on, pending))
    workdays: list[Workday] = []
    worked_on: dict[dt.date, int] = {}
    for node, path in reader.items(fields, "workdays"):
        workday = _workday(reader, node, path, closed_on, worked_on)
        if workday is not None:
            workdays.append(workday)
    if len(reader.issues) > before:
        return None
    return Calendar(closures=tuple(closures), workdays=tuple(workdays))


def _closure(
    reader: NodeReader,
    node: yaml.Node,
    path: str,
    closed_on: dict[dt.date, int],
    pending: Pending,
) -> list[Closure]:
    fields = reader.mapping(node, path, _CLOSURE_KEYS)
    if fields is None:
        return []
    first = reader.get(fields, "date", reader.date)
    last = reader.get(fields, "until", reader.date)
    reason = reader.get(fields, "reason", reader.text)
    stations = reader.id_list(fields, "stations", "station")
    pending.closure_stations.extend(stations)
    if first is None or reason is None:
        return []
    days = 1 if last is None else (last - first).days + 1
    if days < 1 or days > _MAX_CLOSURE_DAYS:
        reason_text = (
            f"until ({last}) is before date ({first})"
            if days < 1
            else f"{days} days is longer than {_MAX_CLOSURE_DAYS}: check the dates"
        )
        reader.problem(fields.value_node("until"), join(path, "until"), reason_text)
        return []
    result = []
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        closed_on.setdefault(day, line(node))
        result.append(Closure(day, tuple(ref.id for ref in stations), reason))
    return result


def _workday(
    reader: NodeReader,
    node: yaml.Node,
    path: str,
    closed_on: dict[dt.date, int],
    worked_on: dict[dt.date, int],
) -> Workday | None:
    fields = reader.mapping(node, path, _WORKDAY_KEYS)
    if fields is None:
        return None
    day = reader.get(fields, "date", reader.date)
    replaces = reader.get(fields, "replaces_weekday", reader.work_weekday(_REPLACED_WEEKDAYS))
    reason = reader.get(fields, "reason", reader.text)
    if day is None:
        return None
    date_node, date_path = fields.value_node("date"), join(path, "date")
    if day.weekday() < 5:
        reader.problem(
            date_node,
            date_path,
            f"{day} is a {WEEKDAY_LABELS[day.weekday()]}: only a Saturday or Sunday can be "
            "a make-up working day",
        )
        return None
    if not new_workday(reader, day, date_node, date_path, closed_on, worked_on):
        return None
    if replaces is None or reason is None:
        return None
    return Workday(date=day, replaces_weekday=replaces, reason=reason)
