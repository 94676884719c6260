"""Events, the company's side: the list, an event's card, signing up (with the waiting list),
cancelling, and the pass (the .ics and the check-in QR code).

Every change runs inside the caller's unit of work. Seats are taken by a conditional UPDATE
(``taken + n <= capacity``) and one company holds one live registration per event by a unique
key, so the database settles each race on SQLite and on PostgreSQL alike. A freed seat goes to
the waiting list in the same transaction that freed it, in order of joining.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import secrets
from dataclasses import dataclass

from bot.catalogue.model import Event
from bot.core import engine, payloads
from bot.core.context import Ctx
from bot.core.replies import Button, FileOut, Reply, notice
from bot.core.timeline import on_record
from bot.events import common
from bot.events.common import lang_of
from bot.events.ics import event_ics
from bot.texts import Raw, t
from storage.companies.dto import CompanyDTO
from storage.events.repo import RegistrationDTO
from storage.events.status import LIVE, RegistrationStatus

NAME_LIMIT = 40
# A day and two hours before: the reminders (bot.events.jobs).
DAY_BEFORE = dt.timedelta(days=1)
HOURS_BEFORE = dt.timedelta(hours=2)
_NAME_SPLIT = re.compile(r"[\n,，、;；]+")


class _Abort(Exception):
    """Roll the attempt back to its savepoint and answer with this problem."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a sign-up: the registration, or why not.

    ``problem`` is one of gone, cancelled, closed, seats, already, full.
    """

    registration: RegistrationDTO | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.registration is not None and self.problem is None


def parse_names(text: str) -> list[str]:
    """The attendees' names: one per line (commas and 、 also part them)."""
    return [" ".join(n.split()) for n in _NAME_SPLIT.split(text) if n.strip()]


def new_token() -> str:
    """The unguessable secret of a check-in pass (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def pass_link(ctx: Ctx, registration: RegistrationDTO) -> str | None:
    """The deep link a pass's QR code opens; None when the bot's name is not known."""
    username = ctx.rt.bot_username or ctx.settings.bot_username
    if not username:
        return None
    return f"https://t.me/{username}?start={common.LINK_PREFIX}{registration.token}"


def qr_png(link: str) -> bytes:
    """The pass as a PNG QR code (error correction Q: phone screens get scratched)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make_qr(link, error="q", boost_error=False).save(out, kind="png", scale=10, border=4)
    return out.getvalue()


def ics_for(ctx: Ctx, lang: str, event: Event, registration: RegistrationDTO, *,
            cancelled: bool = False) -> FileOut:
    return event_ics(
        event=event, registration_id=registration.id, sequence=registration.sequence,
        place=common.place_text(ctx, lang, event),
        # A calendar is plain text: t() escaped the names for HTML.
        description=html.unescape(t(lang, "ev_ics_description", ref=registration.ref,
                                    names="、".join(registration.attendees))),
        stamp=ctx.now, lang=lang, day=common.local_day(event, event.start).isoformat(),
        cancelled=cancelled)


async def send_pass(ctx: Ctx, lang: str, event: Event, registration: RegistrationDTO) -> None:
    """Queue the calendar file and the check-in QR code to the person who signed up."""
    await ctx.send_upload(registration.user_id, ics_for(ctx, lang, event, registration),
                          ref=("ev_registration", registration.id))
    link = pass_link(ctx, registration)
    if link is not None:
        await ctx.send_upload(
            registration.user_id, FileOut(f"{registration.ref}.png", qr_png(link), "image/png"),
            caption=t(lang, "ev_qr_caption", ref=registration.ref,
                      title=event.title.get(lang), link=link),
            ref=("ev_registration", registration.id), photo=True)


# -- reading ---------------------------------------------------------------------------------
async def _seats_left(ctx: Ctx, event: Event) -> int:
    taken = await ctx.registrations.taken([event.id])
    return common.seats_left(event, taken.get(event.id, 0))


