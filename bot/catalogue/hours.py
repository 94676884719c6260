"""Office hours: when a station is staffed, the clock its first-response promises run on.

Written as a mapping of weekdays, or ranges of them, to the day's time spans::

    hours:
      mon-thu: "09:00-11:30, 13:30-17:00"
      fri: "09:00-11:30"

A key is a weekday (mon..fri, 1-5, 周一..周五) or a range of them (``mon-fri``, ``周一至周五``);
each weekday is named once. A value is spans ``HH:MM-HH:MM`` separated by commas, or a list
of them. Weekdays not named have no office hours. Saturdays and Sundays are worked only as
make-up days (calendar.workdays), with the hours of the weekday they stand in for.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Final

import yaml

from bot.catalogue.model import OfficeHours, Span
from bot.catalogue.nodes import (
    WEEKDAY_LABELS,
    Fields,
    NodeReader,
    is_null,
    join,
    line,
    raw,
    suggest,
    weekday_number,
)

__all__ = ["read_hours", "spans_text"]

_WORK_DAYS: Final = 5
_DAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri")
# Two ends joined by a dash (or ~, 至): "mon-fri", "周一至周五", "09:00-11:30".
_PAIR_RE: Final = re.compile(r"^\s*(\S+?)\s*(?:-|–|~|～|至)\s*(\S+)\s*$")
_SPAN_SEPARATORS: Final = re.compile(r"[,，、;；]")
_TIME_RE: Final = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_DAYS_USAGE: Final = "write a weekday (mon..fri) or a range such as mon-fri"
_SPAN_USAGE: Final = "write HH:MM-HH:MM, e.g. 09:00-11:30"
_WEEKEND: Final = (
    "office hours are kept on working days; a Saturday or Sunday is worked only when listed "
    "under calendar.workdays, with the hours of the weekday it stands in for"
)


def spans_text(spans: tuple[Span, ...]) -> str:
    """``09:00-11:30, 13:30-17:00``: a day's spans as the file writes them."""
    return ", ".join(str(span) for span in spans)


def read_hours(reader: NodeReader, fields: Fields, key: str) -> OfficeHours | None:
    """The office hours under ``key``, or None when absent or reported."""
    if not fields.has(key):
        return None
    node, path = fields.value_node(key), join(fields.path, key)
    if not isinstance(node, yaml.MappingNode):
        reader.problem(
            node, path,
            "expected office hours as weekdays to time spans, e.g. {mon-fri: \"09:00-17:00\"}",
        )
        return None
    before = len(reader.issues)
    days: list[tuple[Span, ...] | None] = [None] * _WORK_DAYS
    named_on: dict[int, int] = {}  # weekday -> line of the key that named it
    for key_node, value_node in node.value:
        label = raw(key_node)
        day_path = join(path, label or "?")
        weekdays = _weekdays(reader, key_node, day_path, named_on)
        spans = _spans(reader, value_node, day_path)
        if weekdays is None or spans is None:
            continue
        for weekday in weekdays:
            days[weekday] = spans
    if len(reader.issues) > before:
        return None
    if not any(days):
        reader.problem(
            node, path,
            "no office hours on any day: name at least one weekday, or leave hours out "
            "to keep the default hours",
        )
        return None
    return OfficeHours(tuple(spans or () for spans in days))


def _weekdays(
    reader: NodeReader, node: yaml.Node, path: str, named_on: dict[int, int]
) -> list[int] | None:
    """The weekdays a key names, each recorded so a later key cannot name it again."""
    label = raw(node)
    if not label or is_null(node) or not isinstance(node, yaml.ScalarNode):
        reader.problem(node, path, f"a key of hours must be a weekday or a range: {_DAYS_USAGE}")
        return None
    match = _PAIR_RE.match(label)
    ends = [match[1], match[2]] if match else [label]
    numbers: list[int] = []
    for end in ends:
        number = weekday_number(end)
        if number is None:
            reader.problem(
                node, path,
                f"'{end}' is not a weekday{suggest(end.lower(), _DAY_NAMES)}: {_DAYS_USAGE}",
            )
            return None
        numbers.append(number)
    first, last = numbers[0], numbers[-1]
    if last < first:
        reader.problem(
            node, path,
            f"the range runs backwards ({WEEKDAY_LABELS[first]} to {WEEKDAY_LABELS[last]}): "
            "write the earlier day first, e.g. mon-fri",
        )
        return None
    if last >= _WORK_DAYS:
        weekend = WEEKDAY_LABELS[max(first, _WORK_DAYS)]
        reader.problem(node, path, f"must be Monday to Friday, found {weekend}: {_WEEKEND}")
        return None
    weekdays = list(range(first, last + 1))
    for weekday in weekdays:
        if weekday in named_on:
            reader.problem(
                node, path,
                f"{WEEKDAY_LABELS[weekday]} already has hours (line {named_on[weekday]}): "
                "name each weekday once",
            )
            return None
    for weekday in weekdays:
        named_on[weekday] = line(node)
    return weekdays


def _spans(reader: NodeReader, node: yaml.Node, path: str) -> tuple[Span, ...] | None:
    """A day's spans, from "09:00-11:30, 13:30-17:00" or a list of "HH:MM-HH:MM"."""
    parts: list[tuple[str, yaml.Node, str]] = []
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            item_path = f"{path}[{i}]"
            if not isinstance(item, yaml.ScalarNode) or is_null(item):
                reader.problem(item, item_path, f"expected a time span: {_SPAN_USAGE}")
                return None
            parts.append((raw(item), item, item_path))
    elif isinstance(node, yaml.ScalarNode) and not is_null(node):
        parts = [(part, node, path) for part in _SPAN_SEPARATORS.split(raw(node))]
    if not parts or not any(text.strip() for text, _, _ in parts):
        reader.problem(
            node, path,
            f"no time spans: {_SPAN_USAGE}, several separated by commas; "
            "leave a day out when the office is closed",
        )
        return None
    spans: list[Span] = []
    for text, part_node, part_path in parts:
        span = _span(reader, text, part_node, part_path)
        if span is None:
            return None
        spans.append(span)
    for earlier, later in itertools.pairwise(spans):
        if later.start < earlier.end:
            reader.problem(
                node, path,
                f"{later} starts before {earlier} ends: list the spans of a day in order, "
                "without overlaps",
            )
            return None
    return tuple(spans)


def _span(reader: NodeReader, text: str, node: yaml.Node, path: str) -> Span | None:
    text = text.strip()
    match = _PAIR_RE.match(text)
    times = [_time(match[1]), _time(match[2])] if match else [None]
    start, end = times[0], times[-1]
    if start is None or end is None:
        reader.problem(node, path, f"'{text}' is not a time span: {_SPAN_USAGE}")
        return None
    if end <= start:
        reader.problem(node, path, f"'{text}' must end after it starts")
        return None
    return Span(start, end)


def _time(text: str) -> dt.time | None:
    match = _TIME_RE.match(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return dt.time(int(match[1]), int(match[2]))
