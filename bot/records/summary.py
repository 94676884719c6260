"""What a company reads of its own record in /profile: the services it received and what is
still open, in counts. Never notes, tier, tags or follow-ups: those are officers' working
papers."""

from __future__ import annotations

from bot.core.context import Ctx
from storage.companies.dto import CompanyDTO


async def profile_lines(ctx: Ctx, company: CompanyDTO) -> list[str]:
    received = await ctx.records.received(company.id, ctx.now)
    return [ctx.t("gr_profile_summary", resolved=received.resolved,
                  attended=received.attended, open=received.open_requests,
                  upcoming=received.upcoming_visits)]