async def upcoming_for(ctx: Ctx, company: CompanyDTO) -> list[tuple[Event, RegistrationDTO | None]]:
    """Events ahead meant for the company, and those it registered for, in time order."""
    mine = {r.event_id: r for r in await ctx.registrations.of_company(company.id)}
    found: list[tuple[Event, RegistrationDTO | None]] = []
    for event in ctx.cat.events:
        if event.end <= ctx.now:
            continue
        registration = mine.get(event.id)
        if registration is not None or (
                not event.cancelled and event.start > ctx.now
                and await common.visible(ctx, event, company)):
            found.append((event, registration))
    return sorted(found, key=lambda pair: pair[0].start)


async def profile_lines(ctx: Ctx, company: CompanyDTO) -> list[str]:
    """On the company's /profile: the events ahead it signed up or waits for."""
    items = [
        ctx.t(f"ev_profile_{registration.status}",
              day=common.day_text(ctx.lang, event, event.start), title=event.title.get(ctx.lang),
              seats=registration.seats)
        for event, registration in await upcoming_for(ctx, company)
        if registration is not None
    ]
    return [ctx.t("ev_profile_head") + "\n" + "\n".join(items)] if items else []


async def events_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """/events: the events meant for the company, each a button to its card."""
    company = await ctx.company()
    if company is None:
        return [Reply(ctx.t("ev_register_first"))]
    return [await list_screen(ctx, company, edit=False)]


async def list_screen(ctx: Ctx, company: CompanyDTO, *, edit: bool) -> Reply:
    pairs = await upcoming_for(ctx, company)
    if not pairs:
        return Reply(ctx.t("ev_none"), edit=edit)
    rows = []
    for event, registration in pairs:
        mark = ""
        if registration is not None:
            mark = ctx.t(f"ev_mark_{registration.status}")
        label = (f"{mark}{common.local(event, event.start):%m-%d} "
                 f"{event.title.get(ctx.lang)}")
        rows.append((Button(label, f"{payloads.EVENT}v:{event.id}"),))
    return Reply(ctx.t("ev_list"), buttons=tuple(rows), edit=edit)


async def card(ctx: Ctx, company: CompanyDTO, event_id: str, *, edit: bool = True) -> list[Reply]:
    """An event's card with what the company may do: sign up, wait, cancel, get its pass."""
    event = ctx.cat.event(event_id)
    registration = await ctx.registrations.live_for(event_id, company.id) if event else None
    if event is None or (registration is None and not await common.visible(ctx, event, company)):
        return [notice(ctx.t("ev_gone"), alert=True), await list_screen(ctx, company, edit=edit)]
    left = await _seats_left(ctx, event)
    text = common.details(ctx, ctx.lang, event, seats_left=left)
    rows: list[tuple[Button, ...]] = []
    open_ = not event.cancelled and ctx.now < event.signup_deadline
    if event.cancelled:
        text = Raw(text + "\n\n" + ctx.t("ev_is_cancelled"))
    elif registration is not None:
        text = Raw(text + "\n\n" + ctx.t(f"ev_you_are_{registration.status}",
                                         line=common.registration_text(ctx.lang, registration)))
        if registration.status == RegistrationStatus.CONFIRMED:
            rows.append((Button(ctx.t("ev_btn_pass"),
                                f"{payloads.EVENT}p:{registration.id}"),))
        if open_:
            rows.append((Button(ctx.t(f"ev_btn_cancel_{registration.status}"),
                                f"{payloads.EVENT}x:{registration.id}"),))
    elif not open_:
        text = Raw(text + "\n\n" + ctx.t("ev_closed"))
    elif left > 0 and not await ctx.registrations.has_waiting(event.id):
        rows.append((Button(ctx.t("ev_btn_sign_up"), f"{payloads.EVENT}s:{event.id}"),))
    else:
        text = Raw(text + "\n\n" + ctx.t("ev_full"))
        rows.append((Button(ctx.t("ev_btn_wait"), f"{payloads.EVENT}s:{event.id}"),))
    rows.append((Button(ctx.t("ev_btn_back"), f"{payloads.EVENT}l"),))
    return [Reply(text, buttons=tuple(rows), edit=edit)]


