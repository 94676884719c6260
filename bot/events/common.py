"""What every part of events shares: finding an event, whom it is for, how it is shown."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.catalogue.model import Event
from bot.core import display
from bot.core.context import Ctx
from bot.texts import Raw, t
from storage.companies.dto import CompanyDTO
from storage.events.repo import RegistrationDTO

# The /start payload of a check-in pass: ev-<token>.
LINK_PREFIX = "ev-"
# Zones people in China read as 北京时间, so the time needs no zone after it.
_BEIJING = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi",
                      "PRC"})
# Timeline kinds this feature writes (shown with ``tl_<kind>``).
SIGNED_UP = "event_signed_up"
WAITING = "event_waiting"
CONFIRMED = "event_confirmed"
CANCELLED = "event_cancelled"
ATTENDED = "event_attended"


def local(event: Event, moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(ZoneInfo(event.timezone))


def local_day(event: Event, moment: dt.datetime) -> dt.date:
    """The calendar day of ``moment`` where the event is held."""
    return local(event, moment).date()


def day_text(lang: str, event: Event, moment: dt.datetime) -> str:
    """``3月18日（周四）`` / ``Thu 18 Mar``."""
    a = local(event, moment)
    weekday = t(lang, f"wd_{a.weekday()}")
    if lang == "zh":
        return f"{a.year}年{a.month}月{a.day}日（{weekday}）"
    return f"{weekday} {a.day} {a:%b %Y}"


def when_text(lang: str, event: Event) -> str:
    """The day and the hours, with the zone when it is not Beijing time."""
    a, b = local(event, event.start), local(event, event.end)
    text = f"{day_text(lang, event, event.start)} {a:%H:%M}–{b:%H:%M}"
    if event.timezone not in _BEIJING:
        text += f"（{event.timezone}）" if lang == "zh" else f" ({event.timezone})"
    return text


def moment_text(lang: str, event: Event, moment: dt.datetime) -> str:
    return f"{day_text(lang, event, moment)} {local(event, moment):%H:%M}"


def place_text(ctx: Ctx, lang: str, event: Event) -> str:
    """Where: the station and its address, and the room or venue written in the event."""
    parts: list[str] = []
    station = ctx.cat.station(event.station) if event.station else None
    if station is not None:
        parts.append(station.name.get(lang))
    if event.venue is not None:
        parts.append(event.venue.get(lang))
    if station is not None:
        parts.append(station.address.get(lang))
    return ("，" if lang == "zh" else ", ").join(parts) or "—"


def kind_text(lang: str, event: Event) -> str:
    return t(lang, f"ev_kind_{event.kind}")


def details(ctx: Ctx, lang: str, event: Event, *, seats_left: int | None = None) -> Raw:
    """The event as a card: title, kind, time, place, deadline (and seats left), HTML."""
    lines = [
        t(lang, "ev_details", title=event.title.get(lang), kind=kind_text(lang, event),
          when=when_text(lang, event), place=place_text(ctx, lang, event),
          deadline=moment_text(lang, event, event.signup_deadline)),
    ]
    if event.description is not None:
        lines.append(t(lang, "ev_description", text=event.description.get(lang)))
    if seats_left is not None:
        lines.append(t(lang, "ev_seats_left", left=seats_left, capacity=event.capacity,
                       per_company=event.seats_per_company))
    return Raw("\n".join(lines))


def registration_text(lang: str, registration: RegistrationDTO) -> Raw:
    """``报名编号 EV000012，2 人：张三、李四`` as HTML, the names escaped once here."""
    return Raw(t(lang, "ev_registration_line", ref=registration.ref, seats=registration.seats,
                 names="、".join(registration.attendees) if lang == "zh"
                 else ", ".join(registration.attendees)))


def staff_title(event: Event) -> str:
    return event.title.get(display.STAFF_LANG)


async def visible(ctx: Ctx, event: Event, company: CompanyDTO) -> bool:
    """Is the event meant for this company (its station, its tier, what it asked about)?"""
    audience = event.audience
    if audience.everyone:
        return True
    if company.station_id in audience.stations or company.tier in audience.tiers:
        return True
    if audience.categories:
        asked = await ctx.registrations.services_asked(company.id)
        for service_id in asked:
            service = ctx.cat.service(service_id)
            if service is not None and service.category in audience.categories:
                return True
    return False


async def lang_of(ctx: Ctx, user_id: int) -> str:
    user = await ctx.users.get(user_id)
    return user.language if user else "zh"


def seats_left(event: Event, taken: int) -> int:
    return max(event.capacity - taken, 0)
