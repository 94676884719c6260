"""Enterprises and their people: registration, joining a company, the profile."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.companies.credit_code import validate_credit_code
from bot.core.context import Ctx
from bot.core.display import station_name, station_reach
from bot.core.payloads import JOIN, PROFILE_EDIT
from bot.core.replies import Button, Reply, notice
from bot.core.timeline import REGISTERED, on_record
from bot.texts import t
from storage.companies.dto import CompanyDTO

NAME_LIMIT = 200


CONTACT_LIMIT = 100


def credit_code_problem(ctx: Ctx, raw: str) -> tuple[str | None, str]:
    """(error message or None, normalised code)."""
    result = validate_credit_code(raw)
    if result.ok:
        return None, result.code
    key = f"bad_credit_code_{result.reason}"
    return ctx.t(key, length=len(result.code), expected=result.expected_check or ""), result.code


_MENU_ROWS = (("btn_services", "btn_new_request"), ("btn_requests", "btn_book"),
              ("btn_bookings", "btn_profile"))


def main_menu(ctx: Ctx) -> Reply:
    """The reply keyboard of a registered person: these rows, then the menu entries other
    features registered (events, say) beside help."""
    placed = {key for row in _MENU_ROWS for key in row} | {"btn_help"}
    others = tuple(ctx.t(key) for key in ctx.rt.features.menu if key not in placed)
    return Reply(
        ctx.t("main_menu"),
        keyboard=(
            *(tuple(ctx.t(key) for key in row) for row in _MENU_ROWS),
            (*others, ctx.t("btn_help")),
        ),
    )


async def register(ctx: Ctx, data: dict[str, Any]) -> tuple[CompanyDTO, bool]:
    """Create the company (or find the one registered meanwhile) and link the person to it."""
    company, created = await ctx.companies.create_or_get({
        "credit_code": data["code"], "name": data["name"], "contact_name": data["contact"],
        "phone": data["phone"], "station_id": data["station"],
    }, ctx.now)
    if created:
        await ctx.users.set_company(ctx.user.id, company.id)
        await on_record(ctx, company.id, REGISTERED)
    return company, created


async def profile_text(ctx: Ctx, company: CompanyDTO) -> str:
    members = await ctx.users.members(company.id)
    text = ctx.t(
        "profile_view", name=company.name, code=company.credit_code,
        contact=company.contact_name, phone=company.phone,
        station=station_name(ctx.cat, company.station_id, ctx.lang),
        members=len(members),
    )
    # What other features tell the company about itself (the services it received, …).
    more = [line for source in ctx.rt.features.profile_lines
            for line in await source(ctx, company)]
    return "\n\n".join([text, *more])


def profile_buttons(ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
    return ((Button(ctx.t("btn_edit"), PROFILE_EDIT),),)


JOIN_PREFIX = JOIN
# How long someone whose request to join was declined waits before asking again.
JOIN_COOLDOWN = timedelta(hours=24)


def parse_join_button(data: str) -> tuple[bool, int] | None:
    """``jn:ok:<id>`` / ``jn:no:<id>`` → (approve, id); None for anything else."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != "jn" or parts[1] not in ("ok", "no"):
        return None
    if not parts[2].isdigit() or len(parts[2]) > 18:
        return None
    return parts[1] == "ok", int(parts[2])


def _who(first_name: str, username: str | None) -> str:
    return f"{first_name} (@{username})" if username else first_name


async def request_join(ctx: Ctx, company: CompanyDTO) -> Reply:
    """Ask the company's contacts (or, when it has none, the officers) to let this person in.

    After a refusal the person waits a day before asking again: otherwise every decline
    could be answered with a new prompt on the contacts' phones.
    """
    declined = await ctx.joins.last_declined(company.id, ctx.user.id)
    if declined is not None and ctx.now - declined < JOIN_COOLDOWN:
        return Reply(ctx.t("join_cooldown", company=company.name,
                           reach=station_reach(ctx.cat.station(company.station_id), ctx.lang)),
                     edit=True)
    request_id, created = await ctx.joins.open(company.id, ctx.user.id, ctx.now)
    if created:
        buttons = ((Button(ctx.t("btn_join_approve"), f"{JOIN_PREFIX}ok:{request_id}"),
                    Button(ctx.t("btn_join_decline"), f"{JOIN_PREFIX}no:{request_id}")),)
        who = _who(ctx.user.first_name, ctx.user.username)
        members = await ctx.users.members(company.id)
        for member in members:
            await ctx.send(member.id, t(member.language, "join_ask", who=who,
                                        company=company.name), buttons=[
                [Button(t(member.language, "btn_join_approve"), f"{JOIN_PREFIX}ok:{request_id}"),
                 Button(t(member.language, "btn_join_decline"), f"{JOIN_PREFIX}no:{request_id}")],
            ])
        staff = await ctx.staff_chat()
        if not members and staff is not None:
            station = ctx.cat.station(company.station_id)
            await ctx.send(staff, t("zh", "join_ask_staff", who=who, company=company.name,
                                    code=company.credit_code),
                           buttons=buttons, thread_id=station.topic_id if station else None)
    return Reply(ctx.t("join_requested", company=company.name), edit=True)


async def decide_join(ctx: Ctx, data: str, *, staff: bool) -> list[Reply]:
    """A contact of the company (or an officer, ``staff``) lets someone in or not."""
    parsed = parse_join_button(data)
    request = await ctx.joins.get(parsed[1]) if parsed else None
    if parsed is None or request is None:
        return [notice(ctx.t("stale_button"))]
    approve = parsed[0]
    if not staff and ctx.user.company_id != request.company_id:
        return [notice(ctx.t("not_allowed"), alert=True)]
    if not await ctx.joins.decide(request.id, approve, ctx.user.id, ctx.now):
        return [notice(ctx.t("join_already_decided"))]
    company = await ctx.companies.get(request.company_id)
    applicant = await ctx.users.get(request.user_id)
    if company is None or applicant is None:
        return [notice(ctx.t("stale_button"))]
    if approve:
        await ctx.users.set_company(applicant.id, company.id)
    key = "joined_company" if approve else "join_declined"
    reach = station_reach(ctx.cat.station(company.station_id), applicant.language)
    await ctx.send(applicant.id, t(applicant.language, key, company=company.name, reach=reach))
    done = "join_approved_by" if approve else "join_declined_by"
    return [Reply(ctx.t(done, who=_who(applicant.first_name, applicant.username),
                        by=ctx.user.first_name), edit=True)]
