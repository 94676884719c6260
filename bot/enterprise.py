"""Enterprises and their people: registration, joining a company, the profile."""

from __future__ import annotations

from typing import Any

from bot.catalogue import Catalogue
from bot.context import Ctx
from bot.credit_code import validate_credit_code
from bot.replies import Button, Reply
from bot.texts import has, t
from storage.dto import CompanyDTO

NAME_LIMIT = 200
CONTACT_LIMIT = 100


def station_name(cat: Catalogue, station_id: str, lang: str) -> str:
    station = cat.station(station_id)
    return station.name.get(lang) if station else station_id


def credit_code_problem(ctx: Ctx, raw: str) -> tuple[str | None, str]:
    """(error message or None, normalised code)."""
    result = validate_credit_code(raw)
    if result.ok:
        return None, result.code
    key = f"bad_credit_code_{result.reason}"
    return ctx.t(key, length=len(result.code), expected=result.expected_check or ""), result.code


def main_menu(ctx: Ctx) -> Reply:
    """The reply keyboard of a registered person."""
    return Reply(
        ctx.t("main_menu"),
        keyboard=(
            (ctx.t("btn_services"), ctx.t("btn_new_request")),
            (ctx.t("btn_requests"), ctx.t("btn_book")),
            (ctx.t("btn_bookings"), ctx.t("btn_profile")),
            (ctx.t("btn_help"),),
        ),
    )


async def company_of(ctx: Ctx) -> CompanyDTO | None:
    if ctx.user.company_id is None:
        return None
    return await ctx.companies.get(ctx.user.company_id)


async def register(ctx: Ctx, data: dict[str, Any]) -> tuple[CompanyDTO, bool]:
    """Create the company (or find the one registered meanwhile) and link the person to it."""
    company, created = await ctx.companies.create_or_get({
        "credit_code": data["code"], "name": data["name"], "contact_name": data["contact"],
        "phone": data["phone"], "station_id": data["station"],
    }, ctx.now)
    await ctx.users.set_company(ctx.user.id, company.id)
    return company, created


async def join(ctx: Ctx, company_id: int) -> CompanyDTO | None:
    company = await ctx.companies.get(company_id)
    if company is not None:
        await ctx.users.set_company(ctx.user.id, company.id)
    return company


def tier_label(tier: str, lang: str) -> str:
    """A company's tier in words; a tier no text names yet is shown as stored."""
    key = f"tier_{tier}"
    return t(lang, key) if has(key) else tier


async def profile_text(ctx: Ctx, company: CompanyDTO) -> str:
    members = await ctx.users.members(company.id)
    return ctx.t(
        "profile_view", name=company.name, code=company.credit_code,
        contact=company.contact_name, phone=company.phone,
        station=station_name(ctx.cat, company.station_id, ctx.lang),
        tier=tier_label(company.tier, ctx.lang),
        members=len(members),
    )


def profile_buttons(ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
    return ((Button(ctx.t("btn_edit"), "pf:edit"),),)
