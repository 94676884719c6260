"""A font with Chinese glyphs for posters, found once and embedded in every PDF."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

# TrueType outlines only: the PDF embeds the font, and its writer cannot embed CFF (.otf)
# fonts such as Noto Sans CJK. Debian's fonts-wqy-microhei comes first.
CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
    Path("C:/Windows/Fonts/simhei.ttf"),
)
# A character every poster prints: a font without it cannot make one.
PROBE = "服务站扫码"


class NoChineseFont(Exception):
    """No usable font with Chinese glyphs; the message says what to install or set."""


@dataclass(frozen=True, slots=True)
class PosterFont:
    path: Path
    name: str  # the name it is registered under in the PDF writer


_registered: dict[Path, PosterFont] = {}


def poster_font(configured: Path | None = None) -> PosterFont:
    """The configured font, or the first of the usual system fonts that is there."""
    if configured is not None:
        if not configured.is_file():
            raise NoChineseFont(f"FRONTDOOR_POSTER_FONT: no such file: {configured}")
        return _register(configured)
    for path in CANDIDATES:
        if path.is_file():
            return _register(path)
    raise NoChineseFont("no font with Chinese glyphs found: install fonts-wqy-microhei "
                        "(apt-get install fonts-wqy-microhei) or set FRONTDOOR_POSTER_FONT "
                        "to a TrueType font (.ttf or .ttc) that has them")


def _register(path: Path) -> PosterFont:
    """Load the font into the PDF writer once per process (it keeps a global registry)."""
    known = _registered.get(path)
    if known is not None:
        return known
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = "poster-" + hashlib.sha256(str(path).encode()).hexdigest()[:8]
    try:
        font = TTFont(name, str(path), subfontIndex=0)
    except (TTFError, OSError) as exc:
        raise NoChineseFont(f"{path}: not a usable TrueType font ({exc})") from None
    if any(ord(ch) not in font.face.charToGlyph for ch in PROBE):
        raise NoChineseFont(f"{path}: the font has no Chinese glyphs")
    pdfmetrics.registerFont(font)
    found = PosterFont(path, name)
    _registered[path] = found
    return found
