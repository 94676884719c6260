"""The officers' side of requests: claiming, relaying, transferring, resolving, the lists.

Every change is a conditional update, so two officers pressing at once can never both win.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from bot.core.context import Ctx
from bot.core.display import (
    STAFF_LANG,
    age_text,
    local_time,
    mention,
    parse_id,
    service_label,
    station_label,
    zone_name,
    zone_of,
)
from bot.core.logs import concerning
from bot.core.replies import Button, Input, Reply, notice
from bot.core.timeline import REQUEST_RESOLVED, on_record
from bot.requests.cards import (
    PREFIX,
    SOURCE,
    card_buttons,
    card_text,
    lines_about,
    post_card,
    rating_buttons,
    refresh_card,
    request_status,
    status_label,
    submission_split,
    tell_company,
    tell_group,
    thread_for,
)
from bot.requests.promise import deadlines, response_hours
from bot.texts import Raw, esc, t
from storage.companies.dto import CompanyDTO
from storage.requests.repo import EventDTO, RequestDTO
from storage.requests.status import WORKING, RequestStatus

# An internal note starts with "!"; officers on a Chinese keyboard type the full-width "！".
NOTE_MARKS = ("!", "！")


EXCERPT = 300


LIST_LIMIT = 15




# -- officers' actions ---------------------------------------------------------------------


async def _actionable(ctx: Ctx, raw_id: str) -> RequestDTO | list[Reply]:
    """The request a card button names, if this officer may act on it; else the refusal."""
    req = await _load(ctx, raw_id)
    if req is None:
        return [notice(ctx.t("stale_button"))]
    refusal = _may_act(ctx, req)
    if refusal:
        return [notice(refusal, alert=True)]
    return req


async def _load(ctx: Ctx, raw: str) -> RequestDTO | None:
    request_id = parse_id(raw)
    req = await ctx.requests.get(request_id) if request_id is not None else None
    if req is not None:
        concerning(req.reference)
    return req


async def claim(ctx: Ctx, raw_id: str) -> list[Reply]:
    req = await _load(ctx, raw_id)
    if req is None:
        return [notice(ctx.t("stale_button"))]
    name = ctx.user.first_name or str(ctx.user.id)
    if not await ctx.requests.claim(req.id, ctx.user.id, name, ctx.now):
        now = await ctx.requests.get(req.id)
        assert now is not None
        if now.claimed_by == ctx.user.id:
            return [notice(ctx.t("claim_yours_already"))]
        if now.claimed_by is not None:
            return [notice(ctx.t("claim_lost", owner=now.owner_name or ""), alert=True)]
        return [notice(ctx.t("claim_not_open", status=status_label(now.status, ctx.lang)),
                       alert=True)]
    r = ctx.requests
    await r.add_event(req.id, "status", "staff", ctx.now, text=RequestStatus.CLAIMED,
                      author_id=ctx.user.id, author_name=name)
    await refresh_card(ctx, req.id)
    _, later = await submission_split(ctx, req.id)
    earlier = [e for e in later if e.side == "enterprise" and e.kind in ("message", "attachment")]
    lines = [f"• {local_time(ctx, e.created_at, req.station_id)} {esc(e.author_name)}："
             f"{esc(_excerpt(e))}" for e in earlier]
    text = t(STAFF_LANG, "claimed_group", owner=Raw(mention(ctx.user.id, name)),
             reference=req.reference)
    if lines:
        text += "\n" + t(STAFF_LANG, "claimed_earlier", count=len(lines)) + "\n" + "\n".join(lines)
    current = await r.get(req.id)
    assert current is not None
    await tell_group(ctx, current, text)
    await tell_company(ctx, current, "rq_claimed_enterprise", owner=name)
    return [notice(ctx.t("claim_won", reference=req.reference))]


def _excerpt(event: EventDTO) -> str:
    if event.kind == "attachment" or (event.file_id and not event.text):
        return t(STAFF_LANG, "event_file")
    text = event.text
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


def _may_act(ctx: Ctx, req: RequestDTO) -> str | None:
    """Why this officer may not act on the request, or None when they may."""
    if req.status == RequestStatus.SUBMITTED:
        return ctx.t("staff_claim_first")
    if req.status not in WORKING:
        return ctx.t("staff_request_not_open", status=status_label(req.status, ctx.lang))
    if req.claimed_by != ctx.user.id and not ctx.is_admin:
        return ctx.t("staff_not_owner", owner=req.owner_name or "")
    return None


def _owner_filter(ctx: Ctx, req: RequestDTO) -> int | None:
    # The conditional update names the owner we saw; an admin acts on whoever holds it.
    return req.claimed_by if ctx.is_admin else ctx.user.id


async def unclaim(ctx: Ctx, raw_id: str) -> list[Reply]:
    req = await _actionable(ctx, raw_id)
    if isinstance(req, list):
        return req
    due, escalate = deadlines(ctx, req.station_id, response_hours(ctx, req.service_id), ctx.now)
    if not await ctx.requests.unclaim(req.id, _owner_filter(ctx, req), ctx.now, due, escalate):
        return [notice(ctx.t("stale_button"))]
    await ctx.requests.add_event(req.id, "status", "staff", ctx.now, text="unclaimed",
                              author_id=ctx.user.id, author_name=ctx.user.first_name)
    await refresh_card(ctx, req.id)
    current = await ctx.requests.get(req.id)
    assert current is not None
    await tell_group(ctx, current, t(STAFF_LANG, "unclaimed_group", reference=req.reference,
                                     who=ctx.user.first_name))
    return [notice(ctx.t("unclaim_done"))]


async def reopen_by_staff(ctx: Ctx, raw_id: str) -> list[Reply]:
    """The owning officer (or an admin) takes a resolved request up again: resolving is one
    tap, and this is its undo until the company rates the service."""
    req = await _load(ctx, raw_id)
    if req is None or req.status != RequestStatus.RESOLVED:
        return [notice(ctx.t("stale_button"))]
    if req.claimed_by != ctx.user.id and not ctx.is_admin:
        return [notice(ctx.t("staff_not_owner", owner=req.owner_name or ""), alert=True)]
    if not await ctx.requests.reopen_by_staff(req.id, _owner_filter(ctx, req), ctx.now):
        return [notice(ctx.t("stale_button"))]
    await ctx.requests.add_event(req.id, "status", "staff", ctx.now, text="reopened",
                                 author_id=ctx.user.id, author_name=ctx.user.first_name)
    await refresh_card(ctx, req.id)
    await tell_company(ctx, req, "rq_reopened_by_staff", owner=ctx.user.first_name)
    return [notice(ctx.t("reopen_staff_done", reference=req.reference))]


async def resolve(ctx: Ctx, raw_id: str) -> list[Reply]:
    req = await _actionable(ctx, raw_id)
    if isinstance(req, list):
        return req
    if not await ctx.requests.resolve(req.id, _owner_filter(ctx, req), ctx.now):
        return [notice(ctx.t("stale_button"))]
    await ctx.requests.add_event(req.id, "status", "staff", ctx.now, text=RequestStatus.RESOLVED,
                              author_id=ctx.user.id, author_name=ctx.user.first_name)
    await on_record(ctx, req.company_id, REQUEST_RESOLVED,
                    f"{req.reference} {service_label(ctx, req.service_id, STAFF_LANG)}",
                    ref=("request", req.id))
    await refresh_card(ctx, req.id)
    rating = {lang: rating_buttons(req.id, lang) for lang in ("zh", "en")}
    await tell_company(ctx, req, "rq_resolved_enterprise", buttons_for=rating,
                       owner=req.owner_name or "")
    return [notice(ctx.t("resolve_done", reference=req.reference))]


async def note_prompt(ctx: Ctx, raw_id: str) -> list[Reply]:
    """Ask for an internal note: a reply to the prompt is stored, never sent."""
    req = await _load(ctx, raw_id)
    if req is None:
        return [notice(ctx.t("stale_button"))]
    chat = await ctx.staff_chat()
    if chat is None:
        return [notice(ctx.t("stale_button"))]
    await ctx.send(chat, t(STAFF_LANG, "note_prompt", reference=req.reference,
                           who=Raw(mention(ctx.user.id, ctx.user.first_name))),
                   thread_id=thread_for(ctx, req.station_id), ref=("rqnote", req.id),
                   reply_to_outbox=req.card_outbox_id)
    return [notice(ctx.t("note_prompt_sent"))]


async def transfer_menu(ctx: Ctx, raw_id: str) -> list[Reply]:
    """Show where the request can go, on the card itself (Back restores it)."""
    req = await _actionable(ctx, raw_id)
    if isinstance(req, list):
        return req
    rows: list[tuple[Button, ...]] = [
        (Button(t(STAFF_LANG, "transfer_to_station", station=s.name.get(STAFF_LANG)),
                f"{PREFIX}ts:{req.id}:{s.id}"),)
        for s in ctx.cat.stations if s.id != req.station_id
    ]
    for user_id, name in await ctx.requests.officers():
        if user_id != req.claimed_by:
            rows.append((Button(t(STAFF_LANG, "transfer_to_officer", name=name),
                                f"{PREFIX}to:{req.id}:{user_id}"),))
    rows.append((Button(t(STAFF_LANG, "btn_back"), f"{PREFIX}b:{req.id}"),))
    return [Reply(await card_text(ctx, req) + "\n\n" + t(STAFF_LANG, "transfer_pick"),
                  buttons=tuple(rows), edit=True)]


async def back_to_card(ctx: Ctx, raw_id: str) -> list[Reply]:
    req = await _load(ctx, raw_id)
    if req is None:
        return [notice(ctx.t("stale_button"))]
    return [Reply(await card_text(ctx, req), buttons=card_buttons(req), edit=True)]


async def transfer_to_station(ctx: Ctx, raw_id: str, station_id: str) -> list[Reply]:
    req = await _load(ctx, raw_id)
    station = ctx.cat.station(station_id)
    if req is None or station is None or station.id == req.station_id:
        return [notice(ctx.t("stale_button"))]
    refusal = _may_act(ctx, req)
    if refusal:
        return [notice(refusal, alert=True)]
    due, escalate = deadlines(ctx, station.id, response_hours(ctx, req.service_id), ctx.now)
    if not await ctx.requests.move_to_station(req.id, _owner_filter(ctx, req), station.id, ctx.now,
                                           due, escalate):
        return [notice(ctx.t("stale_button"))]
    r = ctx.requests
    await r.add_event(req.id, "status", "staff", ctx.now, text=f"transferred to {station.id}",
                      author_id=ctx.user.id, author_name=ctx.user.first_name)
    old_station = station_label(ctx, req.station_id, STAFF_LANG)
    new_station = station.name.get(STAFF_LANG)
    # The old card stays as a record of where the request went; a new one joins the queue.
    if req.card_outbox_id is not None:
        await ctx.edit(req.card_outbox_id, text=await card_text(ctx, req) + "\n\n" + t(
            STAFF_LANG, "transferred_away", station=new_station, who=ctx.user.first_name))
    moved = await r.get(req.id)
    assert moved is not None
    await post_card(ctx, moved)
    moved = await r.get(req.id)
    assert moved is not None
    await tell_group(ctx, moved, t(STAFF_LANG, "transferred_here", station=old_station,
                                   who=ctx.user.first_name, reference=req.reference))
    for member in await ctx.users.members(req.company_id):
        if not member.blocked_bot:
            await ctx.send(member.id, t(member.language, "rq_transferred_enterprise",
                                        reference=req.reference,
                                        station=station.name.get(member.language)),
                           ref=("request", req.id))
    return [notice(ctx.t("transfer_done"))]


async def transfer_to_officer(ctx: Ctx, raw_id: str, raw_user: str) -> list[Reply]:
    """Hand the request to another officer (checked to be staff by the handler)."""
    req = await _load(ctx, raw_id)
    target = parse_id(raw_user)
    officers = dict(await ctx.requests.officers(limit=200))
    if req is None or target is None or target not in officers or target == req.claimed_by:
        return [notice(ctx.t("stale_button"))]
    refusal = _may_act(ctx, req)
    if refusal:
        return [notice(refusal, alert=True)]
    target_user = await ctx.users.get(target)
    name = target_user.first_name if target_user else officers[target]
    if not await ctx.requests.reassign(req.id, _owner_filter(ctx, req), target, name, ctx.now):
        return [notice(ctx.t("stale_button"))]
    await ctx.requests.add_event(req.id, "status", "staff", ctx.now, text=f"transferred to {name}",
                              author_id=ctx.user.id, author_name=ctx.user.first_name)
    await refresh_card(ctx, req.id)
    current = await ctx.requests.get(req.id)
    assert current is not None
    await tell_group(ctx, current, t(STAFF_LANG, "reassigned_group", reference=req.reference,
                                     who=ctx.user.first_name, owner=Raw(mention(target, name))))
    await tell_company(ctx, current, "rq_claimed_enterprise", owner=name)
    return [notice(ctx.t("transfer_done"))]


async def button(ctx: Ctx, data: str) -> list[Reply]:
    """Dispatch an ``rq:`` button pressed by a staff member (payload checked field by field)."""
    parts = data.split(":")
    if len(parts) < 3 or parts[0] != PREFIX[:-1]:
        return [notice(ctx.t("stale_button"))]
    action, raw_id, rest = parts[1], parts[2], parts[3:]
    simple = {"c": claim, "u": unclaim, "r": resolve, "re": reopen_by_staff,
              "n": note_prompt, "t": transfer_menu, "b": back_to_card}
    if action in simple and not rest:
        return await simple[action](ctx, raw_id)
    if action == "ts" and len(rest) == 1:
        return await transfer_to_station(ctx, raw_id, rest[0])
    if action == "to" and len(rest) == 1:
        return await transfer_to_officer(ctx, raw_id, rest[0])
    return [notice(ctx.t("stale_button"))]


# -- replies in the group ------------------------------------------------------------------
async def group_reply(ctx: Ctx, inp: Input, *, anonymous: bool) -> list[Reply]:
    """An officer replied to a request's message in the staff group: relay it, or note it."""
    chat = await ctx.staff_chat()
    if chat is None or ctx.actor.chat_id != chat or inp.reply_to_message_id is None:
        return []
    ref = await ctx.refs.find(chat, inp.reply_to_message_id)
    if ref is None or ref.ref_kind not in ("request", "rqnote"):
        return []  # officers talking among themselves
    req = await ctx.requests.get(ref.ref_id)
    if req is None:
        return []
    concerning(req.reference)
    if anonymous:
        return [Reply(ctx.t("staff_act_as_yourself"))]
    text = inp.text.strip()
    marked = text.startswith(NOTE_MARKS)
    if ref.ref_kind == "rqnote" or marked:
        note = text[1:].strip() if marked else text
        await ctx.requests.add_event(
            req.id, "note", "staff", ctx.now, text=note, author_id=ctx.user.id,
            author_name=ctx.user.first_name,
            file_id=inp.file.file_id if inp.file else None,
            file_kind=inp.file.kind if inp.file else None,
        )
        return [Reply(ctx.t("note_saved", reference=req.reference))]
    refusal = _may_act(ctx, req)
    if refusal:
        return [Reply(refusal)]
    return await relay(ctx, req, chat, inp)


