"""Fault injection: scripted failures, outages and Telegram's flood control (429)."""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Hashable

from .base import EmulatorBase
from .errors import ApiError
from .models import FailureRule, JSONDict
from .params import Params

_STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendVideo",
        "sendAudio",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)


def _default_description(status: int, retry_after: int | None) -> str:
    if status == 429 and retry_after is not None:
        return f"Too Many Requests: retry after {retry_after}"
    return _STATUS_TEXT.get(status, "Internal Server Error")


class FaultsMixin(EmulatorBase):
    """Failures the bot's calls run into, on request or when it sends too fast."""

    def fail_next(
        self,
        n: int = 1,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        method: str | None = None,
        description: str | None = None,
        include_polling: bool = False,
        parameters: JSONDict | None = None,
    ) -> FailureRule:
        """Make the next ``n`` calls (of ``method``, or of any method except getUpdates unless
        ``include_polling``) fail with ``status``. 429 carries ``retry_after``.

        Returns the rule; ``rule.remaining`` shows how many failures are left.
        """
        params = dict(parameters or {})
        if status == 429 and retry_after is not None:
            params.setdefault("retry_after", retry_after)
        rule = FailureRule(
            remaining=n,
            status=status,
            description=description or _default_description(status, retry_after),
            parameters=params or None,
            method=method,
            include_polling=include_polling,
        )
        self._failures.append(rule)
        return rule

    def set_outage(
        self,
        status: int = 502,
        *,
        description: str | None = None,
        include_polling: bool = True,
        retry_after: int | None = None,
    ) -> None:
        """Every call (getUpdates too unless ``include_polling=False``) and file download
        fails with ``status`` until :meth:`clear_outage`."""
        params = {"retry_after": retry_after} if status == 429 and retry_after else None
        self._outage = FailureRule(
            remaining=1,
            status=status,
            description=description or _default_description(status, retry_after),
            parameters=params,
            include_polling=include_polling,
        )

    def clear_outage(self) -> None:
        self._outage = None
        self._pulse_all()

    def _injected_failure(self, method: str) -> ApiError | None:
        outage = self._outage
        if outage is not None and outage.matches(method):
            return ApiError(outage.status, outage.description, outage.parameters)
        for rule in self._failures:
            if rule.matches(method):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._failures.remove(rule)
                return ApiError(rule.status, rule.description, rule.parameters)
        return None

    def _check_flood(self, method: str, params: Params) -> None:
        limits = self.flood_limits
        if limits is None or method not in _SEND_METHODS:
            return
        now = asyncio.get_running_loop().time()
        checks: list[tuple[Hashable, int, float]] = []
        if limits.global_per_second:
            checks.append(("global", limits.global_per_second, 1.0))
        raw = params.raw("chat_id")
        chat = self.world.find_chat(raw if isinstance(raw, int) else str(raw)) if raw else None
        if chat is not None and chat.is_group and limits.group_per_minute:
            checks.append((("chat", chat.id), limits.group_per_minute, 60.0))
        if chat is not None and chat.is_private and limits.private_per_second:
            checks.append((("chat", chat.id), limits.private_per_second, 1.0))
        for key, limit, window in checks:
            hits = self._flood_hits.setdefault(key, deque())
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                retry = max(1, math.ceil(hits[0] + window - now))
                raise ApiError(
                    429, f"Too Many Requests: retry after {retry}", {"retry_after": retry}
                )
        for key, _, _ in checks:
            self._flood_hits[key].append(now)
