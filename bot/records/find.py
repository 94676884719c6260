"""Which company an officer means: a credit code, a request reference, or (part of) a name."""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.payloads import RECORD
from bot.core.replies import Button, Reply
from storage.companies.dto import CompanyDTO

# A name that fits more companies than this asks for more of the name rather than listing.
PICK_SHOWN = 8


async def companies_for(ctx: Ctx, query: str) -> list[CompanyDTO]:
    """Every company ``query`` may mean; exactly one when it names one beyond doubt."""
    wanted = query.strip()
    if not wanted:
        return []
    by_code = await ctx.companies.by_code(wanted.upper())
    if by_code is not None:
        return [by_code]
    request = await ctx.requests.by_reference(wanted)
    if request is not None:
        company = await ctx.companies.get(request.company_id)
        return [company] if company is not None else []
    found = await ctx.companies.search(wanted, limit=PICK_SHOWN + 1)
    exact = [c for c in found if c.name == wanted]
    return exact or found


async def one_company(ctx: Ctx, query: str) -> CompanyDTO | Reply:
    """The one company ``query`` names, or the answer for none or several (to choose from)."""
    found = await companies_for(ctx, query)
    if len(found) == 1:
        return found[0]
    if not found:
        return Reply(ctx.t("gr_unknown", query=query))
    if len(found) > PICK_SHOWN:
        return Reply(ctx.t("gr_too_many", query=query))
    rows = tuple((Button(c.name, f"{RECORD}o:{c.id}"),) for c in found)
    return Reply(ctx.t("gr_pick", query=query, count=len(found)), buttons=rows)
