"""The Telegram side of requests: the cards' buttons, officers' replies and commands in the staff
group, and the company's request buttons in its private chat."""

from __future__ import annotations

from telegram.ext import CommandHandler, MessageHandler, filters

from bot.core.payloads import REQUEST, pattern
from bot.requests import officers
from handlers.core.plumbing import App, ChatCallbackHandler
from handlers.requests import enterprise, staff


def setup(app: App) -> None:
    app.add_handler(ChatCallbackHandler(staff.on_card_button, pattern(REQUEST), private=False))
    app.add_handler(CommandHandler(list(officers.STAFF_COMMANDS), staff.on_staff_command))
    app.add_handler(MessageHandler(
        filters.ChatType.GROUPS & filters.REPLY & ~filters.COMMAND
        & (filters.TEXT | filters.PHOTO | filters.Document.ALL),
        staff.on_group_reply,
    ))
    app.add_handler(ChatCallbackHandler(enterprise.on_button, pattern(REQUEST), private=True))
