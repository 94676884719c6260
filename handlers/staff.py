"""The staff group: request cards' buttons, officers' replies, and the staff commands.

Only members of the staff group act on cards. Membership is asked of Telegram before the
unit of work opens, so no database transaction waits on a network call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import staff
from bot.context import Ctx
from bot.replies import Reply
from bot.texts import language_of, t
from handlers.common import App, Context, input_of, is_anonymous_admin, is_staff, unit


class ChatCallbackHandler(CallbackQueryHandler[Context, None]):
    """A callback handler for buttons pressed in private chats only, or in groups only."""

    def __init__(self, callback: Any, pattern: str, *, private: bool) -> None:
        super().__init__(callback, pattern=pattern)
        self.private = private

    def check_update(self, update: object) -> Any:
        if not isinstance(update, Update) or update.effective_chat is None:
            return None
        if (update.effective_chat.type == "private") != self.private:
            return None
        return super().check_update(update)


def _lang(update: Update) -> str:
    user = update.effective_user
    return language_of(user.language_code if user else None)


@unit
async def _button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    return await staff.button(ctx, input_of(update).data)


async def on_button(update: Update, context: Context) -> None:
    """Claim, unclaim, transfer, resolve or note a request from its card."""
    query = update.callback_query
    assert query is not None
    if is_anonymous_admin(update):
        await query.answer(t(_lang(update), "staff_act_as_yourself"), show_alert=True)
        return
    if not await is_staff(context, query.from_user.id):
        await query.answer(t(_lang(update), "not_allowed"), show_alert=True)
        return
    data = query.data or ""
    if data.startswith("rq:to:"):
        # Only hand a request to someone who is still in the staff group.
        target = staff.parse_id(data.rsplit(":", 1)[-1])
        if target is None or not await is_staff(context, target):
            await query.answer(t(_lang(update), "stale_button"))
            return
    await _button(update, context)


@unit
async def _reply(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    return await staff.group_reply(ctx, input_of(update), anonymous=is_anonymous_admin(update))


async def on_group_reply(update: Update, context: Context) -> None:
    """Relay an officer's reply on a request's message to the company, or keep it as a note."""
    staff_chat = context.rt.settings.staff_chat_id
    if staff_chat is None or update.effective_chat is None:
        return
    await _reply(update, context)


@unit
async def _command(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    message = update.effective_message
    assert message is not None
    assert message.text
    head, *args = message.text.split()
    name = head[1:].split("@")[0].lower()
    return await staff.STAFF_COMMANDS[name](ctx, args)


async def on_staff_command(update: Update, context: Context) -> None:
    """/queue, /mine, /find, /history: for staff members, in the group or in private."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or is_anonymous_admin(update):
        return
    if not await is_staff(context, user.id):
        if chat.type == "private":
            await context.bot.send_message(chat.id, t(_lang(update), "unknown_command"))
        return
    await _command(update, context)


def register(app: App) -> None:
    app.add_handler(ChatCallbackHandler(on_button, r"^rq:", private=False))
    app.add_handler(CommandHandler(list(staff.STAFF_COMMANDS), on_staff_command))
    app.add_handler(MessageHandler(
        filters.ChatType.GROUPS & filters.REPLY & ~filters.COMMAND
        & (filters.TEXT | filters.PHOTO | filters.Document.ALL),
        on_group_reply,
    ))
