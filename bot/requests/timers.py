"""What the clock does to requests: re-announce, escalate, close after the reopening window."""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import Ctx, background_work
from bot.core.display import STAFF_LANG, mention, service_label, station_label
from bot.core.runtime import Runtime
from bot.requests.cards import refresh_card, tell_group
from bot.requests.promise import hours_text, response_hours
from bot.texts import Raw, t
from storage.requests.repo import Requests
from storage.requests.status import RequestStatus


async def requests_job(rt: Runtime) -> None:
    """Re-announce, escalate, and close what the clock says is due."""
    now = rt.clock.now()
    # Look first with a reader: on SQLite a write transaction every tick would queue
    # behind (and hold up) the people using the bot.
    async with rt.db.reader() as session:
        due = await Requests(session).anything_due(now, now - REOPEN_WINDOW)
    if not due:
        return
    async with background_work(rt) as ctx:
        await remind_and_escalate(ctx)
        await close_expired(ctx)


REOPEN_WINDOW = timedelta(days=7)


# -- background: reminders, escalations, closing -------------------------------------------
async def remind_and_escalate(ctx: Ctx) -> None:
    """Re-announce requests past their promise, then call the admins in: once each."""
    r = ctx.requests
    for req in await r.due_announcements(ctx.now):
        if not await r.mark_announced(req.id, req.queue_round):
            continue
        await tell_group(ctx, req, t(
            STAFF_LANG, "reannounce", reference=req.reference,
            hours=hours_text(response_hours(ctx, req.service_id)),
            service=service_label(ctx, req.service_id, STAFF_LANG),
        ), dedupe_key=f"rq:{req.id}:{req.queue_round}:announce")
    for req in await r.due_escalations(ctx.now):
        if not await r.mark_escalated(req.id, req.queue_round):
            continue
        hours = hours_text(2 * response_hours(ctx, req.service_id))
        people = [(a, await ctx.users.get(a)) for a in sorted(ctx.settings.admin_ids)]
        # Mentioned by name in the group, and told in private: an admin need not be a member.
        admins = "、".join(mention(a, user.first_name if user and user.first_name
                                   else t(STAFF_LANG, "admin_word")) for a, user in people)
        await tell_group(ctx, req, t(
            STAFF_LANG, "escalate", reference=req.reference, admins=Raw(admins), hours=hours,
        ), dedupe_key=f"rq:{req.id}:{req.queue_round}:escalate")
        for admin_id, user in people:
            lang = user.language if user else STAFF_LANG
            await ctx.send(admin_id, t(
                lang, "escalate_private", reference=req.reference, hours=hours,
                service=service_label(ctx, req.service_id, lang),
                station=station_label(ctx, req.station_id, lang),
            ), dedupe_key=f"rq:{req.id}:{req.queue_round}:escalate:{admin_id}")


async def close_expired(ctx: Ctx) -> None:
    """Resolved requests nobody rated or reopened within seven days close themselves."""
    r = ctx.requests
    cutoff = ctx.now - REOPEN_WINDOW
    for req in await r.due_closing(cutoff):
        if await r.close_expired(req.id, cutoff, ctx.now):
            await r.add_event(req.id, "status", "system", ctx.now, text=RequestStatus.CLOSED)
            await refresh_card(ctx, req.id)
