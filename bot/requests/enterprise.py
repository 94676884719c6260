"""The enterprise's side of requests: submit, follow, talk to the officer, withdraw, rate.

Lifecycle: submitted → claimed ⇄ waiting → resolved → closed, or withdrawn while nobody
has claimed it. Every change is a conditional update (see ``storage.requests_repo``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.catalogue import Service
from bot.core import display, engine
from bot.core.context import Ctx
from bot.core.engine import Flow, Step
from bot.core.logs import concerning
from bot.core.replies import Button, FileIn, Input, Reply, notice
from bot.core.timeline import REQUEST_RATED, REQUEST_SUBMITTED, on_record
from bot.requests import cards, promise, timers, uploads
from bot.requests.cards import PREFIX, SOURCE
from bot.texts import Raw, esc, t
from storage.companies.dto import CompanyDTO
from storage.requests.repo import RequestDTO
from storage.requests.status import RequestStatus

DESCRIPTION_LIMIT = 4000
# A company's text messages relayed to the staff group one by one, per window; the last of
# them says that what follows is kept in the thread (the group may take 20 messages a minute).
RELAY_BURST = 3
RELAY_WINDOW = timedelta(minutes=1)


COMMENT_LIMIT = 1000
# A rating of this many stars or fewer is a 差评: other features may follow it up.
POOR_RATING = 2


LIST_LIMIT = 10


def reference_for(station_code: str, when: datetime, zone: str, number: int) -> str:
    """``BS-2611-0042``: station code, year and month of submission there, sequence."""
    return f"{station_code}-{when.astimezone(ZoneInfo(zone)).strftime('%y%m')}-{number:04d}"


def route_station(service: Service, company: CompanyDTO) -> str:
    """The company's own station when it offers the service, else the first that does."""
    if company.station_id in service.stations or not service.stations:
        return company.station_id
    return service.stations[0]


async def submit(ctx: Ctx, company: CompanyDTO, service: Service, answers: dict[str, Any],
                 description: str, files: list[dict[str, Any]]) -> RequestDTO:
    """Create the request, its card in the staff group and its files, in one transaction."""
    station_id = route_station(service, company)
    station = ctx.cat.station(station_id)
    code = station.code if station else "XX"
    zone = display.zone_of(ctx, station_id)
    yymm = ctx.now.astimezone(ZoneInfo(zone)).strftime("%y%m")
    r = ctx.requests
    number = await r.next_number(code, yymm)
    due, escalate = promise.deadlines(ctx, station_id, service.response_hours, ctx.now)
    req = await r.create({
        "reference": reference_for(code, ctx.now, zone, number), "company_id": company.id,
        "station_id": station_id, "service_id": service.id, "answers": answers,
        "description": description, "created_by": ctx.user.id, "created_at": ctx.now,
        "due_at": due, "escalate_at": escalate,
    })
    concerning(req.reference)
    for f in files:
        await r.add_event(req.id, "attachment", "enterprise", ctx.now, text=f.get("name") or "",
                          author_id=ctx.user.id, author_name=ctx.user.first_name,
                          file_id=f["file_id"], file_kind=f["kind"])
    await r.add_event(req.id, "status", "enterprise", ctx.now, text=RequestStatus.SUBMITTED,
                      author_id=ctx.user.id, author_name=ctx.user.first_name)
    await cards.post_card(ctx, req, company)
    await on_record(ctx, company.id, REQUEST_SUBMITTED,
                    f"{req.reference} {service.name.get(display.STAFF_LANG)}",
                    ref=("request", req.id))
    return req


# -- /requests and its buttons ------------------------------------------------------------
async def _company(ctx: Ctx) -> CompanyDTO | None:
    return await ctx.company()


async def _own(ctx: Ctx, raw_id: str) -> RequestDTO | None:
    """The request named by a button, only if it belongs to this person's company."""
    request_id = display.parse_id(raw_id)
    if request_id is None or ctx.user.company_id is None:
        return None
    req = await ctx.requests.get(request_id)
    if req is None or req.company_id != ctx.user.company_id:
        return None
    concerning(req.reference)
    return req


