"""The job loop: every tick, each registered job looks at the clock and the database.

Jobs are registered by the features' ``setup`` (``features.add_job``); this module holds the
loop and the core's own job, forgetting update ids too old to come again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.core.leader import Leadership
from bot.core.runtime import Runtime
from bot.core.waiting import wait_at_most
from storage.core.repos import Updates

log = logging.getLogger(__name__)

# Telegram redelivers an update for at most a day; a week of ids is plenty to recognise one.
PROCESSED_UPDATES_KEPT = timedelta(days=7)
# What was answered to each is kept only as long as a redelivery can come.
ANSWERS_KEPT = timedelta(days=1)
PRUNE_EVERY = timedelta(hours=1)


def due_every(rt: Runtime, name: str, interval: timedelta) -> bool:
    """True once per ``interval`` of the runtime's clock for the job called ``name`` (the
    first call included); a job that only needs to run now and then asks this first."""
    now = rt.clock.now()
    last = rt.state.get(f"{name}_ran_at")
    if last is not None and now - last < interval:
        return False
    rt.state[f"{name}_ran_at"] = now
    return True


async def prune_processed_updates(rt: Runtime) -> None:
    """Forget update ids too old to be delivered again, and their answers, once an hour."""
    if not due_every(rt, "prune_updates", PRUNE_EVERY):
        return
    now = rt.clock.now()
    async with rt.db.session() as s:
        await Updates(s).prune(now - PROCESSED_UPDATES_KEPT, answers_before=now - ANSWERS_KEPT)


async def run_jobs(rt: Runtime, tick: float = 1.0) -> None:
    """Reminders, escalations, rosters: each job looks at the clock and the database."""
    loop = asyncio.get_running_loop()
    leadership = Leadership(rt.db)
    try:
        await _job_loop(rt, leadership, loop, tick)
    finally:
        await leadership.release()


async def _job_loop(rt: Runtime, leadership: Leadership, loop: asyncio.AbstractEventLoop,
                    tick: float) -> None:
    while True:
        try:
            leading = await leadership.held()
        except Exception:
            log.warning("could not ask who runs the jobs; trying again", exc_info=True)
            leading = False
        rt.metrics.job_leader.set(1 if leading else 0)
        for job in rt.features.jobs if leading else ():
            name = getattr(job, "__name__", str(job))
            try:
                await job(rt)
            except asyncio.CancelledError:
                raise
            except Exception:
                rt.metrics.job_runs.labels(name, "error").inc()
                log.exception("background job %s failed", name)
            else:
                rt.metrics.job_runs.labels(name, "ok").inc()
                rt.metrics.job_finished[name] = loop.time()
        rt.background_wakeup.clear()
        await wait_at_most(rt.background_wakeup.wait(), tick)
