"""Window visits, the domain: book, cancel, reschedule, wait for a seat, remind, displace.

Every change runs inside the caller's unit of work. Seats are taken by a conditional UPDATE
(``taken < seats``), one company holds one seat per slot by a unique key, and a company's
upcoming limit is counted under a lock on its row: the database settles each race, on SQLite
and on PostgreSQL alike. The rules of what may be booked come from :mod:`bot.schedule`, the
same function that lists the slots.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import uuid
from dataclasses import dataclass, field

from bot.catalogue import Station
from bot.core import display, payloads
from bot.core.context import Ctx
from bot.core.display import station_of
from bot.core.replies import Button, FileOut
from bot.core.timeline import VISIT_BOOKED, on_record
from bot.requests import refresh_card
from bot.texts import Raw, t
from bot.visits import schedule
from bot.visits.ics import visit_ics
from bot.visits.schedule import Problem, Slot
from storage.requests.repo import RequestDTO
from storage.visits.repo import BookingDTO
from storage.visits.status import LIVE, BookingStatus

log = logging.getLogger(__name__)


NO_SHOW_WINDOW = dt.timedelta(days=90)


NO_SHOW_LIMIT = 2


NOTE_LIMIT = 500


ALTERNATIVES = 3


class _Abort(Exception):
    """Roll the attempt back to its savepoint and answer with this outcome."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.problem)
        self.outcome = outcome


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of an attempt: the booking, or why not (and what else is free)."""

    booking: BookingDTO | None = None
    problem: str | None = None  # a schedule.Problem value, "taken", "duplicate", "cutoff", …
    alternatives: tuple[Slot, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.booking is not None and self.problem is None


def new_uid() -> str:
    """A calendar event id that stays with the visit through reschedules."""
    return f"{uuid.uuid4().hex}@frontdoor"


# -- presentation helpers -------------------------------------------------------------------
def when_text(lang: str, station: Station, start: dt.datetime, end: dt.datetime) -> str:
    """``2026-12-03 周四 09:00–09:30（北京时间）``: every time says its zone."""
    a, b = schedule.local(station, start), schedule.local(station, end)
    weekday = t(lang, f"wd_{a.weekday()}")
    zone = schedule.zone_label(station, start, lang)
    return (f"{a:%Y-%m-%d} {weekday} {a:%H:%M}–{b:%H:%M}"
            + (f"（{zone}）" if lang == "zh" else f" ({zone})"))


def visit_summary(ctx: Ctx, booking: BookingDTO) -> str:
    """``BK000012 2026-12-03 09:00 上海机器人产业园``: a visit on a company's record."""
    station = station_of(ctx, booking.station_id)
    if station is None:
        return booking.ref
    return (f"{booking.ref} {schedule.local(station, booking.starts_at):%Y-%m-%d %H:%M} "
            f"{station.name.get(display.STAFF_LANG)}")


def day_label(lang: str, day: dt.date) -> str:
    return f"{day:%m-%d} {t(lang, f'wd_{day.weekday()}')}"


def topic_text(ctx: Ctx, lang: str, service_id: str | None) -> str:
    service = ctx.cat.service(service_id) if service_id else None
    return service.name.get(lang) if service else t(lang, "bk_topic_other")


async def lang_of(ctx: Ctx, user_id: int) -> str:
    user = await ctx.users.get(user_id)
    return user.language if user else "zh"


def about_text(ctx: Ctx, lang: str, service_id: str | None, reference: str | None) -> str:
    """The visit's topic, and the request it is about when there is one."""
    topic = topic_text(ctx, lang, service_id)
    return t(lang, "bk_topic_about", topic=topic, reference=reference) if reference else topic


