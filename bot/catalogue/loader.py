"""Read catalogue.yaml into a Catalogue, or report every problem with file, line and field.

The work is split by concern: ``nodes`` reads typed values out of YAML nodes with their lines,
``schema`` with ``stations``, ``services`` and ``closures`` says which sections and fields
exist and builds each into a model, and ``checks`` compares entries with each other and
resolves the ids one section uses from another.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from bot.catalogue.errors import CatalogueError, CatalogueIssue
from bot.catalogue.model import DEFAULT_TIMEZONE, Catalogue, Defaults
from bot.catalogue.nodes import NodeReader
from bot.catalogue.schema import SUPPORTED_VERSION, read_catalogue

__all__ = ["SUPPORTED_VERSION", "load_catalogue", "parse_catalogue", "read_catalogue_text"]


def load_catalogue(path: str | Path, *, default_timezone: str | None = None) -> Catalogue:
    """Read and validate a catalogue file; raise CatalogueError listing every problem.

    ``default_timezone`` is the zone of stations when the file's ``defaults`` name none.
    """
    return parse_catalogue(read_catalogue_text(path), str(path),
                           default_timezone=default_timezone)


def read_catalogue_text(path: str | Path) -> str:
    """The file's text (UTF-8, a BOM dropped); CatalogueError when it cannot be read."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        issue = CatalogueIssue(name, None, "", f"cannot read the file: {reason}")
        raise CatalogueError([issue]) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        issue = CatalogueIssue(name, line, "", "the file is not UTF-8 text: save it as UTF-8")
        raise CatalogueError([issue]) from exc


def parse_catalogue(
    text: str, filename: str, *, default_timezone: str | None = None
) -> Catalogue:
    """Validate catalogue text; ``filename`` names it in messages and in ``Catalogue.source``.

    What is valid but wants attention (placeholders still in the file) is in
    ``Catalogue.warnings``, with file and line like the errors.
    """
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
    reader = NodeReader(filename)
    base_defaults = Defaults(timezone=default_timezone or DEFAULT_TIMEZONE)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    catalogue = read_catalogue(reader, root, base_defaults, digest)
    if catalogue is None:
        raise CatalogueError(reader.issues)
    return catalogue


def _syntax_issue(filename: str, exc: yaml.MarkedYAMLError) -> CatalogueIssue:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    message = f"YAML syntax error: {exc.problem or exc.context}"
    if exc.context and exc.problem and exc.context_mark is not None:
        message += f" ({exc.context} on line {exc.context_mark.line + 1})"
    return CatalogueIssue(filename, line, "", message)