def _summary_line(ctx: Ctx, req: RequestDTO) -> str:
    return ctx.t(
        "rq_list_line", reference=req.reference,
        service=display.service_label(ctx, req.service_id, ctx.lang),
        status=cards.request_status(req, ctx.lang),
        owner=req.owner_name or "—",
        when=display.local_time(ctx, req.created_at, req.station_id),
    )


async def requests_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    return await list_requests(ctx)


async def list_requests(ctx: Ctx, *, edit: bool = False) -> list[Reply]:
    company = await _company(ctx)
    if company is None:
        return [Reply(ctx.t("need_registration"))]
    reqs = await ctx.requests.for_company(company.id, limit=LIST_LIMIT)
    if not reqs:
        return [Reply(ctx.t("rq_list_empty"), edit=edit)]
    lines = [_summary_line(ctx, r) for r in reqs]
    rows = tuple((Button(ctx.t("btn_open_request", reference=r.reference),
                         f"{PREFIX}o:{r.id}"),) for r in reqs)
    return [Reply(ctx.t("rq_list_title", company=company.name) + "\n\n" + "\n\n".join(lines),
                  buttons=rows, edit=edit)]


async def open_request(ctx: Ctx, req: RequestDTO, *, edit: bool = True,
                       prefix: str = "") -> list[Reply]:
    service = ctx.cat.service(req.service_id)
    answers = cards.answers_lines(service, req.answers, ctx.lang)
    messages = [e for e in await ctx.requests.events(req.id) if e.kind in ("message", "attachment")]
    thread = [
        ctx.t("rq_thread_line", when=display.local_time(ctx, e.created_at, req.station_id),
              who=e.author_name, text=e.text or ctx.t("event_file"))
        for e in messages[-5:]
    ]
    text = ctx.t(
        "rq_detail", reference=req.reference,
        service=display.service_label(ctx, req.service_id, ctx.lang),
        status=cards.request_status(req, ctx.lang), owner=req.owner_name or "—",
        station=display.station_label(ctx, req.station_id, ctx.lang),
        visits=cards.with_lines(await cards.lines_about(ctx, req, ctx.lang)),
        submitted=display.local_time(ctx, req.created_at, req.station_id),
        zone=display.zone_label(ctx, req.station_id, ctx.lang),
        due=display.local_time(ctx, req.due_at, req.station_id),
        answers=Raw("\n".join(answers) or "—"), description=req.description,
        thread=Raw("\n".join(thread) or "—"),
    )
    rows: list[tuple[Button, ...]] = []
    if req.is_open or req.status == RequestStatus.RESOLVED:
        rows.append((Button(ctx.t("btn_add_info"), f"{PREFIX}a:{req.id}"),))
    if req.is_open:
        rows.append((visit_button(ctx, req.id),))
    if req.status == RequestStatus.SUBMITTED:
        rows.append((Button(ctx.t("btn_withdraw"), f"{PREFIX}w:{req.id}"),))
    if req.status == RequestStatus.RESOLVED:
        rows.extend(cards.rating_buttons(req.id, ctx.lang))
    rows.append((Button(ctx.t("btn_back"), f"{PREFIX}l"),))
    return [Reply(prefix + text, buttons=tuple(rows), edit=edit)]


def visit_button(ctx: Ctx, request_id: int) -> Button:
    return Button(ctx.t("btn_book_visit"), f"{PREFIX}v:{request_id}")


async def book_visit(ctx: Ctx, req: RequestDTO) -> list[Reply]:
    """Start booking a window visit about an open request of the company."""
    if not req.is_open:
        return [notice(ctx.t("rq_visit_not_open", reference=req.reference), alert=True)]
    service = ctx.cat.service(req.service_id)
    # The request's service is the visit's topic when windows take it; otherwise the visit
    # is about the request without a service of its own ("other").
    topic = service.id if service is not None and service.bookable else None
    return await engine.begin(ctx, "bk", request_id=req.id, service=topic)