def booking_text(ctx: Ctx, lang: str, booking: BookingDTO, *,
                 reference: str | None = None) -> Raw:
    """The visit's details as HTML: every value escaped once here, so ``t()`` keeps it as is.

    ``reference`` names the request the visit is about, when the caller knows it.
    """
    station = station_of(ctx, booking.station_id)
    if station is None:
        return Raw(t(lang, "bk_line_gone", ref=booking.ref))
    return Raw(t(
        lang, "bk_details", ref=booking.ref, station=station.name.get(lang),
        contact=display.station_contact(station, lang),
        when=when_text(lang, station, booking.starts_at, booking.ends_at),
        topic=about_text(ctx, lang, booking.service_id, reference), note=booking.note or "—",
        status=t(lang, f"bk_status_{booking.status}"),
    ))


def ics_for(ctx: Ctx, lang: str, booking: BookingDTO, *, cancelled: bool = False) -> FileOut:
    station = station_of(ctx, booking.station_id)
    assert station is not None
    return visit_ics(
        uid=booking.ics_uid, sequence=booking.sequence, station=station,
        start=booking.starts_at, end=booking.ends_at,
        summary=t(lang, "bk_ics_summary", station=station.name.get(lang)),
        description=t(lang, "bk_ics_description", ref=booking.ref,
                      topic=topic_text(ctx, lang, booking.service_id)),
        stamp=ctx.now, lang=lang, cancelled=cancelled,
    )


def confirmation(ctx: Ctx, lang: str, booking: BookingDTO, *,
                 reference: str | None = None) -> tuple[str, FileOut]:
    key = "bk_pending" if booking.status == BookingStatus.PENDING_APPROVAL else "bk_confirmed"
    text = t(lang, key) + "\n\n" + booking_text(ctx, lang, booking, reference=reference)
    return text, ics_for(ctx, lang, booking)


# -- reading the schedule -------------------------------------------------------------------
async def upcoming(ctx: Ctx, company_id: int, exclude: int | None = None) -> int:
    return await ctx.bookings.upcoming_count(company_id, ctx.now, exclude)


async def day_view(
    ctx: Ctx, station_id: str, day: dt.date, *, service_id: str | None, upcoming_count: int,
) -> list[tuple[Slot, int]]:
    """The day's open slots with the seats left in each (0: full, waiting list only)."""
    station = station_of(ctx, station_id)
    if station is None:
        return []
    slots = [
        s for s in schedule.slots_on(ctx.cat, station, day)
        if schedule.slot_problem(ctx.cat, station_id, s.start, ctx.now, service_id=service_id,
                                 upcoming=upcoming_count)[1] is None
    ]
    if not slots:
        return []
    taken = await ctx.bookings.taken(station_id, slots[0].start, slots[-1].start)
    return [(s, max(s.seats - taken.get(s.start, 0), 0)) for s in slots]


async def days_view(
    ctx: Ctx, station_id: str, *, service_id: str | None, upcoming_count: int,
) -> list[tuple[dt.date, int]]:
    """The open days within the horizon with the seats left that day (0: full)."""
    days = schedule.bookable_days(ctx.cat, station_id, ctx.now, service_id=service_id,
                                  upcoming=upcoming_count)
    if not days:
        return []
    first = next(iter(days.values()))[0].start
    last = list(days.values())[-1][-1].start
    taken = await ctx.bookings.taken(station_id, first, last)
    return [
        (day, sum(max(s.seats - taken.get(s.start, 0), 0) for s in slots))
        for day, slots in days.items()
    ]


async def alternatives(
    ctx: Ctx, station_id: str, near: dt.datetime, *, service_id: str | None,
    upcoming_count: int = 0, limit: int = ALTERNATIVES,
) -> tuple[Slot, ...]:
    """The free slots at the station nearest in time to ``near``."""
    days = schedule.bookable_days(ctx.cat, station_id, ctx.now, service_id=service_id,
                                  upcoming=upcoming_count)
    slots = [s for day_slots in days.values() for s in day_slots if s.start != near]
    if not slots:
        return ()
    taken = await ctx.bookings.taken(station_id, slots[0].start, slots[-1].start)
    free = [s for s in slots if taken.get(s.start, 0) < s.seats]
    free.sort(key=lambda s: (abs((s.start - near).total_seconds()), s.start))
    return tuple(sorted(free[:limit], key=lambda s: s.start))


