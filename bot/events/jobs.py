"""Events' background jobs: reminders a day and two hours before, and telling the companies
signed up when an admin moves or calls off an event in the catalogue.

Each reminder is claimed by a conditional update of its registration (and its message carries
an outbox dedupe key), in the same transaction that queues it: one replica sends it, once,
whatever restarts happen. A change is told once per registration and version of the event.
"""

from __future__ import annotations

import logging

from bot.catalogue.model import Event
from bot.core.context import Ctx, background_work
from bot.core.payloads import EVENT
from bot.core.replies import Button
from bot.core.runtime import Runtime
from bot.events import common
from bot.events.common import lang_of
from bot.events.guard import dropped
from bot.events.signup import DAY_BEFORE, HOURS_BEFORE, ics_for, promote
from bot.texts import t
from storage.events.repo import Registrations
from storage.events.status import RegistrationStatus

log = logging.getLogger(__name__)


async def send_reminders(rt: Runtime) -> None:
    """Queue the reminders now due: a day before, and two hours before, each event."""
    now = rt.clock.now()
    for event in rt.cat.events:
        if event.cancelled or event.start <= now:
            continue
        for kind, before in (("day", DAY_BEFORE), ("hour", HOURS_BEFORE)):
            if now < event.start - before:
                continue
            async with rt.db.reader() as session:
                due = await Registrations(session).due_reminders(event.id, kind)
            for item in due:
                async with background_work(rt) as ctx:
                    if not await ctx.registrations.mark_reminded(item.id, kind, ctx.now):
                        continue
                    if kind == "day" and event.start - HOURS_BEFORE <= ctx.now:
                        continue  # the two-hour reminder says it all now
                    if item.user_id == 0:
                        continue  # the person who signed up asked to be forgotten
                    lang = await lang_of(ctx, item.user_id)
                    key = f"ev_remind_{kind}"
                    if kind == "day" and (common.local_day(event, event.start)
                                          <= common.local_day(event, ctx.now)):
                        key = "ev_remind_today"  # the bot was down the day before
                    await ctx.send(
                        item.user_id,
                        t(lang, key, title=event.title.get(lang),
                          line=common.registration_text(lang, item))
                        + "\n\n" + common.details(ctx, lang, event),
                        buttons=((Button(t(lang, "ev_btn_pass"), f"{EVENT}p:{item.id}"),),),
                        ref=("ev_registration", item.id), bulk=True,
                        dedupe_key=f"ev:{item.id}:remind:{kind}:{event.version}")


async def announce_changes(rt: Runtime) -> None:
    """Tell every company signed up about an event moved or called off, once per change.

    Looked at once per catalogue (its digest), and again until every change is told.
    """
    cat = rt.cat
    memory: dict[str, str] = rt.state.setdefault("events", {})
    if memory.get("checked_digest") == cat.digest:
        return
    done = True
    for event in cat.events:
        async with rt.db.reader() as session:
            untold = await Registrations(session).untold(event.id, event.version)
        for item in untold:
            async with background_work(rt) as ctx:
                await _tell(ctx, event, item.id, item.told_version)
        if len(untold) >= 100:
            done = False  # more than one batch: look again next tick
        if not event.cancelled and event.start > rt.clock.now():
            async with background_work(rt) as ctx:
                # A raised capacity frees seats: the waiting list comes first.
                await promote(ctx, event)
    if done:
        memory["checked_digest"] = cat.digest
        # /reload and the watcher refuse a file that drops a registered event; a file
        # deployed while the bot was down is only noticed here.
        async with rt.db.reader() as session:
            counts = await Registrations(session).live_counts()
        for line in dropped(counts, cat):
            log.warning("%s", line)


async def _tell(ctx: Ctx, event: Event, registration_id: int, told: str) -> None:
    """Tell one registration of the event as it is now (claimed by its told version)."""
    repo = ctx.registrations
    before = await repo.get(registration_id)
    if before is None:
        return
    changes: dict[str, object] = {"day_reminded_at": None, "hour_reminded_at": None}
    if event.cancelled:
        changes["status"] = RegistrationStatus.CANCELLED.value
    else:
        # Moved into the reminders' time already: the notice is the reminder.
        if event.start - DAY_BEFORE <= ctx.now:
            changes["day_reminded_at"] = ctx.now
        if event.start - HOURS_BEFORE <= ctx.now:
            changes["hour_reminded_at"] = ctx.now
    if not await repo.mark_told(registration_id, told, event.version, ctx.now, **changes):
        return
    if event.cancelled and before.status == RegistrationStatus.CONFIRMED.value:
        # Called off: the seats are free again (should the event come back, so are they).
        await repo.release_seats(event.id, before.seats)
    after = await repo.get(registration_id)
    assert after is not None
    if after.user_id == 0:
        return  # the person who signed up asked to be forgotten
    lang = await lang_of(ctx, after.user_id)
    key = "ev_event_cancelled" if event.cancelled else "ev_event_changed"
    await ctx.send(after.user_id,
                   t(lang, key, title=event.title.get(lang),
                     line=common.registration_text(lang, after))
                   + "\n\n" + common.details(ctx, lang, event),
                   ref=("ev_registration", after.id), bulk=True,
                   dedupe_key=f"ev:{after.id}:change:{event.version}")
    if before.status == RegistrationStatus.CONFIRMED:
        await ctx.send_upload(after.user_id, ics_for(ctx, lang, event, after,
                                                     cancelled=event.cancelled))
