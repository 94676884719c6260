"""/settings: which kinds of notices a person receives, and which categories of services
their company wants to hear about. Messages about the company's own requests and visits are
not notices: they always arrive."""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.payloads import NOTICE
from bot.core.replies import Button, Reply
from bot.notices.audience import KINDS


async def settings_screen(ctx: Ctx, *, edit: bool = False) -> Reply:
    out = await ctx.notices.opted_out(ctx.user.id)
    rows: list[tuple[Button, ...]] = [
        (Button(ctx.t("nt_set_kind_off" if kind in out else "nt_set_kind_on",
                      kind=ctx.t(f"nt_kind_{kind}")), f"{NOTICE}o:{kind}"),)
        for kind in KINDS
    ]
    lines = [ctx.t("nt_settings", kind_list="、".join(
        ctx.t(f"nt_kind_{k}") for k in KINDS if k not in out) or ctx.t("nt_settings_none"))]
    if ctx.user.company_id is not None:
        chosen = await ctx.notices.interests(ctx.user.company_id)
        asked = {s.category for sid in await ctx.notices.requested_services(ctx.user.company_id)
                 if (s := ctx.cat.service(sid)) is not None}
        for category in ctx.cat.categories:
            mark = "✅ " if category.id in chosen else ""
            rows.append((Button(mark + category.name.get(ctx.lang),
                                f"{NOTICE}i:{category.id}"),))
        names = [c.name.get(ctx.lang) for c in ctx.cat.categories if c.id in asked]
        lines.append(ctx.t("nt_settings_interests",
                           asked="、".join(names) or ctx.t("nt_settings_none")))
    return Reply("\n\n".join(lines), buttons=tuple(rows), edit=edit)


async def settings_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """``/settings``: notices by kind, and the company's categories of interest."""
    return [await settings_screen(ctx)]


async def toggle_kind(ctx: Ctx, kind: str) -> list[Reply]:
    if kind not in KINDS:
        return [Reply("", notice=ctx.t("stale_button"))]
    out = kind in await ctx.notices.opted_out(ctx.user.id)
    await ctx.notices.set_opt_out(ctx.user.id, kind, not out, ctx.now)
    key = "nt_kind_resumed" if out else "nt_kind_stopped"
    return [Reply("", notice=ctx.t(key, kind=ctx.t(f"nt_kind_{kind}"))),
            await settings_screen(ctx, edit=True)]


async def toggle_interest(ctx: Ctx, category_id: str) -> list[Reply]:
    if ctx.user.company_id is None:
        return [Reply("", notice=ctx.t("nt_interests_company_only"), alert=True)]
    if ctx.cat.category(category_id) is None:
        return [Reply("", notice=ctx.t("stale_button"))]
    on = category_id not in await ctx.notices.interests(ctx.user.company_id)
    await ctx.notices.set_interest(ctx.user.company_id, category_id, on, ctx.now)
    return [Reply("", notice=ctx.t("nt_interest_on" if on else "nt_interest_off")),
            await settings_screen(ctx, edit=True)]
