"""Enterprises' buttons around window visits (the booking flow's own buttons go to the engine)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import Ctx
from bot.flows import booking as booking_flow
from bot.replies import Reply
from handlers.common import App, Context, input_of, unit


@unit
async def on_booking_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Book from a service card, cancel, reschedule, accept a held seat, or rebook."""
    return await booking_flow.press(ctx, input_of(update).data)


def register(app: App) -> None:
    app.add_handler(CallbackQueryHandler(on_booking_button, pattern=r"^bk:"))
