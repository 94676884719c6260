"""Events, the officers' side: check-in by scanning a pass, the attendee list with its 已到
buttons, and the spreadsheet of registrations and attendance.

A pass is a deep link ``/start ev-<token>`` opened in an officer's own chat (the one staff act
designed for a private chat: they scan at the door). The Telegram side asks whether the person
is staff before the unit of work opens; attendance is written by a conditional update, so a
second scan or a press on the list finds it done.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re

from bot.catalogue.model import Event, Station
from bot.core import display, payloads
from bot.core.context import Ctx
from bot.core.replies import XLSX, Button, FileOut, Reply, notice
from bot.core.timeline import on_record
from bot.events import common
from bot.events.common import lang_of
from bot.texts import Raw, t
from storage.events.repo import RegistrationDTO
from storage.events.status import RegistrationStatus

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,40}$")
# Buttons under one attendee list (Telegram takes 100 per message).
MAX_BUTTONS = 60


def _today(ctx: Ctx, event: Event) -> bool:
    return common.local_day(event, ctx.now) == common.local_day(event, event.start)


async def _attend(ctx: Ctx, event: Event, registration: RegistrationDTO) -> str | None:
    """Record attendance and tell the company; the problem's text key when it cannot be."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return f"ev_scan_{registration.status}"
    if event.cancelled:
        return "ev_scan_event_cancelled"
    if not _today(ctx, event):
        return "ev_scan_wrong_day"
    if not await ctx.registrations.mark_attended(registration.id, ctx.user.id, ctx.now):
        return "ev_scan_already"
    await on_record(ctx, registration.company_id, common.ATTENDED, common.staff_title(event),
                    ref=("ev_registration", registration.id))
    lang = await lang_of(ctx, registration.user_id)
    await ctx.send(registration.user_id,
                   t(lang, "ev_checked_in_company", title=event.title.get(lang),
                     line=common.registration_text(lang, registration)),
                   ref=("ev_registration", registration.id),
                   dedupe_key=f"ev:{registration.id}:attended")
    return None


def _problem(ctx: Ctx, key: str, event: Event, registration: RegistrationDTO) -> str:
    if key == "ev_scan_wrong_day":
        return ctx.t(key, day=common.day_text(ctx.lang, event, event.start))
    if key == "ev_scan_already" and registration.attended_at is not None:
        return ctx.t("ev_scan_already_at",
                     time=f"{common.local(event, registration.attended_at):%H:%M}")
    return ctx.t(key)


async def scan(ctx: Ctx, token: str, *, officer: bool) -> list[Reply]:
    """An officer opened a pass: mark the registration attended, if it is today's."""
    if not officer:
        return [Reply(ctx.t("ev_scan_not_officer"))]
    registration = (await ctx.registrations.by_token(token)
                    if _TOKEN_RE.match(token) else None)
    event = ctx.cat.event(registration.event_id) if registration else None
    if registration is None or event is None:
        return [Reply(ctx.t("ev_scan_unknown"))]
    company = await ctx.companies.get(registration.company_id)
    name = company.name if company else "—"
    problem = await _attend(ctx, event, registration)
    if problem is not None:
        fresh = await ctx.registrations.get(registration.id) or registration
        return [Reply(ctx.t("ev_scan_for", company=name, title=event.title.get(ctx.lang))
                      + "\n" + _problem(ctx, problem, event, fresh))]
    return [Reply(ctx.t("ev_checked_in", company=name, title=event.title.get(ctx.lang),
                        line=common.registration_text(ctx.lang, registration)))]


# -- the day's roster and the attendee list --------------------------------------------------
async def roster_lines(ctx: Ctx, station: Station, day: dt.date, lang: str) -> list[str]:
    """For a station's day roster (and the 08:00 list): the events held there that day."""
    events = [e for e in ctx.cat.events if e.station == station.id and not e.cancelled
              and common.local_day(e, e.start) == day]
    if not events:
        return []
    taken = await ctx.registrations.taken(e.id for e in events)
    return [t(lang, "ev_roster_today", start=f"{common.local(e, e.start):%H:%M}",
              end=f"{common.local(e, e.end):%H:%M}", title=e.title.get(lang),
              seats=taken.get(e.id, 0), capacity=e.capacity, id=e.id)
            for e in sorted(events, key=lambda e: e.start)]


def find_event(ctx: Ctx, arg: str) -> list[Event]:
    """Events by id, or by any part of the title in either language."""
    wanted = arg.strip().lower()
    exact = [e for e in ctx.cat.events if e.id == wanted]
    if exact:
        return exact
    return [e for e in ctx.cat.events
            if wanted and (wanted in e.title.zh.lower() or wanted in (e.title.en or "").lower())]


async def attendees(ctx: Ctx, args: list[str]) -> list[Reply]:
    """/attendees [event]: the list of an event, or the events to choose from."""
    lang = display.STAFF_LANG
    if not args:
        return [await _choose(ctx)]
    found = find_event(ctx, " ".join(args))
    if len(found) != 1:
        choose = await _choose(ctx)
        key = "ev_staff_unknown" if not found else "ev_staff_ambiguous"
        return [Reply(t(lang, key, query=" ".join(args)) + "\n\n" + choose.text,
                      buttons=choose.buttons)]
    return [await roster(ctx, found[0], edit=False)]


