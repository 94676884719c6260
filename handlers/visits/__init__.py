"""The Telegram side of visits: the company's visit buttons, the officers' roster."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core.context import Ctx
from bot.core.payloads import BOOKING, ROSTER, pattern
from bot.core.replies import Reply, notice
from bot.visits import flow, roster
from handlers.core.plumbing import App, Context, input_of, unit
from handlers.core.staff import staff_unit


@unit
async def on_booking_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Book from a service card, cancel, reschedule, accept a held seat, or rebook."""
    return await flow.press(ctx, input_of(update).data)


def _arg(update: Update) -> str | None:
    message = update.effective_message
    parts = (message.text or "").split() if message else []
    return parts[1] if len(parts) > 1 else None


async def _today(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Show today's visits per station to an officer."""
    return await roster.today(ctx, _arg(update))


async def _week(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Show this week's visits per station to an officer."""
    return await roster.week(ctx, _arg(update))


async def _roster_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Record attendance, or approve or decline a booking held for approval."""
    _, action, ident = [*input_of(update).data.split(":"), "", ""][:3]
    if not ident.isdigit():
        return [notice(ctx.t("stale_button"))]
    if action in roster.ATTENDANCE:
        return await roster.mark(ctx, action, int(ident))
    return await roster.decide(ctx, action, int(ident))


def setup(app: App) -> None:
    # Before the core's catch-all, which takes every command typed in a private chat.
    app.add_handler(CommandHandler("today", staff_unit(_today, refusal="ro_staff_only")))
    app.add_handler(CommandHandler("week", staff_unit(_week, refusal="ro_staff_only")))
    app.add_handler(CallbackQueryHandler(staff_unit(_roster_button), pattern=pattern(ROSTER)))
    app.add_handler(CallbackQueryHandler(on_booking_button, pattern=pattern(BOOKING)))