async def relay(ctx: Ctx, req: RequestDTO, chat: int, inp: Input, *,
                text_for: Callable[[str], str] | None = None) -> list[Reply]:
    """Send the officer's message ``inp`` to every member of the company, labelled with the
    reference: marked on the officer's message when it arrives and recallable (when it has
    one), recorded in the thread, and counted as the staff's answer. ``text_for`` gives the
    text in a member's language (a saved answer); by default it goes as written."""
    r = ctx.requests
    sent = 0
    for member in await ctx.users.members(req.company_id):
        if member.blocked_bot:
            continue
        body = text_for(member.language) if text_for else inp.text
        label = t(member.language, "from_officer", reference=req.reference,
                  owner=ctx.user.first_name)
        # If Telegram refuses it for good, the officer hears so in the group.
        told = (chat, t(STAFF_LANG, "relay_failed_staff", reference=req.reference,
                        who=member.first_name))
        # Marked on the officer's message when it arrives; recallable with /recall.
        source = (chat, inp.message_id) if inp.message_id is not None else None
        if inp.kind == "file" and inp.message_id is not None:
            caption = label + ("\n" + esc(body) if body else "")
            await ctx.copy(member.id, chat, inp.message_id, caption=caption,
                           ref=("request", req.id), on_fail=told, relay_of=source)
        else:
            await ctx.send(member.id, label + "\n" + esc(body), ref=("request", req.id),
                           on_fail=told, relay_of=source)
        sent += 1
    await r.add_event(
        req.id, "attachment" if inp.kind == "file" else "message", "staff", ctx.now,
        text=inp.text, author_id=ctx.user.id, author_name=ctx.user.first_name,
        file_id=inp.file.file_id if inp.file else None,
        file_kind=inp.file.kind if inp.file else None, source_message_id=inp.message_id,
    )
    await r.staff_answered(req.id, ctx.now)
    if inp.message_id is not None:
        # Remembered, so an edit of this reply can follow it to the company.
        await ctx.refs.add(chat, inp.message_id, SOURCE, req.id, ctx.now)
    if req.status == RequestStatus.CLAIMED:
        await refresh_card(ctx, req.id)
    if sent == 0:
        return [Reply(ctx.t("relay_nobody", reference=req.reference))]
    return []


