"""Message entities: Telegram-HTML parsing, rendering back to HTML, auto-detection.

All offsets and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "HtmlParseError",
    "detect_entities",
    "entities_to_html",
    "parse_html",
    "strip_formatted",
    "utf16_len",
]

JSONDict = dict[str, Any]

_SIMPLE_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_SUPPORTED_TAGS = frozenset({*_SIMPLE_TAGS, "span", "a", "blockquote", "tg-emoji"})
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_TG_USER = re.compile(r"tg://user\?id=(\d+)$")


class HtmlParseError(ValueError):
    """Text is not valid Telegram HTML; ``str(exc)`` is the part after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (how Telegram measures offsets)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _OpenTag:
    name: str
    entity: JSONDict | None
    start: int  # UTF-16 offset in the output
    byte_offset: int


@dataclass
class _HtmlState:
    source: str
    out: list[str] = field(default_factory=list)
    pos16: int = 0
    stack: list[_OpenTag] = field(default_factory=list)
    entities: list[JSONDict] = field(default_factory=list)

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos16 += utf16_len(text)


def parse_html(source: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram-flavoured HTML into plain text and a list of entities.

    Supports Telegram's tag set (b, strong, i, em, u, ins, s, strike, del, span
    class="tg-spoiler", tg-spoiler, a href, code, pre (with code class="language-x"),
    blockquote [expandable], tg-emoji emoji-id) and the entities ``&lt; &gt; &amp; &quot;``
    plus numeric ones. Deliberately strict: a bare ``<`` or an ``&`` that does not start a
    known entity is an error (real Telegram tolerates a few of these; a bot should always
    escape user-provided text anyway).

    Raises:
        HtmlParseError: with a Telegram-like message.
    """
    state = _HtmlState(source)
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "<":
            i = _parse_tag(state, i)
        elif ch == "&":
            text, i = _parse_entity(state, i)
            state.emit(text)
        else:
            j = i
            while j < n and source[j] not in "<&":
                j += 1
            state.emit(source[i:j])
            i = j
    if state.stack:
        raise HtmlParseError(
            f'Can\'t find end tag corresponding to start tag "{state.stack[-1].name}"'
        )
    entities = sorted(state.entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(state.out), entities


def _parse_entity(state: _HtmlState, i: int) -> tuple[str, int]:
    source = state.source
    end = source.find(";", i + 1, i + 12)
    if end != -1:
        name = source[i + 1 : end]
        if name in _NAMED_ENTITIES:
            return _NAMED_ENTITIES[name], end + 1
        code: int | None = None
        if re.fullmatch(r"#[0-9]{1,7}", name):
            code = int(name[1:])
        elif re.fullmatch(r"#[xX][0-9a-fA-F]{1,6}", name):
            code = int(name[2:], 16)
        if code is not None and 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code), end + 1
    raise HtmlParseError(
        f"Unsupported HTML entity at byte offset {state.byte_offset(i)}; "
        'use "&amp;" for a literal "&"'
    )


def _parse_tag(state: _HtmlState, i: int) -> int:
    source = state.source
    offset = state.byte_offset(i)
    if source.startswith("</", i):
        match = _TAG_NAME.match(source, i + 2)
        name = match.group(0).lower() if match else ""
        j = match.end() if match else i + 2
        while j < len(source) and source[j].isspace():
            j += 1
        if j >= len(source) or source[j] != ">":
            raise HtmlParseError(f"Unclosed end tag at byte offset {offset}")
        if not state.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {offset}")
        top = state.stack[-1]
        if top.name != name:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
        state.stack.pop()
        _close(state, top)
        return j + 1

    match = _TAG_NAME.match(source, i + 1)
    name = match.group(0).lower() if match else ""
    if name not in _SUPPORTED_TAGS:
        raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
    assert match is not None
    attrs, j = _parse_attributes(state, match.end(), offset)
    entity = _entity_for_tag(name, attrs, offset)
    if name == "code" and state.stack and state.stack[-1].name == "pre":
        language = attrs.get("class", "")
        pre = state.stack[-1].entity
        opened_at = state.stack[-1].start
        if language.startswith("language-") and pre is not None and state.pos16 == opened_at:
            pre["language"] = language[len("language-") :]
            entity = None  # the language lives on the enclosing pre entity
    state.stack.append(_OpenTag(name, entity, state.pos16, offset))
    return j


def _parse_attributes(state: _HtmlState, j: int, offset: int) -> tuple[dict[str, str], int]:
    source = state.source
    attrs: dict[str, str] = {}
    n = len(source)
    while True:
        while j < n and source[j].isspace():
            j += 1
        if j >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {offset}")
        if source[j] == ">":
            return attrs, j + 1
        match = _ATTR_NAME.match(source, j)
        if not match:
            raise HtmlParseError(f"Empty attribute name in the tag at byte offset {offset}")
        attr = match.group(0).lower()
        j = match.end()
        value = ""
        while j < n and source[j].isspace():
            j += 1
        if j < n and source[j] == "=":
            j += 1
            while j < n and source[j].isspace():
                j += 1
            if j < n and source[j] in "\"'":
                quote = source[j]
                end = source.find(quote, j + 1)
                if end == -1:
                    raise HtmlParseError(
                        f"Unclosed attribute value in the tag at byte offset {offset}"
                    )
                raw = source[j + 1 : end]
                j = end + 1
            else:
                k = j
                while k < n and not source[k].isspace() and source[k] != ">":
                    k += 1
                raw = source[j:k]
                j = k
            value = html.unescape(raw)
        attrs[attr] = value


def _entity_for_tag(name: str, attrs: dict[str, str], offset: int) -> JSONDict | None:
    if name in _SIMPLE_TAGS:
        return {"type": _SIMPLE_TAGS[name]}
    if name == "span":
        if attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Unsupported start tag "span" at byte offset {offset}')
        return {"type": "spoiler"}
    if name == "a":
        href = attrs.get("href", "").strip()
        if not href:
            return None
        user = _TG_USER.match(href)
        if user:
            return {
                "type": "text_mention",
                "user": {"id": int(user.group(1)), "is_bot": False, "first_name": ""},
            }
        return {"type": "text_link", "url": href}
    if name == "blockquote":
        kind = "expandable_blockquote" if "expandable" in attrs else "blockquote"
        return {"type": kind}
    # tg-emoji
    emoji_id = attrs.get("emoji-id", "")
    if not emoji_id.isdigit():
        raise HtmlParseError(f"Custom emoji identifier expected at byte offset {offset}")
    return {"type": "custom_emoji", "custom_emoji_id": emoji_id}


def _close(state: _HtmlState, tag: _OpenTag) -> None:
    if tag.entity is None:
        return
    length = state.pos16 - tag.start
    if length <= 0:
        return
    entity = {"offset": tag.start, "length": length, **tag.entity}
    state.entities.append(entity)


def strip_formatted(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim leading/trailing whitespace like Telegram does, shifting/clipping entities."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    leading = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    result: list[JSONDict] = []
    for entity in entities:
        start = max(entity["offset"] - leading, 0)
        end = min(entity["offset"] + entity["length"] - leading, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


_AUTO_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")),
    ("url", re.compile(r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")),
    ("email", re.compile(r"(?<![\w.@])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?!\w)")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*")),
)


def detect_entities(text: str) -> list[JSONDict]:
    """Entities a Telegram client would attach to a typed message.

    Detects ``bot_command`` (``/start``, ``/start@bot``), ``url``, ``email``, ``mention`` and
    ``hashtag``; overlapping matches keep the first detector's result.
    """
    found: list[tuple[int, int, str]] = []
    for kind, pattern in _AUTO_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e, _ in found):
                continue
            found.append((start, end, kind))
    found.sort()
    return [
        {"offset": utf16_len(text[:start]), "length": utf16_len(text[start:end]), "type": kind}
        for start, end, kind in found
    ]


def _utf16_to_index(text: str) -> dict[int, int]:
    mapping: dict[int, int] = {}
    pos = 0
    for index, ch in enumerate(text):
        mapping[pos] = index
        pos += 2 if ord(ch) > 0xFFFF else 1
    mapping[pos] = len(text)
    return mapping


def _open_html(entity: JSONDict) -> tuple[str, str]:
    kind = entity.get("type")
    simple = {
        "bold": "b",
        "italic": "i",
        "underline": "u",
        "strikethrough": "s",
        "spoiler": "tg-spoiler",
        "code": "code",
        "blockquote": "blockquote",
    }
    if kind in simple:
        tag = simple[str(kind)]
        return f"<{tag}>", f"</{tag}>"
    if kind == "expandable_blockquote":
        return "<blockquote expandable>", "</blockquote>"
    if kind == "pre":
        language = entity.get("language")
        if language:
            lang = html.escape(str(language))
            return f'<pre><code class="language-{lang}">', "</code></pre>"
        return "<pre>", "</pre>"
    if kind == "text_link":
        return f'<a href="{html.escape(str(entity.get("url", "")))}">', "</a>"
    if kind == "text_mention":
        user = entity.get("user") or {}
        return f'<a href="tg://user?id={int(user.get("id", 0))}">', "</a>"
    if kind == "custom_emoji":
        emoji_id = html.escape(str(entity.get("custom_emoji_id", "")))
        return f'<tg-emoji emoji-id="{emoji_id}">', "</tg-emoji>"
    return "", ""


def entities_to_html(text: str, entities: list[JSONDict] | None) -> str:
    """Render plain text plus entities as Telegram HTML (escaping the text).

    Entities that do not change the look (mentions, hashtags, commands, urls) are left as
    text. Crossing entities are closed and re-opened so the output stays well-formed.
    """
    if not entities:
        return html.escape(text, quote=False)
    index = _utf16_to_index(text)
    spans: list[tuple[int, int, str, str]] = []
    for entity in entities:
        opening, closing = _open_html(entity)
        if not opening:
            continue
        start = index.get(int(entity["offset"]))
        end = index.get(int(entity["offset"]) + int(entity["length"]))
        if start is None or end is None or end <= start:
            continue
        spans.append((start, end, opening, closing))
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[str] = []
    stack: list[tuple[int, int, str, str]] = []
    next_span = 0
    for pos in range(len(text) + 1):
        # close spans ending here (re-opening any crossing ones that are still running)
        if any(span[1] == pos for span in stack):
            reopen: list[tuple[int, int, str, str]] = []
            while any(span[1] == pos for span in stack):
                span = stack.pop()
                out.append(span[3])
                if span[1] != pos:
                    reopen.append(span)
            for span in reversed(reopen):
                out.append(span[2])
                stack.append(span)
        while next_span < len(spans) and spans[next_span][0] == pos:
            span = spans[next_span]
            out.append(span[2])
            stack.append(span)
            next_span += 1
        if pos < len(text):
            out.append(html.escape(text[pos], quote=False))
    return "".join(out)