async def withdraw(ctx: Ctx, req: RequestDTO, confirmed: bool) -> list[Reply]:
    if not confirmed:
        if req.status != RequestStatus.SUBMITTED:
            return await open_request(ctx, req, prefix=ctx.t("rq_withdraw_too_late") + "\n\n")
        return [Reply(ctx.t("rq_withdraw_sure", reference=req.reference), buttons=((
            Button(ctx.t("btn_withdraw_yes"), f"{PREFIX}wy:{req.id}"),
            Button(ctx.t("btn_back"), f"{PREFIX}o:{req.id}"),
        ),), edit=True)]
    if not await ctx.requests.withdraw(req.id, req.company_id, ctx.now):
        current = await ctx.requests.get(req.id)
        assert current is not None
        return await open_request(ctx, current, prefix=ctx.t("rq_withdraw_too_late") + "\n\n")
    await ctx.requests.add_event(req.id, "status", "enterprise", ctx.now,
                                 text=RequestStatus.WITHDRAWN, author_id=ctx.user.id,
                                 author_name=ctx.user.first_name)
    await cards.refresh_card(ctx, req.id)
    return [Reply(ctx.t("rq_withdrawn", reference=req.reference), edit=True)]


async def rate(ctx: Ctx, req: RequestDTO, raw: str) -> list[Reply]:
    if raw not in ("1", "2", "3", "4", "5"):
        return [notice(ctx.t("stale_button"))]
    rating = int(raw)
    if not await ctx.requests.rate(req.id, req.company_id, rating, ctx.now):
        return [notice(ctx.t("rq_rating_not_open"), alert=True)]
    await ctx.requests.add_event(req.id, "status", "enterprise", ctx.now, text=f"rated {rating}",
                              author_id=ctx.user.id, author_name=ctx.user.first_name)
    await on_record(ctx, req.company_id, REQUEST_RATED, f"{req.reference} {'★' * rating}",
                    ref=("request", req.id))
    await cards.refresh_card(ctx, req.id)
    if rating <= POOR_RATING:
        await _poor_rating(ctx, replace(req, rating=rating))
    await cards.tell_group(ctx, req, t(
        display.STAFF_LANG, "rated_group", reference=req.reference, stars="★" * rating,
        verdict=t(display.STAFF_LANG, _verdict(rating)), who=ctx.user.first_name))
    replies = [Reply(ctx.t("rq_rated", reference=req.reference, stars="★" * rating), edit=True)]
    return replies + await engine.begin(ctx, "rqrate", request_id=req.id, rating=rating)


async def _poor_rating(ctx: Ctx, req: RequestDTO) -> None:
    """Tell the features that follow a 差评 up (growth records open a 回访)."""
    for fn in ctx.rt.features.poor_ratings:
        await fn(ctx, req)


def _verdict(rating: int) -> str:
    if rating >= 4:
        return "verdict_good"
    return "verdict_bad" if rating <= POOR_RATING else "verdict_fair"


async def reopen(ctx: Ctx, req: RequestDTO) -> list[Reply]:
    since = ctx.now - timers.REOPEN_WINDOW
    if not await ctx.requests.reopen(req.id, req.company_id, since, ctx.now):
        return [notice(ctx.t("rq_reopen_not_possible"), alert=True)]
    await ctx.requests.add_event(req.id, "status", "enterprise", ctx.now, text="reopened",
                              author_id=ctx.user.id, author_name=ctx.user.first_name)
    await cards.refresh_card(ctx, req.id)
    owner = display.mention(req.claimed_by, req.owner_name or "") if req.claimed_by else "—"
    await cards.tell_group(ctx, req, t(
        display.STAFF_LANG, "reopened_group", reference=req.reference, owner=Raw(owner),
        who=ctx.user.first_name))
    return [Reply(ctx.t("rq_reopened", reference=req.reference, owner=req.owner_name or ""),
                  edit=True)]


async def new_request(ctx: Ctx, service_id: str | None = None) -> list[Reply]:
    if await _company(ctx) is None:
        return [Reply(ctx.t("need_registration"))]
    return await engine.begin(ctx, "req", service=service_id)