# -- taking a reply back ---------------------------------------------------------------------
# Telegram lets a bot delete what it sent to a private chat for 48 hours.
RECALL_WINDOW = timedelta(hours=48)


async def recall(ctx: Ctx, inp: Input) -> list[Reply]:
    """``/recall`` in answer to one's own relayed reply: it is deleted from the company's chat
    (and withdrawn if not yet delivered), leaves the company's view of the thread, and both
    sides are told. Only its author, or an admin, may take it back."""
    chat = await ctx.staff_chat()
    if chat is None or ctx.actor.chat_id != chat:
        return [Reply(ctx.t("recall_in_group"))]
    if inp.reply_to_message_id is None:
        return [Reply(ctx.t("recall_usage"))]
    source = inp.reply_to_message_id
    copies = await ctx.outbox.copies_of(chat, source)
    ref = await ctx.refs.find(chat, source)
    req = await ctx.requests.get(ref.ref_id) if ref is not None and ref.ref_kind == SOURCE else None
    if not copies or req is None:
        return [Reply(ctx.t("recall_not_relay"))]
    if inp.reply_to_user_id != ctx.user.id and not ctx.is_admin:
        return [Reply(ctx.t("recall_not_yours"))]
    delivered = [c for c in copies if c.status == "sent" and c.message_id is not None]
    if any(c.sent_at is not None and ctx.now - c.sent_at >= RECALL_WINDOW for c in delivered):
        return [Reply(ctx.t("recall_too_old", reference=req.reference))]
    pending = [c for c in copies if c.status == "pending"]
    withdrawn = [c for c in pending
                 if await ctx.outbox.cancel_pending(c.id, "Recalled by the officer", ctx.now)]
    if len(withdrawn) < len(pending):
        return [Reply(ctx.t("recall_busy"))]  # being sent this very moment: try again
    deleting = [c for c in delivered if c.message_id is not None and await ctx.delete(
        c.chat_id, c.message_id, dedupe_key=f"recall:{c.id}") is not None]
    if not deleting and not withdrawn:
        return [Reply(ctx.t("recall_done_before", reference=req.reference))]
    await ctx.requests.mark_recalled(req.id, source)
    for chat_id in sorted({c.chat_id for c in delivered}):
        member = await ctx.users.get(chat_id)
        await ctx.send(chat_id, t(member.language if member else "zh", "recalled_for_company",
                                  reference=req.reference), ref=("request", req.id))
    # The ✓ comes off the officer's message: it no longer reached anyone.
    await ctx.react(chat, source, None, dedupe_key=f"unack:{chat}:{source}")
    return [Reply(ctx.t("recall_done", reference=req.reference))]


