"""Typed readers of YAML nodes that report every problem with its line and field.

The file is composed into YAML nodes rather than loaded into Python objects, so that every
value keeps the line it came from, and so that YAML 1.1's guesses never reach the catalogue:
``9:30`` is not the number 570 and ``NO`` is not False. Scalars are read from their source
text and checked here. Conventions (documented again at the top of catalogue.yaml):

  - weekdays are written mon..sun (also monday..sunday, 周一..周日) or as numbers 1-7 with
    1 = Monday (ISO 8601); in the model they are 0-6 with 0 = Monday, like date.weekday();
  - times are HH:MM on a 24-hour clock; dates are YYYY-MM-DD;
  - a text is a plain string (Chinese only) or a mapping {zh: ..., en: ...}.

Nothing here knows the catalogue's sections: a reader is given the keys a mapping may have.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.catalogue.errors import CatalogueIssue
from bot.catalogue.model import Text

__all__ = [
    "ID_MAX_LENGTH",
    "WEEKDAY_LABELS",
    "Fields",
    "NodeReader",
    "Reader",
    "Ref",
    "is_null",
    "join",
    "line",
    "raw",
    "suggest",
    "weekday_number",
]

ID_MAX_LENGTH: Final = 32
_ID_RE: Final = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CODE_RE: Final = re.compile(r"^[A-Z]{2,4}$")
_INT_RE: Final = re.compile(r"^[+-]?[0-9]+$")
_NUMBER_RE: Final = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_TIME_RE: Final = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_DATE_RE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NULL_TAG: Final = "tag:yaml.org,2002:null"
_TRUE: Final = frozenset({"true", "yes", "on"})
_FALSE: Final = frozenset({"false", "no", "off"})

_WEEKDAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_LABELS: Final = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
)
_WEEKDAYS: Final = {
    **{name: i for i, name in enumerate(_WEEKDAY_NAMES)},
    **{label.lower(): i for i, label in enumerate(WEEKDAY_LABELS)},
    **{f"周{c}": i for i, c in enumerate("一二三四五六日")},
    **{f"星期{c}": i for i, c in enumerate("一二三四五六日")},
    "周天": 6,
    "星期天": 6,
}

# The keys of a text given as a mapping; True marks the required ones.
_TEXT_KEYS: Final = {"zh": True, "en": False}

T = TypeVar("T")
W = TypeVar("W", bound=str)
Reader = Callable[[yaml.Node, str], T | None]


def line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def suggest(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def _raw(node: yaml.Node) -> str:
    """The source text of a scalar; empty for anything else."""
    return str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""


# For section readers that walk a mapping of their own making (office hours' weekday keys).
raw = _raw


def weekday_number(word: str) -> int | None:
    """mon..sun (and the other spellings) or 1..7 with 1 = Monday, as 0..6; None otherwise."""
    word = word.strip().lower()
    if word in _WEEKDAYS:
        return _WEEKDAYS[word]
    if _INT_RE.match(word) and 1 <= int(word) <= 7:
        return int(word) - 1
    return None


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing"
    return repr(str(node.value))


@dataclass(frozen=True, slots=True)
class Fields:
    """The known keys of one mapping, with where it sits."""

    node: yaml.Node
    path: str
    spec: dict[str, bool]
    items: dict[str, tuple[yaml.Node, yaml.Node]]

    def has(self, key: str) -> bool:
        """Tell whether the key is there with a value other than null."""
        return key in self.items and not is_null(self.items[key][1])

    def value_node(self, key: str) -> yaml.Node:
        return self.items[key][1]

    def key_node(self, key: str) -> yaml.Node:
        return self.items[key][0]


@dataclass(frozen=True, slots=True)
class Ref:
    """An id used somewhere, to check once every id is known."""

    id: str
    node: yaml.Node
    path: str


class NodeReader:
    """Reads values out of nodes and collects every problem instead of stopping at the first.

    A reader returns None for a value it reported; ``issues`` grows by one entry per problem,
    so comparing its length before and after tells whether an entry read cleanly.
    """

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.issues: list[CatalogueIssue] = []
        self.warnings: list[CatalogueIssue] = []

    def problem(self, node: yaml.Node, path: str, message: str) -> None:
        self.issues.append(CatalogueIssue(self.filename, line(node), path, message))

    def warn(self, node: yaml.Node, path: str, message: str) -> None:
        """Note something valid that wants attention; it never stops the catalogue."""
        self.warnings.append(CatalogueIssue(self.filename, line(node), path, message, True))

    # -- shapes ------------------------------------------------------------------------------

    def mapping(self, node: yaml.Node, path: str, spec: dict[str, bool]) -> Fields | None:
        """Read a mapping's keys; report a wrong shape and unknown, repeated or missing keys."""
        if not isinstance(node, yaml.MappingNode):
            found = _describe(node)
            self.problem(node, path, f"expected a mapping of keys to values, found {found}")
            return None
        items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        suggested: set[str] = set()
        for key_node, value_node in node.value:
            key = _raw(key_node)
            key_path = join(path, key)
            if not key or is_null(key_node):
                self.problem(key_node, path, "a key must be a plain word")
            elif key == "<<":
                self.problem(key_node, path, "merge keys (<<) are not supported: write keys out")
            elif key in items:
                first = line(items[key][0])
                self.problem(key_node, key_path, f"repeated key (first on line {first})")
            elif key not in spec:
                close = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6)
                if close:
                    suggested.add(close[0])
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else f"expected one of: {', '.join(spec)}"
                )
                self.problem(key_node, key_path, f"unknown key '{key}' ({hint})")
            else:
                items[key] = (key_node, value_node)
        for key, required in spec.items():
            # A misspelt key was reported with this one as its suggestion: say it once.
            if required and key not in items and key not in suggested:
                self.problem(node, join(path, key), f"missing {key}")
        return Fields(node, path, spec, items)

    def sequence(self, node: yaml.Node, path: str) -> list[yaml.Node]:
        """Return a list's items; null is an empty list; anything else is reported."""
        if is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, path, f"expected a list, found {_describe(node)}")
            return []
        return list(node.value)

    def get(self, fields: Fields, key: str, read: Reader[T]) -> T | None:
        """Read one value; absent or null gives None (reported when the key is required)."""
        if key not in fields.items:
            return None
        node = fields.value_node(key)
        path = join(fields.path, key)
        if is_null(node):
            if fields.spec[key]:
                self.problem(node, path, f"{key} has no value")
            return None
        return read(node, path)

    def items(self, fields: Fields, key: str) -> list[tuple[yaml.Node, str]]:
        """The items of an optional list value, each with its path."""
        if key not in fields.items:
            return []
        path = join(fields.path, key)
        return [
            (n, f"{path}[{i}]") for i, n in enumerate(self.sequence(fields.value_node(key), path))
        ]

    def id_list(self, fields: Fields, key: str, what: str) -> list[Ref]:
        """A list of ids; a repeated id is reported and kept once."""
        refs: list[Ref] = []
        seen: dict[str, int] = {}
        for node, path in self.items(fields, key):
            value = self.ident(node, path)
            if value is None:
                continue
            if value in seen:
                first = seen[value]
                self.problem(
                    node, path, f"{what} '{value}' is listed twice (first on line {first})"
                )
                continue
            seen[value] = line(node)
            refs.append(Ref(value, node, path))
        return refs

    # -- scalars -----------------------------------------------------------------------------

    def string(self, node: yaml.Node, path: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or is_null(node):
            self.problem(node, path, f"expected text, found {_describe(node)}")
            return None
        value = _raw(node)
        if not value:
            self.problem(node, path, "the text is empty")
            return None
        return value

    def ident(self, node: yaml.Node, path: str) -> str | None:
        value = self.string(node, path)
        if value is None:
            return None
        if len(value) > ID_MAX_LENGTH or not _ID_RE.match(value):
            self.problem(
                node,
                path,
                f"'{value}' cannot be an id: use lowercase letters a-z, digits and hyphens, "
                f"starting with a letter or digit, at most {ID_MAX_LENGTH} characters "
                "(ids are stored and carried in buttons)",
            )
            return None
        return value

    def code(self, node: yaml.Node, path: str) -> str | None:
        value = self.string(node, path)
        if value is not None and not _CODE_RE.match(value):
            self.problem(node, path, f"'{value}' is not a code of 2-4 capital letters A-Z")
            return None
        return value

    def text(self, node: yaml.Node, path: str) -> Text | None:
        """A plain string (Chinese only) or a mapping {zh: ..., en: ...}."""
        if isinstance(node, yaml.ScalarNode):
            zh = self.string(node, path)
            return None if zh is None else Text(zh)
        if not isinstance(node, yaml.MappingNode):
            found = _describe(node)
            self.problem(node, path, f"expected a text or {{zh: ..., en: ...}}, found {found}")
            return None
        fields = self.mapping(node, path, _TEXT_KEYS)
        if fields is None:
            return None
        zh = self.get(fields, "zh", self.string)
        en: str | None = None
        if fields.has("en"):
            en_node = fields.value_node("en")
            if isinstance(en_node, yaml.ScalarNode):
                en = _raw(en_node) or None
            else:
                self.problem(
                    en_node, join(path, "en"), f"expected text, found {_describe(en_node)}"
                )
        return None if zh is None else Text(zh, en)

    def integer(
        self, node: yaml.Node, path: str, minimum: int, maximum: int | None = None
    ) -> int | None:
        raw = _raw(node)
        if not _INT_RE.match(raw):
            self.problem(node, path, f"expected a whole number, found {_describe(node)}")
            return None
        value = int(raw)
        if value < minimum:
            self.problem(node, path, f"must be at least {minimum}, found {value}")
            return None
        if maximum is not None and value > maximum:
            self.problem(node, path, f"must be at most {maximum}, found {value}")
            return None
        return value

    def at_least(self, minimum: int, maximum: int | None = None) -> Reader[int]:
        def read(node: yaml.Node, path: str) -> int | None:
            return self.integer(node, path, minimum, maximum)

        return read

    def positive(self, node: yaml.Node, path: str) -> float | None:
        raw = _raw(node)
        if not _NUMBER_RE.match(raw):
            self.problem(node, path, f"expected a number, found {_describe(node)}")
            return None
        value = float(raw)
        if value <= 0:
            self.problem(node, path, f"must be more than 0, found {raw}")
            return None
        return value

    def boolean(self, node: yaml.Node, path: str) -> bool | None:
        raw = _raw(node).lower()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        self.problem(node, path, f"expected true or false, found {_describe(node)}")
        return None

    def time(self, node: yaml.Node, path: str) -> dt.time | None:
        match = _TIME_RE.match(_raw(node))
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            found = _describe(node)
            self.problem(node, path, f"{found} is not a time of day: write HH:MM, e.g. 09:30")
            return None
        return dt.time(int(match[1]), int(match[2]))

    def date(self, node: yaml.Node, path: str) -> dt.date | None:
        raw = _raw(node)
        if _DATE_RE.match(raw):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                pass
        self.problem(node, path, f"{_describe(node)} is not a date: write YYYY-MM-DD")
        return None

    def weekday(self, node: yaml.Node, path: str) -> int | None:
        """mon..sun (and other spellings) or 1..7 with 1 = Monday; returns 0..6."""
        raw = _raw(node).lower()
        number = weekday_number(raw)
        if number is not None:
            return number
        self.problem(
            node,
            path,
            f"{_describe(node)} is not a weekday{suggest(raw, _WEEKDAY_NAMES)}: write mon, tue, "
            "wed, thu, fri, sat, sun, or a number 1-7 with 1 = Monday",
        )
        return None

    def work_weekday(self, why: str) -> Reader[int]:
        """A weekday from Monday to Friday; ``why`` ends the message when it is not."""

        def read(node: yaml.Node, path: str) -> int | None:
            weekday = self.weekday(node, path)
            if weekday is not None and weekday > 4:
                found = WEEKDAY_LABELS[weekday]
                self.problem(node, path, f"must be Monday to Friday, found {found}: {why}")
                return None
            return weekday

        return read

    def timezone(self, node: yaml.Node, path: str) -> str | None:
        value = self.string(node, path)
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            self.problem(
                node, path, f"unknown time zone '{value}': use an IANA name such as Asia/Shanghai"
            )
            return None
        return value

    def one_of(self, what: str, options: tuple[W, ...], usage: str) -> Reader[W]:
        """One of a few words; ``usage`` lists them when the word is another."""

        def read(node: yaml.Node, path: str) -> W | None:
            value = self.string(node, path)
            for option in options:
                if value == option:
                    return option
            if value is not None:
                self.problem(
                    node, path, f"unknown {what} '{value}'{suggest(value, options)}: {usage}"
                )
            return None

        return read
