"""差评回访: a request rated 2 stars or fewer opens a follow-up for its officer, due the
station's next working day; the officer closes it with what the company was told.

The requests feature announces the rating (``features.on_poor_rating``) and knows nothing of
follow-ups; the comment a company adds afterwards comes the same way and joins the text.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.context import Ctx
from bot.core.display import STAFF_LANG, parse_id
from bot.core.replies import Reply
from bot.core.timeline import FOLLOW_UP, FOLLOW_UP_DONE, on_record
from bot.records.follow_ups import follow_up_command, today
from bot.texts import t
from storage.records.repo import OPEN_FOLLOW_UP
from storage.requests.repo import RequestDTO

# A calendar with no working day this far ahead is a mistake; the day after is used then.
LOOK_AHEAD = 60
OUTCOME_LIMIT = 300


def next_working_day(ctx: Ctx, station_id: str) -> date:
    first = today(ctx) + timedelta(days=1)
    for offset in range(LOOK_AHEAD):
        day = first + timedelta(days=offset)
        if ctx.cat.calendar.is_working_day(day, station_id):
            return day
    return first


def visit_text(req: RequestDTO) -> str:
    """``差评回访：RP-2612-0003 ★★ 意见``, plain text (escaped wherever it is shown)."""
    head = f"{t(STAFF_LANG, 'gr_return_visit')}{req.reference} {'★' * (req.rating or 0)}"
    comment = " ".join((req.rating_comment or "").split())
    return f"{head} {comment}"[:500] if comment else head


async def poor_rating(ctx: Ctx, req: RequestDTO) -> None:
    """Open the request's 回访 (once), or add the company's comment to the open one."""
    existing = await ctx.records.follow_up_for_request(req.id)
    text = visit_text(req)
    if existing is not None:
        if existing.status == OPEN_FOLLOW_UP and existing.text != text:
            await ctx.records.retext(existing.id, text)
        return
    day = next_working_day(ctx, req.station_id)
    # The officer who handled the request; without one, the station's morning roster and the
    # overdue notice to the group carry it until someone closes it.
    await ctx.records.add_follow_up(req.company_id, req.claimed_by, req.owner_name or "", day,
                                    text, ctx.now, request_id=req.id)
    await on_record(ctx, req.company_id, FOLLOW_UP, f"{day:%Y-%m-%d} {text}", staff_only=True,
                    ref=("request", req.id), by_bot=True)


DONE_WORDS = ("done", "完成")


async def followup_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """``/followup <company> <day> <what>`` schedules; ``/followup done <id> <outcome>``
    closes one with its outcome."""
    if args and args[0].lower() in DONE_WORDS:
        return await done_command(ctx, args[1:])
    return await follow_up_command(ctx, args)


async def done_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """``/followup done <id> <outcome>``: close a follow-up with what came of it."""
    follow_up_id = parse_id(args[0]) if args else None
    outcome = " ".join(args[1:]).strip()
    if follow_up_id is None or not outcome:
        return [Reply(ctx.t("gr_done_usage"))]
    if len(outcome) > OUTCOME_LIMIT:
        return [Reply(ctx.t("gr_outcome_too_long", limit=OUTCOME_LIMIT))]
    item = await ctx.records.follow_up(follow_up_id)
    if item is None:
        return [Reply(ctx.t("gr_follow_up_unknown", id=args[0]))]
    if not await ctx.records.finish(item.id, ctx.now, outcome):
        return [Reply(ctx.t("gr_follow_up_handled"))]
    company = await ctx.companies.get(item.company_id)
    await on_record(ctx, item.company_id, FOLLOW_UP_DONE,
                    f"{item.text}；{t(STAFF_LANG, 'gr_outcome_label')}{outcome}",
                    staff_only=True,
                    ref=("request", item.request_id) if item.request_id is not None else None)
    return [Reply(ctx.t("gr_follow_up_done_outcome", company=company.name if company else "?",
                        text=item.text, outcome=outcome, who=ctx.user.first_name or "—"))]