# -- lists -----------------------------------------------------------------------------------
def _line(ctx: Ctx, req: RequestDTO, company: CompanyDTO | None) -> str:
    return ctx.t(
        "staff_list_line", reference=req.reference,
        company=company.name if company else "?",
        service=service_label(ctx, req.service_id, ctx.lang),
        status=request_status(req, ctx.lang), owner=req.owner_name or "—",
        age=age_text(ctx.now - req.created_at, ctx.lang),
    )


async def _listing(ctx: Ctx, title: str, reqs: Sequence[RequestDTO], empty: str,
                   *, claim_buttons: bool = False) -> list[Reply]:
    if not reqs:
        return [Reply(ctx.t(empty))]
    companies = await ctx.companies.many({r.company_id for r in reqs})
    lines = [_line(ctx, r, companies.get(r.company_id)) for r in reqs]
    buttons: tuple[tuple[Button, ...], ...] = ()
    if claim_buttons:
        buttons = tuple(
            (Button(ctx.t("btn_claim_ref", reference=r.reference), f"{PREFIX}c:{r.id}"),)
            for r in reqs[:8]
        )
    return [Reply(ctx.t(title, count=len(reqs)) + "\n" + "\n".join(lines), buttons=buttons)]


async def queue(ctx: Ctx, args: list[str]) -> list[Reply]:
    reqs = await ctx.requests.queue(limit=LIST_LIMIT)
    return await _listing(ctx, "queue_title", reqs, "queue_empty", claim_buttons=True)


