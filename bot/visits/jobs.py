"""Visits' background jobs: reminders, expired holds, visits displaced by a closure."""

from __future__ import annotations

from bot.core.context import background_work
from bot.core.display import station_of
from bot.core.payloads import BOOKING
from bot.core.replies import Button
from bot.core.runtime import Runtime
from bot.texts import t
from bot.visits import schedule
from bot.visits.booking import (
    alternatives,
    booking_text,
    can_cancel,
    day_label,
    ics_for,
    lang_of,
    note_on_request,
    release_offer,
    when_text,
)
from storage.visits.repo import BookingDTO, Bookings
from storage.visits.status import LIVE, BookingStatus


# -- background jobs ------------------------------------------------------------------------
async def send_reminders(rt: Runtime) -> None:
    """Queue due reminders; each is claimed by a conditional update in the same transaction."""
    now = rt.clock.now()
    for kind in ("day", "hour"):
        async with rt.db.reader() as session:
            due = await Bookings(session).due_reminders(kind, now)
        for item in due:
            async with background_work(rt) as ctx:
                bookings = ctx.bookings
                if not await bookings.mark_reminded(item.id, kind, ctx.now):
                    continue
                if kind == "day" and item.starts_at - schedule.HOUR_BEFORE <= ctx.now:
                    continue  # the hour-before reminder says it all now
                station = station_of(ctx, item.station_id)
                if station is None:
                    continue
                key = f"bk_remind_{kind}"
                if kind == "day" and (schedule.local_day(station, item.starts_at)
                                      <= schedule.local_day(station, ctx.now)):
                    # Booked on the day itself (or the bot was down the day before): the
                    # visit is today, not tomorrow.
                    key = "bk_remind_today"
                lang = await lang_of(ctx, item.user_id)
                await ctx.send(
                    item.user_id,
                    t(lang, key, details=booking_text(ctx, lang, item)),
                    dedupe_key=f"bk:{item.id}:remind:{kind}", ref=("booking", item.id),
                    buttons=((Button(t(lang, "bk_btn_cancel"), f"{BOOKING}cx:{item.id}"),),)
                    if can_cancel(ctx, item) else (), bulk=True,
                )


async def expire_holds(rt: Runtime) -> None:
    """Seats offered from the waiting list and not taken in time go to the next company."""
    async with rt.db.reader() as session:
        expired = await Bookings(session).expired_offers(rt.clock.now())
    for offer in expired:
        async with background_work(rt) as ctx:
            if await release_offer(ctx, offer, BookingStatus.EXPIRED):
                lang = await lang_of(ctx, offer.user_id)
                await ctx.send(offer.user_id, t(lang, "bk_offer_expired"),
                               ref=("booking", offer.id))


async def displace_closed(rt: Runtime) -> None:
    """A day closed after people booked it: cancel those visits, tell them, tell the admins."""
    cat = rt.cat
    # The digest of the catalogue last compared with the bookings: one look per change.
    memory: dict[str, str] = rt.state.setdefault("booking", {})
    if memory.get("checked_digest") == cat.digest:
        return
    async with rt.db.reader() as session:
        live = await Bookings(session).live_upcoming(rt.clock.now())
    displaced: list[tuple[BookingDTO, str]] = []
    for item in live:
        station = cat.station(item.station_id)
        if station is None:
            continue
        day = schedule.local_day(station, item.starts_at)
        closure = cat.calendar.closed(day, station.id)
        if closure is None:
            continue
        async with background_work(rt) as ctx:
            bookings = ctx.bookings
            if not await bookings.transition(item.id, LIVE, BookingStatus.CANCELLED, ctx.now,
                                             cancel_reason="closure",
                                             sequence=item.sequence + 1):
                continue
            await bookings.release_seat(item.station_id, item.starts_at)
            gone = await bookings.get(item.id)
            assert gone is not None
            await note_on_request(ctx, gone, "visit_event_closed", side="system")
            company = await ctx.companies.get(item.company_id)
            displaced.append((gone, company.name if company else "?"))
            lang = await lang_of(ctx, item.user_id)
            alts = await alternatives(ctx, station.id, item.starts_at,
                                      service_id=item.service_id)
            rows = tuple(
                (Button(f"{day_label(lang, a.day)} {schedule.local(station, a.start):%H:%M}",
                        f"{BOOKING}re:{item.id}:{a.key}"),) for a in alts
            )
            await ctx.send(
                item.user_id,
                t(lang, "bk_closed_notice", reason=closure.reason.get(lang),
                  details=booking_text(ctx, lang, gone))
                + "\n" + t(lang, "bk_closed_alts" if alts else "bk_closed_no_alts"),
                buttons=rows, ref=("booking", item.id), dedupe_key=f"bk:{item.id}:closed",
            )
            await ctx.send_upload(item.user_id, ics_for(ctx, lang, gone, cancelled=True))
    if displaced:
        async with background_work(rt) as ctx:
            lines = "\n".join(
                t("zh", "bk_displaced_line", ref=b.ref, company=name,
                  when=when_text("zh", st, b.starts_at, b.ends_at))
                for b, name in displaced if (st := cat.station(b.station_id))
            )
            for admin_id in sorted(rt.settings.admin_ids):
                lang = await lang_of(ctx, admin_id)
                await ctx.send(admin_id, t(lang, "bk_displaced_admin", count=len(displaced))
                               + "\n" + lines)
    memory["checked_digest"] = cat.digest
