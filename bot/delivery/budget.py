"""The send budget every replica shares (PostgreSQL), for direct answers as for the outbox.

Telegram counts one bot's messages, whichever process sends them: about 30 a second in all
and 20 a minute per group. Each send takes the next free moment of its scopes in the
database (``send_slots``) and waits for it. The outbox dispatcher takes its moment itself
(and pushes a scope on for everyone when Telegram says wait); the bot's direct answers to a
person's action take theirs through :class:`SharedBudget`, PTB's rate limiter hook.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram.ext import BaseRateLimiter

from bot.core.runtime import Runtime
from bot.delivery.pacing import SEND_METHODS
from storage.core.repos import SendSlots

# A send that wakes more than LATE seconds after its moment takes a new one (at most
# LATE_TRIES moments in all, then it goes: a process that is always late still sends).
LATE = 0.05
LATE_TRIES = 3
# Set by the dispatcher around a send whose moment it has taken already.
BUDGETED: ContextVar[bool] = ContextVar("send_budgeted", default=False)



async def take_send_slot(rt: Runtime, chat_id: int) -> None:
    """Take this send's place in the shared budget and wait for it: a group's own, then
    everyone's. Real time, whatever clock the runtime keeps: it is Telegram's limit."""
    settings = rt.settings
    scopes = [("all", timedelta(seconds=1 / settings.send_per_second))]
    if chat_id < 0:
        scopes.insert(0, (f"chat:{chat_id}",
                          timedelta(seconds=60 / settings.send_group_per_minute)))
    for scope, gap in scopes:
        for attempt in range(LATE_TRIES):
            async with rt.db.session() as s:
                at = await SendSlots(s).take(scope, gap, datetime.now(UTC))
            wait = (at - datetime.now(UTC)).total_seconds()
            if wait > 0:
                rt.metrics.budget_wait.observe(wait)
                await asyncio.sleep(wait)
            late = (datetime.now(UTC) - at).total_seconds()
            if late <= LATE or attempt == LATE_TRIES - 1:
                break
            # This process woke long after its moment (a busy loop): the sends whose moments
            # passed meanwhile would leave together, more in a second than the budget allows.
            # A later moment is taken instead (the missed one stays unused).


class SharedBudget(BaseRateLimiter[dict[str, Any]]):
    """PTB's rate limiter for replicas: every message sent outside the outbox takes its place
    in the budget the replicas share; nothing is retried here (a RetryAfter reaches the
    caller, as with ``AIORateLimiter(max_retries=0)``)."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    async def initialize(self) -> None:
        """Nothing to set up: the budget lives in the database."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        if endpoint in SEND_METHODS and not BUDGETED.get() and isinstance(chat_id, int | str):
            try:
                chat = int(chat_id)
            except ValueError:
                chat = -1  # a channel's @username: a group's limit applies
            await take_send_slot(self.rt, chat)
        return await callback(*args, **kwargs)
