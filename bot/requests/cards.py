"""A request's card in the staff group, its thread there, and what the company is told."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.catalogue import Service
from bot.core.context import Ctx
from bot.core.display import (
    STAFF_LANG,
    age_text,
    local_time,
    service_label,
    station_label,
    station_of,
    tier_label,
    zone_name,
    zone_of,
)
from bot.core.limits import TEXT_LIMIT, shorten_html, visible_len
from bot.core.payloads import REQUEST
from bot.core.replies import Button, Input, Reply
from bot.texts import Raw, esc, t
from storage.companies.dto import CompanyDTO
from storage.requests.repo import EventDTO, RequestDTO
from storage.requests.status import WORKING, RequestStatus

PREFIX = REQUEST
# A message someone wrote that was relayed for a request (its edits are relayed too).
SOURCE = "rqsrc"


# Lines other features add about a request to its card, its /history and the enterprise's
# view of it (window visits booked about it do), given the request and a language. They
# register here, as jobs and fallbacks do, so this module needs none of them.
RequestLines = Callable[[Ctx, RequestDTO, str], Awaitable[list[str]]]


async def lines_about(ctx: Ctx, req: RequestDTO, lang: str) -> list[str]:
    """What other features have to say about the request, as HTML lines."""
    return [line for source in ctx.rt.features.request_lines
            for line in await source(ctx, req, lang)]


def with_lines(lines: list[str]) -> Raw:
    """Lines to append after a template's line: each on its own line, nothing when none."""
    return Raw("".join("\n" + line for line in lines))


def elapsed_text(req: RequestDTO, now: datetime, lang: str) -> str:
    """How long it has waited; once done (resolved, closed, withdrawn), how long it took:
    a finished card does not go on counting."""
    finished = req.resolved_at or req.closed_at
    if finished is not None and not req.is_open:
        return t(lang, "card_took", age=age_text(finished - req.created_at, lang))
    return t(lang, "card_waiting", age=age_text(now - req.created_at, lang))


def request_status(req: RequestDTO, lang: str) -> str:
    """The one word for where the request stands, the same in every view: a closed request
    the company rated reads as rated."""
    if req.status == RequestStatus.CLOSED and req.rating is not None:
        return t(lang, "rq_status_rated")
    return status_label(req.status, lang)


def status_label(status: str, lang: str) -> str:
    return t(lang, f"rq_status_{status}")


def answers_lines(service: Service | None, answers: dict[str, object], lang: str) -> list[str]:
    """The form's answers as "question: answer" lines, choices by their label."""
    lines: list[str] = []
    questions = {q.key: q for q in service.form} if service else {}
    for key, value in answers.items():
        q = questions.get(key)
        prompt = q.prompt.get(lang) if q else key
        shown = str(value)
        if q is not None and q.type == "choice":
            choice = q.choice(str(value))
            shown = choice.label.get(lang) if choice else shown
        if prompt.rstrip().endswith(("？", "?")):
            # A question and a colon never stand together: the answer goes on its own line.
            answer = "答：" if lang == "zh" else "Answer: "
            lines.append(f"• {esc(prompt)}\n  {answer}{esc(shown)}")
        else:
            lines.append(f"• {esc(prompt)}：{esc(shown)}" if lang == "zh"
                         else f"• {esc(prompt)}: {esc(shown)}")
    return lines


async def submission_split(ctx: Ctx, request_id: int) -> tuple[list[EventDTO], list[EventDTO]]:
    """(files sent with the form, everything after): the "submitted" event marks the border."""
    events = await ctx.requests.events(request_id)
    border = next((i for i, e in enumerate(events)
                   if e.kind == "status" and e.text == RequestStatus.SUBMITTED), -1)
    return ([e for e in events[:border] if e.kind == "attachment"] if border >= 0 else [],
            events[border + 1:])


