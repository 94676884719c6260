"""The Telegram side of events: the company's event buttons, an officer's scan of a check-in
pass (in their own chat), and the attendee list in the staff group."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.core.context import Ctx
from bot.core.payloads import EVENT, EVENT_STAFF, pattern
from bot.core.replies import Reply
from bot.events import STAFF_COMMANDS, checkin, signup
from bot.events.common import LINK_PREFIX
from handlers.core.plumbing import (
    App,
    ChatCallbackHandler,
    Context,
    command_of,
    input_of,
    unit,
)
from handlers.core.staff import is_staff, staff_unit

# /start ev-<token> in a private chat: a check-in pass, opened by scanning its QR code.
PASS = filters.ChatType.PRIVATE & filters.Regex(rf"^/start(@\w+)?\s+{LINK_PREFIX}")


@unit
async def on_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Open the list or an event's card, sign up, cancel, or get the pass again."""
    return await signup.press(ctx, input_of(update).data)


@unit
async def _scan(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    _, args = command_of(update)
    token = args[0].removeprefix(LINK_PREFIX) if args else ""
    return await checkin.scan(ctx, token, officer=bool(context.officer))


async def on_pass(update: Update, context: Context) -> None:
    """Check in the holder of a pass; only an officer's scan counts (asked of Telegram
    before the unit of work opens)."""
    user = update.effective_user
    context.officer = user is not None and await is_staff(context, user.id)
    await _scan(update, context)


async def _command(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Show an event's attendees, or the events to choose from."""
    name, args = command_of(update)
    return await STAFF_COMMANDS[name](ctx, args)


async def _staff_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Show a list again, mark a company here, or export the list."""
    return await checkin.staff_press(ctx, input_of(update).data)


def setup(app: App) -> None:
    # Before the core's catch-all, which takes every command typed in a private chat (a
    # plain /start included).
    app.add_handler(CommandHandler("start", on_pass, filters=PASS))
    app.add_handler(CommandHandler(list(STAFF_COMMANDS),
                                   staff_unit(_command, refusal="ev_staff_only")))
    app.add_handler(ChatCallbackHandler(staff_unit(_staff_button), pattern(EVENT_STAFF),
                                        private=False))
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(EVENT)))
