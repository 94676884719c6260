"""The officers' side of window visits: who is coming, who came, who needs approval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from bot.catalogue import Station
from bot.core.context import SYSTEM_USER, Actor, Ctx, background_work
from bot.core.display import stations_named
from bot.core.payloads import ROSTER
from bot.core.replies import Button, Reply, notice
from bot.core.runtime import Runtime
from bot.core.timeline import VISIT_ATTENDED, VISIT_NO_SHOW, on_record
from bot.requests import status_label
from bot.texts import t
from bot.visits import booking, schedule
from storage.requests.repo import RequestDTO
from storage.visits.repo import BookingDTO, Bookings
from storage.visits.status import BookingStatus

ATTENDANCE = {"arr": BookingStatus.ARRIVED, "ns": BookingStatus.NO_SHOW}
# Open requests listed under one visit; a company with more is told how many more.
REQUESTS_SHOWN = 5


def find_stations(ctx: Ctx, arg: str | None) -> list[Station]:
    """The stations ``arg`` names: by id, code, full name, or any part of a name in either
    language (机器人 finds 上海机器人产业园); none named, the one whose topic the command was
    typed in. Several matches mean the name is ambiguous."""
    if arg:
        return stations_named(ctx.cat, arg)
    thread = ctx.actor.thread_id
    if thread is not None:
        return [s for s in ctx.cat.stations if s.topic_id == thread][:1]
    return []


def _day_bounds(station: Station, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = schedule.zone(station.timezone)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start, end.astimezone(dt.UTC)


def _line(ctx: Ctx, lang: str, station: Station, item: BookingDTO, company: str,
          open_requests: dict[int, list[RequestDTO]]) -> str:
    note = f" · “{item.note}”" if item.note else ""
    line = t(lang, "ro_line", time=f"{schedule.local(station, item.starts_at):%H:%M}",
             company=company, topic=booking.topic_text(ctx, lang, item.service_id), note=note,
             status=t(lang, f"bk_status_{item.status}"))
    return line + "".join("\n" + r for r in _request_lines(lang, item, open_requests))


def _request_lines(lang: str, item: BookingDTO,
                   open_requests: dict[int, list[RequestDTO]]) -> list[str]:
    """The company's open requests under its visit, so the officer can prepare for them."""
    reqs = open_requests.get(item.company_id, [])
    lines = [
        t(lang, "ro_request_this" if r.id == item.request_id else "ro_request",
          reference=r.reference, status=status_label(r.status, lang))
        for r in reqs[:REQUESTS_SHOWN]
    ]
    if len(reqs) > REQUESTS_SHOWN:
        lines.append(t(lang, "ro_requests_more", count=len(reqs) - REQUESTS_SHOWN))
    return lines


async def _open_requests(ctx: Ctx, entries: list[tuple[BookingDTO, str]]
                         ) -> dict[int, list[RequestDTO]]:
    """Every open request of the companies on the roster, in one query."""
    return await ctx.requests.open_for_companies(item.company_id for item, _ in entries)


async def day_roster(ctx: Ctx, lang: str, station: Station, day: dt.date,
                     *, edit: bool = False) -> tuple[Reply, int]:
    """The day's visits at the station, with Arrived / No-show buttons; and how many."""
    start, end = _day_bounds(station, day)
    entries = await ctx.bookings.seated_between(station.id, start, end)
    lines = [t(lang, "ro_title", station=station.name.get(lang),
               day=booking.day_label(lang, day), zone=schedule.zone_label(station, start, lang))]
    rows: list[tuple[Button, ...]] = []
    open_requests = await _open_requests(ctx, entries)
    for item, company in entries:
        lines.append(_line(ctx, lang, station, item, company, open_requests))
        if item.status == BookingStatus.CONFIRMED:
            time = f"{schedule.local(station, item.starts_at):%H:%M}"
            rows.append((Button(t(lang, "ro_btn_arrived", time=time), f"{ROSTER}arr:{item.id}"),
                         Button(t(lang, "ro_btn_no_show"), f"{ROSTER}ns:{item.id}")))
    if not entries:
        lines.append(t(lang, "ro_empty"))
    more = await _more_lines(ctx, station, day, lang)
    return Reply("\n".join(lines + more), buttons=tuple(rows), edit=edit), len(entries) + len(more)