# -- signing up ------------------------------------------------------------------------------
async def check_open(ctx: Ctx, company: CompanyDTO,
                     event_id: str) -> tuple[Event | None, str | None]:
    """The event if the company may sign up for it now, else why not."""
    event = ctx.cat.event(event_id)
    if event is None or not await common.visible(ctx, event, company):
        return None, "gone"
    if event.cancelled:
        return event, "cancelled"
    if ctx.now >= event.signup_deadline:
        return event, "closed"
    if await ctx.registrations.live_for(event.id, company.id) is not None:
        return event, "already"
    return event, None


async def sign_up(ctx: Ctx, *, company: CompanyDTO, user_id: int, event_id: str,
                  names: list[str], wait: bool) -> Outcome:
    """Take seats for ``names`` at the event, or (with ``wait``) a place on its waiting list.

    A full event (or one with companies already waiting: they come first) answers ``full``
    unless ``wait``. The rules are checked again here, whatever the screen showed.
    """
    event, problem = await check_open(ctx, company, event_id)
    if problem is not None or event is None:
        return Outcome(problem=problem or "gone")
    if not 1 <= len(names) <= event.seats_per_company or any(
            len(n) > NAME_LIMIT for n in names):
        return Outcome(problem="seats")
    values = {
        "event_id": event.id, "company_id": company.id, "user_id": user_id,
        "seats": len(names), "attendees": "\n".join(names), "token": new_token(),
        "told_version": event.version, "sequence": 0, "created_at": ctx.now,
        "updated_at": ctx.now,
        # Signed up after a reminder's time: that reminder would only repeat the confirmation.
        "day_reminded_at": ctx.now if event.start - DAY_BEFORE <= ctx.now else None,
        "hour_reminded_at": ctx.now if event.start - HOURS_BEFORE <= ctx.now else None,
    }
    repo = ctx.registrations
    try:
        async with ctx.savepoint():
            queued = await repo.has_waiting(event.id)
            if not queued and await repo.take_seats(event.id, len(names), event.capacity):
                status = RegistrationStatus.CONFIRMED
            elif wait:
                status = RegistrationStatus.WAITING
            else:
                raise _Abort("full")
            registration_id = await repo.insert({**values, "status": status.value})
            if registration_id is None:
                raise _Abort("already")  # the same company, a moment earlier
    except _Abort as exc:
        return Outcome(problem=exc.problem)
    registration = await repo.get(registration_id)
    assert registration is not None
    kind = common.SIGNED_UP if status == RegistrationStatus.CONFIRMED else common.WAITING
    await on_record(ctx, company.id, kind, common.staff_title(event),
                    ref=("ev_registration", registration.id))
    return Outcome(registration)


async def confirmation(ctx: Ctx, event: Event, registration: RegistrationDTO) -> list[Reply]:
    """What the person reads once signed up, or placed on the waiting list.

    A confirmation goes through the outbox with the pass after it, so the three arrive in
    this order (the outbox keeps a chat's order; a direct answer would race it).
    """
    line = common.registration_text(ctx.lang, registration)
    if registration.status == RegistrationStatus.WAITING:
        return [Reply(ctx.t("ev_waiting", title=event.title.get(ctx.lang), line=line))]
    await ctx.send(ctx.actor.chat_id,
                   ctx.t("ev_confirmed", line=line) + "\n\n" + common.details(ctx, ctx.lang, event),
                   ref=("ev_registration", registration.id))
    await send_pass(ctx, ctx.lang, event, registration)
    return []


def problem_text(ctx: Ctx, problem: str, event: Event | None) -> str:
    if problem == "seats" and event is not None:
        return ctx.t("ev_seats_problem", most=event.seats_per_company, limit=NAME_LIMIT)
    return ctx.t(f"ev_problem_{problem}")


