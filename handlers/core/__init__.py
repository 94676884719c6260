"""The Telegram side of the core: private commands, messages and flow buttons routed to the
features' tables, the error handler, and an answer for any button nobody took."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.core import commands, engine
from bot.core.context import Ctx, background_work, follow_staff_group
from bot.core.metrics import OUTCOME
from bot.core.payloads import DRAFT, FLOW, pattern
from bot.core.replies import Reply, notice
from bot.texts import t
from handlers.core.plumbing import (
    AnswerNotShown,
    App,
    Context,
    command_of,
    input_of,
    lang_of,
    log,
    unit,
)

# New messages only: an edit is a feature's business (requests relay them) or nobody's.
PRIVATE = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
# Bots can download files up to 20 MB; the first bytes are all a check needs.
DOWNLOAD_LIMIT = 20 * 1024 * 1024
HEAD_BYTES = 8192


@unit
async def on_command(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Run the typed command through the features' command table."""
    name, args = command_of(update)
    return await commands.run_command(ctx, name, args)


@unit
async def _message(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    return await commands.message(ctx, input_of(update, head=context.upload_head))


async def on_message(update: Update, context: Context) -> None:
    """Give text, contacts and files to the conversation in progress, or to a feature.

    A document's first bytes are fetched first, outside any transaction, so the domain can
    tell a program from the PDF its name claims to be; the file is not kept anywhere.
    """
    message = update.effective_message
    document = message.document if message is not None else None
    if document is not None and (document.file_size or 0) <= DOWNLOAD_LIMIT:
        try:
            stored = await context.bot.get_file(document.file_id)
            context.upload_head = bytes(await stored.download_as_bytearray())[:HEAD_BYTES]
        except TelegramError:
            log.warning("could not fetch document %s to check it", document.file_unique_id)
    await _message(update, context)


@unit
async def on_flow_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Answer a step of the conversation in progress."""
    return await engine.feed(ctx, input_of(update)) or [notice(ctx.t("stale_button"))]


@unit
async def on_draft_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Go on with a half-filled form, or give it up for what was asked for meanwhile."""
    return await engine.settle_draft(ctx, input_of(update).data.removeprefix(DRAFT))


async def on_migrate(update: Update, context: Context) -> None:
    """A group became a supergroup: if it was the staff group, follow it at once."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    if message.migrate_to_chat_id:
        old, new = chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, chat.id
    else:
        return
    async with background_work(context.rt) as ctx:
        if await follow_staff_group(ctx, old, new):
            log.info("the staff group moved from %s to %s", old, new)


async def on_stale_button(update: Update, context: Context) -> None:
    """Any button nobody handles: forged, or from a screen that no longer exists."""
    query = update.callback_query
    if query is not None:
        await query.answer(t(lang_of(update), "stale_button"))


async def on_error(update: object, context: Any) -> None:
    """Log the failure; tell the person whether their action was applied: rolled back, or
    committed with only its answer lost (then they must not do it again)."""
    log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
    OUTCOME.set("error")
    if not isinstance(update, Update) or update.effective_user is None:
        return
    key = "answer_not_shown" if isinstance(context.error, AnswerNotShown) else "internal_error"
    text = t(lang_of(update), key)
    try:
        if update.callback_query is not None:
            # Otherwise the button keeps spinning until Telegram gives up on it.
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(text)
    except Exception:
        log.warning("could not tell the user about the failure", exc_info=True)


def setup(app: App) -> None:
    """Register the catch-alls; call it after every feature's handlers."""
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, on_command))
    app.add_handler(CallbackQueryHandler(on_flow_button, pattern=pattern(FLOW)))
    app.add_handler(CallbackQueryHandler(on_draft_button, pattern=pattern(DRAFT)))
    app.add_handler(MessageHandler(
        PRIVATE & ((filters.TEXT & ~filters.COMMAND) | filters.CONTACT | filters.Document.ALL
                   | filters.PHOTO | filters.Sticker.ALL | filters.VOICE | filters.LOCATION),
        on_message,
    ))
    app.add_error_handler(on_error)
    # Last: a button nobody else took still gets an answer.
    app.add_handler(CallbackQueryHandler(on_stale_button))