async def _more_lines(ctx: Ctx, station: Station, day: dt.date, lang: str) -> list[str]:
    """What other features add to the day's roster (follow-ups due, …)."""
    return [line for source in ctx.rt.features.roster_lines
            for line in await source(ctx, station, day, lang)]


async def week_roster(ctx: Ctx, lang: str, station: Station) -> tuple[Reply, int]:
    today = schedule.local_day(station, ctx.now)
    lines = [t(lang, "ro_week_title", station=station.name.get(lang),
               zone=schedule.zone_label(station, ctx.now, lang))]
    start, _ = _day_bounds(station, today)
    _, end = _day_bounds(station, today + dt.timedelta(days=6))
    entries = await ctx.bookings.seated_between(station.id, start, end)
    current: dt.date | None = None
    open_requests = await _open_requests(ctx, entries)
    for item, company in entries:
        day = schedule.local_day(station, item.starts_at)
        if day != current:
            lines.append(t(lang, "ro_day_head", day=booking.day_label(lang, day)))
            current = day
        lines.append(_line(ctx, lang, station, item, company, open_requests))
    if not entries:
        lines.append(t(lang, "ro_empty"))
    return Reply("\n".join(lines)), len(entries)


def _stations_for(ctx: Ctx, arg: str | None) -> tuple[list[Station], bool] | Reply:
    """The stations a roster command is about, and whether one was named (or its topic
    used); or the answer to a name that fits none, or several."""
    found = find_stations(ctx, arg)
    if len(found) == 1:
        return found, True
    names = "、".join(s.name.get(ctx.lang) for s in (found or ctx.cat.stations))
    if found:
        return Reply(ctx.t("ro_ambiguous_station", stations=names))
    if arg:
        return Reply(ctx.t("ro_unknown_station", stations=names))
    return [s for s in ctx.cat.stations if s.windows], False


def _one_message(parts: list[Reply]) -> Reply:
    """Several stations' lists as one message: one command, one answer in the group."""
    return Reply("\n\n".join(p.text for p in parts),
                 buttons=tuple(row for p in parts for row in p.buttons))


RosterOf = Callable[[Station], Awaitable[tuple[Reply, int]]]


async def _roster(ctx: Ctx, arg: str | None, roster_of: RosterOf, empty: Reply) -> list[Reply]:
    """One answer for /today or /week: the stations asked for, else those with visits."""
    found = _stations_for(ctx, arg)
    if isinstance(found, Reply):
        return [found]
    stations, named = found
    replies = []
    for st in stations:
        reply, count = await roster_of(st)
        # Across all stations, only those with visits; a station asked for, always.
        if count or named:
            replies.append(reply)
    return [_one_message(replies)] if replies else [empty]


async def today(ctx: Ctx, arg: str | None) -> list[Reply]:
    async def of(st: Station) -> tuple[Reply, int]:
        return await day_roster(ctx, ctx.lang, st, schedule.local_day(st, ctx.now))

    day = schedule.local_day(ctx.cat.stations[0], ctx.now) if ctx.cat.stations else None
    empty = Reply(ctx.t("ro_all_empty_today",
                        day=booking.day_label(ctx.lang, day) if day else ""))
    return await _roster(ctx, arg, of, empty)


async def week(ctx: Ctx, arg: str | None) -> list[Reply]:
    async def of(st: Station) -> tuple[Reply, int]:
        return await week_roster(ctx, ctx.lang, st)

    return await _roster(ctx, arg, of, Reply(ctx.t("ro_all_empty_week")))


async def mark(ctx: Ctx, action: str, booking_id: int) -> list[Reply]:
    """An officer records that the company came, or did not."""
    status = ATTENDANCE.get(action)
    repo = ctx.bookings
    item = await repo.get(booking_id)
    if status is None or item is None:
        return [notice(ctx.t("stale_button"))]
    station = ctx.cat.station(item.station_id)
    if station is None:
        return [notice(ctx.t("stale_button"))]
    day = schedule.local_day(station, item.starts_at)
    if schedule.local_day(station, ctx.now) < day or (
            status == BookingStatus.NO_SHOW and ctx.now < item.starts_at):
        return [notice(ctx.t("ro_not_today"), alert=True)]
    changed = await repo.transition(item.id, (BookingStatus.CONFIRMED,), status, ctx.now)
    if changed:
        await on_record(ctx, item.company_id, VISIT_ATTENDED if status == BookingStatus.ARRIVED
                        else VISIT_NO_SHOW, booking.visit_summary(ctx, item),
                        ref=("booking", item.id))
    if changed and status == BookingStatus.NO_SHOW:
        await _warn_no_shows(ctx, item)
    screen, _ = await day_roster(ctx, ctx.lang, station, day, edit=True)
    done = await repo.get(item.id)
    assert done is not None
    toast = ctx.t("ro_marked", ref=done.ref, status=ctx.t(f"bk_status_{done.status}"))
    return [Reply(screen.text, buttons=screen.buttons, edit=True, notice=toast)]


