"""The officers' side of requests: the card in the staff group, claiming, relaying, the queue.

Every message the staff group or an enterprise must receive goes through the outbox in the
same transaction as the change that caused it; every change is a conditional update, so two
officers pressing at once can never both win.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.catalogue import DEFAULT_TIMEZONE, Service, Station
from bot.context import Ctx
from bot.enterprise import tier_label
from bot.replies import Button, Input, Reply, notice
from bot.texts import Raw, esc, t
from bot.workhours import add_working_hours
from storage.dto import CompanyDTO
from storage.requests_repo import WORKING, EventDTO, RequestDTO, Requests

# The staff group reads one language; each officer's own toasts follow their language.
STAFF_LANG = "zh"
PREFIX = "rq:"
NOTE_MARK = "!"
REOPEN_WINDOW = timedelta(days=7)
EXCERPT = 300
LIST_LIMIT = 15


# Lines other features add about a request to its card, its /history and the enterprise's
# view of it (window visits booked about it do), given the request and a language. They
# register here, as jobs and fallbacks do, so this module needs none of them.
RequestLines = Callable[[Ctx, RequestDTO, str], Awaitable[list[str]]]
REQUEST_LINES: list[RequestLines] = []


async def lines_about(ctx: Ctx, req: RequestDTO, lang: str) -> list[str]:
    """What other features have to say about the request, as HTML lines."""
    return [line for source in REQUEST_LINES for line in await source(ctx, req, lang)]


def with_lines(lines: list[str]) -> Raw:
    """Lines to append after a template's line: each on its own line, nothing when none."""
    return Raw("".join("\n" + line for line in lines))


# -- small shared helpers ------------------------------------------------------------------
def repo(ctx: Ctx) -> Requests:
    return Requests(ctx.session)


def station_of(ctx: Ctx, station_id: str) -> Station | None:
    return ctx.cat.station(station_id)


def zone_of(ctx: Ctx, station_id: str) -> str:
    station = station_of(ctx, station_id)
    return station.timezone if station else DEFAULT_TIMEZONE


def local_time(ctx: Ctx, when: datetime, station_id: str) -> str:
    return when.astimezone(ZoneInfo(zone_of(ctx, station_id))).strftime("%Y-%m-%d %H:%M")


def station_label(ctx: Ctx, station_id: str, lang: str) -> str:
    station = station_of(ctx, station_id)
    return station.name.get(lang) if station else station_id


def service_label(ctx: Ctx, service_id: str, lang: str) -> str:
    service = ctx.cat.service(service_id)
    return service.name.get(lang) if service else service_id


def status_label(status: str, lang: str) -> str:
    return t(lang, f"rq_status_{status}")


def mention(user_id: int, name: str) -> str:
    return f'<a href="tg://user?id={user_id}">{esc(name or user_id)}</a>'


def deadlines(ctx: Ctx, station_id: str, hours: float, start: datetime) -> tuple[
        datetime, datetime]:
    """When the first-response promise runs out, and when admins are called in (twice it)."""
    cal, tz = ctx.cat.calendar, zone_of(ctx, station_id)
    return (
        add_working_hours(start, hours, cal, tz=tz, station_id=station_id),
        add_working_hours(start, 2 * hours, cal, tz=tz, station_id=station_id),
    )


def response_hours(ctx: Ctx, service_id: str) -> float:
    service = ctx.cat.service(service_id)
    return service.response_hours if service else ctx.cat.defaults.response_hours


def age_text(delta: timedelta, lang: str) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return t(lang, "age_days", days=days, hours=hours)
    if hours:
        return t(lang, "age_hours", hours=hours, minutes=mins)
    return t(lang, "age_minutes", minutes=mins)


