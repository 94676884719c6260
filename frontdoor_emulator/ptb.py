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
from collections.abc import AsyncIterator
from typing import Any, TypeVar

from telegram.ext import Application, ApplicationBuilder

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


@contextlib.asynccontextmanager
async def polling(app: AppT, *, poll_timeout: int = 1) -> AsyncIterator[AppT]:
    """Initialize and start ``app`` with long polling (``poll_timeout`` seconds per
    getUpdates); stop and shut it down on exit."""
    if app.updater is None:
        raise ValueError("the application was built without an updater")
    await app.initialize()
    try:
        await app.start()
        try:
            await app.updater.start_polling(poll_interval=0, timeout=poll_timeout)
            try:
                yield app
            finally:
                await app.updater.stop()
        finally:
            await app.stop()
    finally:
        await app.shutdown()