# -- cancelling and the waiting list ---------------------------------------------------------
async def promote(ctx: Ctx, event: Event) -> list[RegistrationDTO]:
    """Give freed seats to the waiting list, in order of joining, while the first fits."""
    promoted: list[RegistrationDTO] = []
    if event.cancelled or event.start <= ctx.now:
        return promoted
    repo = ctx.registrations
    while (head := await repo.next_waiting(event.id)) is not None:
        if not await repo.take_seats(event.id, head.seats, event.capacity):
            break
        values = {}
        if event.start - DAY_BEFORE <= ctx.now:
            values["day_reminded_at"] = ctx.now
        if event.start - HOURS_BEFORE <= ctx.now:
            values["hour_reminded_at"] = ctx.now
        if not await repo.transition(head.id, (RegistrationStatus.WAITING,),
                                     RegistrationStatus.CONFIRMED, ctx.now, **values):
            await repo.release_seats(event.id, head.seats)
            continue
        now_confirmed = await repo.get(head.id)
        assert now_confirmed is not None
        await on_record(ctx, head.company_id, common.CONFIRMED, common.staff_title(event),
                        ref=("ev_registration", head.id), by_bot=True)
        promoted.append(now_confirmed)
        if head.user_id == 0:
            continue  # the person who signed up asked to be forgotten
        lang = await lang_of(ctx, head.user_id)
        await ctx.send(head.user_id, t(lang, "ev_promoted", title=event.title.get(lang),
                                       line=common.registration_text(lang, now_confirmed)),
                       ref=("ev_registration", head.id),
                       dedupe_key=f"ev:{head.id}:promoted")
        await send_pass(ctx, lang, event, now_confirmed)
    return promoted


async def cancel(ctx: Ctx, company: CompanyDTO, registration_id: int) -> list[Reply]:
    """The company gives up its places (or its place on the waiting list) before the
    deadline; freed seats go to the waiting list at once."""
    repo = ctx.registrations
    registration = await repo.get(registration_id)
    if registration is None or registration.company_id != company.id:
        return [notice(ctx.t("stale_button"))]
    event = ctx.cat.event(registration.event_id)
    if registration.status not in LIVE or event is None:
        return [notice(ctx.t("ev_problem_not_live"), alert=True)]
    if ctx.now >= event.signup_deadline:
        return [notice(ctx.t("ev_problem_too_late"), alert=True)]
    if not await repo.transition(registration.id, LIVE, RegistrationStatus.CANCELLED, ctx.now,
                                 sequence=registration.sequence + 1):
        return [notice(ctx.t("ev_problem_not_live"), alert=True)]
    if registration.status == RegistrationStatus.CONFIRMED:
        await repo.release_seats(event.id, registration.seats)
        await promote(ctx, event)
        gone = await repo.get(registration.id)
        assert gone is not None
        await ctx.send_upload(ctx.actor.chat_id, ics_for(ctx, ctx.lang, event, gone,
                                                         cancelled=True))
    await on_record(ctx, company.id, common.CANCELLED, common.staff_title(event),
                    ref=("ev_registration", registration.id))
    return [Reply(ctx.t("ev_cancelled_done", title=event.title.get(ctx.lang)), edit=True)]


async def resend_pass(ctx: Ctx, company: CompanyDTO, registration_id: int) -> list[Reply]:
    registration = await ctx.registrations.get(registration_id)
    if registration is None or registration.company_id != company.id:
        return [notice(ctx.t("stale_button"))]
    event = ctx.cat.event(registration.event_id)
    if event is None or registration.status != RegistrationStatus.CONFIRMED:
        return [notice(ctx.t("ev_problem_not_live"), alert=True)]
    await send_pass(ctx, ctx.lang, event, registration)
    return [notice(ctx.t("ev_pass_sent"))]


async def press(ctx: Ctx, data: str) -> list[Reply]:
    """The company's event buttons: list, card, sign up, cancel, pass. Any may be forged."""
    company = await ctx.company()
    if company is None:
        return [notice(ctx.t("ev_register_first"), alert=True)]
    action, _, ident = data.removeprefix(payloads.EVENT).partition(":")
    if action == "l":
        return [await list_screen(ctx, company, edit=True)]
    if action == "v":
        return await card(ctx, company, ident)
    if action == "s":
        return [Reply("", record_choice=True), *await engine.begin(ctx, "ev", event=ident)]
    if action in ("x", "p") and ident.isdigit():
        if action == "x":
            return await cancel(ctx, company, int(ident))
        return await resend_pass(ctx, company, int(ident))
    return [notice(ctx.t("stale_button"))]