# -- booking ----------------------------------------------------------------------------------
async def book(
    ctx: Ctx, *, company_id: int, user_id: int, station_id: str, start: dt.datetime,
    service_id: str | None = None, note: str | None = None, request_id: int | None = None,
    reschedule_of: int | None = None, carried_request: int | None = None,
) -> Outcome:
    """Take a seat for the company, or say why not; a reschedule swaps seats atomically.

    ``request_id`` must name an open request of the company, unless the visit carries it
    over from the visit it replaces (a reschedule, or ``carried_request`` after a closure).
    """
    try:
        async with ctx.savepoint():
            return await _book(ctx, company_id=company_id, user_id=user_id,
                               station_id=station_id, start=start, service_id=service_id,
                               note=note, request_id=request_id, reschedule_of=reschedule_of,
                               carried_request=carried_request)
    except _Abort as abort:
        outcome = abort.outcome
    if outcome.problem in ("taken", Problem.LIMIT.value) or outcome.problem is None:
        alts = await alternatives(ctx, station_id, start, service_id=service_id,
                                  upcoming_count=0)
        outcome = Outcome(outcome.booking, outcome.problem, alts)
    return outcome


async def _book(
    ctx: Ctx, *, company_id: int, user_id: int, station_id: str, start: dt.datetime,
    service_id: str | None, note: str | None, request_id: int | None,
    reschedule_of: int | None, carried_request: int | None,
) -> Outcome:
    bookings = ctx.bookings
    await bookings.lock_company(company_id)
    old: BookingDTO | None = None
    if reschedule_of is not None:
        old = await bookings.get(reschedule_of)
        if old is None or old.company_id != company_id or old.status not in LIVE:
            raise _Abort(Outcome(problem="gone"))
        if not can_cancel(ctx, old):
            raise _Abort(Outcome(old, problem="cutoff"))
        if old.station_id == station_id and old.starts_at == start:
            raise _Abort(Outcome(old, problem="same"))
        carried_request = old.request_id
    if request_id is not None and request_id != carried_request and (
            await ctx.requests.open_of_company(request_id, company_id,
                                                     hold=True) is None):
        # A forged or stale topic, or the request was closed while the person chose a time.
        raise _Abort(Outcome(problem="request"))
    count = await bookings.upcoming_count(company_id, ctx.now, exclude=reschedule_of)
    slot, problem = schedule.slot_problem(ctx.cat, station_id, start, ctx.now,
                                          service_id=service_id, upcoming=count)
    if problem is not None or slot is None:
        raise _Abort(Outcome(problem=(problem or Problem.NO_SLOT).value))
    existing = await bookings.live_for_slot(company_id, station_id, start)
    if existing is not None:
        raise _Abort(Outcome(existing, problem="duplicate"))
    if old is not None:
        await bookings.lock_slots(sorted([(station_id, start), (old.station_id, old.starts_at)],
                                         key=lambda s: (s[0], s[1])))
    if not await bookings.take_seat(station_id, start, slot.seats):
        raise _Abort(Outcome(problem="taken"))
    status = (BookingStatus.PENDING_APPROVAL if await _needs_approval(ctx, company_id)
              else BookingStatus.CONFIRMED)
    booking_id = await _insert_booking(
        ctx, slot, company_id=company_id, user_id=user_id, service_id=service_id,
        status=status, note=note, request_id=request_id, ics_uid=old.ics_uid if old else None,
        sequence=old.sequence + 1 if old else 0,
    )
    if booking_id is None:
        # A second tap got here between our look and the insert: the key kept one seat.
        raise _Abort(Outcome(await bookings.live_for_slot(company_id, station_id, start),
                             problem="duplicate"))
    if old is not None:
        if not await bookings.transition(old.id, LIVE, BookingStatus.CANCELLED, ctx.now,
                                         cancel_reason="rescheduled"):
            raise _Abort(Outcome(problem="gone"))
        await bookings.release_seat(old.station_id, old.starts_at)
        await offer_next(ctx, old.station_id, old.starts_at)
    booking = await bookings.get(booking_id)
    assert booking is not None
    await on_record(ctx, company_id, VISIT_BOOKED, visit_summary(ctx, booking),
                    ref=("booking", booking.id))
    if status == BookingStatus.PENDING_APPROVAL:
        await ask_approval(ctx, booking)
    if old is not None and old.request_id is not None and old.request_id == booking.request_id:
        await note_on_request(ctx, booking, "visit_event_rescheduled", side="enterprise",
                              old=old)
    else:
        if old is not None:
            await note_on_request(ctx, old, "visit_event_cancelled", side="enterprise")
        await note_on_request(ctx, booking, "visit_event_booked", side="enterprise")
    return Outcome(booking)


