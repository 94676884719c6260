"""The one way anything goes on a company's growth record (成长档案).

Any feature calls :func:`on_record` in its own unit of work, where the thing happens: the
entry is written in the same transaction, so a record never shows what was rolled back, and
a new feature (events, say) adds its own kinds without touching the records feature. A kind
is shown with the text ``tl_<kind>`` when there is one, else as stored.
"""

from __future__ import annotations

from bot.core.context import Ctx

# Kinds written today; a feature may add its own.
REGISTERED = "registered"
REQUEST_SUBMITTED = "request_submitted"
REQUEST_RESOLVED = "request_resolved"
REQUEST_RATED = "request_rated"
VISIT_BOOKED = "visit_booked"
VISIT_ATTENDED = "visit_attended"
VISIT_NO_SHOW = "visit_no_show"
NOTE = "note"
TIER = "tier"
TAG_ADDED = "tag_added"
TAG_REMOVED = "tag_removed"
FOLLOW_UP = "follow_up"
FOLLOW_UP_DONE = "follow_up_done"
FOLLOW_UP_MOVED = "follow_up_moved"


async def on_record(ctx: Ctx, company_id: int, kind: str, text: str = "", *,
                    ref: tuple[str, int] | None = None, staff_only: bool = False,
                    by_bot: bool = False) -> None:
    """Write what happened to the company, by the person acting (or by the bot itself).

    ``text`` is plain text (escaped when shown); ``staff_only`` keeps it from the company.
    """
    person = not by_bot and ctx.user.id != 0
    await ctx.timeline.add(
        company_id, kind, ctx.now, text=text, ref=ref, staff_only=staff_only,
        actor_id=ctx.user.id if person else None,
        actor_name=(ctx.user.first_name or str(ctx.user.id)) if person else "")
