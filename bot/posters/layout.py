"""What goes where on an A4 poster: plain text lines and one QR code, in points.

The layout is measured with the poster's font and drawn by either renderer
(:mod:`bot.posters.render`): the PDF for printing and a PNG preview.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from bot.catalogue import Service, Station
from bot.posters.links import qr_matrix
from bot.texts import t

# A4 in PostScript points (1/72 inch).
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89
MARGIN = 56.0  # about 2 cm
QR_SIZE = 320.0  # about 11.3 cm with its quiet zone: scans from a couple of metres
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
# The poster is for the public at the station: Chinese, as they read it.
LANG = "zh"
INK, GREY, ACCENT = (0.1, 0.1, 0.1), (0.4, 0.4, 0.4), (0.0, 0.36, 0.62)

Measure = Callable[[str, float], float]  # width of a text at a font size, in points


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text; ``y`` is its baseline from the top of the page."""

    text: str
    size: float
    y: float
    x: float = PAGE_WIDTH / 2
    centred: bool = True
    colour: tuple[float, float, float] = INK


@dataclass(frozen=True, slots=True)
class Code:
    """The QR code: its top-left corner and side (quiet zone included), modules dark=True."""

    x: float
    y: float
    size: float
    modules: tuple[tuple[bool, ...], ...]
    link: str


@dataclass(frozen=True, slots=True)
class Poster:
    title: str
    link: str
    lines: tuple[Line, ...]
    code: Code
    rule_y: float  # a thin rule above the footer
    width: float = PAGE_WIDTH
    height: float = PAGE_HEIGHT


def _text(key: str, **values: str) -> str:
    # Texts are HTML for chat messages; a poster prints them as plain text.
    return html.unescape(t(LANG, key, **values))


def wrap(text: str, size: float, width: float, measure: Measure) -> list[str]:
    """Break ``text`` into lines no wider than ``width``: between any two Chinese
    characters, and at spaces within Latin words."""
    lines: list[str] = []
    current = ""
    for piece in _pieces(text):
        if current and measure((current + piece).rstrip(), size) > width:
            lines.append(current.rstrip())
            current = piece.lstrip()
        else:
            current += piece
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def _pieces(text: str) -> list[str]:
    """Units a line may break between: a Latin word with its space, or one other character;
    closing punctuation stays with what it closes."""
    pieces: list[str] = []
    for ch in text:
        if pieces and _joins(pieces[-1][-1], ch):
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def _joins(before: str, ch: str) -> bool:
    """Whether ``ch`` stays on the line of the character ``before`` it."""
    if ch.isspace() or ch in "，。：；、）」』”！？":
        return True
    latin = ch.isascii() and before.isascii()
    return latin and not before.isspace()


class _Column:
    """Lines set from the top down, centred or flush left, wrapped to the text width."""

    def __init__(self, measure: Measure, top: float) -> None:
        self.measure = measure
        self.y = top
        self.lines: list[Line] = []

    def add(self, text: str, size: float, *, colour: tuple[float, float, float] = INK,
            centred: bool = True, indent: float = 0.0, gap: float = 0.4,
            max_lines: int | None = None) -> None:
        width = PAGE_WIDTH - 2 * MARGIN - indent
        rows = wrap(text, size, width, self.measure)
        if max_lines is not None and len(rows) > max_lines:
            rows = rows[:max_lines]
            rows[-1] = rows[-1][:-1] + "…"
        for row in rows:
            self.y += size * 1.05
            x = PAGE_WIDTH / 2 if centred else MARGIN + indent
            self.lines.append(Line(row, size, self.y, x, centred, colour))
            self.y += size * 0.25
        self.y += size * gap

    def skip(self, points: float) -> None:
        self.y += points


def lay_out(station: Station, service: Service | None, link: str,
            measure: Measure) -> Poster:
    """The poster of a station, or of one of its services when ``service`` is given."""
    station_name = station.name.get(LANG)
    col = _Column(measure, MARGIN - 8)
    col.add(_text("poster_brand"), 15, colour=ACCENT, gap=0.9)
    if service is None:
        col.add(station_name, 34, max_lines=2, gap=0.3)
        if station.name.en:
            col.add(station.name.en, 12, colour=GREY, max_lines=2, gap=0.3)
        col.add(_text("poster_station_tagline"), 17, colour=GREY)
    else:
        col.add(service.name.get(LANG), 32, max_lines=2, gap=0.3)
        col.add(_text("poster_at_station", station=station_name), 17, colour=GREY)
    col.skip(10)
    code = Code((PAGE_WIDTH - QR_SIZE) / 2, col.y, QR_SIZE, qr_matrix(link), link)
    col.skip(QR_SIZE + 14)
    col.add(_text("poster_steps_title"), 16, centred=False, gap=0.3)
    third = (_text("poster_step_station", station=station_name) if service is None
             else _text("poster_step_service", service=service.name.get(LANG)))
    for step in (_text("poster_step_scan"), _text("poster_step_open"), third):
        col.add(step, 14, centred=False, indent=10, gap=0.2)
    col.skip(6)
    col.add(_text("poster_link_line", link=link), 10, colour=GREY, centred=False, indent=10)
    # The footer sits at the foot of the page, whatever the column above took.
    footer = [_text("poster_address", address=station.address.get(LANG))]
    if station.phone:
        footer.append(_text("poster_phone", phone=station.phone))
    foot = _Column(measure, PAGE_HEIGHT - MARGIN - 16 * len(footer))
    for row in footer:
        foot.add(row, 11, colour=GREY, gap=0.1)
    title = (_text("poster_title_station", station=station_name) if service is None else
             _text("poster_title_service", service=service.name.get(LANG), station=station_name))
    return Poster(title, link, (*col.lines, *foot.lines), code,
                  rule_y=PAGE_HEIGHT - MARGIN - 16 * len(footer) - 6)
