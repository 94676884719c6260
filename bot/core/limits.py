"""Telegram's length limits, counted as Telegram counts them, and HTML cut to fit.

Telegram refuses a message whose text, after its HTML is parsed, is longer than 4,096 UTF-16
code units (1,024 for a caption): an emoji counts twice, tags count nothing. A message the
bot accepted must still arrive, so long texts are split (or, where one message must stay
one, shortened) here, at safe places: never inside a tag or an entity, with every open tag
closed at the end of a part and opened again at the start of the next.
"""

from __future__ import annotations

import html
import re

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_TOKENS = re.compile(r"(<[^>]*>)|(&#?[A-Za-z0-9]+;)|([^<&]+)|([<&])")
_TAG_NAME = re.compile(r"</?\s*([A-Za-z-]+)")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: what Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def visible_len(markup: str) -> int:
    """How long ``markup`` is once Telegram has parsed its HTML."""
    return utf16_len(html.unescape(re.sub(r"<[^>]*>", "", markup)))


def split_html(markup: str, limit: int) -> list[str]:
    """``markup`` in parts of at most ``limit`` visible UTF-16 units each, cut at a line
    break where one is near, else between characters; tags stay balanced in every part."""
    if visible_len(markup) <= limit:
        return [markup]
    parts: list[str] = []
    current: list[str] = []
    length = 0
    stack: list[tuple[str, str]] = []  # (name, opening tag)

    def close() -> None:
        nonlocal current, length
        current.extend(f"</{name}>" for name, _ in reversed(stack))
        parts.append("".join(current))
        current = [opening for _, opening in stack]
        length = 0

    for tag, entity, text, stray in _TOKENS.findall(markup):
        if tag:
            name_match = _TAG_NAME.match(tag)
            name = name_match.group(1).lower() if name_match else ""
            if tag.startswith("</"):
                if stack and stack[-1][0] == name:
                    stack.pop()
            elif not tag.endswith("/>"):
                stack.append((name, tag))
            current.append(tag)
            continue
        piece = entity or stray
        if piece:
            size = utf16_len(html.unescape(piece))
            if length + size > limit:
                close()
            current.append(piece)
            length += size
            continue
        while text:
            room = limit - length
            if utf16_len(text) <= room:
                current.append(text)
                length += utf16_len(text)
                break
            cut = _cut_at(text, room)
            if cut == 0:
                close()
                continue
            current.append(text[:cut])
            text = text[cut:]
            close()
    if length or not parts:
        current.extend(f"</{name}>" for name, _ in reversed(stack))
        parts.append("".join(current))
    return [p for p in parts if visible_len(p)]


def _cut_at(text: str, room: int) -> int:
    """How many characters of ``text`` fit in ``room`` units, ending at a line break when one
    falls in the last quarter of the room."""
    used, fits = 0, 0
    for i, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > room:
            break
        fits = i + 1
    newline = text.rfind("\n", 0, fits)
    if newline >= 0 and newline + 1 >= fits * 3 // 4:
        return newline + 1
    return fits


def shorten_html(markup: str, limit: int, marker: str) -> str:
    """``markup`` cut to ``limit`` visible units with ``marker`` (HTML) at the end."""
    if visible_len(markup) <= limit:
        return markup
    return split_html(markup, limit - visible_len(marker))[0] + marker
