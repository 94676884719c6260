"""Posters drawn: a PDF with its font embedded, for printing, and a PNG preview."""

from __future__ import annotations

import io

from bot.posters.fonts import PosterFont
from bot.posters.layout import GREY, QUIET_ZONE, Measure, Poster


def measure_with(font: PosterFont) -> Measure:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def measure(text: str, size: float) -> float:
        return float(stringWidth(text, font.name, size))

    return measure


def _runs(row: tuple[bool, ...]) -> list[tuple[int, int]]:
    """Dark stretches of a row as (start, length): one rectangle each, no hairline seams."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, dark in enumerate((*row, False)):
        if dark and start is None:
            start = i
        elif not dark and start is not None:
            runs.append((start, i - start))
            start = None
    return runs


def pdf(poster: Poster, font: PosterFont) -> bytes:
    """One A4 page; the font's glyphs used are embedded, so it prints the same anywhere.
    The QR code is vector (sharp at any size) and also a clickable link."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    # The poster's font from the start: no other font is named in the file, embedded or not.
    canvas = Canvas(out, pagesize=(poster.width, poster.height), pageCompression=1,
                    initialFontName=font.name, initialFontSize=12)
    canvas.setTitle(poster.title)
    canvas.setSubject(poster.link)
    canvas.setAuthor("Frontdoor")
    canvas.setCreator("Frontdoor")
    height = poster.height
    for line in poster.lines:
        canvas.setFillColorRGB(*line.colour)
        canvas.setFont(font.name, line.size)
        if line.centred:
            canvas.drawCentredString(line.x, height - line.y, line.text)
        else:
            canvas.drawString(line.x, height - line.y, line.text)
    code = poster.code
    count = len(code.modules) + 2 * QUIET_ZONE
    module = code.size / count
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(code.modules):
        top = code.y + (r + QUIET_ZONE) * module
        for start, length in _runs(row):
            canvas.rect(code.x + (start + QUIET_ZONE) * module, height - top - module,
                        length * module, module, stroke=0, fill=1)
    canvas.linkURL(code.link, (code.x, height - code.y - code.size,
                               code.x + code.size, height - code.y), relative=0)
    canvas.setStrokeColorRGB(*GREY)
    canvas.setLineWidth(0.5)
    canvas.line(56, height - poster.rule_y, poster.width - 56, height - poster.rule_y)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def png(poster: Poster, font: PosterFont, *, dpi: int = 100) -> bytes:
    """The poster as a picture (a preview for screens and the README, not for printing)."""
    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 72
    image = Image.new("RGB", (round(poster.width * scale), round(poster.height * scale)),
                      "white")
    draw = ImageDraw.Draw(image)
    faces: dict[float, ImageFont.FreeTypeFont] = {}
    for line in poster.lines:
        face = faces.get(line.size)
        if face is None:
            face = faces[line.size] = ImageFont.truetype(str(font.path),
                                                         round(line.size * scale), index=0)
        colour = tuple(round(c * 255) for c in line.colour)
        draw.text((line.x * scale, line.y * scale), line.text, font=face, fill=colour,
                  anchor="ms" if line.centred else "ls")
    code = poster.code
    count = len(code.modules) + 2 * QUIET_ZONE
    module = code.size / count * scale
    for r, row in enumerate(code.modules):
        top = code.y * scale + (r + QUIET_ZONE) * module
        for start, length in _runs(row):
            left = code.x * scale + (start + QUIET_ZONE) * module
            draw.rectangle((round(left), round(top), round(left + length * module) - 1,
                            round(top + module) - 1), fill="black")
    rule = poster.rule_y * scale
    draw.line((56 * scale, rule, (poster.width - 56) * scale, rule), fill=(102, 102, 102))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