def parse_id(raw: str) -> int | None:
    """A database id from a button payload: digits only, nothing else accepted."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


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
        lines.append(f"• {esc(prompt)}：{esc(shown)}" if lang == "zh"
                     else f"• {esc(prompt)}: {esc(shown)}")
    return lines


async def submission_split(ctx: Ctx, request_id: int) -> tuple[list[EventDTO], list[EventDTO]]:
    """(files sent with the form, everything after): the "submitted" event marks the border."""
    events = await repo(ctx).events(request_id)
    border = next((i for i, e in enumerate(events)
                   if e.kind == "status" and e.text == "submitted"), -1)
    return ([e for e in events[:border] if e.kind == "attachment"] if border >= 0 else [],
            events[border + 1:])


# -- the card ------------------------------------------------------------------------------
async def card_text(ctx: Ctx, req: RequestDTO, company: CompanyDTO | None = None) -> str:
    lang = STAFF_LANG
    company = company or await ctx.companies.get(req.company_id)
    service = ctx.cat.service(req.service_id)
    lines = answers_lines(service, req.answers, lang)
    attachments, _ = await submission_split(ctx, req.id)
    if req.status == "submitted":
        state = t(lang, "card_state_unclaimed")
    elif req.status in WORKING:
        state = t(lang, "card_state_owner", owner=req.owner_name or "",
                  status=status_label(req.status, lang))
    else:
        state = t(lang, "card_state_other", status=status_label(req.status, lang),
                  owner=req.owner_name or "—")
    return t(
        lang, "card",
        reference=req.reference, service=service_label(ctx, req.service_id, lang),
        company=company.name if company else "?", code=company.credit_code if company else "",
        tier=tier_label(company.tier, lang) if company else "",
        contact=company.contact_name if company else "",
        phone=company.phone if company else "",
        station=station_label(ctx, req.station_id, lang),
        visits=with_lines(await lines_about(ctx, req, lang)),
        submitted=local_time(ctx, req.created_at, req.station_id),
        zone=zone_of(ctx, req.station_id), age=age_text(ctx.now - req.created_at, lang),
        due=local_time(ctx, req.due_at, req.station_id),
        answers=Raw("\n".join(lines) or t(lang, "card_no_answers")),
        description=req.description, files=len(attachments), state=Raw(state),
    )


def card_buttons(req: RequestDTO) -> tuple[tuple[Button, ...], ...]:
    lang, i = STAFF_LANG, req.id
    if req.status == "submitted":
        return ((Button(t(lang, "btn_claim"), f"{PREFIX}c:{i}"),),)
    if req.status in WORKING:
        return (
            (Button(t(lang, "btn_resolve"), f"{PREFIX}r:{i}"),
             Button(t(lang, "btn_note"), f"{PREFIX}n:{i}")),
            (Button(t(lang, "btn_transfer"), f"{PREFIX}t:{i}"),
             Button(t(lang, "btn_unclaim"), f"{PREFIX}u:{i}")),
        )
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
    card = await ctx.send(chat, await card_text(ctx, req, company), buttons=card_buttons(req),
                          thread_id=thread, ref=("request", req.id))
    await repo(ctx).set_card(req.id, card)
    files, _ = await submission_split(ctx, req.id)
    for event in files:
        if event.file_id and event.file_kind:
            await ctx.send_file(chat, event.file_id, event.file_kind,
                                caption=t(STAFF_LANG, "card_file", reference=req.reference),
                                thread_id=thread, ref=("request", req.id),
                                reply_to_outbox=card)


async def refresh_card(ctx: Ctx, request_id: int) -> None:
    """Edit the card in place to show the request as it is now."""
    req = await repo(ctx).get(request_id)
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


# -- officers' actions ---------------------------------------------------------------------
def is_admin(ctx: Ctx) -> bool:
    return bool(ctx.settings.is_admin(ctx.user.id))


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
    return await repo(ctx).get(request_id) if request_id is not None else None


async def claim(ctx: Ctx, raw_id: str) -> list[Reply]:
    req = await _load(ctx, raw_id)
    if req is None:
        return [notice(ctx.t("stale_button"))]
    name = ctx.user.first_name or str(ctx.user.id)
    if not await repo(ctx).claim(req.id, ctx.user.id, name, ctx.now):
        now = await repo(ctx).get(req.id)
        assert now is not None
        if now.claimed_by == ctx.user.id:
            return [notice(ctx.t("claim_yours_already"))]
        if now.claimed_by is not None:
            return [notice(ctx.t("claim_lost", owner=now.owner_name or ""), alert=True)]
        return [notice(ctx.t("claim_not_open", status=status_label(now.status, ctx.lang)),
                       alert=True)]
    r = repo(ctx)
    await r.add_event(req.id, "status", "staff", ctx.now, text="claimed",
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
    if req.status == "submitted":
        return ctx.t("staff_claim_first")
    if req.status not in WORKING:
        return ctx.t("staff_request_not_open", status=status_label(req.status, ctx.lang))
    if req.claimed_by != ctx.user.id and not is_admin(ctx):
        return ctx.t("staff_not_owner", owner=req.owner_name or "")
    return None


def _owner_filter(ctx: Ctx, req: RequestDTO) -> int | None:
    # The conditional update names the owner we saw; an admin acts on whoever holds it.
    return req.claimed_by if is_admin(ctx) else ctx.user.id


async def unclaim(ctx: Ctx, raw_id: str) -> list[Reply]:
    req = await _actionable(ctx, raw_id)
    if isinstance(req, list):
        return req
    due, escalate = deadlines(ctx, req.station_id, response_hours(ctx, req.service_id), ctx.now)
    if not await repo(ctx).unclaim(req.id, _owner_filter(ctx, req), ctx.now, due, escalate):
        return [notice(ctx.t("stale_button"))]
    await repo(ctx).add_event(req.id, "status", "staff", ctx.now, text="unclaimed",
                              author_id=ctx.user.id, author_name=ctx.user.first_name)
    await refresh_card(ctx, req.id)
    current = await repo(ctx).get(req.id)
    assert current is not None
    await tell_group(ctx, current, t(STAFF_LANG, "unclaimed_group", reference=req.reference,
                                     who=ctx.user.first_name))
    return [notice(ctx.t("unclaim_done"))]


async def resolve(ctx: Ctx, raw_id: str) -> list[Reply]:
    req = await _actionable(ctx, raw_id)
    if isinstance(req, list):
        return req
    if not await repo(ctx).resolve(req.id, _owner_filter(ctx, req), ctx.now):
        return [notice(ctx.t("stale_button"))]
    await repo(ctx).add_event(req.id, "status", "staff", ctx.now, text="resolved",
                              author_id=ctx.user.id, author_name=ctx.user.first_name)
    await refresh_card(ctx, req.id)
    rating = {lang: rating_buttons(req.id, lang) for lang in ("zh", "en")}
    await tell_company(ctx, req, "rq_resolved_enterprise", buttons_for=rating,
                       owner=req.owner_name or "")
    return [notice(ctx.t("resolve_done", reference=req.reference))]


def rating_buttons(request_id: int, lang: str) -> tuple[tuple[Button, ...], ...]:
    stars = tuple(Button(t(lang, f"rating_{n}"), f"{PREFIX}rt:{request_id}:{n}")
                  for n in range(5, 0, -1))
    return (stars[:3], stars[3:], (Button(t(lang, "btn_not_solved"), f"{PREFIX}ro:{request_id}"),))


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
    for user_id, name in await repo(ctx).officers():
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
    if not await repo(ctx).move_to_station(req.id, _owner_filter(ctx, req), station.id, ctx.now,
                                           due, escalate):
        return [notice(ctx.t("stale_button"))]
    r = repo(ctx)
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
    officers = dict(await repo(ctx).officers(limit=200))
    if req is None or target is None or target not in officers or target == req.claimed_by:
        return [notice(ctx.t("stale_button"))]
    refusal = _may_act(ctx, req)
    if refusal:
        return [notice(refusal, alert=True)]
    target_user = await ctx.users.get(target)
    name = target_user.first_name if target_user else officers[target]
    if not await repo(ctx).reassign(req.id, _owner_filter(ctx, req), target, name, ctx.now):
        return [notice(ctx.t("stale_button"))]
    await repo(ctx).add_event(req.id, "status", "staff", ctx.now, text=f"transferred to {name}",
                              author_id=ctx.user.id, author_name=ctx.user.first_name)
    await refresh_card(ctx, req.id)
    current = await repo(ctx).get(req.id)
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
    simple = {"c": claim, "u": unclaim, "r": resolve, "n": note_prompt, "t": transfer_menu,
              "b": back_to_card}
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
    req = await repo(ctx).get(ref.ref_id)
    if req is None:
        return []
    if anonymous:
        return [Reply(ctx.t("staff_act_as_yourself"))]
    text = inp.text.strip()
    if ref.ref_kind == "rqnote" or text.startswith(NOTE_MARK):
        note = text[len(NOTE_MARK):].strip() if text.startswith(NOTE_MARK) else text
        await repo(ctx).add_event(
            req.id, "note", "staff", ctx.now, text=note, author_id=ctx.user.id,
            author_name=ctx.user.first_name,
            file_id=inp.file.file_id if inp.file else None,
            file_kind=inp.file.kind if inp.file else None,
        )
        return [Reply(ctx.t("note_saved", reference=req.reference))]
    refusal = _may_act(ctx, req)
    if refusal:
        return [Reply(refusal)]
    r = repo(ctx)
    sent = 0
    for member in await ctx.users.members(req.company_id):
        if member.blocked_bot:
            continue
        label = t(member.language, "from_officer", reference=req.reference,
                  owner=ctx.user.first_name)
        if inp.kind == "file" and inp.message_id is not None:
            caption = label + ("\n" + esc(inp.text) if inp.text else "")
            await ctx.copy(member.id, chat, inp.message_id, caption=caption,
                           ref=("request", req.id))
        else:
            await ctx.send(member.id, label + "\n" + esc(inp.text), ref=("request", req.id))
        sent += 1
    await r.add_event(
        req.id, "attachment" if inp.kind == "file" else "message", "staff", ctx.now,
        text=inp.text, author_id=ctx.user.id, author_name=ctx.user.first_name,
        file_id=inp.file.file_id if inp.file else None,
        file_kind=inp.file.kind if inp.file else None,
    )
    await r.staff_answered(req.id, ctx.now)
    if req.status == "claimed":
        await refresh_card(ctx, req.id)
    if sent == 0:
        return [Reply(ctx.t("relay_nobody", reference=req.reference))]
    return []


# -- lists -----------------------------------------------------------------------------------
def _line(ctx: Ctx, req: RequestDTO, company: CompanyDTO | None) -> str:
    return ctx.t(
        "staff_list_line", reference=req.reference,
        company=company.name if company else "?",
        service=service_label(ctx, req.service_id, ctx.lang),
        status=status_label(req.status, ctx.lang), owner=req.owner_name or "—",
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
    reqs = await repo(ctx).queue(limit=LIST_LIMIT)
    return await _listing(ctx, "queue_title", reqs, "queue_empty", claim_buttons=True)


async def mine(ctx: Ctx, args: list[str]) -> list[Reply]:
    reqs = await repo(ctx).owned_by(ctx.user.id, limit=LIST_LIMIT)
    return await _listing(ctx, "mine_title", reqs, "mine_empty")


async def find(ctx: Ctx, args: list[str]) -> list[Reply]:
    query = " ".join(args).strip()
    if not query:
        return [Reply(ctx.t("find_usage"))]
    by_ref = await repo(ctx).by_reference(query)
    if by_ref is not None:
        return await _listing(ctx, "find_title", [by_ref], "find_none")
    companies = await ctx.companies.search(query)
    reqs = await repo(ctx).for_companies([c.id for c in companies], limit=LIST_LIMIT)
    return await _listing(ctx, "find_title", reqs, "find_none")


async def history(ctx: Ctx, args: list[str]) -> list[Reply]:
    if len(args) != 1:
        return [Reply(ctx.t("history_usage"))]
    req = await repo(ctx).by_reference(args[0])
    if req is None:
        return [Reply(ctx.t("find_none"))]
    company = await ctx.companies.get(req.company_id)
    lines = [ctx.t("history_head", reference=req.reference,
                   company=company.name if company else "?",
                   service=service_label(ctx, req.service_id, ctx.lang),
                   status=status_label(req.status, ctx.lang),
                   zone=zone_of(ctx, req.station_id))]
    lines.extend(await lines_about(ctx, req, ctx.lang))
    lines.append(ctx.t("history_submitted", when=local_time(ctx, req.created_at, req.station_id),
                       description=_cut(req.description)))
    for e in await repo(ctx).events(req.id):
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


# -- background: reminders, escalations, closing -------------------------------------------
async def remind_and_escalate(ctx: Ctx) -> None:
    """Re-announce requests past their promise, then call the admins in: once each."""
    r = repo(ctx)
    for req in await r.due_announcements(ctx.now):
        if not await r.mark_announced(req.id, req.queue_round):
            continue
        await tell_group(ctx, req, t(
            STAFF_LANG, "reannounce", reference=req.reference,
            hours=hours_text(response_hours(ctx, req.service_id)),
            service=service_label(ctx, req.service_id, STAFF_LANG),
        ), dedupe_key=f"rq:{req.id}:{req.queue_round}:announce")
    for req in await r.due_escalations(ctx.now):
        if not await r.mark_escalated(req.id, req.queue_round):
            continue
        admins = " ".join(mention(a, "admin") for a in sorted(ctx.settings.admin_ids))
        await tell_group(ctx, req, t(
            STAFF_LANG, "escalate", reference=req.reference, admins=Raw(admins),
            hours=hours_text(2 * response_hours(ctx, req.service_id)),
        ), dedupe_key=f"rq:{req.id}:{req.queue_round}:escalate")


def hours_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


async def close_expired(ctx: Ctx) -> None:
    """Resolved requests nobody rated or reopened within seven days close themselves."""
    r = repo(ctx)
    cutoff = ctx.now - REOPEN_WINDOW
    for req in await r.due_closing(cutoff):
        if await r.close_expired(req.id, cutoff, ctx.now):
            await r.add_event(req.id, "status", "system", ctx.now, text="closed")
            await refresh_card(ctx, req.id)

