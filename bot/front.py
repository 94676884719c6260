"""The enterprise's front desk: /start and deep links, help, language, profile, stray input."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot import browse, enterprise
from bot.context import Ctx
from bot.flows import engine
from bot.replies import Button, Input, Reply, notice
from bot.texts import LANGUAGES, t

# Commands an enterprise can type, by name; features add theirs when imported.
Command = Callable[[Ctx, list[str]], Awaitable[list[Reply]]]
COMMANDS: dict[str, Command] = {}
# Main-menu labels (text keys) and the command each one stands for.
MENU = {
    "btn_services": "services", "btn_profile": "profile", "btn_help": "help",
    "btn_new_request": "new", "btn_requests": "requests", "btn_book": "book",
    "btn_bookings": "bookings",
}
# Asked in turn when a message is neither a command nor part of a conversation
# (e.g. the requests feature takes a message meant for the officer).
Fallback = Callable[[Ctx, Input], Awaitable[list[Reply] | None]]
FALLBACKS: list[Fallback] = []


def command(name: str) -> Callable[[Command], Command]:
    def deco(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return deco


def menu_command(text: str) -> str | None:
    """The command a main-menu label stands for, in either language."""
    for key, name in MENU.items():
        if any(text == t(lang, key) for lang in LANGUAGES):
            return name
    return None


@command("start")
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
    company = await enterprise.company_of(ctx)
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


@command("help")
async def help_(ctx: Ctx, args: list[str]) -> list[Reply]:
    return [Reply(ctx.t("help"))]


@command("cancel")
async def cancel(ctx: Ctx, args: list[str]) -> list[Reply]:
    if await engine.cancel(ctx):
        company = await enterprise.company_of(ctx)
        done = Reply(ctx.t("cancelled"), remove_keyboard=company is None)
        return [done, enterprise.main_menu(ctx)] if company else [done]
    return [Reply(ctx.t("nothing_to_cancel"))]


@command("language")
async def language(ctx: Ctx, args: list[str]) -> list[Reply]:
    if args and args[0] in LANGUAGES:
        return await set_language(ctx, args[0])
    return [Reply(ctx.t("language_pick"), buttons=((
        Button("简体中文", "lang:zh"), Button("English", "lang:en"),
    ),))]


async def set_language(ctx: Ctx, lang: str) -> list[Reply]:
    if lang not in LANGUAGES:
        return [notice(ctx.t("stale_button"))]
    await ctx.users.set_language(ctx.user.id, lang)
    ctx.lang = lang
    replies = [Reply(ctx.t("language_set"), edit=True)]
    if await enterprise.company_of(ctx):
        replies.append(enterprise.main_menu(ctx))
    return replies


@command("profile")
async def profile(ctx: Ctx, args: list[str]) -> list[Reply]:
    company = await enterprise.company_of(ctx)
    if company is None:
        return [Reply(ctx.t("profile_none"))]
    return [Reply(await enterprise.profile_text(ctx, company),
                  buttons=enterprise.profile_buttons(ctx))]


async def edit_profile(ctx: Ctx) -> list[Reply]:
    if await enterprise.company_of(ctx) is None:
        return [Reply(ctx.t("profile_none"))]
    return await engine.begin(ctx, "onb", profile=True)


@command("services")
async def services(ctx: Ctx, args: list[str]) -> list[Reply]:
    return [browse.categories(ctx.cat, ctx.lang)]


async def run_command(ctx: Ctx, name: str, args: list[str]) -> list[Reply]:
    fn = COMMANDS.get(name)
    if fn is None:
        return [Reply(ctx.t("unknown_command"))]
    return await fn(ctx, args)


async def message(ctx: Ctx, inp: Input) -> list[Reply]:
    """A message that is not a command: a menu label, a flow's answer, or something else."""
    if inp.kind == "text":
        name = menu_command(inp.text.strip())
        if name is not None:
            return await run_command(ctx, name, [])
    answered = await engine.feed(ctx, inp)
    if answered is not None:
        return answered
    for fallback in FALLBACKS:
        answered = await fallback(ctx, inp)
        if answered is not None:
            return answered
    if ctx.user.company_id is None:
        return [Reply(ctx.t("stray_text_unregistered"))]
    return [Reply(ctx.t("stray_text")), enterprise.main_menu(ctx)]