async def _choose(ctx: Ctx) -> Reply:
    lang = display.STAFF_LANG
    events = sorted((e for e in ctx.cat.events if e.end > ctx.now - dt.timedelta(days=1)),
                    key=lambda e: e.start)
    if not events:
        return Reply(t(lang, "ev_staff_none"))
    taken = await ctx.registrations.taken(e.id for e in events)
    rows = tuple(
        (Button(f"{common.local(e, e.start):%m-%d} {e.title.get(lang)} "
                f"（{taken.get(e.id, 0)}/{e.capacity}）",
                f"{payloads.EVENT_STAFF}r:{e.id}"),)
        for e in events)
    return Reply(t(lang, "ev_staff_choose"), buttons=rows)


async def roster(ctx: Ctx, event: Event, *, edit: bool) -> Reply:
    """Who is coming to the event, who is here, and a 已到 button for each one not yet."""
    lang = display.STAFF_LANG
    rows = await ctx.registrations.roster(event.id)
    confirmed = [(r, n) for r, n in rows if r.status == RegistrationStatus.CONFIRMED]
    waiting = [(r, n) for r, n in rows if r.status == RegistrationStatus.WAITING]
    seats = sum(r.seats for r, _ in confirmed)
    here = sum(r.seats for r, _ in confirmed if r.attended_at is not None)
    lines = [t(lang, "ev_roster_head", title=event.title.get(lang),
               when=common.when_text(lang, event), seats=seats, capacity=event.capacity,
               here=here, waiting=len(waiting))]
    if event.cancelled:
        lines.append(t(lang, "ev_is_cancelled"))
    for number, (registration, name) in enumerate(confirmed, 1):
        state = (t(lang, "ev_roster_here",
                   time=f"{common.local(event, registration.attended_at):%H:%M}")
                 if registration.attended_at else t(lang, "ev_roster_not_yet"))
        lines.append(t(lang, "ev_roster_line", n=number, company=name,
                       line=common.registration_text(lang, registration), state=Raw(state)))
    if not confirmed:
        lines.append(t(lang, "ev_roster_empty"))
    for number, (registration, name) in enumerate(waiting, 1):
        lines.append(t(lang, "ev_roster_waiting_line", n=number, company=name,
                       seats=registration.seats))
    buttons: list[tuple[Button, ...]] = []
    if _today(ctx, event) and not event.cancelled:
        for registration, name in confirmed:
            if registration.attended_at is None and len(buttons) < MAX_BUTTONS:
                # A button's label is plain text: t() escaped the name for HTML.
                label = html.unescape(t(lang, "ev_btn_here", company=name[:24]))
                buttons.append((Button(label,
                                       f"{payloads.EVENT_STAFF}in:{registration.id}"),))
    buttons.append((Button(t(lang, "ev_btn_refresh"), f"{payloads.EVENT_STAFF}r:{event.id}"),
                    Button(t(lang, "ev_btn_export"), f"{payloads.EVENT_STAFF}xl:{event.id}")))
    return Reply("\n".join(lines), buttons=tuple(buttons), edit=edit)


async def staff_press(ctx: Ctx, data: str) -> list[Reply]:
    """The attendee list's buttons: show a list, mark someone here, export. Any may be
    forged: ids are looked up again."""
    action, _, ident = data.removeprefix(payloads.EVENT_STAFF).partition(":")
    if action in ("r", "xl"):
        event = ctx.cat.event(ident)
        if event is None:
            return [notice(ctx.t("ev_problem_gone"), alert=True)]
        if action == "r":
            return [await roster(ctx, event, edit=True)]
        return [notice(ctx.t("ev_export_ready")), Reply(
            t(display.STAFF_LANG, "ev_export_caption", title=event.title.get(display.STAFF_LANG)),
            document=FileOut(f"{event.id}.xlsx", await workbook(ctx, event), XLSX))]
    if action == "in" and ident.isdigit():
        registration = await ctx.registrations.get(int(ident))
        event = ctx.cat.event(registration.event_id) if registration else None
        if registration is None or event is None:
            return [notice(ctx.t("stale_button"))]
        problem = await _attend(ctx, event, registration)
        if problem is not None:
            fresh = await ctx.registrations.get(registration.id) or registration
            return [notice(_problem(ctx, problem, event, fresh), alert=True),
                    await roster(ctx, event, edit=True)]
        return [notice(ctx.t("ev_marked")), await roster(ctx, event, edit=True)]
    return [notice(ctx.t("stale_button"))]


async def workbook(ctx: Ctx, event: Event) -> bytes:
    """Every registration of the event, with its attendees and attendance, as .xlsx."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lang = display.STAFF_LANG
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t(lang, "ev_xlsx_sheet")
    titles = [t(lang, f"ev_xlsx_col_{c}") for c in
              ("ref", "company", "seats", "names", "status", "signed_up", "attended")]
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate((12, 32, 8, 30, 10, 18, 18)):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"

    def naive(moment: dt.datetime | None) -> dt.datetime | None:
        # Excel keeps no time zones: the event's local time, without one.
        return None if moment is None else common.local(event, moment).replace(tzinfo=None)

    for registration, name in await ctx.registrations.all_for_event(event.id):
        sheet.append([registration.ref, name, registration.seats,
                      "、".join(registration.attendees),
                      t(lang, f"ev_status_{registration.status}"),
                      naive(registration.created_at), naive(registration.attended_at)])
        for column in (6, 7):
            sheet.cell(sheet.max_row, column).number_format = "yyyy-mm-dd hh:mm"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
