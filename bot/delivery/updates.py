"""How updates come in and calls go out: per-chat ordering of updates, and the transport."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor
from telegram.request import BaseRequest, HTTPXRequest

from bot.core.logs import REFERENCE
from bot.core.metrics import OUTCOME, Metrics
from bot.core.settings import Settings
from bot.delivery.transport import AiohttpRequest

log = logging.getLogger(__name__)

# A chat with more updates than this waiting is flooding; each of its updates then yields
# this long first (about 50 a second: a person typing never comes near it).
FLOOD_BACKLOG = 20
FLOOD_PAUSE = 0.02
# PTB's own semaphore, opened wide: PerChatUpdateProcessor counts its workers itself.
UNLIMITED = 1 << 30


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Handles updates concurrently across chats but strictly in order within a chat.

    A person's second message must not overtake their first (the flow engine would see the
    answers out of order); different people never wait for each other. In a group that
    means each member in order: the officers of a busy staff group work side by side (their
    conversations are kept per person, and their races are settled by the database).

    The order matters: a chat's turn is taken *before* a worker slot. PTB's own limit is
    taken first, so one person's thousand queued messages held every slot while they
    waited for their chat's lock, and everyone else waited behind them. Here PTB's gate is
    made wide and the workers are counted after the chat's turn: a chat's backlog holds at
    most one slot.
    """

    def __init__(self, max_concurrent_updates: int = 256, *,
                 metrics: Metrics | None = None) -> None:
        super().__init__(UNLIMITED)
        self.metrics = metrics
        self._workers = asyncio.Semaphore(max_concurrent_updates)
        self._locks: defaultdict[Hashable, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._waiting: defaultdict[Hashable, int] = defaultdict(int)

    @staticmethod
    def _key(update: object) -> Hashable:
        if isinstance(update, Update):
            chat, user = update.effective_chat, update.effective_user
            if chat is not None:
                if chat.type != "private" and user is not None:
                    return (chat.id, user.id)
                return chat.id
            if user is not None:
                return user.id
        return 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self._key(update)
        self._waiting[key] += 1
        try:
            async with self._locks[key]:
                if self._waiting[key] > FLOOD_BACKLOG:
                    # This chat is flooding: its next update waits a moment, so everyone
                    # else's updates (and the next getUpdates) are not queued behind it.
                    await asyncio.sleep(FLOOD_PAUSE)
                async with self._workers:
                    await self._measured(update, coroutine)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                self._locks.pop(key, None)

    async def _measured(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Handle the update, count it, and write the one line an operator reads about it:
        id, kind, chat, outcome, time and the request it was about; never its text."""
        kind = update_kind(update)
        token = OUTCOME.set("handled")
        about = REFERENCE.set(None)
        started = time.perf_counter()
        try:
            await coroutine
        finally:
            outcome = OUTCOME.get()
            OUTCOME.reset(token)
            reference = REFERENCE.get()
            REFERENCE.reset(about)
            elapsed = time.perf_counter() - started
            if self.metrics is not None:
                self.metrics.updates.labels(kind, outcome).inc()
                self.metrics.update_seconds.labels(kind).observe(elapsed)
            if isinstance(update, Update):
                chat = update.effective_chat
                log.info("update %s %s chat %s: %s in %.1f ms%s", update.update_id, kind,
                         chat.id if chat else "-", outcome, elapsed * 1000,
                         f" request {reference}" if reference else "",
                         extra={"reference": reference})

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def update_kind(update: object) -> str:
    """``message``, ``edited_message``, ``callback_query`` or ``other``: a label, no content."""
    if isinstance(update, Update):
        for kind in ("callback_query", "edited_message", "message"):
            if getattr(update, kind) is not None:
                return kind
    return "other"


def transports(settings: Settings) -> tuple[BaseRequest, BaseRequest]:
    """(calls, long polls): aiohttp, unless the settings ask for PTB's httpx."""
    if settings.http_transport == "httpx":
        # PTB's own defaults: 256 connections for calls, one for getUpdates.
        return HTTPXRequest(connection_pool_size=256), HTTPXRequest()
    # getUpdates runs one long poll at a time: one connection is all it needs.
    return AiohttpRequest(), AiohttpRequest(connection_pool_size=1)