async def new_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    return await new_request(ctx)


async def button(ctx: Ctx, data: str) -> list[Reply]:
    """An ``rq:`` button in an enterprise's private chat; forged payloads change nothing."""
    parts = data.split(":")
    if parts[:2] == ["rq", "l"] and len(parts) == 2:
        return await list_requests(ctx, edit=True)
    if len(parts) < 3 or parts[0] != "rq":
        return [notice(ctx.t("stale_button"))]
    action, raw, rest = parts[1], parts[2], parts[3:]
    if action == "new" and not rest:
        if ctx.cat.service(raw) is None:
            return [notice(ctx.t("service_gone"), alert=True)]
        return await new_request(ctx, raw)
    req = await _own(ctx, raw)
    if req is None:
        return [notice(ctx.t("stale_button"))]
    if action == "o" and not rest:
        return await open_request(ctx, req)
    if action == "a" and not rest:
        if not (req.is_open or req.status == RequestStatus.RESOLVED):
            return [notice(ctx.t("rq_closed_no_messages"), alert=True)]
        return await engine.begin(ctx, "rqadd", request_id=req.id)
    if action == "v" and not rest:
        return await book_visit(ctx, req)
    if action in ("w", "wy") and not rest:
        return await withdraw(ctx, req, confirmed=action == "wy")
    if action == "rt" and len(rest) == 1:
        return await rate(ctx, req, rest[0])
    if action == "ro" and not rest:
        return await reopen(ctx, req)
    return [notice(ctx.t("stale_button"))]


# -- messages for the officer -------------------------------------------------------------
def _loggable(inp: Input) -> bool:
    return inp.kind in ("text", "file") and inp.message_id is not None


async def deliver(ctx: Ctx, req: RequestDTO, inp: Input) -> list[Reply]:
    """Attach the enterprise's message to the request and pass it to the staff group."""
    concerning(req.reference)
    if not (req.is_open or req.status == RequestStatus.RESOLVED):
        return [Reply(ctx.t("rq_closed_no_messages"))]
    if inp.kind == "text" and len(inp.text) > DESCRIPTION_LIMIT:
        return [Reply(ctx.t("too_long", length=len(inp.text), limit=DESCRIPTION_LIMIT))]
    if inp.kind == "file" and inp.file is not None:
        problem = file_problem(ctx, inp.file)
        if problem:
            return [Reply(problem)]
    assert inp.message_id is not None
    r = ctx.requests
    # One company may not crowd the staff group: a burst of text goes to the officers as it
    # is, the rest of the burst is kept in the thread and announced once (files, an album
    # say, are not counted).
    earlier = (await r.company_messages_since(req.company_id, ctx.now - RELAY_WINDOW)
               if inp.kind == "text" else 0)
    await r.add_event(
        req.id, "attachment" if inp.kind == "file" else "message", "enterprise", ctx.now,
        text=inp.text, author_id=ctx.user.id, author_name=ctx.user.first_name,
        file_id=inp.file.file_id if inp.file else None,
        file_kind=inp.file.kind if inp.file else None,
    )
    await r.enterprise_answered(req.id, ctx.now)
    chat = await ctx.staff_chat()
    if earlier >= RELAY_BURST:
        return []  # kept in the thread; the officers were told, the sender was answered
    if chat is not None:
        company = await ctx.companies.get(req.company_id)
        # The officer who owns the request is mentioned, so Telegram tells them.
        label = t(display.STAFF_LANG, "from_enterprise_to", reference=req.reference,
                  company=company.name if company else "?", who=ctx.user.first_name,
                  owner=Raw(display.mention(req.claimed_by, req.owner_name or "")),
                  ) if req.claimed_by else t(
            display.STAFF_LANG, "from_enterprise", reference=req.reference,
            company=company.name if company else "?", who=ctx.user.first_name)
        thread = cards.thread_for(ctx, req.station_id)
        # If Telegram refuses it for good, the person who wrote it hears so.
        reach = display.station_reach(ctx.cat.station(req.station_id), ctx.lang)
        told = (ctx.actor.chat_id, ctx.t("relay_failed", reference=req.reference, reach=reach))
        if inp.kind == "file":
            caption = label + ("\n" + esc(inp.text) if inp.text else "")
            await ctx.copy(chat, ctx.actor.chat_id, inp.message_id, caption=caption,
                           thread_id=thread, ref=("request", req.id),
                           reply_to_outbox=req.card_outbox_id, on_fail=told)
        else:
            last = earlier == RELAY_BURST - 1
            more = "\n" + t(display.STAFF_LANG, "relay_more_kept", reference=req.reference) \
                if last else ""
            await ctx.send(chat, label + "\n" + esc(inp.text) + more, thread_id=thread,
                           ref=("request", req.id), reply_to_outbox=req.card_outbox_id,
                           on_fail=told)
        # Remembered, so an edit of this message can follow it to the officer.
        await ctx.refs.add(ctx.actor.chat_id, inp.message_id, SOURCE, req.id, ctx.now)
    if req.status == RequestStatus.WAITING:
        await cards.refresh_card(ctx, req.id)
    if earlier == RELAY_BURST - 1:
        return [Reply(ctx.t("rq_message_burst", reference=req.reference))]
    key = "rq_message_queued" if req.status == RequestStatus.SUBMITTED else "rq_message_sent"
    return [Reply(ctx.t(key, reference=req.reference, owner=req.owner_name or ""))]


