"""Officers: today's and this week's visits, attendance, approvals after no-shows."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import roster
from bot.context import Ctx
from bot.replies import Reply, notice
from handlers.common import App, Context, input_of, staff_unit


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


on_today = staff_unit(_today, refusal="ro_staff_only")
on_week = staff_unit(_week, refusal="ro_staff_only")
on_roster_button = staff_unit(_roster_button)


def register(app: App) -> None:
    # Before the enterprise handlers: they take every command typed in a private chat.
    app.add_handler(CommandHandler("today", on_today))
    app.add_handler(CommandHandler("week", on_week))
    app.add_handler(CallbackQueryHandler(on_roster_button, pattern=r"^ro:"))
