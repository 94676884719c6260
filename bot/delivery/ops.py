"""The operations endpoints, on their own port (the load balancer forwards only the webhook):

- ``GET /healthz``: the process is alive (200).
- ``GET /readyz``: the database answers, its schema is at the newest migration and a
  catalogue is in service (200), or which of these is not so (503).
- ``GET /metrics``: the runtime's figures in Prometheus' text format.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from bot.core.runtime import Runtime
from bot.delivery.serving import Site
from storage.core.repos import Outbox
from storage.migrate import current_revision, revisions

log = logging.getLogger(__name__)

LANES = {0: "interactive", 1: "bulk"}


class OpsServer(Site):
    """The three operations paths on their own address."""

    def __init__(self, rt: Runtime, *, listen: str, port: int) -> None:
        super().__init__(listen=listen, port=port)
        self.rt = rt
        self._head = revisions()[-1]

    def routes(self, server: web.Application) -> None:
        server.router.add_get("/healthz", self._healthz)
        server.router.add_get("/readyz", self._readyz)
        server.router.add_get("/metrics", self._metrics)

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def _readyz(self, request: web.Request) -> web.Response:
        problems: list[str] = []
        try:
            async with self.rt.db.reader() as s:
                await s.execute(text("SELECT 1"))
                revision = await current_revision(s)
            if revision != self._head:
                problems.append(f"database schema at {revision or 'nothing'}, "
                                f"not {self._head}: run frontdoor migrate")
        except Exception as exc:  # any failure to reach the database means not ready
            problems.append(f"database unreachable: {exc.__class__.__name__}")
        if getattr(self.rt.catalogue, "current", None) is None:
            problems.append("no catalogue in service")
        if problems:
            return web.json_response({"status": "not ready", "problems": problems}, status=503)
        return web.json_response({"status": "ready"})

    async def _metrics(self, request: web.Request) -> web.Response:
        await self._refresh()
        body = generate_latest(self.rt.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _refresh(self) -> None:
        """The figures read from the database and the clock, as of this scrape."""
        metrics, now = self.rt.metrics, self.rt.clock.now()
        try:
            async with self.rt.db.reader() as s:
                pending = await Outbox(s).pending_by_lane()
        except Exception:
            log.warning("could not read the outbox for /metrics", exc_info=True)
            pending = {}
        for lane, name in LANES.items():
            count, oldest = pending.get(lane, (0, None))
            metrics.outbox_depth.labels(name).set(count)
            metrics.outbox_oldest.labels(name).set(
                max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0)
        loop = asyncio.get_running_loop().time()
        for job, finished in metrics.job_finished.items():
            metrics.job_lag.labels(job).set(loop - finished)
        metrics.db_pool.set(_checked_out(self.rt.db.engine))
        metrics.catalogue_version.set(self.rt.catalogue.version_id or 0)


def _checked_out(engine: Any) -> int:
    """Connections the pool has lent out (0 where the pool cannot say)."""
    pool = getattr(getattr(engine, "sync_engine", engine), "pool", None)
    checked = getattr(pool, "checkedout", None)
    return int(checked()) if callable(checked) else 0
