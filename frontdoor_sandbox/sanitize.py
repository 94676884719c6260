"""Telegram's HTML tag set and nothing else, for putting bot text into a web page.

The emulator renders a message's entities back to HTML, which is already escaped; the page
still treats that HTML as untrusted: only the tags and attributes Telegram itself accepts
survive, everything else (an ``<img onerror>``, a ``javascript:`` link) becomes visible text.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

# Telegram's formatting tags (https://core.telegram.org/bots/api#html-style).
_PLAIN_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "pre"}
)
_LINK_SCHEMES = ("http://", "https://", "mailto:", "tg://")


def _safe_href(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    if stripped.lower().startswith(_LINK_SCHEMES):
        return stripped
    return None


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def _allowed_open(self, tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
        """The start tag to emit for an allowed element, or None to show it as text."""
        values = dict(attrs)
        if tag in _PLAIN_TAGS:
            return f"<{tag}>"
        if tag == "span" and values.get("class") == "tg-spoiler":
            return '<span class="tg-spoiler">'
        if tag == "code":
            language = values.get("class") or ""
            if language.startswith("language-") and language[9:].replace("-", "").isalnum():
                return f'<code class="{html.escape(language)}">'
            return "<code>"
        if tag == "blockquote":
            return "<blockquote>"
        if tag == "a":
            href = _safe_href(values.get("href"))
            if href is None:
                return None
            return (f'<a href="{html.escape(href)}" target="_blank" '
                    'rel="noopener noreferrer nofollow">')
        if tag == "tg-emoji":
            return ""  # the fallback emoji inside is what the page shows
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        emitted = self._allowed_open(tag, attrs)
        if emitted is None:
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}>"))
            return
        self.out.append(emitted)
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # No Telegram tag is self-closing: show it as typed.
        self.out.append(html.escape(self.get_starttag_text() or f"<{tag}/>"))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open:
            self.out.append(html.escape(f"</{tag}>"))
            return
        # Close whatever was left open inside, so the output stays well nested.
        while self.open:
            inner = self.open.pop()
            if inner != "tg-emoji":
                self.out.append(f"</{inner}>")
            if inner == tag:
                break

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        self.out.append(html.escape(f"<!--{data}-->", quote=False))

    def handle_decl(self, decl: str) -> None:
        self.out.append(html.escape(f"<!{decl}>", quote=False))

    def handle_pi(self, data: str) -> None:
        self.out.append(html.escape(f"<?{data}>", quote=False))

    def unknown_decl(self, data: str) -> None:
        self.out.append(html.escape(f"<![{data}]>", quote=False))

    def result(self) -> str:
        self.close()
        for tag in reversed(self.open):
            if tag != "tg-emoji":
                self.out.append(f"</{tag}>")
        self.open.clear()
        return "".join(self.out)


def sanitize(text: str) -> str:
    """Keep Telegram's formatting tags; escape everything else."""
    parser = _Sanitizer()
    # <script>/<style> contents are raw text to HTMLParser; parsing them as data is what we
    # want anyway, since they are shown, never run.
    parser.CDATA_CONTENT_ELEMENTS = ()  # type: ignore[misc]
    parser.feed(text)
    return parser.result()
