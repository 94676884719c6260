"""Telegram in, Telegram out. Each module registers its handlers; nothing happens on import."""

from __future__ import annotations

import importlib
import logging
from typing import Any

log = logging.getLogger(__name__)

# Domain modules whose commands, jobs and fallbacks join the tables when imported.
FEATURES = (
    "bot.front", "bot.admin", "bot.flows.onboarding", "bot.requests", "bot.flows.intake",
    "bot.flows.booking", "bot.roster",
)


async def on_error(update: object, context: Any) -> None:
    """Log the failure; tell the person their action was not applied (it was rolled back)."""
    from telegram import Update

    from bot.texts import language_of, t

    log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_user is None:
        return
    text = t(language_of(update.effective_user.language_code), "internal_error")
    try:
        if update.callback_query is not None:
            # Otherwise the button keeps spinning until Telegram gives up on it.
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(text)
    except Exception:
        log.warning("could not tell the user about the failure", exc_info=True)


def register_all(app: Any) -> None:
    """Register every audience's handlers, most specific first."""
    from handlers import booking, enterprise, requests, roster, staff

    for name in FEATURES:
        importlib.import_module(name)
    # Before the enterprise's handlers: staff commands (/queue, /today …) would otherwise be
    # taken as unknown enterprise commands in private chats.
    staff.register(app)
    roster.register(app)
    requests.register(app)
    booking.register(app)
    enterprise.register(app)
    app.add_error_handler(on_error)
    # Last: whatever nobody else took still gets an answer.
    enterprise.register_fallbacks(app)