async def _warn_no_shows(ctx: Ctx, item: BookingDTO) -> None:
    count = await ctx.bookings.no_shows(item.company_id, ctx.now - booking.NO_SHOW_WINDOW)
    if count != booking.NO_SHOW_LIMIT:
        return
    lang = await booking.lang_of(ctx, item.user_id)
    await ctx.send(item.user_id, t(lang, "ro_no_show_warning", count=count),
                   dedupe_key=f"bk:{item.id}:noshow-warning")


async def decide(ctx: Ctx, action: str, booking_id: int) -> list[Reply]:
    """An officer approves or declines a booking held for approval after no-shows."""
    repo = ctx.bookings
    item = await repo.get(booking_id)
    if item is None or action not in ("ok", "no"):
        return [notice(ctx.t("stale_button"))]
    to = BookingStatus.CONFIRMED if action == "ok" else BookingStatus.DECLINED
    if not await repo.transition(item.id, (BookingStatus.PENDING_APPROVAL,), to, ctx.now):
        return [notice(ctx.t("ro_decided", ref=item.ref,
                             status=ctx.t(f"bk_status_{item.status}"), officer="—"))]
    done = await repo.get(item.id)
    assert done is not None
    lang = await booking.lang_of(ctx, item.user_id)
    if to == BookingStatus.DECLINED:
        await repo.release_seat(item.station_id, item.starts_at)
        await booking.offer_next(ctx, item.station_id, item.starts_at)
        await booking.note_on_request(ctx, done, "visit_event_declined", side="staff")
    key = "ro_approved" if to == BookingStatus.CONFIRMED else "ro_declined"
    await ctx.send(item.user_id, t(lang, key, details=booking.booking_text(ctx, lang, done)),
                   ref=("booking", item.id))
    if to == BookingStatus.CONFIRMED:
        # Now it is a visit: the calendar file it did not get while it waited.
        await ctx.send_upload(item.user_id, booking.ics_for(ctx, lang, done),
                              ref=("booking", item.id))
    officer = ctx.user.first_name or str(ctx.user.id)
    return [Reply(ctx.t("ro_decided", ref=done.ref, status=ctx.t(f"bk_status_{done.status}"),
                        officer=officer), edit=True)]


async def morning_roster(rt: Runtime) -> None:
    """At 08:00 station time, the staff group gets the day's visits, once per station a day.

    Sent only on days with visits (an empty list is noise); the outbox's dedupe key keeps it
    to one message however many replicas or restarts try.
    """
    chat = rt.settings.staff_chat_id
    if chat is None:
        return
    now = rt.clock.now()
    # (station, day) rosters already sent, and the minute each station was last looked at,
    # so an idle day costs one query a minute rather than one a tick.
    memory: dict[str, Any] = rt.state.setdefault("roster", {})
    sent: set[tuple[str, dt.date]] = memory.setdefault("sent", set())
    looked: dict[str, int] = memory.setdefault("looked", {})
    for station in rt.cat.stations:
        if not station.windows:
            continue
        day = schedule.local_day(station, now)
        if (station.id, day) in sent or now < schedule.roster_moment(station, day):
            continue
        minute = schedule.minute_key(now)
        if looked.get(station.id) == minute:
            continue
        looked[station.id] = minute
        start, end = _day_bounds(station, day)
        async with rt.db.reader() as session:
            reading = Ctx(rt, session, Actor(user_id=0, chat_id=0), SYSTEM_USER, now)
            if not await Bookings(session).seated_between(station.id, start, end) \
                    and not await _more_lines(reading, station, day, "zh"):
                continue
        async with background_work(rt) as ctx:
            reply, _ = await day_roster(ctx, "zh", station, day)
            await ctx.send(chat, reply.text, buttons=reply.buttons, thread_id=station.topic_id,
                           dedupe_key=f"roster:{station.id}:{day.isoformat()}", bulk=True)
        sent.add((station.id, day))