async def _needs_approval(ctx: Ctx, company_id: int) -> bool:
    """A company that missed visits recently waits for an officer before its seat counts."""
    since = ctx.now - NO_SHOW_WINDOW
    return await ctx.bookings.no_shows(company_id, since) >= NO_SHOW_LIMIT


async def _insert_booking(
    ctx: Ctx, slot: Slot, *, company_id: int, user_id: int, service_id: str | None,
    status: str, note: str | None = None, request_id: int | None = None,
    hold_until: dt.datetime | None = None, ics_uid: str | None = None, sequence: int = 0,
) -> int | None:
    """Write the booking row for ``slot``; None when the company holds that slot already."""
    station = station_of(ctx, slot.station_id)
    assert station is not None, "the slot was just found in the catalogue"
    return await ctx.bookings.insert({
        "company_id": company_id, "user_id": user_id, "station_id": slot.station_id,
        "starts_at": slot.start, "ends_at": slot.end, "service_id": service_id,
        "request_id": request_id, "note": note, "status": status, "hold_until": hold_until,
        "remind_day_at": schedule.day_before_reminder(station, slot.start),
        "remind_hour_at": slot.start - schedule.HOUR_BEFORE,
        "ics_uid": ics_uid or new_uid(), "sequence": sequence,
        "created_at": ctx.now, "updated_at": ctx.now,
    })


def can_cancel(ctx: Ctx, booking: BookingDTO) -> bool:
    station = station_of(ctx, booking.station_id)
    cutoff = dt.timedelta(minutes=station.cancel_cutoff_minutes if station else 0)
    return booking.starts_at - cutoff > ctx.now


async def cancel(ctx: Ctx, booking_id: int, company_id: int) -> Outcome:
    """The company cancels its visit (until the cutoff); the seat goes to the waiting list."""
    bookings = ctx.bookings
    booking = await bookings.get(booking_id)
    if booking is None or booking.company_id != company_id:
        return Outcome(problem="gone")
    if booking.status not in LIVE:
        return Outcome(booking, problem="gone")
    if not can_cancel(ctx, booking):
        return Outcome(booking, problem="cutoff")
    if not await bookings.transition(booking.id, LIVE, BookingStatus.CANCELLED, ctx.now,
                                     cancel_reason="company", sequence=booking.sequence + 1):
        return Outcome(booking, problem="gone")
    await bookings.release_seat(booking.station_id, booking.starts_at)
    await offer_next(ctx, booking.station_id, booking.starts_at)
    done = await bookings.get(booking.id)
    assert done is not None
    await note_on_request(ctx, done, "visit_event_cancelled", side="enterprise")
    if booking.status == BookingStatus.PENDING_APPROVAL:
        await withdraw_approval_card(ctx, done)
    return Outcome(done)


# -- waiting list ---------------------------------------------------------------------------
async def join_wait(
    ctx: Ctx, *, company_id: int, user_id: int, station_id: str, start: dt.datetime,
    service_id: str | None,
) -> bool:
    """Put the company on the slot's waiting list; False when it was there already."""
    return await ctx.bookings.add_wait({
        "company_id": company_id, "user_id": user_id, "station_id": station_id,
        "starts_at": start, "service_id": service_id, "created_at": ctx.now,
    })


