"""The Telegram side of requests: the cards' buttons, officers' replies and commands in the staff
group, and the company's request buttons in its private chat."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.core.context import Ctx
from bot.core.payloads import REQUEST, pattern
from bot.core.replies import Reply
from bot.requests import officers, relay_edit
from handlers.core.plumbing import App, ChatCallbackHandler, Context, input_of, unit
from handlers.core.staff import member_in_staff_group
from handlers.requests import enterprise, staff


@unit
async def _edited(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    return await relay_edit(ctx, input_of(update))


async def on_edit(update: Update, context: Context) -> None:
    """A relayed message was edited: the other side sees the new wording. In a group, only
    an officer's edit in the staff group counts."""
    chat = update.effective_chat
    if chat is None:
        return
    if chat.type != "private" and not await member_in_staff_group(update, context):
        return
    await _edited(update, context)


def setup(app: App) -> None:
    # First: an edit must never be taken for a new message by the handlers below.
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, on_edit))
    app.add_handler(ChatCallbackHandler(staff.on_card_button, pattern(REQUEST), private=False))
    app.add_handler(CommandHandler(list(officers.STAFF_COMMANDS), staff.on_staff_command))
    app.add_handler(CommandHandler(list(staff.REPLY_COMMANDS), staff.on_staff_reply_command))
    app.add_handler(MessageHandler(
        filters.UpdateType.MESSAGE & filters.ChatType.GROUPS & filters.REPLY & ~filters.COMMAND
        & (filters.TEXT | filters.PHOTO | filters.Document.ALL),
        staff.on_group_reply,
    ))
    app.add_handler(ChatCallbackHandler(enterprise.on_button, pattern(REQUEST), private=True))