# -- the card ------------------------------------------------------------------------------
async def card_text(ctx: Ctx, req: RequestDTO, company: CompanyDTO | None = None) -> str:
    """The card: one message, buttons and all. A description too long for it is cut with a
    note, and :func:`post_card` sends it in full under the card."""
    lang = STAFF_LANG
    company = company or await ctx.companies.get(req.company_id)
    service = ctx.cat.service(req.service_id)
    lines = answers_lines(service, req.answers, lang)
    attachments, _ = await submission_split(ctx, req.id)
    if req.status == RequestStatus.SUBMITTED:
        state = t(lang, "card_state_unclaimed")
    elif req.status in WORKING:
        state = t(lang, "card_state_owner", owner=req.owner_name or "",
                  status=request_status(req, lang))
    else:
        state = t(lang, "card_state_other", status=request_status(req, lang),
                  owner=req.owner_name or "—")
    values = {
        "reference": req.reference, "service": service_label(ctx, req.service_id, lang),
        "company": company.name if company else "?", "code": company.credit_code if company else "",
        "tier": tier_label(company.tier, lang, ctx.cat) if company else "",
        "contact": company.contact_name if company else "",
        "phone": company.phone if company else "",
        "station": station_label(ctx, req.station_id, lang),
        "visits": with_lines(await lines_about(ctx, req, lang)),
        "submitted": local_time(ctx, req.created_at, req.station_id),
        "zone": zone_name(zone_of(ctx, req.station_id), lang),
        "elapsed": elapsed_text(req, ctx.now, lang),
        "due": local_time(ctx, req.due_at, req.station_id),
        "answers": Raw("\n".join(lines) or t(lang, "card_no_answers")),
        "files": len(attachments), "state": Raw(state),
    }
    card = t(lang, "card", description=req.description, **values)
    excess = visible_len(card) - TEXT_LIMIT
    if excess <= 0:
        return card
    cut = t(lang, "card_description_cut")
    keep = max(len(req.description) - excess - visible_len(cut) - 8, 0)
    card = t(lang, "card", description=Raw(esc(req.description[:keep]) + cut), **values)
    return shorten_html(card, TEXT_LIMIT, "…")


def description_cut(card: str, req: RequestDTO) -> bool:
    """Did the card have to leave part of the description out?"""
    return t(STAFF_LANG, "card_description_cut") in card and bool(req.description)


def card_buttons(req: RequestDTO) -> tuple[tuple[Button, ...], ...]:
    lang, i = STAFF_LANG, req.id
    if req.status == RequestStatus.SUBMITTED:
        return ((Button(t(lang, "btn_claim"), f"{PREFIX}c:{i}"),),)
    if req.status in WORKING:
        return (
            (Button(t(lang, "btn_resolve"), f"{PREFIX}r:{i}"),
             Button(t(lang, "btn_note"), f"{PREFIX}n:{i}")),
            (Button(t(lang, "btn_transfer"), f"{PREFIX}t:{i}"),
             Button(t(lang, "btn_unclaim"), f"{PREFIX}u:{i}")),
            (Button(t(lang, "btn_snippets"), f"{PREFIX}sl:{i}"),),
        )
    if req.status == RequestStatus.RESOLVED:
        # Until the company rates it, the officer who resolved it can take it up again.
        return ((Button(t(lang, "btn_reopen_staff"), f"{PREFIX}re:{i}"),),)
    return ()


def thread_for(ctx: Ctx, station_id: str) -> int | None:
    station = station_of(ctx, station_id)
    return station.topic_id if station else None


async def post_card(ctx: Ctx, req: RequestDTO, company: CompanyDTO | None = None) -> None:
    """Queue the card (and the files under it) in the station's topic of the staff group."""
    chat = await ctx.staff_chat()
    if chat is None:
        return
    thread = thread_for(ctx, req.station_id)
    text = await card_text(ctx, req, company)
    card = await ctx.send(chat, text, buttons=card_buttons(req),
                          thread_id=thread, ref=("request", req.id))
    await ctx.requests.set_card(req.id, card)
    if description_cut(text, req):
        # The whole description, in as many messages as it takes, under the card.
        await ctx.send(chat, t(STAFF_LANG, "card_description_more", reference=req.reference,
                               description=req.description),
                       thread_id=thread, ref=("request", req.id), reply_to_outbox=card)
    files, _ = await submission_split(ctx, req.id)
    for event in files:
        if event.file_id and event.file_kind:
            await ctx.send_file(chat, event.file_id, event.file_kind,
                                caption=t(STAFF_LANG, "card_file", reference=req.reference),
                                thread_id=thread, ref=("request", req.id),
                                reply_to_outbox=card)


