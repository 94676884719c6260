"""Wiring a python-telegram-bot ``Application`` to a :class:`BotApiEmulator`.

::

    async with BotApiEmulator() as emu:
        app = application_builder(emu).build()
        app.add_handler(...)
        async with polling(app):
            emu.send_text(alice, "/start")
            reply = await emu.next_message(alice)
"""

from __future__ import annotations

import contextlib
from typing import Any, TypeVar

from telegram.ext import Application, ApplicationBuilder

from bot.delivery.lifecycle import running

from .emulator import BotApiEmulator

__all__ = ["application_builder", "polling"]

AppT = TypeVar("AppT", bound=Application[Any, Any, Any, Any, Any, Any])


def application_builder(emu: BotApiEmulator) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """An ``ApplicationBuilder`` with token, ``base_url`` and ``base_file_url`` of ``emu``
    (the emulator must be running)."""
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.api_base_url)
        .base_file_url(emu.file_base_url)
    )
    return builder


def polling(app: AppT, *, poll_timeout: int = 1) -> contextlib.AbstractAsyncContextManager[AppT]:
    """``app`` started with long polling (``poll_timeout`` seconds per getUpdates) for the
    ``async with`` block: the bot's own lifecycle, so the emulator starts an Application
    exactly as ``frontdoor run`` does."""
    return running(app, poll_timeout=poll_timeout)
