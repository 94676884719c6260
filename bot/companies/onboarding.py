"""Registering a company, and editing its profile later: one flow, two entry points.

Steps: name → code → (join, when the code is registered already) → contact → phone →
station → confirm. Editing from the confirmation (or from /profile) asks one field again
and comes back to the confirmation.
"""

from __future__ import annotations

from typing import Any

from bot.companies import enterprise
from bot.companies.phone import normalize_phone, normalize_shared_contact
from bot.core import display
from bot.core.context import Ctx
from bot.core.engine import Flow, Step
from bot.core.replies import Input, Reply

EDITABLE = ("name", "contact", "phone", "station")
# Before the company is registered, a mistyped credit code can be corrected as well.
EDITABLE_BEFORE_CONFIRM = ("name", "code", "contact", "phone", "station")


def editable(data: dict[str, Any]) -> tuple[str, ...]:
    return EDITABLE if data.get("profile") else EDITABLE_BEFORE_CONFIRM


class Onboarding(Flow):
    name = "onb"
    title_key = "flow_title_onb"

    async def start(self, ctx: Ctx, **args: Any) -> Step:
        if args.get("profile"):
            company = await ctx.company()
            if company is None:
                return Step.done(Reply(ctx.t("profile_none")))
            return await self.prompt(ctx, "edit", {
                "profile": True, "name": company.name, "code": company.credit_code,
                "contact": company.contact_name, "phone": company.phone,
                "station": company.station_id,
            })
        data: dict[str, Any] = {}
        station = args.get("station")
        replies: list[Reply] = []
        if isinstance(station, str) and ctx.cat.station(station):
            data["station"] = station
            replies.append(Reply(ctx.t(
                "station_preselected",
                station=display.station_name(ctx.cat, station, ctx.lang),
            )))
        step = await self.prompt(ctx, "name", data)
        return Step(replies + step.replies, step.step, step.data)

    async def prompt(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step:
        cancel_row = (self.button(step, ctx.t("btn_cancel"), "cancel"),)
        if step == "name":
            return Step([Reply(ctx.t("ask_company_name"), buttons=(cancel_row,))], step, data)
        if step == "code":
            return Step([Reply(ctx.t("ask_credit_code"), buttons=(cancel_row,))], step, data)
        if step == "join":
            return Step([Reply(
                ctx.t("company_exists", code=data["code"], company=data["existing_name"]),
                buttons=((self.button(step, ctx.t("btn_yes"), "yes"),
                          self.button(step, ctx.t("btn_no"), "no")),),
            )], step, data)
        if step == "contact":
            return Step([Reply(ctx.t("ask_contact_name"), buttons=(cancel_row,))], step, data)
        if step == "phone":
            return Step([Reply(
                ctx.t("ask_phone"), contact_label=ctx.t("btn_share_contact"),
            )], step, data)
        if step == "station":
            rows = tuple(
                (self.button(step, s.name.get(ctx.lang), s.id),) for s in ctx.cat.stations
            )
            return Step([Reply(ctx.t("ask_station"), buttons=(*rows, cancel_row))], step, data)
        if step == "edit":
            rows = tuple(
                (self.button(step, ctx.t(f"field_{f}"), f),) for f in editable(data)
            )
            back = self.button(step, ctx.t("btn_back"), "back")
            return Step([Reply(ctx.t("edit_which"), buttons=(*rows, (back,)))], step, data)
        return self._confirm(ctx, data)

    def _confirm(self, ctx: Ctx, data: dict[str, Any]) -> Step:
        text = ctx.t(
            "profile_summary", name=data["name"], code=data["code"], contact=data["contact"],
            phone=data["phone"],
            station=display.station_name(ctx.cat, data["station"], ctx.lang),
        )
        buttons = ((
            self.button("confirm", ctx.t("btn_confirm"), "ok"),
            self.button("confirm", ctx.t("btn_edit"), "edit"),
            self.button("confirm", ctx.t("btn_cancel"), "cancel"),
        ),)
        return Step([Reply(text, buttons=buttons)], "confirm", data)

    async def _next(self, ctx: Ctx, data: dict[str, Any], after: str) -> Step:
        """The next unanswered question, or the confirmation when all are answered."""
        if data.get("profile") or data.get("editing"):
            data.pop("editing", None)
            if data.get("profile"):
                return await self._save_profile(ctx, data)
            return self._confirm(ctx, data)
        order = ["name", "code", "contact", "phone", "station"]
        for step in order[order.index(after) + 1:]:
            if step not in data:
                return await self.prompt(ctx, step, data)
        return self._confirm(ctx, data)

    async def on_input(self, ctx: Ctx, step: str, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind == "button" and inp.data == "cancel":
            return Step.done(Reply(ctx.t("registration_cancelled"), remove_keyboard=True))
        handler = getattr(self, f"_on_{step}")
        result: Step = await handler(ctx, data, inp)
        return result

    async def _text(self, ctx: Ctx, step: str, data: dict[str, Any], inp: Input) -> str | Step:
        if inp.kind != "text" or not inp.text.strip():
            again = await self.prompt(ctx, step, data)
            return Step([Reply(ctx.t("expect_text")), *again.replies], step, data)
        return " ".join(inp.text.split())

    async def _on_name(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        text = await self._text(ctx, "name", data, inp)
        if isinstance(text, Step):
            return text
        if not 2 <= len(text) <= enterprise.NAME_LIMIT:
            return Step([Reply(ctx.t("bad_company_name", limit=enterprise.NAME_LIMIT))],
                        "name", data)
        data["name"] = text
        return await self._next(ctx, data, "name")

    async def _on_code(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        text = await self._text(ctx, "code", data, inp)
        if isinstance(text, Step):
            return text
        problem, code = enterprise.credit_code_problem(ctx, text)
        if problem:
            return Step([Reply(problem)], "code", data)
        existing = await ctx.companies.by_code(code)
        data["code"] = code
        if existing is not None:
            data["existing_id"], data["existing_name"] = existing.id, existing.name
            return await self.prompt(ctx, "join", data)
        return await self._next(ctx, data, "code")

    async def _on_join(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind != "button":
            return Step([Reply(ctx.t("expect_button"))], "join", data)
        if inp.data == "yes":
            company = await ctx.companies.get(int(data["existing_id"]))
            if company is not None:
                return Step.done(await enterprise.request_join(ctx, company))
        for key in ("code", "existing_id", "existing_name"):
            data.pop(key, None)
        return await self.prompt(ctx, "code", data)

    async def _on_contact(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        text = await self._text(ctx, "contact", data, inp)
        if isinstance(text, Step):
            return text
        if len(text) > enterprise.CONTACT_LIMIT:
            return Step([Reply(ctx.t("bad_contact_name", limit=enterprise.CONTACT_LIMIT))],
                        "contact", data)
        data["contact"] = text
        return await self._next(ctx, data, "contact")

    async def _on_phone(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind == "contact" and inp.phone:
            if inp.contact_user_id != ctx.user.id:
                return Step([Reply(ctx.t("contact_not_own"))], "phone", data)
            phone: str | None = normalize_shared_contact(inp.phone)
        elif inp.kind == "text":
            phone = normalize_phone(inp.text)
            if phone is None:
                return Step([Reply(ctx.t("bad_phone"))], "phone", data)
        else:
            again = await self.prompt(ctx, "phone", data)
            return Step([Reply(ctx.t("expect_text")), *again.replies], "phone", data)
        data["phone"] = phone
        result = await self._next(ctx, data, "phone")
        if inp.kind == "text":
            # Typed instead of shared, the share-contact keyboard would stay up: one message
            # cannot both take it away and carry the next question's buttons.
            noted = Reply(ctx.t("phone_noted", phone=phone), remove_keyboard=True)
            return Step([noted, *result.replies], result.step, result.data)
        return result

    async def _on_station(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind != "button" or ctx.cat.station(inp.data) is None:
            again = await self.prompt(ctx, "station", data)
            return Step([Reply(ctx.t("expect_button")), *again.replies], "station", data)
        data["station"] = inp.data
        return await self._next(ctx, data, "station")

    async def _on_edit(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind == "button" and inp.data in editable(data):
            data["editing"] = inp.data
            return await self.prompt(ctx, inp.data, data)
        if data.get("profile"):
            return Step.done(Reply(ctx.t("cancelled"), edit=True))
        return self._confirm(ctx, data)

    async def _on_confirm(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind != "button":
            return Step([Reply(ctx.t("expect_button"))], "confirm", data)
        if inp.data == "edit":
            return await self.prompt(ctx, "edit", data)
        if inp.data != "ok":
            return self._confirm(ctx, data)
        company, created = await enterprise.register(ctx, data)
        if not created:
            # Someone registered the same code between our question and this press: theirs
            # stands, and joining it needs their say like any other join.
            return Step.done(await enterprise.request_join(ctx, company))
        return Step.done(
            Reply(ctx.t("registered", company=company.name), edit=True),
            enterprise.main_menu(ctx),
        )

    async def _save_profile(self, ctx: Ctx, data: dict[str, Any]) -> Step:
        company = await ctx.company()
        if company is None:
            return Step.done(Reply(ctx.t("profile_none")))
        await ctx.companies.update(company.id, {
            "name": data["name"], "contact_name": data["contact"], "phone": data["phone"],
            "station_id": data["station"],
        }, ctx.now)
        updated = await ctx.companies.get(company.id)
        assert updated is not None
        return Step.done(
            Reply(ctx.t("profile_updated"), remove_keyboard=True),
            Reply(await enterprise.profile_text(ctx, updated),
                  buttons=enterprise.profile_buttons(ctx)),
        )

    async def check(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step | None:
        station = data.get("station")
        if station and ctx.cat.station(station) is None:
            data.pop("station")
            if step in ("confirm", "edit"):
                return await self.prompt(ctx, "station", data)
        return None


