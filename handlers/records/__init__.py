"""The Telegram side of growth records: /company, /tag, /untag, /note, /followup and the
records' buttons, for members of the staff group, in the staff group only."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CommandHandler

from bot.core.context import Ctx
from bot.core.payloads import RECORD, pattern
from bot.core.replies import Reply
from bot.records import STAFF_COMMANDS, buttons
from handlers.core.plumbing import App, ChatCallbackHandler, Context, command_of, input_of
from handlers.core.staff import staff_unit


async def _command(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    name, args = command_of(update)
    return await STAFF_COMMANDS[name](ctx, args)


async def _button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    return await buttons.press(ctx, input_of(update).data)


# A company's record is for officers, in their group: anyone else is told so, politely.
on_command = staff_unit(_command, refusal="gr_staff_only")
on_button = staff_unit(_button)


def setup(app: App) -> None:
    app.add_handler(CommandHandler(list(STAFF_COMMANDS), on_command))
    app.add_handler(ChatCallbackHandler(on_button, pattern(RECORD), private=False))
