"""A company's growth record for officers: profile, tier, tags, members, the timeline.

The timeline shows what was written as things happened (``bot.core.timeline``); what a
company did before records existed is not rebuilt into entries, but the counts of services
received are read from requests and visits themselves, so they include it.
"""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.display import STAFF_LANG, bureau_zone, parse_id, station_label, tier_label, zone_name
from bot.core.payloads import RECORD
from bot.core.replies import Button, Reply, notice
from bot.core.timeline import NOTE, TAG_ADDED, TAG_REMOVED, TIER, on_record
from bot.records.find import one_company
from bot.texts import esc, has, t
from storage.companies.dto import CompanyDTO
from storage.records.repo import STAFF, EntryDTO

PAGE_SIZE = 8
TAG_LIMIT = 16
NOTE_LIMIT = 1000




def kind_label(kind: str, lang: str) -> str:
    """What an entry's kind says (``tl_<kind>``); a kind no text names is shown as stored."""
    key = f"tl_{kind}"
    return t(lang, key) if has(key) else kind


def entry_line(ctx: Ctx, entry: EntryDTO, lang: str) -> str:
    """One timeline entry as HTML: when, what, by whom; 🔒 marks what the company never sees."""
    what = esc(kind_label(entry.kind, lang))
    if entry.text:
        what += t(lang, "gr_entry_text", text=entry.text)
    who = t(lang, "gr_entry_by", who=entry.actor_name) if entry.actor_name else ""
    lock = "🔒" if entry.visibility == STAFF else ""
    when = entry.at.astimezone(bureau_zone(ctx)).strftime("%Y-%m-%d %H:%M")
    return f"{when} {lock}{what}{who}"


