"""Telegram in, Telegram out. Each module registers its handlers; nothing happens on import."""

from __future__ import annotations

import importlib
import logging
from typing import Any

log = logging.getLogger(__name__)

# Domain modules whose commands, jobs and fallbacks join the tables when imported.
FEATURES = (
    "bot.front", "bot.admin", "bot.flows.onboarding", "bot.requests", "bot.flows.intake",
)


async def on_error(update: object, context: Any) -> None:
    """Log the failure; tell the person their action was not applied (it was rolled back)."""
    from telegram import Update

    from bot.texts import language_of, t

    log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat and update.effective_user:
        if update.effective_chat.type != "private":
            return
        lang = language_of(update.effective_user.language_code)
        try:
            await context.bot.send_message(update.effective_chat.id, t(lang, "internal_error"))
        except Exception:
            log.warning("could not tell the user about the failure", exc_info=True)


def register_all(app: Any) -> None:
    """Register every audience's handlers, most specific first."""
    from handlers import enterprise, requests, staff

    for name in FEATURES:
        importlib.import_module(name)
    # Before the enterprise's handlers: staff commands (/queue …) would otherwise be taken
    # as unknown enterprise commands in private chats.
    staff.register(app)
    requests.register(app)
    enterprise.register(app)
    app.add_error_handler(on_error)
    # Last: whatever nobody else took still gets an answer.
    enterprise.register_fallbacks(app)
