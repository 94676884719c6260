"""Free questions: a registered company types what it needs in its own words.

The services that match the question best are offered (each opens that service's card),
with "none of these, just ask", which files the question as it was typed as a request for
the catalogue's general service (``general: true``): a card in the staff group like any
other. The question waits in the conversation row until that button is pressed; a new
message meanwhile goes where it would have gone anyway, and a new question replaces it.
"""

from __future__ import annotations

from typing import Any

from bot.catalogue import Service
from bot.core import display, engine
from bot.core.context import Ctx
from bot.core.engine import Flow, Step
from bot.core.payloads import SUGGESTION
from bot.core.replies import Button, Input, Reply, notice
from bot.requests import promise
from bot.requests.enterprise import DESCRIPTION_LIMIT, submit, visit_button
from storage.requests.repo import RequestDTO

OFFERED = 3
DIRECT = "direct"


async def free_question(ctx: Ctx, inp: Input) -> list[Reply] | None:
    """A message that nothing else took, read as a question: the services it may mean.

    A registered company may also file it as it is. Someone not registered yet is asked to
    register, as before, with the services offered to read about; nothing is kept.
    """
    if inp.kind != "text" or not inp.text.strip():
        return None
    if ctx.user.company_id is None:
        rows = offered_rows(ctx, inp.text)
        if not rows:
            return None  # the front desk's answer
        return [Reply(ctx.t("stray_text_unregistered")),
                Reply(ctx.t("ask_offer_plain"), buttons=rows)]
    if ctx.cat.general_service() is None:
        # Nowhere to file a free question: the offer alone, or the front desk's answer.
        rows = offered_rows(ctx, inp.text)
        return [Reply(ctx.t("ask_offer_plain"), buttons=rows)] if rows else None
    return await engine.begin(ctx, "ask", question=inp.text.strip())


def offered_rows(ctx: Ctx, text: str) -> tuple[tuple[Button, ...], ...]:
    """One button per service that matches ``text`` well, best first."""
    rows = []
    for match in ctx.rt.search.rank(text, limit=OFFERED):
        service = ctx.cat.service(match.service_id)
        if service is not None:
            rows.append((Button(service.name.get(ctx.lang), SUGGESTION + service.id),))
    return tuple(rows)


class Ask(Flow):
    """The services offered for a question, and "just ask", which files it as it is."""

    name = "ask"
    # The offer asks for no answer: a new question gets its own offer, a message for an
    # officer reaches the officer, /start shows the menu.
    passive = True

    async def start(self, ctx: Ctx, **args: Any) -> Step:
        question = str(args["question"])
        if len(question) > DESCRIPTION_LIMIT:
            return Step.done(Reply(ctx.t("too_long", length=len(question),
                                         limit=DESCRIPTION_LIMIT)))
        return await self.prompt(ctx, "offer", {"question": question})

    async def prompt(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step:
        rows = offered_rows(ctx, str(data["question"]))
        if rows:
            direct = self.button("offer", ctx.t("btn_ask_direct"), DIRECT)
            return Step([Reply(ctx.t("ask_offer"), buttons=(*rows, (direct,)))], "offer", data)
        direct = self.button("offer", ctx.t("btn_ask_direct_only"), DIRECT)
        return Step([Reply(ctx.t("ask_offer_none"), buttons=((direct,),))], "offer", data)

    async def on_input(self, ctx: Ctx, step: str, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind != "button" or inp.data != DIRECT:
            return Step([notice(ctx.t("stale_button"))], step, data)
        company = await ctx.company()
        if company is None:
            return Step.done(Reply(ctx.t("need_registration"), edit=True))
        service = ctx.cat.general_service()
        if service is None or not service.requestable:
            return Step.done(Reply(ctx.t("ask_unavailable"), edit=True))
        req = await submit(ctx, company, service, {}, str(data["question"]), [])
        if inp.message_id is not None:
            # The confirmation replaces the offer; replying to it reaches the officer.
            await ctx.refs.add(ctx.actor.chat_id, inp.message_id, "request", req.id, ctx.now)
        return Step.done(_submitted(ctx, service, req))


def _submitted(ctx: Ctx, service: Service, req: RequestDTO) -> Reply:
    """What the intake's confirmation says: the reference and when to expect an answer."""
    text = ctx.t(
        "rq_submitted", reference=req.reference,
        due=display.local_time(ctx, req.due_at, req.station_id),
        zone=display.zone_label(ctx, req.station_id, ctx.lang),
        hours=promise.hours_text(service.response_hours),
        station=display.station_label(ctx, req.station_id, ctx.lang),
    )
    buttons = ((visit_button(ctx, req.id),),) if service.bookable else ()
    return Reply(text, buttons=buttons, edit=True)
