"""Uses of the officers' saved answers, recorded for the monthly report (which counts them:
``storage.reports.queries.Reports.snippet_uses``)."""

from __future__ import annotations

from datetime import datetime

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
