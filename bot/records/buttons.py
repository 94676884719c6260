"""The buttons of records and follow-ups, pressed in the staff group by its members."""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.display import parse_id
from bot.core.payloads import RECORD
from bot.core.replies import Reply, notice
from bot.records import follow_ups, record
from bot.records.export import export_reply

# No record has this many pages; a larger number is forged.
MAX_PAGE = 10_000


async def press(ctx: Ctx, data: str) -> list[Reply]:
    """A record's or follow-up's button; every field is checked, anything else is stale."""
    action, *rest = data.removeprefix(RECORD).split(":")
    if action == "fd" and len(rest) == 1:
        return await follow_ups.finish(ctx, rest[0])
    if action == "fm" and len(rest) == 2:
        return await follow_ups.move(ctx, rest[0], rest[1])
    company = await record.company_of(ctx, rest[0]) if rest else None
    if company is None:
        return [notice(ctx.t("stale_button"))]
    if action == "o" and len(rest) == 1:
        return [await record.record_screen(ctx, company, edit=True)]
    if action == "p" and len(rest) == 2:
        page = parse_id(rest[1])
        if page is None or page > MAX_PAGE:
            return [notice(ctx.t("stale_button"))]
        return [await record.record_screen(ctx, company, page, edit=True)]
    if action == "t" and len(rest) == 2:
        return await record.set_tier(ctx, company, rest[1])
    if action == "f" and len(rest) == 1:
        # Telegram cannot put text in the officer's input box: the command, ready to copy.
        return [Reply(ctx.t("gr_follow_up_hint", company=company.name,
                            code=company.credit_code))]
    if action == "x" and len(rest) == 1:
        return [await export_reply(ctx, company)]
    return [notice(ctx.t("stale_button"))]
