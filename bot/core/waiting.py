"""Waiting for something, for a while, without losing a cancellation.

On Python 3.11 ``asyncio.wait_for`` returns normally when what it waits for completes in the
same turn as the task is cancelled: the cancellation is lost, and a worker loop asked to stop
(the outbox, the jobs) runs on for ever. ``asyncio.timeout`` tells its own timeout from a
cancellation from outside, so it is used instead.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from typing import Any


async def wait_at_most(awaitable: Awaitable[Any], seconds: float) -> None:
    """Wait for ``awaitable``, or until ``seconds`` have passed, whichever comes first."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await awaitable
