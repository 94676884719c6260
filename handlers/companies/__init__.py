"""The Telegram side of companies: the catalogue walk, language, profile, join decisions."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.companies import browse, enterprise, front
from bot.core.context import Ctx
from bot.core.payloads import CATEGORY, JOIN, LANGUAGE, PROFILE_EDIT, SERVICE, pattern
from bot.core.replies import Reply
from handlers.core.plumbing import App, Context, input_of, unit
from handlers.core.staff import staff_unit


@unit
async def on_browse(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Walk the catalogue, editing the screen in place."""
    return [browse.press(ctx.cat, ctx.lang, input_of(update).data)]


@unit
async def on_language(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Store the language picked from /language."""
    return await front.set_language(ctx, input_of(update).data.partition(":")[2])


@unit
async def on_profile_edit(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Open the profile editor."""
    return await front.edit_profile(ctx)


@unit
async def _decide_as_contact(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    return await enterprise.decide_join(ctx, input_of(update).data, staff=False)


async def _decide_as_officer(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    return await enterprise.decide_join(ctx, input_of(update).data, staff=True)


_decide_for_company = staff_unit(_decide_as_officer)


async def on_join_decision(update: Update, context: Context) -> None:
    """Let a colleague join the company, or not: its contacts decide, officers when none is left."""
    chat = update.effective_chat
    if chat is None or update.callback_query is None:
        return
    if chat.type == "private":
        await _decide_as_contact(update, context)
    else:
        await _decide_for_company(update, context)


def setup(app: App) -> None:
    app.add_handler(CallbackQueryHandler(on_browse, pattern=pattern(CATEGORY, SERVICE)))
    app.add_handler(CallbackQueryHandler(on_language, pattern=pattern(LANGUAGE)))
    app.add_handler(CallbackQueryHandler(on_profile_edit, pattern=f"^{PROFILE_EDIT}$"))
    app.add_handler(CallbackQueryHandler(on_join_decision, pattern=pattern(JOIN)))
