"""The enterprise's front desk: /start and deep links, help, language, profile, the catalogue."""

from __future__ import annotations

from bot.companies import browse, enterprise
from bot.core import engine, payloads
from bot.core.context import Ctx
from bot.core.replies import Button, Input, Reply, notice
from bot.texts import LANGUAGES


async def start(ctx: Ctx, args: list[str]) -> list[Reply]:
    payload = args[0] if args else ""
    if payload.startswith("svc-"):
        screen = browse.service(ctx.cat, ctx.lang, payload[4:], edit=False)
        return [screen] if screen else [Reply(ctx.t("service_gone")),
                                        browse.categories(ctx.cat, ctx.lang)]
    if await engine.active(ctx):
        resumed = await engine.resume(ctx)
        if resumed:
            return resumed
    company = await ctx.company()
    if company is not None:
        replies = [Reply(ctx.t("welcome_back", name=ctx.user.first_name, company=company.name))]
        if payload.startswith("st-"):
            card = browse.station(ctx.cat, ctx.lang, payload[3:])
            if card:
                replies.append(card)
        replies.append(enterprise.main_menu(ctx))
        return replies
    station = payload[3:] if payload.startswith("st-") else None
    welcome = Reply(ctx.t("welcome", name=ctx.user.first_name))
    return [welcome, *await engine.begin(ctx, "onb", station=station)]


async def help_(ctx: Ctx, args: list[str]) -> list[Reply]:
    return help_for(ctx, officer=False)


def help_for(ctx: Ctx, *, officer: bool, enterprise: bool = True) -> list[Reply]:
    """Each role its own help: the company's, an officer's (known to the Telegram side,
    which asked), an admin's; a person with several roles reads each part."""
    parts = [ctx.t("help")] if enterprise else []
    if officer:
        parts.append(ctx.t("help_officer"))
    if ctx.settings.is_admin(ctx.user.id):
        parts.append(ctx.t("help_admin"))
    return [Reply("\n\n".join(parts))]


async def cancel(ctx: Ctx, args: list[str]) -> list[Reply]:
    if await engine.cancel(ctx):
        company = await ctx.company()
        done = Reply(ctx.t("cancelled"), remove_keyboard=company is None)
        return [done, enterprise.main_menu(ctx)] if company else [done]
    return [Reply(ctx.t("nothing_to_cancel"))]


async def language(ctx: Ctx, args: list[str]) -> list[Reply]:
    if args and args[0] in LANGUAGES:
        return await set_language(ctx, args[0])
    return [Reply(ctx.t("language_pick"), buttons=((
        Button("简体中文", payloads.LANGUAGE + "zh"), Button("English", payloads.LANGUAGE + "en"),
    ),))]


async def set_language(ctx: Ctx, lang: str) -> list[Reply]:
    if lang not in LANGUAGES:
        return [notice(ctx.t("stale_button"))]
    await ctx.users.set_language(ctx.user.id, lang)
    ctx.lang = lang
    replies = [Reply(ctx.t("language_set"), edit=True)]
    if await ctx.company():
        replies.append(enterprise.main_menu(ctx))
    return replies


async def profile(ctx: Ctx, args: list[str]) -> list[Reply]:
    company = await ctx.company()
    if company is None:
        return [Reply(ctx.t("profile_none"))]
    return [Reply(await enterprise.profile_text(ctx, company),
                  buttons=enterprise.profile_buttons(ctx))]


async def edit_profile(ctx: Ctx) -> list[Reply]:
    if await ctx.company() is None:
        return [Reply(ctx.t("profile_none"))]
    return await engine.begin(ctx, "onb", profile=True)


async def services(ctx: Ctx, args: list[str]) -> list[Reply]:
    return [browse.categories(ctx.cat, ctx.lang)]


async def stray(ctx: Ctx, inp: Input) -> list[Reply]:
    """A message nobody took: what to do next, and the menu for a registered person."""
    if ctx.user.company_id is None:
        return [Reply(ctx.t("stray_text_unregistered"))]
    return [Reply(ctx.t("stray_text")), enterprise.main_menu(ctx)]
