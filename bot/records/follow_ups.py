"""跟踪服务: an officer schedules a follow-up on a company; on its day it is in their /mine and
in the morning roster, with Done and Move buttons; overdue, the group and admins are told once.

Days are the bureau's calendar days (the catalogue's default time zone).
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.catalogue import Station
from bot.core.context import Ctx, background_work
from bot.core.display import STAFF_LANG, mention, parse_id
from bot.core.jobs import due_every
from bot.core.payloads import RECORD
from bot.core.replies import Button, Reply, notice
from bot.core.runtime import Runtime
from bot.core.timeline import FOLLOW_UP, FOLLOW_UP_DONE, FOLLOW_UP_MOVED, on_record
from bot.records.dates import parse_day
from bot.records.find import one_company
from bot.texts import Raw, t
from storage.records.repo import OPEN_FOLLOW_UP, FollowUpDTO, Records

TEXT_LIMIT = 300
MOVE_BY = timedelta(weeks=1)
# Further ahead than this is a typo more often than a plan.
HORIZON = timedelta(days=3 * 366)
CHECK_EVERY = timedelta(minutes=1)


def today(ctx: Ctx) -> date:
    return ctx.now.astimezone(ZoneInfo(ctx.cat.defaults.timezone)).date()


def day_text(lang: str, day: date) -> str:
    """``12月15日（周二）`` in running text."""
    return t(lang, "gr_day", month=day.month, day=day.day, weekday=t(lang, f"wd_{day.weekday()}"))


async def follow_up_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """``/followup <company> <day> <what>``."""
    if len(args) < 3:
        return [Reply(ctx.t("gr_follow_up_usage"))]
    found = await one_company(ctx, args[0])
    if isinstance(found, Reply):
        return [found]
    first = today(ctx)
    day = parse_day(args[1], first)
    if day is None:
        return [Reply(ctx.t("gr_follow_up_bad_day", day=args[1]))]
    if day < first:
        return [Reply(ctx.t("gr_follow_up_past", day=day_text(ctx.lang, day)))]
    if day - first > HORIZON:
        return [Reply(ctx.t("gr_follow_up_far"))]
    text = " ".join(args[2:]).strip()
    if len(text) > TEXT_LIMIT:
        return [Reply(ctx.t("gr_follow_up_too_long", limit=TEXT_LIMIT))]
    name = ctx.user.first_name or str(ctx.user.id)
    await ctx.records.add_follow_up(found.id, ctx.user.id, name, day, text, ctx.now)
    await on_record(ctx, found.id, FOLLOW_UP, f"{day:%Y-%m-%d} {text}", staff_only=True)
    return [Reply(ctx.t("gr_follow_up_set", day=day_text(ctx.lang, day), company=found.name,
                        text=text))]


def _item(ctx: Ctx, item: FollowUpDTO, company: str, *, edit: bool = False) -> Reply:
    late = item.due_on < today(ctx)
    text = ctx.t("gr_follow_up_item_late" if late else "gr_follow_up_item",
                 day=day_text(ctx.lang, item.due_on), company=company, text=item.text)
    if item.request_id is not None:
        text += "\n" + ctx.t("gr_return_visit_how", id=item.id)
    return Reply(text, edit=edit, buttons=((
        Button(ctx.t("gr_btn_done"), f"{RECORD}fd:{item.id}"),
        Button(ctx.t("gr_btn_move"), f"{RECORD}fm:{item.id}:{item.due_on:%Y%m%d}"),
    ),))


async def officer_items(ctx: Ctx) -> list[Reply]:
    """For /mine: this officer's follow-ups due today or earlier, one message each."""
    due = await ctx.records.due_for_officer(ctx.user.id, today(ctx))
    companies = await ctx.companies.many({f.company_id for f in due})
    return [_item(ctx, f, companies[f.company_id].name if f.company_id in companies else "?")
            for f in due]


async def roster_lines(ctx: Ctx, station: Station, day: date, lang: str) -> list[str]:
    """For the day's roster: follow-ups due that day (or overdue) on the station's companies."""
    due = await ctx.records.due_for_station(station.id, day)
    if not due:
        return []
    companies = await ctx.companies.many({f.company_id for f in due})
    return [t(lang, "gr_roster_follow_up",
              company=companies[f.company_id].name if f.company_id in companies else "?",
              text=f.text, officer=f.officer_name or "—") for f in due]


