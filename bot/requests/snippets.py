"""Officers' saved answers (常用回复, the catalogue's ``snippets``) sent on a request.

``/s <keyword>`` in reply to a request's message in the staff group sends the answer, filled
in for the request, exactly as a typed reply goes (label, 👌 on the officer's message,
/recall, the thread); ``/s`` alone lists the answers that fit the request's service, with
buttons, and so does the claimed card's "💬 常用回复" button. Who may send is decided as
for a typed reply, and every use is recorded for the monthly report.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from bot.catalogue import Snippet
from bot.core.context import Ctx
from bot.core.display import STAFF_LANG, station_label
from bot.core.replies import Button, Input, Reply, notice
from bot.requests.cards import PREFIX, SOURCE, card_buttons, card_text
from bot.requests.officers import _actionable, _may_act, relay
from bot.texts import t
from storage.requests.repo import RequestDTO

# rq:sl:<request>: the card shows the answers that fit; rq:sn:<request>:<snippet> sends
# one from there and the card comes back; rq:sm:<request>:<snippet> sends one from the
# list /s showed, which then says what was sent.
LIST, FROM_CARD, FROM_LIST = "sl", "sn", "sm"
ACTIONS = (LIST, FROM_CARD, FROM_LIST)
# A request's messages in the staff group: its card and what was posted under it, the
# prompt for a note, and what officers relayed.
REQUEST_MESSAGES = ("request", "rqnote", SOURCE)


def is_snippet_button(data: str) -> bool:
    """Is this card button one of the saved answers' (``rq:sl:``, ``rq:sn:``, ``rq:sm:``)?"""
    return any(data.startswith(f"{PREFIX}{action}:") for action in ACTIONS)


async def insert(ctx: Ctx, inp: Input) -> list[Reply]:
    """``/s [keyword]`` in reply to a request's message: send that saved answer, or list
    the ones that fit."""
    chat = await ctx.staff_chat()
    if chat is None or ctx.actor.chat_id != chat:
        return [Reply(ctx.t("snippet_in_group"))]
    if inp.reply_to_message_id is None:
        return [Reply(ctx.t("snippet_usage"))]
    ref = await ctx.refs.find(chat, inp.reply_to_message_id)
    req = (await ctx.requests.get(ref.ref_id)
           if ref is not None and ref.ref_kind in REQUEST_MESSAGES else None)
    if req is None:
        return [Reply(ctx.t("snippet_not_request"))]
    refusal = _may_act(ctx, req)
    if refusal:
        return [Reply(refusal)]
    fitting = ctx.cat.snippets_for(req.service_id)
    typed = " ".join(inp.text.split()[1:])
    if not typed:
        return [_listing(ctx, req, fitting)]
    snippet = _named(fitting, typed)
    if snippet is None:
        if not fitting:
            return [Reply(ctx.t("snippet_none", reference=req.reference))]
        keywords = "、".join(k for s in fitting for k in s.keywords)
        elsewhere = _named(ctx.cat.snippets, typed)
        if elsewhere is not None:
            return [Reply(ctx.t("snippet_not_for_service", name=elsewhere.name.get(ctx.lang),
                                reference=req.reference, keywords=keywords))]
        return [Reply(ctx.t("snippet_unknown", keyword=typed, reference=req.reference,
                            keywords=keywords))]
    # The thread keeps the words the company read, not the command.
    return await _send(ctx, req, chat, snippet, inp)


def _named(snippets: Sequence[Snippet], typed: str) -> Snippet | None:
    """The snippet with this keyword, whatever its case."""
    word = typed.casefold()
    return next((s for s in snippets if word in (k.casefold() for k in s.keywords)), None)


def _listing(ctx: Ctx, req: RequestDTO, fitting: list[Snippet]) -> Reply:
    if not fitting:
        return Reply(ctx.t("snippet_none", reference=req.reference))
    lines = [ctx.t("snippet_line", name=s.name.get(ctx.lang), keywords="、".join(s.keywords))
             for s in fitting]
    return Reply(ctx.t("snippet_list", reference=req.reference) + "\n" + "\n".join(lines),
                 buttons=_buttons(ctx, req, fitting, FROM_LIST))


def _buttons(ctx: Ctx, req: RequestDTO, fitting: list[Snippet],
             action: str) -> tuple[tuple[Button, ...], ...]:
    return tuple((Button(s.name.get(ctx.lang), f"{PREFIX}{action}:{req.id}:{s.id}"),)
                 for s in fitting)


async def _send(ctx: Ctx, req: RequestDTO, chat: int, snippet: Snippet,
                inp: Input) -> list[Reply]:
    """Relay the saved answer, filled in for each member's language, and count the use."""
    company = await ctx.companies.get(req.company_id)

    def text_for(lang: str) -> str:
        return snippet.fill(lang, {
            "company": company.name if company else "",
            "reference": req.reference,
            "station": station_label(ctx, req.station_id, lang),
            "officer": ctx.user.first_name,
        })

    await ctx.snippets.record(snippet.id, req.id, ctx.user.id, ctx.now)
    said = dataclasses.replace(inp, kind="text", text=text_for(STAFF_LANG), file=None)
    return await relay(ctx, req, chat, said, text_for=text_for)


async def card_menu(ctx: Ctx, raw_id: str) -> list[Reply]:
    """The card lists the saved answers that fit (Back restores it)."""
    req = await _actionable(ctx, raw_id)
    if isinstance(req, list):
        return req
    fitting = ctx.cat.snippets_for(req.service_id)
    if not fitting:
        return [notice(ctx.t("snippet_none", reference=req.reference), alert=True)]
    rows = (*_buttons(ctx, req, fitting, FROM_CARD),
            (Button(t(STAFF_LANG, "btn_back"), f"{PREFIX}b:{req.id}"),))
    return [Reply(await card_text(ctx, req) + "\n\n" + t(STAFF_LANG, "snippet_pick"),
                  buttons=rows, edit=True)]


async def pick(ctx: Ctx, raw_id: str, snippet_id: str, *, from_card: bool) -> list[Reply]:
    """A saved answer's button: the same checks as a typed reply, then it is sent."""
    req = await _actionable(ctx, raw_id)
    if isinstance(req, list):
        return req
    snippet = next((s for s in ctx.cat.snippets_for(req.service_id) if s.id == snippet_id),
                   None)
    chat = await ctx.staff_chat()
    if snippet is None or chat is None:
        return [notice(ctx.t("stale_button"))]
    # No message of the officer's own carries it: nothing to mark or to recall.
    replies = await _send(ctx, req, chat, snippet, Input(kind="text"))
    done = ctx.t("snippet_sent", reference=req.reference, name=snippet.name.get(ctx.lang))
    if from_card:
        now = await ctx.requests.get(req.id)
        assert now is not None
        view = Reply(await card_text(ctx, now), buttons=card_buttons(now), edit=True)
    else:
        view = Reply(done, edit=True)
    return [view, notice(done), *replies]


async def button(ctx: Ctx, data: str) -> list[Reply]:
    """Dispatch a saved answer's button (payload checked field by field)."""
    parts = data.split(":")
    if len(parts) == 3 and parts[1] == LIST:
        return await card_menu(ctx, parts[2])
    if len(parts) == 4 and parts[1] in (FROM_CARD, FROM_LIST):
        return await pick(ctx, parts[2], parts[3], from_card=parts[1] == FROM_CARD)
    return [notice(ctx.t("stale_button"))]


# Commands that act on the message they answer, like /recall.
SNIPPET_REPLY_COMMANDS = {"s": insert}