async def offer_next(ctx: Ctx, station_id: str, start: dt.datetime) -> BookingDTO | None:
    """A seat came free: hold it for the first company waiting, and ask them."""
    bookings = ctx.bookings
    station = station_of(ctx, station_id)
    if station is None:
        return None
    while True:
        slot, problem = schedule.slot_problem(ctx.cat, station_id, start, ctx.now)
        if slot is None or problem is not None:
            return None
        waiter = await bookings.next_waiter(station_id, start)
        if waiter is None:
            return None
        if not await bookings.take_seat(station_id, start, slot.seats):
            return None
        await bookings.close_wait(waiter.id, BookingStatus.OFFERED)
        hold = dt.timedelta(minutes=ctx.cat.defaults.hold_minutes)
        booking_id = await _insert_booking(
            ctx, slot, company_id=waiter.company_id, user_id=waiter.user_id,
            service_id=waiter.service_id, status=BookingStatus.OFFERED, hold_until=ctx.now + hold,
        )
        if booking_id is None:
            # The company holds this slot already (booked meanwhile): next in line.
            await bookings.release_seat(station_id, start)
            continue
        offer = await bookings.get(booking_id)
        assert offer is not None
        lang = await lang_of(ctx, waiter.user_id)
        await ctx.send(
            waiter.user_id,
            t(lang, "bk_offer", minutes=ctx.cat.defaults.hold_minutes,
              when=when_text(lang, station, slot.start, slot.end),
              station=station.name.get(lang)),
            buttons=((Button(t(lang, "bk_btn_accept"), f"{payloads.BOOKING}acc:{booking_id}"),
                      Button(t(lang, "bk_btn_pass"), f"{payloads.BOOKING}pass:{booking_id}")),),
            ref=("booking", booking_id),
        )
        return offer


async def accept(ctx: Ctx, booking_id: int, company_id: int) -> Outcome:
    """The waiting company takes the seat held for it, if the hold has not run out."""
    bookings = ctx.bookings
    offer = await bookings.get(booking_id)
    if offer is None or offer.company_id != company_id:
        return Outcome(problem="gone")
    if offer.status != BookingStatus.OFFERED:
        return Outcome(offer, problem="duplicate" if offer.status in LIVE else "expired")
    await bookings.lock_company(company_id)
    station = station_of(ctx, offer.station_id)
    count = await bookings.upcoming_count(company_id, ctx.now, exclude=offer.id)
    if station is not None and count >= station.max_upcoming_bookings:
        await release_offer(ctx, offer, BookingStatus.DECLINED)
        return Outcome(offer, problem=Problem.LIMIT.value)
    status = (BookingStatus.PENDING_APPROVAL if await _needs_approval(ctx, company_id)
              else BookingStatus.CONFIRMED)
    if not await bookings.accept_offer(offer.id, status, ctx.now):
        return Outcome(offer, problem="expired")
    booking = await bookings.get(offer.id)
    assert booking is not None
    await on_record(ctx, company_id, VISIT_BOOKED, visit_summary(ctx, booking),
                    ref=("booking", booking.id))
    if status == BookingStatus.PENDING_APPROVAL:
        await ask_approval(ctx, booking)
    return Outcome(booking)


async def release_offer(ctx: Ctx, offer: BookingDTO, status: str) -> bool:
    """Give up a held seat (passed, expired, over the limit) and offer it to the next one."""
    bookings = ctx.bookings
    if not await bookings.transition(offer.id, (BookingStatus.OFFERED,), status, ctx.now,
                                     hold_until=None):
        return False
    await bookings.release_seat(offer.station_id, offer.starts_at)
    await offer_next(ctx, offer.station_id, offer.starts_at)
    return True


# -- officers' approval after no-shows --------------------------------------------------------
def staff_target(ctx: Ctx, station_id: str) -> tuple[int | None, int | None]:
    station = station_of(ctx, station_id)
    return ctx.settings.staff_chat_id, station.topic_id if station else None


