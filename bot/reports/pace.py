"""How a report is built without holding others up: the event loop is handed back every few
rows, and the slow drawing and file writing run in a worker thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Rows folded or written between two turns of the event loop.
ROWS_PER_TURN = 100


async def breathe(rows: int) -> None:
    """After every ``ROWS_PER_TURN`` rows, let the event loop answer other people."""
    if rows % ROWS_PER_TURN == 0:
        await asyncio.sleep(0)


async def off_loop(fn: Callable[..., T], *args: object) -> T:
    """Run CPU-bound work (matplotlib, saving the workbook) in a worker thread."""
    return await asyncio.to_thread(fn, *args)
