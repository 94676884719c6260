"""Uses of the officers' saved answers, counted per snippet for the monthly report."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables import SnippetUse


class SnippetUses:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def record(self, snippet_id: str, request_id: int, officer_id: int,
                     at: datetime) -> None:
        self.s.add(SnippetUse(snippet_id=snippet_id, request_id=request_id,
                              officer_id=officer_id, used_at=at))
        await self.s.flush()

    async def count_by_snippet(self, start: datetime, end: datetime) -> dict[str, int]:
        """How many times each snippet was sent from ``start`` up to (not including) ``end``."""
        rows = await self.s.execute(
            select(SnippetUse.snippet_id, func.count())
            .where(SnippetUse.used_at >= start, SnippetUse.used_at < end)
            .group_by(SnippetUse.snippet_id))
        return {snippet_id: int(n) for snippet_id, n in rows.all()}
