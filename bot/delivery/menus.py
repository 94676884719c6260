"""The "/" menu Telegram shows each person: set per scope at start-up, in Chinese and English.

Enterprises see their commands in private chats, the staff group sees the officers', and each
admin sees theirs on top of the enterprise's.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.core.settings import Settings
from bot.texts import LANGUAGES, t

log = logging.getLogger(__name__)

ENTERPRISE = ("start", "services", "new", "requests", "book", "bookings", "events", "profile",
              "members", "settings", "language", "help", "cancel")
OFFICER = ("queue", "mine", "find", "history", "today", "week", "attendees", "recall", "s",
           "report", "company", "tag", "untag", "note", "followup", "help")
ADMIN = ("reload", "audit", "poster", "report", "notice", "notices")


def commands(names: tuple[str, ...], lang: str) -> list[BotCommand]:
    return [BotCommand(name, t(lang, f"cmd_{name}")) for name in names]


async def set_command_menus(bot: Any, settings: Settings, staff_chat: int | None) -> None:
    """Tell Telegram each audience's commands; a refusal is logged, never fatal."""
    scopes: list[tuple[Any, tuple[str, ...]]] = [(BotCommandScopeAllPrivateChats(), ENTERPRISE)]
    if staff_chat is not None:
        scopes.append((BotCommandScopeChat(staff_chat), OFFICER))
    scopes += [(BotCommandScopeChat(admin), ENTERPRISE + ADMIN)
               for admin in sorted(settings.admin_ids)]
    for scope, names in scopes:
        for lang in LANGUAGES:
            # Chinese is the default; English for people whose Telegram speaks English.
            code = None if lang == "zh" else lang
            try:
                await bot.set_my_commands(commands(names, lang), scope=scope,
                                          language_code=code)
            except TelegramError as exc:
                log.warning("could not set the command menu for %s: %s", scope, exc)
