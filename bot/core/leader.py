"""Which process runs the background jobs: one, cluster-wide.

Reminders, escalations, rosters and purges are each guarded by conditional updates and
outbox keys, so two processes running them would not send twice; but they would do the work
twice, and race for it. On PostgreSQL the job runner is the process holding a session-level
advisory lock, taken on a connection of its own: when that process dies, however it dies,
its connection closes and the lock with it, and another replica takes it on its next tick.
On SQLite there is one process (a second is refused at start), so it always runs the jobs.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import text

from storage.core.db import Database

log = logging.getLogger(__name__)


def lock_key(schema: str | None) -> int:
    """The advisory lock's key: one per schema, so two deployments in one database (or two
    test schemas) each elect their own job runner."""
    digest = hashlib.sha256(f"frontdoor-jobs:{schema or ''}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Leadership:
    """Held or not; asked once per tick of the job loop."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.key = lock_key(db.schema)
        self._conn: Any = None

    async def held(self) -> bool:
        """True while this process runs the jobs; takes the lock when it is free."""
        if self.db.sqlite:
            return True
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT 1"))
                return True
            except Exception:
                log.warning("lost the connection holding the job lock; asking again")
                await self._drop()
        conn = await self.db.engine.connect()
        try:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            taken = (await conn.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                        {"key": self.key})).scalar()
        except Exception:
            await conn.close()
            raise
        if taken:
            self._conn = conn
            log.info("this process runs the background jobs now")
            return True
        await conn.close()
        return False

    async def release(self) -> None:
        """Give the jobs up (at a clean stop), so another replica takes them at once."""
        if self._conn is None:
            return
        try:
            await self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        except Exception:
            log.warning("could not release the job lock; it goes with the connection")
        await self._drop()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        try:
            # A dropped connection cannot go back to the pool: it is thrown away.
            await conn.invalidate()
            await conn.close()
        except Exception:
            log.debug("closing a broken connection failed", exc_info=True)