async def _load(ctx: Ctx, raw: str) -> FollowUpDTO | None:
    follow_up_id = parse_id(raw)
    return await ctx.records.follow_up(follow_up_id) if follow_up_id is not None else None


async def finish(ctx: Ctx, raw_id: str) -> list[Reply]:
    item = await _load(ctx, raw_id)
    if item is None:
        return [notice(ctx.t("stale_button"))]
    if item.request_id is not None and item.status == OPEN_FOLLOW_UP:
        # A 回访 is closed with what came of it: the command takes the outcome.
        return [Reply(ctx.t("gr_return_visit_how", id=item.id))]
    if not await ctx.records.finish(item.id, ctx.now):
        return [notice(ctx.t("gr_follow_up_handled"))]
    company = await ctx.companies.get(item.company_id)
    name = company.name if company else "?"
    await on_record(ctx, item.company_id, FOLLOW_UP_DONE, item.text, staff_only=True)
    return [Reply(ctx.t("gr_follow_up_done", company=name, text=item.text,
                        who=ctx.user.first_name or "—"), edit=True)]


async def move(ctx: Ctx, raw_id: str, raw_day: str) -> list[Reply]:
    """Move on a week from the day the button showed (from today, for one already late); a
    second press changes nothing."""
    item = await _load(ctx, raw_id)
    seen = _day_of(raw_day)
    if item is None or seen is None:
        return [notice(ctx.t("stale_button"))]
    new_day = max(seen, today(ctx)) + MOVE_BY
    if not await ctx.records.move(item.id, seen, new_day):
        return [notice(ctx.t("gr_follow_up_handled"))]
    company = await ctx.companies.get(item.company_id)
    name = company.name if company else "?"
    await on_record(ctx, item.company_id, FOLLOW_UP_MOVED, f"{new_day:%Y-%m-%d} {item.text}",
                    staff_only=True)
    return [Reply(ctx.t("gr_follow_up_moved", company=name, text=item.text,
                        day=day_text(ctx.lang, new_day)), edit=True)]


def _day_of(raw: str) -> date | None:
    if len(raw) != 8 or not raw.isascii() or not raw.isdigit():
        return None
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


async def escalate_overdue(rt: Runtime) -> None:
    """A follow-up whose day passed undone is announced in the staff group and sent to the
    admins, once: the conditional mark and the outbox's dedupe keys keep it to one."""
    if not due_every(rt, "follow_up_escalations", CHECK_EVERY):
        return
    chat = rt.settings.staff_chat_id
    # Looked for with a reader first: most minutes nothing is overdue, and on SQLite a write
    # transaction every minute would hold up the people using the bot.
    day = rt.clock.now().astimezone(ZoneInfo(rt.cat.defaults.timezone)).date()
    async with rt.db.reader() as session:
        if not await Records(session).overdue(day):
            return
    async with background_work(rt) as ctx:
        overdue = await ctx.records.overdue(day)
        staff_chat = await ctx.staff_chat() if chat is not None else None
        companies = await ctx.companies.many({f.company_id for f in overdue})
        people = [(a, await ctx.users.get(a)) for a in sorted(ctx.settings.admin_ids)]
        admins = "、".join(mention(a, user.first_name if user and user.first_name
                                   else t(STAFF_LANG, "admin_word")) for a, user in people)
        for item in overdue:
            if not await ctx.records.mark_escalated(item.id, ctx.now):
                continue
            company = companies.get(item.company_id)
            name = company.name if company else "?"
            values = {"company": name, "text": item.text, "officer": item.officer_name or "—"}
            key = f"fu:{item.id}:{item.due_on:%Y%m%d}:escalate"
            if staff_chat is not None:
                station = ctx.cat.station(company.station_id) if company else None
                await ctx.send(staff_chat, t(
                    STAFF_LANG, "gr_follow_up_escalate", admins=Raw(admins or "—"),
                    day=day_text(STAFF_LANG, item.due_on), **values),
                    thread_id=station.topic_id if station else None, dedupe_key=key,
                    buttons=_item(ctx, item, name).buttons)
            for admin_id, user in people:
                lang = user.language if user else STAFF_LANG
                await ctx.send(admin_id, t(lang, "gr_follow_up_escalate_private",
                                           day=day_text(lang, item.due_on), **values),
                               dedupe_key=f"{key}:{admin_id}")
