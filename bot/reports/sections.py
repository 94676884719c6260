"""Where other features add to the report: each entry of ``SECTIONS`` is asked with the
report's scope and may return a :class:`Section` (lines under the headline numbers, and rows
for a sheet of its own in the workbook).

Planned: officers' saved-answer usage (``snippet_uses``: uses per officer in the period) and
回访 of 差评 (how many of the period's 差评 were followed up, and how soon). Each brings its
query in its own storage package and appends one function here; ``bot/reports/report.py``
calls them in order after the built-in numbers. Nothing is registered yet.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.reports.queries import Span


@dataclass(frozen=True, slots=True)
class Section:
    lines: tuple[str, ...] = ()
    sheet_title: str | None = None
    header: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = field(default=())


# (read-only session, the report's spans, language) → a section, or None for nothing to say.
SectionSource = Callable[[AsyncSession, list[Span], str], Awaitable[Section | None]]

SECTIONS: list[SectionSource] = []
