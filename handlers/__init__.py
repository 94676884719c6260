"""Telegram in, Telegram out. Each module registers its handlers; nothing happens on import."""

from __future__ import annotations

import importlib
from typing import Any

# Domain modules whose commands, jobs and fallbacks join the tables when imported.
FEATURES = ("bot.front", "bot.admin")


def register_all(app: Any) -> None:
    """Register every audience's handlers, most specific first."""
    from handlers import enterprise

    for name in FEATURES:
        importlib.import_module(name)
    enterprise.register(app)
    # Last: whatever nobody else took still gets an answer.
    enterprise.register_fallbacks(app)