async def refresh_card(ctx: Ctx, request_id: int) -> None:
    """Edit the card in place to show the request as it is now."""
    req = await ctx.requests.get(request_id)
    if req is None or req.card_outbox_id is None:
        return
    await ctx.edit(req.card_outbox_id, text=await card_text(ctx, req), buttons=card_buttons(req))


async def tell_group(ctx: Ctx, req: RequestDTO, text: str, *,
                     dedupe_key: str | None = None) -> None:
    """A line in the request's thread of the staff group, replying to its card."""
    chat = await ctx.staff_chat()
    if chat is None:
        return
    await ctx.send(chat, text, thread_id=thread_for(ctx, req.station_id), ref=("request", req.id),
                   reply_to_outbox=req.card_outbox_id, dedupe_key=dedupe_key)


async def tell_company(ctx: Ctx, req: RequestDTO, key: str, *,
                       buttons_for: dict[str, tuple[tuple[Button, ...], ...]] | None = None,
                       **values: object) -> int:
    """Send every member of the company a message in their language; how many can get it."""
    sent = 0
    for member in await ctx.users.members(req.company_id):
        if member.blocked_bot:
            continue
        lang = member.language
        await ctx.send(member.id, t(lang, key, reference=req.reference, **values),
                       buttons=(buttons_for or {}).get(lang, ()), ref=("request", req.id))
        sent += 1
    return sent


def rating_buttons(request_id: int, lang: str) -> tuple[tuple[Button, ...], ...]:
    stars = tuple(Button(t(lang, f"rating_{n}"), f"{PREFIX}rt:{request_id}:{n}")
                  for n in range(5, 0, -1))
    return (stars[:3], stars[3:], (Button(t(lang, "btn_not_solved"), f"{PREFIX}ro:{request_id}"),))


async def repost_open_cards(ctx: Ctx) -> None:
    """The staff group moved: the old cards stay behind in a chat no one can use any more, so
    every open request gets its card again in the new one (after a line saying why)."""
    chat = await ctx.staff_chat()
    requests = await ctx.requests.all_open()
    if chat is None or not requests:
        return
    await ctx.send(chat, t(STAFF_LANG, "staff_group_moved", count=len(requests)))
    for req in requests:
        await post_card(ctx, req)


async def relay_edit(ctx: Ctx, inp: Input) -> list[Reply]:
    """Someone edited a message that was relayed for a request: the other side sees the new
    wording, marked as an edit, under the request's thread (Telegram cannot edit a copy in
    another chat, so it follows as a message). An edit of anything else changes nothing."""
    if inp.message_id is None or not inp.text:
        return []
    if not ctx.actor.private and inp.text.startswith("/"):
        return []  # an officer's /s edited: the saved answer went out, not the command
    ref = await ctx.refs.find(ctx.actor.chat_id, inp.message_id)
    if ref is None or ref.ref_kind != SOURCE:
        return []
    req = await ctx.requests.get(ref.ref_id)
    if req is None:
        return []
    await ctx.requests.add_event(req.id, "message", "staff" if not ctx.actor.private
                                 else "enterprise", ctx.now, text=inp.text,
                                 author_id=ctx.user.id, author_name=ctx.user.first_name)
    if ctx.actor.private:
        if ctx.user.company_id != req.company_id:
            return []
        chat = await ctx.staff_chat()
        if chat is not None:
            await ctx.send(chat, t(STAFF_LANG, "edit_from_enterprise", reference=req.reference,
                                   who=ctx.user.first_name) + "\n" + esc(inp.text),
                           thread_id=thread_for(ctx, req.station_id), ref=("request", req.id),
                           reply_to_outbox=req.card_outbox_id)
        return []
    for member in await ctx.users.members(req.company_id):
        if not member.blocked_bot:
            await ctx.send(member.id, t(member.language, "edit_from_officer",
                                        reference=req.reference, owner=ctx.user.first_name)
                           + "\n" + esc(inp.text), ref=("request", req.id))
    return []