async def route_message(ctx: Ctx, inp: Input) -> list[Reply] | None:
    """A message no conversation took: a reply to a request's message, or the one open one."""
    if not _loggable(inp) or ctx.user.company_id is None:
        return None
    if inp.reply_to_message_id is not None:
        ref = await ctx.refs.find(ctx.actor.chat_id, inp.reply_to_message_id)
        if ref is not None and ref.ref_kind == "request":
            req = await _own(ctx, str(ref.ref_id))
            if req is not None:
                return await deliver(ctx, req, inp)
    open_reqs = await ctx.requests.open_for_company(ctx.user.company_id)
    if not open_reqs:
        return None
    if len(open_reqs) == 1:
        return await deliver(ctx, open_reqs[0], inp)
    return await engine.begin(ctx, "rqpick", message=_input_data(inp),
                              choices=[r.id for r in open_reqs[:8]])


def _input_data(inp: Input) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": inp.kind, "text": inp.text, "message_id": inp.message_id}
    if inp.file is not None:
        f = inp.file
        data["file"] = {"file_id": f.file_id, "file_unique_id": f.file_unique_id,
                        "kind": f.kind, "name": f.name, "mime_type": f.mime_type,
                        "size": f.size}
    return data


def _input_from(data: dict[str, Any]) -> Input:
    f = data.get("file")
    file = FileIn(f["file_id"], f["file_unique_id"], f["kind"], f.get("name"),
                  f.get("mime_type"), f.get("size")) if f else None
    return Input(kind="file" if file else "text", text=data.get("text", ""), file=file,
                 message_id=data.get("message_id"))


# -- attachments ----------------------------------------------------------------------------
FILE_LIMIT = 20 * 1024 * 1024  # Telegram lets bots download files up to 20 MB


