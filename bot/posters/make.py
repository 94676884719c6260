"""Posters of stations and their services: file names, links, and the whole set for print."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.catalogue import Catalogue, Service, Station
from bot.core.replies import FileOut
from bot.posters import render
from bot.posters.fonts import PosterFont
from bot.posters.layout import lay_out
from bot.posters.links import qr_png, service_link, station_link


@dataclass(frozen=True, slots=True)
class PosterFiles:
    """One poster: the printable PDF and its QR code alone as a PNG."""

    link: str
    poster: FileOut
    qr: FileOut


def station_poster(station: Station, username: str, font: PosterFont) -> PosterFiles:
    link = station_link(username, station.id)
    layout = lay_out(station, None, link, render.measure_with(font))
    return PosterFiles(link, FileOut(f"{station.id}.pdf", render.pdf(layout, font),
                                     "application/pdf"),
                       FileOut(f"{station.id}-qr.png", qr_png(link), "image/png"))


def service_poster(station: Station, service: Service, username: str,
                   font: PosterFont) -> PosterFiles:
    link = service_link(username, service.id)
    layout = lay_out(station, service, link, render.measure_with(font))
    stem = f"{station.id}--{service.id}"
    return PosterFiles(link, FileOut(f"{stem}.pdf", render.pdf(layout, font), "application/pdf"),
                       FileOut(f"{stem}-qr.png", qr_png(link), "image/png"))


def services_at(cat: Catalogue, station: Station) -> list[Service]:
    """The services offered at the station, in catalogue order."""
    return [s for s in cat.services if station.id in s.stations]


def write_station(cat: Catalogue, station: Station, username: str, font: PosterFont,
                  out: Path) -> list[Path]:
    """The station's poster and one per service it offers, in ``out/<station id>/``."""
    folder = out / station.id
    folder.mkdir(parents=True, exist_ok=True)
    sets = [station_poster(station, username, font)]
    sets += [service_poster(station, s, username, font) for s in services_at(cat, station)]
    written: list[Path] = []
    for files in sets:
        for file in (files.poster, files.qr):
            path = folder / file.filename
            path.write_bytes(file.content)
            written.append(path)
    return written


def preview_png(station: Station, username: str, font: PosterFont, *, dpi: int = 72) -> bytes:
    """The station's poster as a small picture (the README shows one)."""
    layout = lay_out(station, None, station_link(username, station.id),
                     render.measure_with(font))
    return render.png(layout, font, dpi=dpi)
