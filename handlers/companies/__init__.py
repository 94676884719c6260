"""The Telegram side of companies: the catalogue walk, language, profile, join decisions."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.companies import browse, enterprise, front
from bot.core.context import Ctx
from bot.core.payloads import CATEGORY, JOIN, LANGUAGE, PROFILE_EDIT, SERVICE, SUGGESTION, pattern
from bot.core.replies import Reply
from handlers.core.plumbing import App, Context, input_of, unit
from handlers.core.staff import is_staff, staff_only, staff_unit


@unit
async def on_browse(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Walk the catalogue, editing the screen in place."""
    return [browse.press(ctx.cat, ctx.lang, input_of(update).data)]


@unit
async def on_suggestion(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Show a service offered for a typed question, under the offer."""
    return [browse.suggested(ctx.cat, ctx.lang, input_of(update).data)]


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


@unit
async def _private_help(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    return front.help_for(ctx, officer=bool(context.officer))


async def on_private_help(update: Update, context: Context) -> None:
    """/help in private: an officer's help too when the person is in the staff group."""
    user = update.effective_user
    context.officer = user is not None and await is_staff(context, user.id)
    await _private_help(update, context)


@unit
async def _group_help(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    return front.help_for(ctx, officer=True, enterprise=False)


# /help and /start in the staff group: the officers' help (strangers elsewhere get nothing).
on_group_help = staff_only(_group_help, silent_in_groups=True)


def setup(app: App) -> None:
    app.add_handler(CommandHandler("help", on_private_help, filters=filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler(["help", "start"], on_group_help,
                                   filters=filters.ChatType.GROUPS))
    app.add_handler(CallbackQueryHandler(on_browse, pattern=pattern(CATEGORY, SERVICE)))
    app.add_handler(CallbackQueryHandler(on_suggestion, pattern=pattern(SUGGESTION)))
    app.add_handler(CallbackQueryHandler(on_language, pattern=pattern(LANGUAGE)))
    app.add_handler(CallbackQueryHandler(on_profile_edit, pattern=f"^{PROFILE_EDIT}$"))
    app.add_handler(CallbackQueryHandler(on_join_decision, pattern=pattern(JOIN)))
