"""A person's data has an end: leave a company, be forgotten, remove a member, retention.

Every act is written to the audit log (who, what, when) that admins read with /audit. A
person who is forgotten leaves no name, phone or Telegram identity behind; what their company
did (requests, ratings and comments, visits) stays, without them.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.core.context import Ctx, background_work
from bot.core.jobs import due_every
from bot.core.payloads import PRIVACY
from bot.core.replies import Button, Reply, notice
from bot.core.runtime import Runtime
from bot.texts import esc, t

PURGE_EVERY = timedelta(hours=6)
AUDIT_SHOWN = 20


def _parse(data: str) -> tuple[str, int | None]:
    action, _, rest = data.removeprefix(PRIVACY).partition(":")
    return action, int(rest) if rest.isascii() and rest.isdigit() and len(rest) < 19 else None


async def leave_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    company = await ctx.company()
    if company is None:
        return [Reply(ctx.t("leave_none"))]
    return [Reply(ctx.t("leave_sure", company=company.name), buttons=((
        Button(ctx.t("btn_leave_yes"), f"{PRIVACY}leave"),
        Button(ctx.t("btn_keep"), f"{PRIVACY}keep"),
    ),))]


async def forget_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    return [Reply(ctx.t("forget_sure"), buttons=((
        Button(ctx.t("btn_forget_yes"), f"{PRIVACY}forget"),
        Button(ctx.t("btn_keep"), f"{PRIVACY}keep"),
    ),))]


async def members_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """A company's people, each but oneself with a button to remove them."""
    company = await ctx.company()
    if company is None:
        return [Reply(ctx.t("leave_none"))]
    members = await ctx.users.members(company.id)
    lines = [ctx.t("members_line", name=m.first_name or "—") for m in members]
    rows = tuple((Button(ctx.t("btn_remove_member", name=m.first_name or "—"),
                         f"{PRIVACY}rm:{m.id}"),)
                 for m in members if m.id != ctx.user.id)
    return [Reply(ctx.t("members_title", company=company.name) + "\n" + "\n".join(lines),
                  buttons=rows)]


async def audit_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Admins read the latest acts on people's data."""
    if not ctx.settings.is_admin(ctx.user.id):
        return [Reply(ctx.t("not_allowed"))]
    entries = await ctx.privacy.recent(AUDIT_SHOWN)
    if not entries:
        return [Reply(ctx.t("audit_empty"))]
    zone = ZoneInfo(ctx.cat.defaults.timezone)
    lines = [ctx.t("audit_line", when=e.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                   action=ctx.t(f"audit_action_{e.action}"),
                   who=str(e.actor_id) if e.actor_id else "—",
                   detail=e.detail or "") for e in entries]
    return [Reply(ctx.t("audit_title") + "\n" + "\n".join(lines))]


async def press(ctx: Ctx, data: str) -> list[Reply]:
    """A button of /leave, /forget or /members; every id is checked against the presser."""
    action, ident = _parse(data)
    if action == "keep":
        return [Reply(ctx.t("privacy_kept"), edit=True)]
    if action == "leave":
        return await _leave(ctx)
    if action == "forget":
        return await _forget(ctx)
    if action == "rm" and ident is not None:
        return await _remove(ctx, ident)
    return [notice(ctx.t("stale_button"))]


async def _leave(ctx: Ctx) -> list[Reply]:
    company = await ctx.company()
    if company is None:
        return [Reply(ctx.t("leave_none"), edit=True)]
    await ctx.users.set_company(ctx.user.id, None)
    await ctx.privacy.record(ctx.now, "leave", actor_id=ctx.user.id, company_id=company.id)
    return [Reply(ctx.t("leave_done", company=company.name), edit=True, remove_keyboard=True)]


async def _forget(ctx: Ctx) -> list[Reply]:
    """Erase the person; a company left with nobody loses its contact's name and phone too
    (they were this person's), and every message body that named them."""
    company = await ctx.company()
    names = [ctx.user.first_name, ctx.user.username or ""]
    if company is not None:
        others = [m for m in await ctx.users.members(company.id) if m.id != ctx.user.id]
        if not others:
            names += list(await ctx.privacy.clear_contact(company.id))
    await ctx.privacy.forget_person(ctx.user.id)
    ctx.dialogs.forget_known()  # their dialogs are gone, whatever this unit read before
    await ctx.privacy.purge_mentions(*names)
    await ctx.privacy.record(ctx.now, "forget", company_id=company.id if company else None)
    return [Reply(ctx.t("forget_done"), edit=True, remove_keyboard=True)]


async def _remove(ctx: Ctx, member_id: int) -> list[Reply]:
    company = await ctx.company()
    member = await ctx.users.get(member_id)
    if company is None or member is None or member.company_id != company.id \
            or member.id == ctx.user.id:
        return [notice(ctx.t("stale_button"))]
    await ctx.users.set_company(member.id, None)
    await ctx.privacy.record(ctx.now, "remove", actor_id=ctx.user.id, company_id=company.id,
                             detail=f"user {member.id}")
    if not member.blocked_bot:
        await ctx.send(member.id, t(member.language, "member_removed_you", company=company.name))
    return [Reply(ctx.t("member_removed", name=member.first_name or "—"), edit=True)]


async def retention_job(rt: Runtime) -> None:
    """Purge what is past its retention, a few times a day; the purge is on the audit log."""
    if not due_every(rt, "privacy_purge", PURGE_EVERY):
        return
    now = rt.clock.now()
    settings = rt.settings
    async with background_work(rt) as ctx:
        closed_before = now - timedelta(days=settings.retention_closed_days)
        done = await ctx.privacy.purge_old(
            outbox_before=now - timedelta(days=settings.retention_outbox_days),
            dialogs_before=now - timedelta(days=settings.retention_dialog_days),
            closed_before=closed_before,
        )
        # Who attended an event is kept as long as a closed request's names.
        attendees = await ctx.registrations.purge_names(closed_before)
        if done.outbox or done.dialogs or done.events or attendees:
            await ctx.privacy.record(now, "purge", detail=esc(
                f"outbox {done.outbox}, dialogs {done.dialogs}, events {done.events}, "
                f"attendees {attendees}"))
    await rt.db.checkpoint()

