"""Signing up for an event as a short conversation: who attends, then (if the event is full
meanwhile) whether to wait for a seat. The names are kept in the dialog, so a restart or a
/start asks the same question again."""

from __future__ import annotations

from typing import Any

from bot.core.context import Ctx
from bot.core.engine import Flow, Step
from bot.core.replies import Input, Reply
from bot.events import signup


class SignUpFlow(Flow):
    name = "ev"
    title_key = "ev_flow_title"

    async def start(self, ctx: Ctx, **args: Any) -> Step:
        company = await ctx.company()
        if company is None:
            return Step.done(Reply(ctx.t("ev_register_first")))
        event_id = str(args.get("event", ""))
        event, problem = await signup.check_open(ctx, company, event_id)
        if problem is not None or event is None:
            return Step.done(Reply(signup.problem_text(ctx, problem or "gone", event)))
        return await self.prompt(ctx, "names", {"event": event.id})

    async def prompt(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step:
        event = ctx.cat.event(str(data.get("event", "")))
        if event is None:
            return Step.done(Reply(ctx.t("ev_problem_gone")))
        if step == "full":
            return Step([Reply(ctx.t("ev_full_offer", title=event.title.get(ctx.lang)),
                               buttons=((self.button("full", ctx.t("ev_btn_wait"), "yes"),),
                                        (self.button("full", ctx.t("ev_btn_no_wait"), "no"),)))],
                        "full", data)
        return Step([Reply(ctx.t("ev_ask_names", title=event.title.get(ctx.lang),
                                 most=event.seats_per_company))], "names", data)

    async def on_input(self, ctx: Ctx, step: str, data: dict[str, Any], inp: Input) -> Step:
        company = await ctx.company()
        event = ctx.cat.event(str(data.get("event", "")))
        if company is None or event is None:
            return Step.done(Reply(ctx.t("ev_problem_gone")))
        if step == "full":
            if inp.kind != "button":
                return await self.prompt(ctx, step, data)
            if inp.data != "yes":
                return Step.done(Reply(ctx.t("ev_not_waiting")))
            return await self._submit(ctx, company, data, wait=True)
        if inp.kind != "text":
            return await self.prompt(ctx, step, data)
        names = signup.parse_names(inp.text)
        if not 1 <= len(names) <= event.seats_per_company or any(
                len(n) > signup.NAME_LIMIT for n in names):
            return Step([Reply(signup.problem_text(ctx, "seats", event))], "names", data)
        return await self._submit(ctx, company, {**data, "names": names}, wait=False)

    async def _submit(self, ctx: Ctx, company: Any, data: dict[str, Any], *,
                      wait: bool) -> Step:
        names = [str(n) for n in data.get("names", [])]
        outcome = await signup.sign_up(ctx, company=company, user_id=ctx.user.id,
                                       event_id=str(data["event"]), names=names, wait=wait)
        event = ctx.cat.event(str(data["event"]))
        if outcome.problem == "full":
            return await self.prompt(ctx, "full", data)
        if outcome.registration is None or event is None:
            return Step.done(Reply(signup.problem_text(ctx, outcome.problem or "gone", event)))
        return Step.done(*await signup.confirmation(ctx, event, outcome.registration))
