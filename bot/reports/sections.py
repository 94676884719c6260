"""Sections the report adds after its headline numbers: each entry of ``SECTIONS`` is asked
with the report's scope and may return a :class:`Section` (lines under the headline numbers,
and rows for a sheet of its own in the workbook).

Two today: 差评回访 (how many of the period's 差评 were followed up, and what came of it) and
the officers' saved answers (uses per snippet). Each reads through a storage query;
``bot/reports/report.py`` calls them in order after the built-in numbers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue import Catalogue
from bot.texts import t
from storage.records.repo import DONE_FOLLOW_UP, OPEN_FOLLOW_UP
from storage.reports.queries import Reports, Span


@dataclass(frozen=True, slots=True)
class Section:
    lines: tuple[str, ...] = ()
    sheet_title: str | None = None
    header: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = field(default=())


# (read-only session, catalogue, the report's spans, language) → a section, or None.
SectionSource = Callable[[AsyncSession, Catalogue, list[Span], str], Awaitable[Section | None]]


async def return_visits(session: AsyncSession, cat: Catalogue, scope: list[Span],
                        lang: str) -> Section | None:
    """差评回访: the period's 差评, how many were followed up (done) and how many are open."""
    found = await Reports(session).return_visits(scope)
    if not found:
        return None
    done = sum(1 for v in found if v.status == DONE_FOLLOW_UP)
    still = sum(1 for v in found if v.status == OPEN_FOLLOW_UP)
    status = {DONE_FOLLOW_UP: t(lang, "rp_rv_done"), OPEN_FOLLOW_UP: t(lang, "rp_rv_open")}
    lines = [t(lang, "rp_rv_line", total=len(found), done=done, open=still)]
    lines += [t(lang, "rp_rv_item", reference=v.reference, stars="★" * v.rating,
                comment=v.comment or t(lang, "rp_no_comment"),
                outcome=v.outcome or status.get(v.status or "", t(lang, "rp_rv_none")))
              for v in found]
    return Section(
        tuple(lines), t(lang, "rp_rv_sheet"),
        tuple(t(lang, f"rp_rv_col_{c}") for c in
              ("reference", "rating", "comment", "status", "outcome")),
        tuple((v.reference, v.rating, v.comment or "",
               status.get(v.status or "", t(lang, "rp_rv_none")), v.outcome or "")
              for v in found))


async def snippet_uses(session: AsyncSession, cat: Catalogue, scope: list[Span],
                       lang: str) -> Section | None:
    """Officers' saved answers: uses per snippet in the period on the report's stations'
    requests, most used first; a snippet no longer in the catalogue is listed by its id."""
    counts = await Reports(session).snippet_uses(scope)
    if not counts:
        return None
    names = {s.id: s.name.get(lang) for s in cat.snippets}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    lines = [t(lang, "rp_snippets_line", total=sum(counts.values()))]
    lines += [t(lang, "rp_snippets_item", name=names.get(sid, sid), count=n) for sid, n in ranked]
    return Section(
        tuple(lines), t(lang, "rp_snippets_sheet"),
        (t(lang, "rp_snippets_col_name"), t(lang, "rp_snippets_col_uses")),
        tuple((names.get(sid, sid), n) for sid, n in ranked))


SECTIONS: tuple[SectionSource, ...] = (return_visits, snippet_uses)