async def mine(ctx: Ctx, args: list[str]) -> list[Reply]:
    reqs = await ctx.requests.owned_by(ctx.user.id, limit=LIST_LIMIT)
    # What other features put on the officer's plate today (follow-ups due, …).
    more = [reply for source in ctx.rt.features.officer_items for reply in await source(ctx)]
    if not reqs and more:
        return more
    return await _listing(ctx, "mine_title", reqs, "mine_empty") + more


async def find(ctx: Ctx, args: list[str]) -> list[Reply]:
    query = " ".join(args).strip()
    if not query:
        return [Reply(ctx.t("find_usage"))]
    by_ref = await ctx.requests.by_reference(query)
    if by_ref is not None:
        return await _listing(ctx, "find_title", [by_ref], "find_none")
    companies = await ctx.companies.search(query)
    reqs = await ctx.requests.for_companies([c.id for c in companies], limit=LIST_LIMIT)
    return await _listing(ctx, "find_title", reqs, "find_none")


async def history(ctx: Ctx, args: list[str]) -> list[Reply]:
    if len(args) != 1:
        return [Reply(ctx.t("history_usage"))]
    req = await ctx.requests.by_reference(args[0])
    if req is None:
        return [Reply(ctx.t("find_none"))]
    company = await ctx.companies.get(req.company_id)
    lines = [ctx.t("history_head", reference=req.reference,
                   company=company.name if company else "?",
                   service=service_label(ctx, req.service_id, ctx.lang),
                   status=request_status(req, ctx.lang),
                   zone=zone_name(zone_of(ctx, req.station_id), ctx.lang))]
    lines.extend(await lines_about(ctx, req, ctx.lang))
    lines.append(ctx.t("history_submitted", when=local_time(ctx, req.created_at, req.station_id),
                       description=_cut(req.description)))
    for e in await ctx.requests.events(req.id):
        when = local_time(ctx, e.created_at, req.station_id)
        body = _cut(e.text) if e.text else ctx.t("event_file")
        lines.append(ctx.t(f"history_{e.kind}", when=when, who=e.author_name or "—",
                           side=ctx.t(f"side_{e.side}"), text=body))
    if req.rating is not None:
        lines.append(ctx.t("history_rating", rating=req.rating,
                           comment=req.rating_comment or "—"))
    text = "\n".join(lines)
    # Telegram's limit is 4096 characters; the newest end of a long thread matters most.
    if len(text) > 4000:
        text = "…\n" + text[-3990:].split("\n", 1)[-1]
    return [Reply(text)]


def _cut(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


STAFF_COMMANDS = {"queue": queue, "mine": mine, "find": find, "history": history}
# Commands that act on the message they answer (the Telegram side passes that along).
STAFF_REPLY_COMMANDS = {"recall": recall}
