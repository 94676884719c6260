"""Enterprise users in their private chat with the bot."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot import browse, front
from bot.context import Ctx
from bot.flows import engine
from bot.replies import Reply, notice
from bot.texts import language_of, t
from handlers.common import App, Context, input_of, unit

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
    app.add_handler(MessageHandler(
        PRIVATE & ((filters.TEXT & ~filters.COMMAND) | filters.CONTACT | filters.Document.ALL
                   | filters.PHOTO | filters.Sticker.ALL | filters.VOICE | filters.LOCATION),
        on_message,
    ))


def register_fallbacks(app: App) -> None:
    """Last in line: a button nobody handles still gets an answer."""
    app.add_handler(CallbackQueryHandler(on_stale_button))