async def ask_approval(ctx: Ctx, booking: BookingDTO) -> None:
    chat, thread = staff_target(ctx, booking.station_id)
    if chat is None:
        return
    company = await ctx.companies.get(booking.company_id)
    text = t("zh", "ro_approval_card", company=company.name if company else "?",
             details=booking_text(ctx, "zh", booking))
    await ctx.send(chat, text, thread_id=thread, ref=("booking", booking.id), buttons=((
        Button(t("zh", "ro_btn_approve"), f"{payloads.ROSTER}ok:{booking.id}"),
        Button(t("zh", "ro_btn_decline"), f"{payloads.ROSTER}no:{booking.id}"),
    ),), dedupe_key=approval_key(booking.id))


def approval_key(booking_id: int) -> str:
    return f"bk:{booking_id}:approval"


async def withdraw_approval_card(ctx: Ctx, booking: BookingDTO) -> None:
    """The company cancelled a visit still waiting for approval: its card in the staff group
    says so and loses its buttons (pressing them would decide a visit that is gone)."""
    card = await ctx.outbox.by_dedupe_key(approval_key(booking.id))
    if card is None:
        return
    company = await ctx.companies.get(booking.company_id)
    await ctx.edit(card, text=t("zh", "ro_approval_withdrawn",
                                company=company.name if company else "?",
                                details=booking_text(ctx, "zh", booking)))


# -- the request a visit is about ----------------------------------------------------------
async def note_on_request(ctx: Ctx, item: BookingDTO, key: str, *, side: str,
                          old: BookingDTO | None = None) -> None:
    """Record a visit's change in its request's thread and show it on the request's card.

    Runs in the unit of work that changed the visit, so the thread never tells of a change
    that was rolled back, nor misses one that was made.
    """
    if item.request_id is None:
        return
    station = station_of(ctx, item.station_id)
    lang = display.STAFF_LANG
    values = {"ref": item.ref, "old_ref": old.ref if old else "",
              "station": station.name.get(lang) if station else item.station_id,
              "when": when_text(lang, station, item.starts_at, item.ends_at) if station else ""}
    # The thread keeps plain text (/history escapes it when shown); t() returns HTML.
    text = html.unescape(t(lang, key, **values))
    who = (ctx.user.id, ctx.user.first_name) if side != "system" else (None, "")
    await ctx.requests.add_event(item.request_id, "visit", side, ctx.now, text=text,
                                          author_id=who[0], author_name=who[1])
    await refresh_card(ctx, item.request_id)


async def visit_lines(ctx: Ctx, req: RequestDTO, lang: str) -> list[str]:
    """The request's visits (time with zone, station, state) for its card and history."""
    lines = []
    for item in await ctx.bookings.for_request(req.id):
        station = station_of(ctx, item.station_id)
        if station is None:
            continue
        lines.append(t(lang, "rq_visit_line", ref=item.ref, station=station.name.get(lang),
                       when=when_text(lang, station, item.starts_at, item.ends_at),
                       status=t(lang, f"bk_status_{item.status}")))
    return lines


async def rebook_alternative(ctx: Ctx, old_id: int, key: int, company_id: int,
                             user_id: int) -> Outcome:
    """One tap on an alternative offered after a closure: the same topic in the new slot, once."""
    bookings = ctx.bookings
    old = await bookings.get(old_id)
    if old is None or old.company_id != company_id:
        return Outcome(problem="gone")
    try:
        async with ctx.savepoint():
            # Claim the displaced visit in the same transaction as the new seat, so of several
            # taps on its alternatives (on any replica) exactly one books.
            if not await bookings.claim_closure_rebook(old.id):
                now = await bookings.get(old.id)
                rebooked = now is not None and now.cancel_reason == "closure_rebooked"
                raise _Abort(Outcome(now, problem="rebooked" if rebooked else "gone"))
            outcome = await book(ctx, company_id=company_id, user_id=user_id,
                                 station_id=old.station_id, start=schedule.from_key(key),
                                 service_id=old.service_id, note=old.note,
                                 request_id=old.request_id, carried_request=old.request_id)
            if not outcome.ok:
                # Give the claim back (another alternative may do), and keep the visit this
                # was about for the answer when the attempt found no booking of its own.
                raise _Abort(Outcome(outcome.booking or old, outcome.problem,
                                     outcome.alternatives))
            return outcome
    except _Abort as abort:
        return abort.outcome
