"""Enterprise users in their private chat with the bot."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot import browse, enterprise, front
from bot.context import Ctx
from bot.flows import engine
from bot.replies import Reply, notice
from bot.texts import language_of, t
from handlers.common import App, Context, input_of, is_anonymous_admin, is_staff, unit

PRIVATE = filters.ChatType.PRIVATE


@unit
async def on_command(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Run the typed command through the domain's command table."""
    message = update.effective_message
    assert message is not None
    assert message.text
    head, *args = message.text.split()
    return await front.run_command(ctx, head[1:].split("@")[0].lower(), args)


@unit
async def on_message(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Give text, contacts and files to the conversation in progress, or hint what to do."""
    return await front.message(ctx, input_of(update))


@unit
async def on_flow_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Answer a step of the conversation in progress."""
    return await engine.feed(ctx, input_of(update)) or [notice(ctx.t("stale_button"))]


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


@unit
async def _decide_as_officer(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    return await enterprise.decide_join(ctx, input_of(update).data, staff=True)


async def on_join_decision(update: Update, context: Context) -> None:
    """Let a colleague join the company, or not: its contacts decide, officers when none is left.

    Staff membership is asked of Telegram before the unit of work opens.
    """
    chat = update.effective_chat
    query = update.callback_query
    if chat is None or query is None:
        return
    if chat.type == "private":
        await _decide_as_contact(update, context)
    else:
        lang = language_of(query.from_user.language_code)
        if is_anonymous_admin(update):
            await query.answer(t(lang, "staff_act_as_yourself"), show_alert=True)
        elif not await is_staff(context, query.from_user.id):
            await query.answer(t(lang, "not_allowed"), show_alert=True)
        else:
            await _decide_as_officer(update, context)


async def on_stale_button(update: Update, context: Context) -> None:
    """Any button nobody handles: forged, or from a screen that no longer exists."""
    query = update.callback_query
    if query is not None:
        await query.answer(t(language_of(query.from_user.language_code), "stale_button"))


def register(app: App) -> None:
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, on_command))
    app.add_handler(CallbackQueryHandler(on_flow_button, pattern=r"^f:"))
    app.add_handler(CallbackQueryHandler(on_browse, pattern=r"^(c|s):"))
    app.add_handler(CallbackQueryHandler(on_language, pattern=r"^lang:"))
    app.add_handler(CallbackQueryHandler(on_profile_edit, pattern=r"^pf:edit$"))
    app.add_handler(CallbackQueryHandler(on_join_decision, pattern=r"^jn:"))
    app.add_handler(MessageHandler(
        PRIVATE & ((filters.TEXT & ~filters.COMMAND) | filters.CONTACT | filters.Document.ALL
                   | filters.PHOTO | filters.Sticker.ALL | filters.VOICE | filters.LOCATION),
        on_message,
    ))


def register_fallbacks(app: App) -> None:
    """Last in line: a button nobody handles still gets an answer."""
    app.add_handler(CallbackQueryHandler(on_stale_button))
