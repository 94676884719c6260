"""The snippets section: officers' saved answers, their keywords, placeholders and scope.

A snippet is read on its own first (keys, keywords, text and its placeholders); the
categories and services it is scoped to are checked by :func:`check_snippets` once both
sections are read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Final

import yaml

from bot.catalogue.checks import unique
from bot.catalogue.errors import CatalogueIssue
from bot.catalogue.model import SNIPPET_PLACEHOLDERS, Snippet, placeholders_in
from bot.catalogue.nodes import NodeReader, Ref, join, line, suggest

__all__ = ["SnippetDraft", "check_snippets", "read_snippet"]

# An officer types it after /s: one word, short enough to remember.
KEYWORD_MAX_LENGTH: Final = 20
# Sent under a one-line label in one message (Telegram takes 4096 characters).
TEXT_MAX_LENGTH: Final = 3000
_KEYWORD_RE: Final = re.compile(r"^\S+$")

# The keys of a snippet; True marks the required ones.
_SNIPPET_KEYS: Final = {
    "id": True,
    "name": True,
    "keywords": True,
    "text": True,
    "categories": False,
    "services": False,
}


@dataclass(slots=True)
class SnippetDraft:
    """A snippet as read (None when it has problems), with the ids its scope names."""

    snippet: Snippet | None
    categories: list[Ref]
    services: list[Ref]


def read_snippet(
    reader: NodeReader,
    node: yaml.Node,
    path: str,
    ids: dict[str, int],
    keywords: dict[str, int],
) -> SnippetDraft:
    """One saved answer; ``keywords`` holds every keyword used so far (case-folded)."""
    draft = SnippetDraft(None, [], [])
    before = len(reader.issues)
    fields = reader.mapping(node, path, _SNIPPET_KEYS)
    if fields is None:
        return draft
    snippet_id = reader.get(fields, "id", reader.ident)
    unique(reader, snippet_id, fields, "id", ids)
    name = reader.get(fields, "name", reader.text)
    words: list[str] = []
    if fields.has("keywords"):
        words = _keywords(reader, fields.value_node("keywords"), join(path, "keywords"),
                          keywords)
    elif "keywords" in fields.items:  # written, but left empty
        reader.problem(fields.value_node("keywords"), join(path, "keywords"),
                       "list at least one keyword")
    text = reader.get(fields, "text", reader.text)
    if text is not None:
        _check_placeholders(reader, fields.value_node("text"), join(path, "text"))
    draft.categories = reader.id_list(fields, "categories", "category")
    draft.services = reader.id_list(fields, "services", "service")
    if (snippet_id is None or name is None or text is None or not words
            or len(reader.issues) > before):
        return draft
    draft.snippet = Snippet(
        id=snippet_id, name=name, keywords=tuple(words), text=text,
        categories=tuple(r.id for r in draft.categories),
        services=tuple(r.id for r in draft.services),
    )
    return draft


def _keywords(
    reader: NodeReader, node: yaml.Node, path: str, seen: dict[str, int]
) -> list[str]:
    """A keyword or a list of them: each one word, used by no other snippet."""
    items = [(node, path)] if isinstance(node, yaml.ScalarNode) else [
        (item, f"{path}[{i}]") for i, item in enumerate(reader.sequence(node, path))]
    words: list[str] = []
    for item, item_path in items:
        word = reader.string(item, item_path)
        if word is None:
            continue
        if len(word) > KEYWORD_MAX_LENGTH or not _KEYWORD_RE.match(word):
            reader.problem(
                item, item_path, f"'{word}' cannot be a keyword: one word without spaces, at "
                f"most {KEYWORD_MAX_LENGTH} characters (officers type it after /s)",
            )
            continue
        folded = word.casefold()
        if folded in seen:
            reader.problem(
                item, item_path,
                f"keyword '{word}' is already used (line {seen[folded]}): each keyword must "
                "name one snippet",
            )
            continue
        seen[folded] = line(item)
        words.append(word)
    if isinstance(node, yaml.SequenceNode) and not node.value:
        reader.problem(node, path, "list at least one keyword")
    return words


def _check_placeholders(reader: NodeReader, node: yaml.Node, path: str) -> None:
    """Report every {placeholder} the bot cannot fill, at the line it is on."""
    if isinstance(node, yaml.ScalarNode):
        _check_text(reader, node, path)
        return
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(value_node, yaml.ScalarNode) and str(key_node.value) in ("zh", "en"):
                _check_text(reader, value_node, join(path, str(key_node.value)))


def _check_text(reader: NodeReader, node: yaml.ScalarNode, path: str) -> None:
    value = str(node.value)
    if len(value) > TEXT_MAX_LENGTH:
        reader.problem(node, path, f"the text is {len(value)} characters long: a saved answer "
                       f"goes in one message, at most {TEXT_MAX_LENGTH} characters")
    known = ", ".join("{" + p + "}" for p in SNIPPET_PLACEHOLDERS)
    for start, name in placeholders_in(value):
        if name in SNIPPET_PLACEHOLDERS:
            continue
        close = difflib.get_close_matches(name, SNIPPET_PLACEHOLDERS, n=1, cutoff=0.6)
        hint = f" (did you mean {{{close[0]}}}?)" if close else ""
        reader.issues.append(_at(reader, node, value, start, path,
                                 f"unknown placeholder {{{name}}}{hint}: use {known}"))
    stray = re.sub(r"\{[^{}]*\}", "", value)
    if "{" in stray or "}" in stray:
        at = value.find("{") if "{" in stray else value.find("}")
        reader.issues.append(_at(reader, node, value, max(at, 0), path,
                                 "a brace without its pair: placeholders are written {company}"))


def _at(reader: NodeReader, node: yaml.ScalarNode, value: str, offset: int, path: str,
        message: str) -> CatalogueIssue:
    """The issue at the line of ``offset`` in a literal block (``|``), else the text's line."""
    where = line(node)
    if node.style == "|":
        where += 1 + value.count("\n", 0, offset)
    return CatalogueIssue(reader.filename, where, path, message)


def check_snippets(
    reader: NodeReader,
    drafts: list[SnippetDraft],
    category_ids: list[str],
    service_ids: list[str],
) -> list[Snippet]:
    """Check the categories and services each snippet names; return the good snippets."""
    snippets: list[Snippet] = []
    for draft in drafts:
        ok = True
        for ref, known, what in (
            *((r, category_ids, "category") for r in draft.categories),
            *((r, service_ids, "service") for r in draft.services),
        ):
            if ref.id not in known:
                reader.problem(ref.node, ref.path,
                               f"unknown {what} '{ref.id}'{suggest(ref.id, known)}")
                ok = False
        if ok and draft.snippet is not None:
            snippets.append(draft.snippet)
    return snippets

