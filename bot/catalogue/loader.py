"""Read catalogue.yaml into a Catalogue, or report every problem with file, line and field.

The file is composed into YAML nodes rather than loaded into Python objects, so that every
value keeps the line it came from, and so that YAML 1.1's guesses never reach the catalogue:
``9:30`` is not the number 570 and ``NO`` is not False. Scalars are read from their source
text and checked here.

Reading never stops at the first problem: each entry is read to the end, problems are
collected, and an entry with any problem is left out of the cross-reference checks that would
only repeat it. Conventions (documented again at the top of catalogue.yaml):

  - weekdays are written mon..sun (also monday..sunday, 周一..周日) or as numbers 1-7 with
    1 = Monday (ISO 8601); in the model they are 0-6 with 0 = Monday, like date.weekday();
  - times are HH:MM on a 24-hour clock; dates are YYYY-MM-DD;
  - a text is a plain string (Chinese only) or a mapping {zh: ..., en: ...}.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.catalogue.errors import CatalogueError, CatalogueIssue
from bot.catalogue.model import (
    DEFAULT_TIMEZONE,
    Calendar,
    Catalogue,
    Category,
    Choice,
    Closure,
    Defaults,
    Delivery,
    Question,
    QuestionType,
    Service,
    Station,
    Text,
    Window,
    Workday,
)

__all__ = ["SUPPORTED_VERSION", "load_catalogue", "parse_catalogue"]

SUPPORTED_VERSION: Final = 1

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

_MIN_SLOT_MINUTES: Final = 5
_MAX_HORIZON_DAYS: Final = 366
_MAX_CLOSURE_DAYS: Final = 31

_WEEKDAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_LABELS: Final = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
_WEEKDAYS: Final = {
    **{name: i for i, name in enumerate(_WEEKDAY_NAMES)},
    **{label.lower(): i for i, label in enumerate(_WEEKDAY_LABELS)},
    **{f"周{c}": i for i, c in enumerate("一二三四五六日")},
    **{f"星期{c}": i for i, c in enumerate("一二三四五六日")},
    "周天": 6,
    "星期天": 6,
}

_QUESTION_TYPES: Final[tuple[QuestionType, ...]] = ("text", "number", "choice", "date")
_DELIVERIES: Final[tuple[Delivery, ...]] = ("request", "visit", "both")

# The keys each kind of mapping may have; True marks the required ones.
_TOP_KEYS: Final = {
    "version": True,
    "defaults": False,
    "stations": True,
    "categories": True,
    "services": True,
    "calendar": False,
}
_DEFAULTS_KEYS: Final = {
    "response_hours": False,
    "timezone": False,
    "max_upcoming_bookings": False,
    "min_notice_minutes": False,
    "horizon_days": False,
    "cancel_cutoff_minutes": False,
    "hold_minutes": False,
}
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
_CATEGORY_KEYS: Final = {"id": True, "name": True, "description": False}
_SERVICE_KEYS: Final = {
    "id": True,
    "category": True,
    "name": True,
    "description": True,
    "bring": False,
    "delivery": True,
    "stations": False,
    "response_hours": False,
    "form": False,
}
_QUESTION_KEYS: Final = {
    "key": True,
    "prompt": True,
    "type": False,
    "required": False,
    "choices": False,
}
_CHOICE_KEYS: Final = {"id": True, "label": True}
_TEXT_KEYS: Final = {"zh": True, "en": False}
_CALENDAR_KEYS: Final = {"closures": False, "workdays": False}
_CLOSURE_KEYS: Final = {"date": True, "until": False, "stations": False, "reason": True}
_WORKDAY_KEYS: Final = {"date": True, "replaces_weekday": True, "reason": True}

T = TypeVar("T")
Reader = Callable[[yaml.Node, str], T | None]


def load_catalogue(path: str | Path, *, default_timezone: str | None = None) -> Catalogue:
    """Read and validate a catalogue file; raise CatalogueError listing every problem.

    ``default_timezone`` is the zone of stations when the file's ``defaults`` name none.
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        issue = CatalogueIssue(name, None, "", f"cannot read the file: {reason}")
        raise CatalogueError([issue]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        issue = CatalogueIssue(name, line, "", "the file is not UTF-8 text: save it as UTF-8")
        raise CatalogueError([issue]) from exc
    return parse_catalogue(text, name, default_timezone=default_timezone)


def parse_catalogue(
    text: str, filename: str, *, default_timezone: str | None = None
) -> Catalogue:
    """Validate catalogue text; ``filename`` names it in messages and in ``Catalogue.source``."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise CatalogueError([_syntax_issue(filename, exc)]) from exc
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        message = f"character {exc.character!r} cannot appear in the file ({exc.reason})"
        raise CatalogueError([CatalogueIssue(filename, line, "", message)]) from exc
    if root is None:
        message = f"the file is empty: it should start with version: {SUPPORTED_VERSION}"
        raise CatalogueError([CatalogueIssue(filename, 1, "", message)])
    parser = _Parser(filename, Defaults(timezone=default_timezone or DEFAULT_TIMEZONE))
    catalogue = parser.catalogue(root, hashlib.sha256(text.encode("utf-8")).hexdigest())
    if catalogue is None:
        raise CatalogueError(parser.issues)
    return catalogue


def _syntax_issue(filename: str, exc: yaml.MarkedYAMLError) -> CatalogueIssue:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    message = f"YAML syntax error: {exc.problem or exc.context}"
    if exc.context and exc.problem and exc.context_mark is not None:
        message += f" ({exc.context} on line {exc.context_mark.line + 1})"
    return CatalogueIssue(filename, line, "", message)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _suggest(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def _raw(node: yaml.Node) -> str:
    """The source text of a scalar; empty for anything else."""
    return str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if _is_null(node):
        return "nothing"
    return repr(str(node.value))


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True, slots=True)
class _Fields:
    """The known keys of one mapping, with where it sits."""

    node: yaml.Node
    path: str
    spec: dict[str, bool]
    items: dict[str, tuple[yaml.Node, yaml.Node]]

    def has(self, key: str) -> bool:
        """Tell whether the key is there with a value other than null."""
        return key in self.items and not _is_null(self.items[key][1])

    def value_node(self, key: str) -> yaml.Node:
        return self.items[key][1]

    def key_node(self, key: str) -> yaml.Node:
        return self.items[key][0]


@dataclass(frozen=True, slots=True)
class _Ref:
    """An id used somewhere, to check once every id is known."""

    id: str
    node: yaml.Node
    path: str


@dataclass(slots=True)
class _WindowDraft:
    station: str | None
    window: Window | None
    services: list[_Ref]


@dataclass(slots=True)
class _ServiceDraft:
    id: str | None
    node: yaml.Node
    path: str
    category: _Ref | None
    delivery: Delivery | None
    stations: list[_Ref]
    service: Service | None


class _Parser:
    """Walks the node tree and collects every problem instead of stopping at the first."""

    def __init__(self, filename: str, base_defaults: Defaults) -> None:
        self.filename = filename
        self.base_defaults = base_defaults
        self.issues: list[CatalogueIssue] = []
        self.window_drafts: list[_WindowDraft] = []
        self.closure_stations: list[_Ref] = []
        self.category_nodes: dict[str, tuple[yaml.Node, str]] = {}

    def problem(self, node: yaml.Node, path: str, message: str) -> None:
        self.issues.append(CatalogueIssue(self.filename, _line(node), path, message))

    # -- shapes ------------------------------------------------------------------------------

    def mapping(self, node: yaml.Node, path: str, spec: dict[str, bool]) -> _Fields | None:
        """Read a mapping's keys; report a wrong shape and unknown, repeated or missing keys."""
        if not isinstance(node, yaml.MappingNode):
            found = _describe(node)
            self.problem(node, path, f"expected a mapping of keys to values, found {found}")
            return None
        items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        suggested: set[str] = set()
        for key_node, value_node in node.value:
            key = _raw(key_node)
            key_path = _join(path, key)
            if not key or _is_null(key_node):
                self.problem(key_node, path, "a key must be a plain word")
            elif key == "<<":
                self.problem(key_node, path, "merge keys (<<) are not supported: write keys out")
            elif key in items:
                first = _line(items[key][0])
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
                self.problem(node, _join(path, key), f"missing {key}")
        return _Fields(node, path, spec, items)

    def sequence(self, node: yaml.Node, path: str) -> list[yaml.Node]:
        """Return a list's items; null is an empty list; anything else is reported."""
        if _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, path, f"expected a list, found {_describe(node)}")
            return []
        return list(node.value)

    def get(self, fields: _Fields, key: str, read: Reader[T]) -> T | None:
        """Read one value; absent or null gives None (reported when the key is required)."""
        if key not in fields.items:
            return None
        node = fields.value_node(key)
        path = _join(fields.path, key)
        if _is_null(node):
            if fields.spec[key]:
                self.problem(node, path, f"{key} has no value")
            return None
        return read(node, path)

    def items(self, fields: _Fields, key: str) -> list[tuple[yaml.Node, str]]:
        """The items of an optional list value, each with its path."""
        if key not in fields.items:
            return []
        path = _join(fields.path, key)
        return [
            (n, f"{path}[{i}]") for i, n in enumerate(self.sequence(fields.value_node(key), path))
        ]

    # -- scalars -----------------------------------------------------------------------------

    def string(self, node: yaml.Node, path: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or _is_null(node):
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
                    en_node, _join(path, "en"), f"expected text, found {_describe(en_node)}"
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
        if raw in _WEEKDAYS:
            return _WEEKDAYS[raw]
        if _INT_RE.match(raw) and 1 <= int(raw) <= 7:
            return int(raw) - 1
        self.problem(
            node,
            path,
            f"{_describe(node)} is not a weekday{_suggest(raw, _WEEKDAY_NAMES)}: write mon, tue, "
            "wed, thu, fri, sat, sun, or a number 1-7 with 1 = Monday",
        )
        return None

    def window_weekday(self, node: yaml.Node, path: str) -> int | None:
        return self.work_weekday(
            node,
            path,
            "windows open on working days; a Saturday or Sunday is worked only when listed "
            "under calendar.workdays",
        )

    def replaced_weekday(self, node: yaml.Node, path: str) -> int | None:
        return self.work_weekday(
            node, path, "a make-up day opens the windows of the working day it stands in for"
        )

    def work_weekday(self, node: yaml.Node, path: str, why: str) -> int | None:
        """A weekday from Monday to Friday."""
        weekday = self.weekday(node, path)
        if weekday is not None and weekday > 4:
            found = _WEEKDAY_LABELS[weekday]
            self.problem(node, path, f"must be Monday to Friday, found {found}: {why}")
            return None
        return weekday

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

    def delivery(self, node: yaml.Node, path: str) -> Delivery | None:
        value = self.string(node, path)
        for option in _DELIVERIES:
            if value == option:
                return option
        if value is not None:
            self.problem(
                node,
                path,
                f"unknown delivery '{value}'{_suggest(value, _DELIVERIES)}: "
                "use request, visit or both",
            )
        return None

    def question_type(self, node: yaml.Node, path: str) -> QuestionType | None:
        value = self.string(node, path)
        for option in _QUESTION_TYPES:
            if value == option:
                return option
        if value is not None:
            self.problem(
                node,
                path,
                f"unknown type '{value}'{_suggest(value, _QUESTION_TYPES)}: "
                "use text, number, choice or date",
            )
        return None

    def id_list(self, fields: _Fields, key: str, what: str) -> list[_Ref]:
        """A list of ids; a repeated id is reported and kept once."""
        refs: list[_Ref] = []
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
            seen[value] = _line(node)
            refs.append(_Ref(value, node, path))
        return refs

    def unique(self, value: str | None, fields: _Fields, key: str, seen: dict[str, int]) -> None:
        """Report an id or code already used by an earlier entry of the same list."""
        if value is None:
            return
        node = fields.value_node(key)
        if value in seen:
            self.problem(
                node,
                _join(fields.path, key),
                f"'{value}' is already used (line {seen[value]}): each {key} must be unique",
            )
        else:
            seen[value] = _line(node)

    def known(self, ref: _Ref, known: Iterable[str], what: str) -> bool:
        known = list(known)
        if ref.id in known:
            return True
        self.problem(ref.node, ref.path, f"unknown {what} '{ref.id}'{_suggest(ref.id, known)}")
        return False

    def entries(self, top: _Fields, key: str, what: str) -> list[tuple[yaml.Node, str]]:
        """The items of a required top-level list, which must not be empty."""
        if key not in top.items:
            return []
        node = top.value_node(key)
        entries = self.items(top, key)
        if not entries and (isinstance(node, yaml.SequenceNode) or _is_null(node)):
            self.problem(node, key, f"list at least one {what}")
        return entries

    # -- the whole file ----------------------------------------------------------------------

    def catalogue(self, root: yaml.Node, digest: str) -> Catalogue | None:
        top = self.mapping(root, "", _TOP_KEYS)
        if top is None:
            return None
        version = self.get(top, "version", self.version)
        defaults = self.defaults(top)

        station_ids: dict[str, int] = {}
        codes: dict[str, int] = {}
        stations = [
            self.station(node, path, defaults, station_ids, codes)
            for node, path in self.entries(top, "stations", "station")
        ]
        category_ids: dict[str, int] = {}
        categories = [
            self.category(node, path, category_ids)
            for node, path in self.entries(top, "categories", "category")
        ]
        service_ids: dict[str, int] = {}
        drafts = [
            self.service(node, path, defaults, service_ids)
            for node, path in self.entries(top, "services", "service")
        ]
        calendar = self.calendar(top)
        services = self.cross_check(list(station_ids), list(category_ids), drafts)

        if self.issues or version is None or calendar is None:
            return None
        return Catalogue(
            version=version,
            defaults=defaults,
            stations=tuple(s for s in stations if s is not None),
            categories=tuple(c for c in categories if c is not None),
            services=tuple(services),
            calendar=calendar,
            source=self.filename,
            digest=digest,
        )

    def version(self, node: yaml.Node, path: str) -> int | None:
        version = self.integer(node, path, 0)
        if version is not None and version != SUPPORTED_VERSION:
            self.problem(
                node,
                path,
                f"unsupported version {version}: this program reads version {SUPPORTED_VERSION}",
            )
            return None
        return version

    def defaults(self, top: _Fields) -> Defaults:
        base = self.base_defaults
        if not top.has("defaults"):
            return base
        fields = self.mapping(top.value_node("defaults"), "defaults", _DEFAULTS_KEYS)
        if fields is None:
            return base
        response_hours = self.get(fields, "response_hours", self.positive)
        timezone = self.get(fields, "timezone", self.timezone)
        upcoming = self.get(fields, "max_upcoming_bookings", self.at_least(1))
        notice = self.get(fields, "min_notice_minutes", self.at_least(0))
        horizon = self.get(fields, "horizon_days", self.at_least(1, _MAX_HORIZON_DAYS))
        cutoff = self.get(fields, "cancel_cutoff_minutes", self.at_least(0))
        hold = self.get(fields, "hold_minutes", self.at_least(1))
        return Defaults(
            response_hours=base.response_hours if response_hours is None else response_hours,
            timezone=timezone or base.timezone,
            max_upcoming_bookings=base.max_upcoming_bookings if upcoming is None else upcoming,
            min_notice_minutes=base.min_notice_minutes if notice is None else notice,
            horizon_days=base.horizon_days if horizon is None else horizon,
            cancel_cutoff_minutes=base.cancel_cutoff_minutes if cutoff is None else cutoff,
            hold_minutes=base.hold_minutes if hold is None else hold,
        )

    # -- stations and windows ----------------------------------------------------------------

    def station(
        self,
        node: yaml.Node,
        path: str,
        defaults: Defaults,
        ids: dict[str, int],
        codes: dict[str, int],
    ) -> Station | None:
        before = len(self.issues)
        fields = self.mapping(node, path, _STATION_KEYS)
        if fields is None:
            return None
        station_id = self.get(fields, "id", self.ident)
        self.unique(station_id, fields, "id", ids)
        code = self.get(fields, "code", self.code)
        self.unique(code, fields, "code", codes)
        name = self.get(fields, "name", self.text)
        address = self.get(fields, "address", self.text)
        timezone = self.get(fields, "timezone", self.timezone)
        topic_id = self.get(fields, "topic_id", self.at_least(1))
        windows = self.windows(fields, station_id)
        overrides = {
            key: self.get(fields, key, self.at_least(minimum, maximum))
            for key, minimum, maximum in (
                ("min_notice_minutes", 0, None),
                ("horizon_days", 1, _MAX_HORIZON_DAYS),
                ("cancel_cutoff_minutes", 0, None),
                ("max_upcoming_bookings", 1, None),
            )
        }
        if station_id is None or code is None or name is None or address is None:
            return None
        if len(self.issues) > before:
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

    def windows(self, fields: _Fields, station_id: str | None) -> tuple[Window, ...]:
        windows: list[tuple[Window, yaml.Node]] = []
        for node, path in self.items(fields, "windows"):
            draft = _WindowDraft(station_id, None, [])
            self.window_drafts.append(draft)
            window = self.window(node, path, draft)
            if window is None:
                continue
            for other, other_node in windows:
                if (
                    other.weekday == window.weekday
                    and window.start < other.end
                    and other.start < window.end
                ):
                    self.problem(
                        node,
                        path,
                        f"overlaps the {_WEEKDAY_LABELS[window.weekday]} window on line "
                        f"{_line(other_node)}: for more officers at once, raise seats instead",
                    )
            windows.append((window, node))
            draft.window = window
        return tuple(window for window, _ in windows)

    def window(self, node: yaml.Node, path: str, draft: _WindowDraft) -> Window | None:
        before = len(self.issues)
        fields = self.mapping(node, path, _WINDOW_KEYS)
        if fields is None:
            return None
        weekday = self.get(fields, "weekday", self.window_weekday)
        start = self.get(fields, "start", self.time)
        end = self.get(fields, "end", self.time)
        slot_minutes = self.get(fields, "slot_minutes", self.at_least(_MIN_SLOT_MINUTES))
        seats = self.get(fields, "seats", self.at_least(1))
        draft.services = self.id_list(fields, "services", "service")
        if start is not None and end is not None:
            length = _minutes(end) - _minutes(start)
            if length <= 0:
                self.problem(
                    fields.value_node("end"),
                    _join(path, "end"),
                    f"the window must end after it starts ({start:%H:%M})",
                )
            elif slot_minutes is not None and length % slot_minutes:
                self.problem(
                    fields.value_node("slot_minutes"),
                    _join(path, "slot_minutes"),
                    f"{slot_minutes}-minute slots do not divide {start:%H:%M}-{end:%H:%M} "
                    f"({length} minutes) evenly",
                )
        if weekday is None or start is None or end is None or slot_minutes is None or seats is None:
            return None
        if len(self.issues) > before:
            return None
        return Window(
            weekday=weekday,
            start=start,
            end=end,
            slot_minutes=slot_minutes,
            seats=seats,
            services=tuple(ref.id for ref in draft.services),
        )

    # -- categories, services, forms ---------------------------------------------------------

    def category(self, node: yaml.Node, path: str, ids: dict[str, int]) -> Category | None:
        before = len(self.issues)
        fields = self.mapping(node, path, _CATEGORY_KEYS)
        if fields is None:
            return None
        category_id = self.get(fields, "id", self.ident)
        self.unique(category_id, fields, "id", ids)
        if category_id is not None:
            self.category_nodes.setdefault(category_id, (node, path))
        name = self.get(fields, "name", self.text)
        description = self.get(fields, "description", self.text)
        if category_id is None or name is None or len(self.issues) > before:
            return None
        return Category(id=category_id, name=name, description=description)

    def service(
        self, node: yaml.Node, path: str, defaults: Defaults, ids: dict[str, int]
    ) -> _ServiceDraft:
        before = len(self.issues)
        draft = _ServiceDraft(None, node, path, None, None, [], None)
        fields = self.mapping(node, path, _SERVICE_KEYS)
        if fields is None:
            return draft
        draft.id = self.get(fields, "id", self.ident)
        self.unique(draft.id, fields, "id", ids)
        category = self.get(fields, "category", self.ident)
        if category is not None:
            draft.category = _Ref(category, fields.value_node("category"), _join(path, "category"))
        name = self.get(fields, "name", self.text)
        description = self.get(fields, "description", self.text)
        bring = [self.text(item, item_path) for item, item_path in self.items(fields, "bring")]
        draft.delivery = self.get(fields, "delivery", self.delivery)
        draft.stations = self.id_list(fields, "stations", "station")
        response_hours = self.get(fields, "response_hours", self.positive)
        keys: dict[str, int] = {}
        form = [
            self.question(item, item_path, keys) for item, item_path in self.items(fields, "form")
        ]
        if (
            draft.id is None
            or category is None
            or name is None
            or description is None
            or draft.delivery is None
            or len(self.issues) > before
        ):
            return draft
        draft.service = Service(
            id=draft.id,
            category=category,
            name=name,
            description=description,
            bring=tuple(t for t in bring if t is not None),
            delivery=draft.delivery,
            stations=tuple(ref.id for ref in draft.stations),  # resolved in cross_check
            response_hours=defaults.response_hours if response_hours is None else response_hours,
            form=tuple(q for q in form if q is not None),
        )
        return draft

    def question(self, node: yaml.Node, path: str, keys: dict[str, int]) -> Question | None:
        before = len(self.issues)
        fields = self.mapping(node, path, _QUESTION_KEYS)
        if fields is None:
            return None
        key = self.get(fields, "key", self.ident)
        self.unique(key, fields, "key", keys)
        prompt = self.get(fields, "prompt", self.text)
        kind: QuestionType | None = "text"
        if fields.has("type"):
            kind = self.get(fields, "type", self.question_type)
        required = self.get(fields, "required", self.boolean)
        choices = self.choices(fields, kind)
        if key is None or prompt is None or kind is None or len(self.issues) > before:
            return None
        return Question(
            key=key,
            prompt=prompt,
            type=kind,
            required=True if required is None else required,
            choices=choices,
        )

    def choices(self, fields: _Fields, kind: QuestionType | None) -> tuple[Choice, ...]:
        path = _join(fields.path, "choices")
        if kind != "choice":
            if fields.has("choices") and kind is not None:
                self.problem(
                    fields.key_node("choices"),
                    path,
                    f"only a question of type choice has choices (this one is {kind})",
                )
            return ()
        items = self.items(fields, "choices")
        if not items:
            where = fields.value_node("choices") if "choices" in fields.items else fields.node
            self.problem(where, path, "a choice question needs at least one choice")
            return ()
        choices: list[Choice] = []
        ids: dict[str, int] = {}
        for node, choice_path in items:
            choice_fields = self.mapping(node, choice_path, _CHOICE_KEYS)
            if choice_fields is None:
                continue
            choice_id = self.get(choice_fields, "id", self.ident)
            self.unique(choice_id, choice_fields, "id", ids)
            label = self.get(choice_fields, "label", self.text)
            if choice_id is not None and label is not None:
                choices.append(Choice(id=choice_id, label=label))
        return tuple(choices)

    # -- calendar ----------------------------------------------------------------------------

    def calendar(self, top: _Fields) -> Calendar | None:
        if not top.has("calendar"):
            return Calendar()
        before = len(self.issues)
        fields = self.mapping(top.value_node("calendar"), "calendar", _CALENDAR_KEYS)
        if fields is None:
            return None
        closures: list[Closure] = []
        closed_on: dict[dt.date, int] = {}
        for node, path in self.items(fields, "closures"):
            closures.extend(self.closure(node, path, closed_on))
        workdays: list[Workday] = []
        worked_on: dict[dt.date, int] = {}
        for node, path in self.items(fields, "workdays"):
            workday = self.workday(node, path, closed_on, worked_on)
            if workday is not None:
                workdays.append(workday)
        if len(self.issues) > before:
            return None
        return Calendar(closures=tuple(closures), workdays=tuple(workdays))

    def closure(self, node: yaml.Node, path: str, closed_on: dict[dt.date, int]) -> list[Closure]:
        fields = self.mapping(node, path, _CLOSURE_KEYS)
        if fields is None:
            return []
        first = self.get(fields, "date", self.date)
        last = self.get(fields, "until", self.date)
        reason = self.get(fields, "reason", self.text)
        stations = self.id_list(fields, "stations", "station")
        self.closure_stations.extend(stations)
        if first is None or reason is None:
            return []
        days = 1 if last is None else (last - first).days + 1
        if days < 1 or days > _MAX_CLOSURE_DAYS:
            reason_text = (
                f"until ({last}) is before date ({first})"
                if days < 1
                else f"{days} days is longer than {_MAX_CLOSURE_DAYS}: check the dates"
            )
            self.problem(fields.value_node("until"), _join(path, "until"), reason_text)
            return []
        result = []
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            closed_on.setdefault(day, _line(node))
            result.append(Closure(day, tuple(ref.id for ref in stations), reason))
        return result

    def workday(
        self,
        node: yaml.Node,
        path: str,
        closed_on: dict[dt.date, int],
        worked_on: dict[dt.date, int],
    ) -> Workday | None:
        fields = self.mapping(node, path, _WORKDAY_KEYS)
        if fields is None:
            return None
        day = self.get(fields, "date", self.date)
        replaces = self.get(fields, "replaces_weekday", self.replaced_weekday)
        reason = self.get(fields, "reason", self.text)
        if day is None:
            return None
        date_node, date_path = fields.value_node("date"), _join(path, "date")
        if day.weekday() < 5:
            self.problem(
                date_node,
                date_path,
                f"{day} is a {_WEEKDAY_LABELS[day.weekday()]}: only a Saturday or Sunday can be "
                "a make-up working day",
            )
            return None
        if day in closed_on:
            self.problem(
                date_node,
                date_path,
                f"{day} is also a closure (line {closed_on[day]}): a day is closed or worked, "
                "not both",
            )
            return None
        if day in worked_on:
            self.problem(
                date_node, date_path, f"{day} is listed twice (first on line {worked_on[day]})"
            )
            return None
        worked_on[day] = _line(date_node)
        if replaces is None or reason is None:
            return None
        return Workday(date=day, replaces_weekday=replaces, reason=reason)

    # -- references between sections ---------------------------------------------------------

    def cross_check(
        self, station_ids: list[str], category_ids: list[str], drafts: list[_ServiceDraft]
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
            elif self.known(draft.category, category_ids, "category"):
                used_categories.add(draft.category.id)
            else:
                all_categories_known = False
            for ref in draft.stations:
                self.known(ref, station_ids, "station")
            if draft.id is None:
                continue
            offered[draft.id] = tuple(ref.id for ref in draft.stations) or tuple(station_ids)
            delivery[draft.id] = draft.delivery
            if draft.service is not None:
                services.append(dataclasses.replace(draft.service, stations=offered[draft.id]))

        for ref in self.closure_stations:
            self.known(ref, station_ids, "station")

        taken: set[tuple[str, str]] = set()  # (service, station) pairs some window takes
        for window in self.window_drafts:
            for ref in window.services:
                if not self.known(ref, offered, "service"):
                    continue
                if delivery[ref.id] == "request":
                    self.problem(
                        ref.node,
                        ref.path,
                        f"service '{ref.id}' is delivered on request only (delivery: request), "
                        "so no window can take it",
                    )
                elif window.station is not None and window.station not in offered[ref.id]:
                    self.problem(
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
        broken = {w.station for w in self.window_drafts if w.window is None}
        for draft in drafts:
            if draft.id is None or draft.delivery not in ("visit", "both"):
                continue
            at = [sid for sid in offered[draft.id] if sid in station_ids]
            if (
                at
                and not broken.intersection(at)
                and not any((draft.id, sid) in taken for sid in at)
            ):
                self.problem(
                    draft.node,
                    draft.path,
                    f"service '{draft.id}' can be booked (delivery: {draft.delivery}) but no "
                    "window at its stations takes it: add it to a window or use delivery: request",
                )

        # With a service's category unknown, "no services" would only echo that mistake.
        if all_categories_known:
            for category_id, (node, path) in self.category_nodes.items():
                if category_id not in used_categories:
                    self.problem(
                        node,
                        path,
                        f"category '{category_id}' has no services: add one or remove it",
                    )
        return services
