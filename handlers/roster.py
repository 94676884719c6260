"""Officers: today's and this week's visits, attendance, approvals after no-shows."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import roster
from bot.context import Ctx
from bot.replies import Reply, notice
from handlers.common import App, Context, input_of, is_anonymous_admin, is_staff, unit


def _arg(update: Update) -> str | None:
    message = update.effective_message
    parts = (message.text or "").split() if message else []
    return parts[1] if len(parts) > 1 else None


@unit
async def on_today(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Show today's visits per station to an officer."""
    if not await is_staff(context, ctx.user.id):
        return [Reply(ctx.t("ro_staff_only"))]
    return await roster.today(ctx, _arg(update))


@unit
async def on_week(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Show this week's visits per station to an officer."""
    if not await is_staff(context, ctx.user.id):
        return [Reply(ctx.t("ro_staff_only"))]
    return await roster.week(ctx, _arg(update))


@unit
async def on_roster_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Record attendance, or approve or decline a booking held for approval."""
    if is_anonymous_admin(update) or not await is_staff(context, ctx.user.id):
        return [notice(ctx.t("not_allowed"), alert=True)]
    _, action, ident = [*input_of(update).data.split(":"), "", ""][:3]
    if not ident.isdigit():
        return [notice(ctx.t("stale_button"))]
    if action in roster.ATTENDANCE:
        return await roster.mark(ctx, action, int(ident))
    return await roster.decide(ctx, action, int(ident))


def register(app: App) -> None:
    # Before the enterprise handlers: they take every command typed in a private chat.
    app.add_handler(CommandHandler("today", on_today))
    app.add_handler(CommandHandler("week", on_week))
    app.add_handler(CallbackQueryHandler(on_roster_button, pattern=r"^ro:"))
