"""The background jobs every process runs on each tick; domain modules add theirs on import.

Kept apart from :mod:`bot.app` so a domain module can add a job without importing Telegram.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.runtime import Runtime

Job = Callable[[Runtime], Awaitable[None]]
JOBS: list[Job] = []


def add_job(job: Job) -> Job:
    """Run ``job`` with the runtime on every tick; adding the same function twice adds it once."""
    if not any(existing is job for existing in JOBS):
        JOBS.append(job)
    return job
