"""How places, times, people and labels are shown: one helper each, for every feature."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.catalogue import Catalogue, OfficeHours, Span, Station
from bot.core.context import Ctx
from bot.texts import STAFF_LANG as STAFF_LANG  # the staff group's language, shown here
from bot.texts import Raw, esc, has, t


def station_name(cat: Catalogue, station_id: str, lang: str) -> str:
    station = cat.station(station_id)
    return station.name.get(lang) if station else station_id


def tier_label(tier: str, lang: str, cat: Catalogue | None = None) -> str:
    """A company's tier in words (with its colour, from the catalogue's tiers); a tier no
    one names any more is shown as stored."""
    found = cat.tier(tier) if cat is not None else None
    if found is not None:
        return f"{found.emoji}{found.name.get(lang)}"
    key = f"tier_{tier}"
    return t(lang, key) if has(key) else tier




def station_of(ctx: Ctx, station_id: str) -> Station | None:
    return ctx.cat.station(station_id)


def stations_named(cat: Catalogue, arg: str) -> list[Station]:
    """The stations ``arg`` names: by id, code, full name, or any part of a name in either
    language (机器人 finds 上海机器人产业园). Several matches mean the name is ambiguous."""
    wanted = arg.strip().lower()
    if not wanted:
        return []
    exact = [s for s in cat.stations if wanted in (s.id.lower(), s.code.lower(),
                                                   s.name.get("zh").lower(),
                                                   s.name.get("en").lower())]
    if exact:
        return exact[:1]
    return [s for s in cat.stations
            if wanted in s.name.get("zh").lower() or wanted in s.name.get("en").lower()]


def bureau_zone(ctx: Ctx) -> ZoneInfo:
    """The bureau's own time zone (the catalogue's default), for what belongs to no station."""
    return ZoneInfo(ctx.cat.defaults.timezone)


def zone_of(ctx: Ctx, station_id: str) -> str:
    station = station_of(ctx, station_id)
    # A station no longer in the catalogue: its requests are read in the bureau's zone.
    return station.timezone if station else ctx.cat.defaults.timezone


# Zones whose clocks show Beijing time: people there read "北京时间", not an IANA name.
BEIJING_ZONES = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi",
                           "PRC", "Asia/Macau", "Asia/Hong_Kong", "Asia/Taipei"})


def zone_name(zone: str, lang: str) -> str:
    """A zone as the reader says it: 北京时间 (Beijing time) there, the IANA name elsewhere."""
    return t(lang, "zone_beijing") if zone in BEIJING_ZONES else zone


def zone_label(ctx: Ctx, station_id: str, lang: str) -> str:
    return zone_name(zone_of(ctx, station_id), lang)


def local_time(ctx: Ctx, when: datetime, station_id: str) -> str:
    return when.astimezone(ZoneInfo(zone_of(ctx, station_id))).strftime("%Y-%m-%d %H:%M")


def station_label(ctx: Ctx, station_id: str, lang: str) -> str:
    station = station_of(ctx, station_id)
    return station.name.get(lang) if station else station_id


def station_contact(station: Station, lang: str, *, hours: bool = False) -> Raw:
    """The station's address and phone (and, with ``hours``, office hours), a line each.

    A phone still a placeholder in the catalogue is left out: nobody is asked to dial it.
    """
    lines = [t(lang, "station_address_line", address=station.address.get(lang))]
    if station.phone:
        lines.append(t(lang, "station_phone_line", phone=station.phone))
    if hours:
        lines.append(t(lang, "station_hours_line", hours=office_hours_text(station.hours, lang)))
    return Raw("\n".join(lines))


def station_reach(station: Station | None, lang: str) -> Raw:
    """Whom to contact, to end a sentence: 服务站（电话：021-66661234）, or 服务站 alone."""
    if station is not None and station.phone:
        return Raw(t(lang, "station_reach_phone", phone=station.phone))
    return Raw(t(lang, "station_reach"))


def office_hours_text(hours: OfficeHours, lang: str) -> str:
    """``周一至周四 09:00–11:30、13:30–17:00；周五 09:00–11:30``: alike days grouped."""
    groups: list[tuple[int, int, tuple[Span, ...]]] = []
    for weekday in range(7):
        spans = hours.on(weekday)
        if not spans:
            continue
        if groups and groups[-1][1] == weekday - 1 and groups[-1][2] == spans:
            groups[-1] = (groups[-1][0], weekday, spans)
        else:
            groups.append((weekday, weekday, spans))
    parts = []
    for first, last, spans in groups:
        days = t(lang, f"wd_{first}") if first == last else t(
            lang, "hours_day_range", first=t(lang, f"wd_{first}"), last=t(lang, f"wd_{last}"))
        times = t(lang, "hours_span_sep").join(
            f"{span.start:%H:%M}–{span.end:%H:%M}" for span in spans)
        parts.append(f"{days} {times}")
    return t(lang, "hours_group_sep").join(parts)


def service_label(ctx: Ctx, service_id: str, lang: str) -> str:
    service = ctx.cat.service(service_id)
    return service.name.get(lang) if service else service_id


def mention(user_id: int, name: str) -> str:
    return f'<a href="tg://user?id={user_id}">{esc(name or user_id)}</a>'


def age_text(delta: timedelta, lang: str) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return t(lang, "age_days", days=days, hours=hours)
    if hours:
        return t(lang, "age_hours", hours=hours, minutes=mins)
    return t(lang, "age_minutes", minutes=mins)


def parse_id(raw: str) -> int | None:
    """A database id from a button payload: digits only, nothing else accepted."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)
