"""The admin's buttons on a notice's progress message (pause, resume, cancel), /notices,
and the router of every ``nt:`` button. Any payload may be forged: only admins steer a
notice, and only one that is in a state the button fits."""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.display import bureau_zone, parse_id
from bot.core.payloads import NOTICE
from bot.core.replies import Button, Reply, notice
from bot.notices import prefs
from bot.notices.audience import describe
from bot.notices.deliver import progress_buttons, show_progress, sum_up
from bot.texts import Raw

HISTORY = 15


async def press(ctx: Ctx, data: str) -> list[Reply]:
    """Route an ``nt:`` button."""
    action, _, arg = data.removeprefix(NOTICE).partition(":")
    if action == "o":
        return await prefs.toggle_kind(ctx, arg)
    if action == "i":
        return await prefs.toggle_interest(ctx, arg)
    if action in ("p", "r", "x", "c"):
        if not ctx.is_admin:
            return [notice(ctx.t("nt_admins_only"), alert=True)]
        notice_id = parse_id(arg)
        if notice_id is None or await ctx.notices.get(notice_id) is None:
            return [notice(ctx.t("stale_button"))]
        return await _steer(ctx, action, notice_id)
    return [notice(ctx.t("stale_button"))]


async def _steer(ctx: Ctx, action: str, notice_id: int) -> list[Reply]:
    moves = {"p": (("sending",), "paused"), "r": (("paused",), "sending"),
             "x": (("sending", "paused"), "cancelled"), "c": (("scheduled",), "cancelled")}
    from_, to = moves[action]
    if not await ctx.notices.move(notice_id, from_, to, ctx.now):
        return [notice(ctx.t("nt_not_now"))]
    if to == "cancelled":
        await ctx.notices.cancel_pending(notice_id, ctx.now)
        if action == "c":
            return [notice(ctx.t("nt_schedule_cancelled", id=notice_id)),
                    *await notices_command(ctx, [], edit=True)]
        await sum_up(ctx, notice_id)
        return [notice(ctx.t("nt_cancelled", id=notice_id))]
    moved = await ctx.notices.get(notice_id)
    assert moved is not None
    await show_progress(ctx, moved, force=True)
    if to == "sending":
        ctx.rt.background_wakeup.set()
    return [notice(ctx.t("nt_paused" if to == "paused" else "nt_resumed"))]


async def notices_command(ctx: Ctx, args: list[str], *, edit: bool = False) -> list[Reply]:
    """``/notices``: the latest notices with their reach (admins only)."""
    if not ctx.is_admin:
        return [Reply(ctx.t("nt_admins_only"))]
    found = await ctx.notices.history(HISTORY)
    if not found:
        return [Reply(ctx.t("nt_history_empty"), edit=edit)]
    lines = [ctx.t("nt_history_title")]
    buttons: list[tuple[Button, ...]] = []
    for item in found:
        when = (item.started_at or item.send_at).astimezone(bureau_zone(ctx))
        audience = await describe(ctx, item.audience, item.audience_values, ctx.lang)
        if item.status in ("done", "cancelled"):
            figures = ctx.t("nt_history_reach", companies=item.companies, sent=item.sent,
                            failed=item.failed, blocked=item.blocked, skipped=item.skipped)
        else:
            tally = await ctx.notices.tally(item.id)
            figures = ctx.t("nt_history_going", sent=tally.sent, pending=tally.pending)
        lines.append(ctx.t("nt_history_line", id=item.id, when=f"{when:%Y-%m-%d %H:%M}",
                           kind=ctx.t(f"nt_kind_{item.kind}"),
                           state=ctx.t(f"nt_state_{item.status}"), audience=Raw(audience),
                           figures=Raw(figures)))
        if item.status == "scheduled":
            buttons.append((Button(ctx.t("nt_btn_cancel_scheduled", id=item.id),
                                   f"{NOTICE}c:{item.id}"),))
        elif item.status in ("sending", "paused"):
            buttons.append(progress_buttons(item.id, item.status, ctx.lang)[0])
    return [Reply("\n\n".join(lines), buttons=tuple(buttons), edit=edit)]
