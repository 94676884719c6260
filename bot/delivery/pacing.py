"""Telegram's flood limits kept in this process, with interactive messages first.

PTB's ``AIORateLimiter`` is a leaky bucket: after a quiet moment it lets 30 messages through
at once and then 30 a second more, so a sliding second can see nearly 60, and Telegram (or
the emulator) answers 429. This limiter counts the sends of the last second itself: at most
30 in any window of a second (each counted until a second after Telegram answered it), and
at most 20 a minute in each group. What the
outbox sends from its bulk lane (notices, reminder rounds: ``SENDING_LANE``, or
``rate_limit_args=BULK``) waits while any other send waits, so a person's answer never
queues behind a notice.

Only methods that post a message count (``sendMessage``, ``sendPhoto``, ``copyMessage``, …),
as Telegram counts them; edits, reactions and callback answers pass unpaced. A ``RetryAfter``
reaches the caller (the outbox reschedules), and holds every send for as long as it says.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.core.waiting import wait_at_most

INTERACTIVE, BULK = 0, 1
# The outbox lane of what this task sends (the dispatcher sets it per chat it delivers to).
SENDING_LANE: ContextVar[int] = ContextVar("sending_lane", default=INTERACTIVE)
# What Telegram counts against its limits, for every limiter (edits, answers to button
# presses and reactions are not messages).
SEND_METHODS = frozenset({
    "sendMessage", "sendDocument", "sendPhoto", "sendVideo", "sendAudio", "sendAnimation",
    "sendVoice", "sendVideoNote", "sendSticker", "sendMediaGroup", "sendLocation", "sendVenue",
    "sendContact", "sendPoll", "sendDice", "copyMessage", "copyMessages", "forwardMessage",
    "forwardMessages",
})


class LaneRateLimiter(BaseRateLimiter[int]):
    def __init__(self, per_second: int = 30, *, margin: float = 0.0,
                 group_per_minute: int = 20) -> None:
        self.per_second = per_second
        self.period = 1.0 + margin
        self.group_per_minute = group_per_minute
        # One cell per send of the last second: when its place was taken, and once Telegram
        # answered, when that was. Telegram counted it somewhere in between, so a send
        # counts here until a second after its answer, never less than Telegram counts it.
        self._sent: list[list[float]] = []
        self._waiting = [0, 0]
        self._cond: asyncio.Condition | None = None
        self._groups: dict[str, list[list[float]]] = {}
        self._hold_until = 0.0

    async def initialize(self) -> None:
        self._cond = asyncio.Condition()

    async def shutdown(self) -> None:
        self._groups.clear()

    def _delay(self, now: float) -> float:
        if now < self._hold_until:
            return self._hold_until - now
        self._sent = [cell for cell in self._sent if cell[0] > now - self.period]
        if len(self._sent) < self.per_second:
            return 0.0
        return min(cell[0] for cell in self._sent) + self.period - now

    async def _slot(self, lane: int) -> list[float]:
        """Wait for a place among the last second's sends; other lanes go before bulk."""
        if self._cond is None:
            self._cond = asyncio.Condition()
        loop = asyncio.get_running_loop()
        cond = self._cond
        async with cond:
            self._waiting[lane] += 1
            try:
                while True:
                    if lane == BULK and self._waiting[INTERACTIVE]:
                        await cond.wait()
                        continue
                    delay = self._delay(loop.time())
                    if delay <= 0:
                        cell = [loop.time()]
                        self._sent.append(cell)
                        return cell
                    await wait_at_most(cond.wait(), delay)
            finally:
                self._waiting[lane] -= 1
                cond.notify_all()

    async def _group_slot(self, chat_id: int | str) -> list[float]:
        """A place among the group's sends of the last minute (20), the same way."""
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            sent = [c for c in self._groups.get(str(chat_id), []) if c[0] > now - 60]
            self._groups[str(chat_id)] = sent
            if len(sent) < self.group_per_minute:
                cell = [now]
                sent.append(cell)
                return cell
            await asyncio.sleep(min(c[0] for c in sent) + 60 - now)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        cells: list[list[float]] = []
        if endpoint in SEND_METHODS and chat_id is not None:
            lane = BULK if BULK in (rate_limit_args, SENDING_LANE.get()) else INTERACTIVE
            if str(chat_id).startswith("-"):
                cells.append(await self._group_slot(chat_id))
            cells.append(await self._slot(lane))
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay if isinstance(delay, (int, float)) else delay.total_seconds()
            self._hold_until = max(self._hold_until,
                                   asyncio.get_running_loop().time() + float(seconds))
            raise
        finally:
            for cell in cells:
                cell[0] = asyncio.get_running_loop().time()