def file_problem(ctx: Ctx, file: FileIn) -> str | None:
    """Why this file is refused (too big, not a kind officers open, a program), or None."""
    if file.size is not None and file.size > FILE_LIMIT:
        return ctx.t("file_too_big", limit_mb=FILE_LIMIT // (1024 * 1024))
    if file.kind == "photo":
        return None  # Telegram re-encodes photos itself
    if file.head is None:
        return ctx.t("file_unread")
    refused = uploads.refusal(file.name, file.mime_type, file.head)
    return ctx.t("file_type_refused", ext=refused) if refused else None


# -- small flows: add information, pick a request, comment on a rating ----------------------
class AddInfo(Flow):
    """"Add information" on a request: the next message or file is attached to it."""

    name = "rqadd"

    async def start(self, ctx: Ctx, **args: Any) -> Step:
        return await self.prompt(ctx, "msg", {"request_id": args["request_id"]})

    async def prompt(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step:
        req = await ctx.requests.get(int(data["request_id"]))
        reference = req.reference if req else "?"
        return Step([Reply(ctx.t("rq_add_prompt", reference=reference), buttons=((
            self.button("msg", ctx.t("btn_cancel"), "cancel"),),))], "msg", data)

    async def on_input(self, ctx: Ctx, step: str, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind == "button":
            return Step.done(Reply(ctx.t("cancelled"), edit=True))
        if not _loggable(inp):
            return Step([Reply(ctx.t("rq_add_expect"))], "msg", data)
        req = await _own(ctx, str(data["request_id"]))
        if req is None:
            return Step.done(Reply(ctx.t("stale_button")))
        return Step.done(*await deliver(ctx, req, inp))


class PickRequest(Flow):
    """Several requests are open and the message replied to none: ask which one it is for."""

    name = "rqpick"

    async def start(self, ctx: Ctx, **args: Any) -> Step:
        return await self.prompt(ctx, "pick", dict(args))

    async def prompt(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step:
        rows = []
        for request_id in data["choices"]:
            req = await ctx.requests.get(int(request_id))
            if req is not None:
                label = ctx.t("btn_pick_request", reference=req.reference,
                              service=display.service_label(ctx, req.service_id, ctx.lang))
                rows.append((self.button("pick", label, str(req.id)),))
        rows.append((self.button("pick", ctx.t("btn_cancel"), "cancel"),))
        return Step([Reply(ctx.t("rq_which_request"), buttons=tuple(rows))], "pick", data)

    async def on_input(self, ctx: Ctx, step: str, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind != "button":
            # A second message while we wait: keep the latest one, ask again.
            if _loggable(inp):
                data["message"] = _input_data(inp)
            return await self.prompt(ctx, "pick", data)
        if inp.data == "cancel":
            return Step.done(Reply(ctx.t("rq_message_not_sent"), edit=True))
        if inp.data not in {str(c) for c in data["choices"]}:
            return Step([notice(ctx.t("stale_button"))], "pick", data)
        req = await _own(ctx, inp.data)
        if req is None:
            return Step.done(Reply(ctx.t("stale_button"), edit=True))
        replies = await deliver(ctx, req, _input_from(data["message"]))
        return Step.done(*(Reply(r.text, buttons=r.buttons, edit=True) for r in replies))


class RatingComment(Flow):
    """After a rating: an optional comment; a low rating asks what went wrong."""

    name = "rqrate"

    async def start(self, ctx: Ctx, **args: Any) -> Step:
        return await self.prompt(ctx, "comment", dict(args))

    async def prompt(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step:
        key = "rq_comment_low" if int(data["rating"]) <= 2 else "rq_comment_ask"
        return Step([Reply(ctx.t(key), buttons=((
            self.button("comment", ctx.t("btn_skip"), "skip"),),))], "comment", data)

    async def on_input(self, ctx: Ctx, step: str, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind == "button":
            return Step.done(Reply(ctx.t("rq_comment_skipped"), edit=True))
        if inp.kind != "text" or not inp.text.strip():
            return Step([Reply(ctx.t("expect_text"))], "comment", data)
        text = inp.text.strip()
        if len(text) > COMMENT_LIMIT:
            return Step([Reply(ctx.t("too_long", length=len(text), limit=COMMENT_LIMIT))],
                        "comment", data)
        req = await _own(ctx, str(data["request_id"]))
        if req is None or not await ctx.requests.comment(req.id, req.company_id, text, ctx.now):
            return Step.done(Reply(ctx.t("rq_comment_skipped")))
        if req.rating is not None and req.rating <= POOR_RATING:
            await _poor_rating(ctx, replace(req, rating_comment=text))
        await cards.tell_group(ctx, req, t(
            display.STAFF_LANG, "comment_group", reference=req.reference, comment=text,
            who=ctx.user.first_name))
        return Step.done(Reply(ctx.t("rq_comment_thanks")))