async def record_screen(ctx: Ctx, company: CompanyDTO, page: int = 0, *,
                        edit: bool = False, toast: str | None = None) -> Reply:
    """The record, one page of its timeline (newest first), with its buttons."""
    lang = STAFF_LANG
    entries, total = await ctx.timeline.page(company.id, offset=page * PAGE_SIZE,
                                             limit=PAGE_SIZE, staff=True)
    pages = max(1, -(-total // PAGE_SIZE))
    if page >= pages and page > 0:
        return await record_screen(ctx, company, pages - 1, edit=edit, toast=toast)
    tags = await ctx.records.tags(company.id)
    members = await ctx.users.members(company.id)
    received = await ctx.records.received(company.id, ctx.now)
    follow_ups = await ctx.records.open_follow_ups(company.id)
    lines = [t(lang, "gr_title", company=company.name), t(
        lang, "gr_profile", code=company.credit_code,
        station=station_label(ctx, company.station_id, lang),
        tier=tier_label(company.tier, lang, ctx.cat),
        tags="、".join(tags) if tags else t(lang, "gr_no_tags"),
        contact=company.contact_name or "—", phone=company.phone or "—",
        members="、".join(m.first_name or "—" for m in members) or "—",
        since=company.created_at.astimezone(bureau_zone(ctx)).strftime("%Y-%m-%d"),
    ), t(lang, "gr_received", resolved=received.resolved, attended=received.attended,
         open=received.open_requests, upcoming=received.upcoming_visits)]
    if follow_ups:
        lines.append(t(lang, "gr_follow_ups_head"))
        lines.extend(t(lang, "gr_follow_up_line", day=f"{f.due_on:%Y-%m-%d}", text=f.text,
                       officer=f.officer_name or "—") for f in follow_ups)
    lines.append("")
    lines.append(t(lang, "gr_timeline_head", page=page + 1, pages=pages,
                   zone=zone_name(ctx.cat.defaults.timezone, lang)))
    lines.extend(entry_line(ctx, e, lang) for e in entries)
    if not entries:
        lines.append(t(lang, "gr_timeline_empty"))
    return Reply("\n".join(lines), buttons=_buttons(ctx, company, page, pages), edit=edit,
                 notice=toast)


def _buttons(ctx: Ctx, company: CompanyDTO, page: int,
             pages: int) -> tuple[tuple[Button, ...], ...]:
    tiers = tuple(
        Button(("✓" if tier.id == company.tier else "") + tier.emoji + tier.name.get(STAFF_LANG),
               f"{RECORD}t:{company.id}:{tier.id}")
        for tier in ctx.cat.tiers)
    paging: list[Button] = []
    if page > 0:
        paging.append(Button(t(STAFF_LANG, "gr_btn_newer"), f"{RECORD}p:{company.id}:{page - 1}"))
    if page + 1 < pages:
        paging.append(Button(t(STAFF_LANG, "gr_btn_older"), f"{RECORD}p:{company.id}:{page + 1}"))
    rows = [tiers[i:i + 3] for i in range(0, len(tiers), 3)]
    if paging:
        rows.append(tuple(paging))
    rows.append((Button(t(STAFF_LANG, "gr_btn_follow_up"), f"{RECORD}f:{company.id}"),
                 Button(t(STAFF_LANG, "gr_btn_export"), f"{RECORD}x:{company.id}")))
    return tuple(rows)


# -- commands --------------------------------------------------------------------------------
async def company_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """``/company <credit code | name | reference>``: the company's record."""
    query = " ".join(args).strip()
    if not query:
        return [Reply(ctx.t("gr_usage_company"))]
    found = await one_company(ctx, query)
    if isinstance(found, Reply):
        return [found]
    return [await record_screen(ctx, found)]


async def _company_and_rest(ctx: Ctx, args: list[str], usage: str,
                            ) -> tuple[CompanyDTO, list[str]] | list[Reply]:
    """The company named by the first word and the words after it, or the answer."""
    if len(args) < 2:
        return [Reply(ctx.t(usage))]
    found = await one_company(ctx, args[0])
    if isinstance(found, Reply):
        return [found]
    return found, args[1:]


def _clean_tag(raw: str) -> str:
    return raw.strip().strip("#＃").strip()


async def tag_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """``/tag <company> <tag>…``: free tags officers find companies by."""
    return await _change_tags(ctx, args, adding=True)


async def untag_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """``/untag <company> <tag>…``."""
    return await _change_tags(ctx, args, adding=False)


async def _change_tags(ctx: Ctx, args: list[str], *, adding: bool) -> list[Reply]:
    """Add or remove tags; each change goes on the timeline, staff-only."""
    got = await _company_and_rest(ctx, args, "gr_tag_usage" if adding else "gr_untag_usage")
    if isinstance(got, list):
        return got
    company, words = got
    tags = [_clean_tag(w) for w in words if _clean_tag(w)]
    if adding and not tags:
        return [Reply(ctx.t("gr_tag_usage"))]
    if adding and any(len(tag) > TAG_LIMIT for tag in tags):
        return [Reply(ctx.t("gr_tag_too_long", limit=TAG_LIMIT))]
    changed = [tag for tag in tags if await (
        ctx.records.add_tag(company.id, tag, ctx.user.id, ctx.now) if adding
        else ctx.records.remove_tag(company.id, tag))]
    for tag in changed:
        await on_record(ctx, company.id, TAG_ADDED if adding else TAG_REMOVED, tag,
                        staff_only=True)
    if not changed:
        key = "gr_tag_exists" if adding else "gr_tag_missing"
        return [Reply(ctx.t(key, company=company.name, tag="、".join(tags)))]
    key = "gr_tag_added" if adding else "gr_tag_removed"
    return [Reply(ctx.t(key, company=company.name, tag="、".join(changed)))]


async def note_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """``/note <company> <text>``: an officers-only note on the record."""
    got = await _company_and_rest(ctx, args, "gr_note_usage")
    if isinstance(got, list):
        return got
    company, words = got
    text = " ".join(words).strip()
    if len(text) > NOTE_LIMIT:
        return [Reply(ctx.t("gr_note_too_long", limit=NOTE_LIMIT))]
    await on_record(ctx, company.id, NOTE, text, staff_only=True)
    return [Reply(ctx.t("gr_note_saved", company=company.name))]


# -- buttons ---------------------------------------------------------------------------------
async def company_of(ctx: Ctx, raw: str) -> CompanyDTO | None:
    company_id = parse_id(raw)
    return await ctx.companies.get(company_id) if company_id is not None else None


async def set_tier(ctx: Ctx, company: CompanyDTO, tier_id: str) -> list[Reply]:
    tier = ctx.cat.tier(tier_id)
    if tier is None:
        return [notice(ctx.t("stale_button"))]
    label = tier_label(tier.id, STAFF_LANG, ctx.cat)
    if tier.id == company.tier:
        return [notice(ctx.t("gr_tier_same", tier=label))]
    await ctx.companies.update(company.id, {"tier": tier.id}, ctx.now)
    before = tier_label(company.tier, STAFF_LANG, ctx.cat)
    await on_record(ctx, company.id, TIER, f"{before} → {label}", staff_only=True)
    changed = await ctx.companies.get(company.id)
    assert changed is not None
    return [await record_screen(ctx, changed, edit=True,
                                toast=ctx.t("gr_tier_set", company=company.name, tier=label))]
