"""/poster: an admin gets a station's printable poster and its QR code in the chat."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.catalogue import Station
from bot.core.context import Ctx
from bot.core.display import stations_named
from bot.core.replies import Reply
from bot.posters.fonts import NoChineseFont, poster_font
from bot.posters.make import PosterFiles, station_poster

log = logging.getLogger(__name__)


def _draw(station: Station, username: str, font_path: Path | None) -> PosterFiles:
    return station_poster(station, username, poster_font(font_path))


def _station_list(ctx: Ctx) -> str:
    return "\n".join(ctx.t("poster_station_line", name=s.name.get(ctx.lang), id=s.id)
                     for s in ctx.cat.stations)


async def poster_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """``/poster <station>``: the station's poster; alone, the stations to choose from."""
    if not ctx.settings.is_admin(ctx.user.id):
        # Not a command for anyone else: they hear what any unknown command gets.
        return [Reply(ctx.t("unknown_command"))]
    if not args:
        return [Reply(ctx.t("poster_pick", stations=_station_list(ctx)))]
    query = " ".join(args)
    found = stations_named(ctx.cat, query)
    if len(found) != 1:
        key = "poster_ambiguous_station" if found else "poster_unknown_station"
        return [Reply(ctx.t(key, query=query, stations=_station_list(ctx)))]
    station = found[0]
    username = ctx.rt.bot_username or ctx.settings.bot_username
    if username is None:
        log.error("no poster: the bot's username is unknown (getMe gave none)")
        return [Reply(ctx.t("poster_unavailable"))]
    try:
        # Reading the font and drawing take a few tenths of a second: off the event loop, so
        # other chats are not kept waiting.
        files = await asyncio.to_thread(_draw, station, username, ctx.settings.poster_font)
    except NoChineseFont as exc:
        log.error("no poster: %s", exc)
        return [Reply(ctx.t("poster_unavailable"))]
    name = station.name.get(ctx.lang)
    return [Reply(ctx.t("poster_caption", station=name, link=files.link), document=files.poster),
            Reply(ctx.t("poster_qr_caption"), document=files.qr)]
