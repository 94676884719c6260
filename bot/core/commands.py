"""Commands and free messages in a private chat, routed to whichever feature registered them."""

from __future__ import annotations

from bot.core import engine
from bot.core.context import Ctx
from bot.core.replies import Input, Reply
from bot.texts import LANGUAGES, t


def menu_command(ctx: Ctx, text: str) -> str | None:
    """The command a main-menu label stands for, in either language."""
    for key, name in ctx.rt.features.menu.items():
        if any(text == t(lang, key) for lang in LANGUAGES):
            return name
    return None


async def run_command(ctx: Ctx, name: str, args: list[str]) -> list[Reply]:
    fn = ctx.rt.features.commands.get(name)
    if fn is None:
        return [Reply(ctx.t("unknown_command"))]
    return await fn(ctx, args)


async def message(ctx: Ctx, inp: Input) -> list[Reply]:
    """A message that is not a command: a menu label, a flow's answer, or something else.

    Features' fallbacks are asked in the order they were registered; the last one registered
    with ``last=True`` answers whatever nobody took.
    """
    if inp.kind == "text":
        name = menu_command(ctx, inp.text.strip())
        if name is not None:
            return await run_command(ctx, name, [])
    answered = await engine.feed(ctx, inp)
    if answered is not None:
        return answered
    features = ctx.rt.features
    for fallback in (*features.fallbacks, *features.last_fallbacks):
        answered = await fallback(ctx, inp)
        if answered is not None:
            return answered
    return [Reply(ctx.t("stray_text_unregistered"))]
