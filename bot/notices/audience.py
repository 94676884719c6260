"""Who a notice is for: the audiences an admin picks from, and how they read."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.context import Ctx
from bot.texts import t

KINDS = ("policy", "events")
AUDIENCES = ("everyone", "stations", "categories", "tiers", "tags")


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str


async def options(ctx: Ctx, audience: str) -> list[Option]:
    """What an admin may choose within an audience, in the catalogue's order."""
    lang = ctx.lang
    if audience == "stations":
        return [Option(s.id, s.name.get(lang)) for s in ctx.cat.stations]
    if audience == "categories":
        return [Option(c.id, c.name.get(lang)) for c in ctx.cat.categories]
    if audience == "tiers":
        return [Option(t.id, f"{t.emoji} {t.name.get(lang)}") for t in ctx.cat.tiers]
    if audience == "tags":
        return [Option(tag, tag) for tag in await ctx.notices.tags_in_use()]
    return []


def services_of(ctx: Ctx, audience: str, values: list[str]) -> list[str]:
    """The services whose requests put a company in a categories audience."""
    if audience != "categories":
        return []
    return [s.id for c in values for s in ctx.cat.services_in(c)]


async def describe(ctx: Ctx, audience: str, values: list[str], lang: str) -> str:
    """The audience in words: 全部企业, or 服务站：A、B."""
    if audience == "everyone":
        return t(lang, "nt_audience_everyone")
    labels = {o.id: o.label for o in await options(ctx, audience)}
    names = "、".join(labels.get(v, v) for v in values)
    return t(lang, "nt_audience_line", what=t(lang, f"nt_audience_{audience}"), names=names)
