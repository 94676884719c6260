"""Submitting a request: (category → service) → the service's questions → description →
summary with Confirm / Edit / Cancel. Files sent with the description or on the summary are
attached there, so the fixed part costs four taps: /new, category, service, Confirm.

Answers are typed and checked as they come: a number is a number, a choice is a button, a
date is a real date not in the past. If the service leaves the catalogue mid-way, the
flow ends politely instead of filing a request for something that no longer exists.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.catalogue import Question, Service
from bot.core import display
from bot.core.context import Ctx
from bot.core.engine import Flow, Step
from bot.core.replies import Button, Input, Reply
from bot.requests import cards, promise
from bot.requests.enterprise import DESCRIPTION_LIMIT, file_problem, submit, visit_button
from bot.requests.numbers import parse_amount, parse_count
from bot.texts import Raw, esc

ANSWER_LIMIT = 500
MAX_FILES = 10
SKIP = "_skip"

_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")


def parse_date(text: str, today: date) -> date | None:
    """2026-12-03, 2026/12/3, 2026.12.3, 2026年12月3日, 20261203, or 12月3日 (the next one)."""
    raw = unicodedata.normalize("NFKC", text).strip()
    for pattern in (_FULL_DATE, _COMPACT_DATE):
        m = pattern.match(raw)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    m = _MONTH_DAY.match(raw)
    if m:
        try:
            candidate = date(today.year, int(m[1]), int(m[2]))
        except ValueError:
            return None
        if candidate < today:
            try:
                candidate = date(today.year + 1, candidate.month, candidate.day)
            except ValueError:
                return None
        return candidate
    return None


def is_amount(q: Question) -> bool:
    """An amount of money (decimals allowed) rather than a count of things (whole numbers)."""
    words = q.prompt.get("zh") + " " + q.prompt.get("en").lower()
    return "元" in words or "amount" in words or "cny" in words


def number_key(q: Question) -> str:
    """The hint and refusal of a number question: a count's differ from an amount's."""
    return "amount" if is_amount(q) else "count"


def parse_answer_number(q: Question, text: str) -> str | None:
    if is_amount(q):
        return parse_amount(text, in_wan="万元" in q.prompt.get("zh"))
    return parse_count(text)


class Intake(Flow):
    name = "req"
    title_key = "flow_title_req"

    # -- helpers -------------------------------------------------------------------------
    def _service(self, ctx: Ctx, data: dict[str, Any]) -> Service | None:
        service = ctx.cat.service(str(data.get("service", "")))
        return service if service is not None and service.requestable else None

    def _cancel_row(self, ctx: Ctx, step: str) -> tuple[Button, ...]:
        return (self.button(step, ctx.t("btn_cancel"), "cancel"),)

    def _today(self, ctx: Ctx, service: Service) -> date:
        zone = display.zone_of(ctx, service.stations[0]) if service.stations else "Asia/Shanghai"
        return ctx.now.astimezone(ZoneInfo(zone)).date()

    # -- the flow ------------------------------------------------------------------------
    async def start(self, ctx: Ctx, **args: Any) -> Step:
        if await ctx.company() is None:
            return Step.done(Reply(ctx.t("need_registration")))
        service_id = args.get("service")
        data: dict[str, Any] = {"answers": {}, "files": []}
        if isinstance(service_id, str):
            data["service"] = service_id
            service = self._service(ctx, data)
            if service is None:
                return Step.done(Reply(ctx.t("service_gone")))
            intro = Reply(ctx.t("rq_intake_intro", service=service.name.get(ctx.lang)))
            first = await self._ask_from(ctx, data, 0)
            return Step([intro, *first.replies], first.step, first.data)
        return await self.prompt(ctx, "category", data)

    async def check(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step | None:
        if step in ("category", "service"):
            return None
        if self._service(ctx, data) is None:
            return Step.done(Reply(ctx.t("flow_ended_service_gone")))
        return None

    async def prompt(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step:
        lang = ctx.lang
        if step == "category":
            rows = tuple(
                (self.button(step, c.name.get(lang), c.id),)
                for c in ctx.cat.categories
                if any(s.requestable for s in ctx.cat.services_in(c.id))
            )
            return Step([Reply(ctx.t("rq_pick_category"),
                               buttons=(*rows, self._cancel_row(ctx, step)))], step, data)
        if step == "service":
            rows = tuple(
                (self.button(step, s.name.get(lang), s.id),)
                for s in ctx.cat.services_in(str(data.get("category", ""))) if s.requestable
            )
            back = self.button(step, ctx.t("btn_back"), "back")
            return Step([Reply(ctx.t("rq_pick_service"),
                               buttons=(*rows, (back, *self._cancel_row(ctx, step))))], step,
                        data)
        service = self._service(ctx, data)
        if service is None:
            return Step.done(Reply(ctx.t("flow_ended_service_gone")))
        if step.startswith("q"):
            index = int(step[1:])
            if index >= len(service.form):
                return await self.prompt(ctx, "desc", data)
            return self._question(ctx, service.form[index], index, data)
        if step == "desc":
            return Step([Reply(ctx.t("rq_ask_description", limit=DESCRIPTION_LIMIT),
                               buttons=(self._cancel_row(ctx, step),))], step, data)
        if step == "files":
            return Step([Reply(ctx.t("rq_ask_files", count=MAX_FILES), buttons=((
                self.button(step, ctx.t("btn_files_done"), "done"),
                *self._cancel_row(ctx, step)),))], step, data)
        if step == "edit":
            rows = tuple(
                (self.button(step, q.prompt.get(lang), str(i)),)
                for i, q in enumerate(service.form)
            )
            return Step([Reply(ctx.t("edit_which"), buttons=(
                *rows, (self.button(step, ctx.t("rq_field_description"), "desc"),),
                (self.button(step, ctx.t("rq_field_files"), "files"),),
                (self.button(step, ctx.t("btn_back"), "back"),),
            ))], step, data)
        return self._confirm(ctx, service, data)

    def _question(self, ctx: Ctx, q: Question, index: int, data: dict[str, Any]) -> Step:
        step = f"q{index}"
        rows: list[tuple[Button, ...]] = []
        if q.type == "choice":
            rows.extend((self.button(step, c.label.get(ctx.lang), c.id),) for c in q.choices)
        extra: list[Button] = []
        if not q.required:
            extra.append(self.button(step, ctx.t("btn_skip"), SKIP))
        extra.append(self.button(step, ctx.t("btn_cancel"), "cancel"))
        rows.append(tuple(extra))
        hint = ctx.t(f"rq_hint_{number_key(q) if q.type == 'number' else q.type}")
        optional = "" if q.required else ctx.t("rq_optional")
        text = ctx.t("rq_question", prompt=q.prompt.get(ctx.lang), hint=hint,
                     optional=optional)
        return Step([Reply(text, buttons=tuple(rows))], step, data)

    async def _ask_from(self, ctx: Ctx, data: dict[str, Any], index: int) -> Step:
        """The next question, or the next part of the form, or the summary when editing."""
        if data.pop("editing", False):
            return await self.prompt(ctx, "confirm", data)
        return await self.prompt(ctx, f"q{index}", data)

    def _confirm(self, ctx: Ctx, service: Service, data: dict[str, Any],
                 prefix: str = "") -> Step:
        lines = cards.answers_lines(service, data["answers"], ctx.lang)
        names = [esc(f.get("name") or ctx.t(f"rq_file_{f['kind']}")) for f in data["files"]]
        text = ctx.t(
            "rq_summary", service=service.name.get(ctx.lang),
            answers=Raw("\n".join(lines) or "—"), description=data.get("desc", ""),
            files=Raw("、".join(names) if ctx.lang == "zh" and names else
                      ", ".join(names) if names else "—"),
        )
        text = prefix + text + "\n\n" + ctx.t("rq_summary_files_hint", count=MAX_FILES)
        buttons = ((
            self.button("confirm", ctx.t("btn_confirm"), "ok"),
            self.button("confirm", ctx.t("btn_edit"), "edit"),
            self.button("confirm", ctx.t("btn_cancel"), "cancel"),
        ),)
        return Step([Reply(text, buttons=buttons)], "confirm", data)

    async def on_input(self, ctx: Ctx, step: str, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind == "button" and inp.data == "cancel":
            return Step.done(Reply(ctx.t("rq_cancelled"), edit=True))
        if step == "category":
            if inp.kind != "button" or ctx.cat.category(inp.data) is None:
                return Step([Reply(ctx.t("expect_button"))], step, data)
            data["category"] = inp.data
            return await self.prompt(ctx, "service", data)
        if step == "service":
            if inp.kind == "button" and inp.data == "back":
                return await self.prompt(ctx, "category", data)
            if inp.kind != "button" or ctx.cat.service(inp.data) is None:
                return Step([Reply(ctx.t("expect_button"))], step, data)
            data["service"] = inp.data
            service = self._service(ctx, data)
            if service is None:
                return Step.done(Reply(ctx.t("flow_ended_service_gone")))
            intro = Reply(ctx.t("rq_intake_intro", service=service.name.get(ctx.lang)),
                          edit=True)
            first = await self._ask_from(ctx, data, 0)
            return Step([intro, *first.replies], first.step, first.data)
        service = self._service(ctx, data)
        if service is None:
            return Step.done(Reply(ctx.t("flow_ended_service_gone")))
        if step.startswith("q") and step[1:].isdigit():
            return await self._on_question(ctx, service, int(step[1:]), data, inp)
        if step == "desc":
            return await self._on_description(ctx, data, inp)
        if step == "files":
            return await self._on_files(ctx, service, data, inp)
        if step == "edit":
            return await self._on_edit(ctx, service, data, inp)
        return await self._on_confirm(ctx, service, data, inp)

    async def _on_question(self, ctx: Ctx, service: Service, index: int, data: dict[str, Any],
                           inp: Input) -> Step:
        if index >= len(service.form):
            return await self.prompt(ctx, "desc", data)
        q = service.form[index]
        step = f"q{index}"
        if inp.kind == "button" and inp.data == SKIP and not q.required:
            data["answers"].pop(q.key, None)
            return await self._ask_from(ctx, data, index + 1)
        value: str | None
        if q.type == "choice":
            if inp.kind != "button" or q.choice(inp.data) is None:
                return Step([Reply(ctx.t("rq_choose_button"))], step, data)
            value = inp.data
        else:
            if inp.kind != "text" or not inp.text.strip():
                return Step([Reply(ctx.t("expect_text"))], step, data)
            text = " ".join(inp.text.split())
            if q.type == "number":
                value = parse_answer_number(q, text)
                if value is None:
                    return Step([Reply(ctx.t(f"rq_bad_{number_key(q)}"))], step, data)
            elif q.type == "date":
                today = self._today(ctx, service)
                parsed = parse_date(text, today)
                if parsed is None:
                    return Step([Reply(ctx.t("rq_bad_date"))], step, data)
                if parsed < today:
                    return Step([Reply(ctx.t("rq_date_past", today=today.isoformat()))],
                                step, data)
                value = parsed.isoformat()
            else:
                if len(text) > ANSWER_LIMIT:
                    return Step([Reply(ctx.t("too_long", length=len(text),
                                             limit=ANSWER_LIMIT))], step, data)
                value = text
        data["answers"][q.key] = value
        return await self._ask_from(ctx, data, index + 1)

    async def _on_description(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind == "file" and inp.file is not None:
            # A file before the description: kept, and the description still asked for.
            problem = self._attach(ctx, data, inp)
            return Step([Reply(problem or ctx.t("rq_file_then_description",
                                                count=len(data["files"])))], "desc", data)
        if inp.kind != "text" or not inp.text.strip():
            return Step([Reply(ctx.t("expect_text"))], "desc", data)
        text = inp.text.strip()
        if len(text) > DESCRIPTION_LIMIT:
            return Step([Reply(ctx.t("too_long", length=len(text), limit=DESCRIPTION_LIMIT))],
                        "desc", data)
        data["desc"] = text
        data.pop("editing", None)
        # Files come on the summary: no separate step to tap through.
        return await self.prompt(ctx, "confirm", data)

    async def _on_files(self, ctx: Ctx, service: Service, data: dict[str, Any],
                        inp: Input) -> Step:
        if inp.kind == "button" and inp.data == "done":
            data.pop("editing", None)
            return self._confirm(ctx, service, data)
        if inp.kind != "file" or inp.file is None:
            return Step([Reply(ctx.t("rq_files_expect"), buttons=((
                self.button("files", ctx.t("btn_files_done"), "done"),),))], "files", data)
        problem = file_problem(ctx, inp.file)
        if problem:
            return Step([Reply(problem)], "files", data)
        if len(data["files"]) >= MAX_FILES:
            return Step([Reply(ctx.t("rq_files_full", count=MAX_FILES), buttons=((
                self.button("files", ctx.t("btn_files_done"), "done"),),))], "files", data)
        data["files"].append({"file_id": inp.file.file_id, "kind": inp.file.kind,
                              "name": inp.file.name})
        return Step([Reply(ctx.t("rq_file_received", count=len(data["files"])), buttons=((
            self.button("files", ctx.t("btn_files_done"), "done"),),))], "files", data)

    async def _on_edit(self, ctx: Ctx, service: Service, data: dict[str, Any],
                       inp: Input) -> Step:
        if inp.kind != "button" or inp.data == "back":
            return self._confirm(ctx, service, data)
        data["editing"] = True
        if inp.data == "desc":
            return await self.prompt(ctx, "desc", data)
        if inp.data == "files":
            data["files"] = []
            return await self.prompt(ctx, "files", data)
        if inp.data.isdigit() and int(inp.data) < len(service.form):
            return await self.prompt(ctx, f"q{int(inp.data)}", data)
        data.pop("editing", None)
        return self._confirm(ctx, service, data)

    def _attach(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> str | None:
        """Keep a sent file with the draft; the refusal's words if it cannot be kept."""
        assert inp.file is not None
        problem = file_problem(ctx, inp.file)
        if problem:
            return problem
        if len(data["files"]) >= MAX_FILES:
            return ctx.t("rq_files_full_summary", count=MAX_FILES)
        data["files"].append({"file_id": inp.file.file_id, "kind": inp.file.kind,
                              "name": inp.file.name})
        return None

    async def _on_confirm(self, ctx: Ctx, service: Service, data: dict[str, Any],
                          inp: Input) -> Step:
        if inp.kind == "file" and inp.file is not None:
            problem = self._attach(ctx, data, inp)
            if problem:
                return Step([Reply(problem)], "confirm", data)
            return self._confirm(ctx, service, data, prefix=ctx.t(
                "rq_file_attached", count=len(data["files"])) + "\n\n")
        if inp.kind != "button":
            return Step([Reply(ctx.t("expect_button"))], "confirm", data)
        if inp.data == "edit":
            return await self.prompt(ctx, "edit", data)
        if inp.data != "ok":
            return self._confirm(ctx, service, data)
        missing = [q for q in service.form if q.required and q.key not in data["answers"]]
        if missing:
            # The catalogue gained a required question while this form was open.
            index = service.form.index(missing[0])
            data["editing"] = True
            return await self.prompt(ctx, f"q{index}", data)
        company = await ctx.company()
        if company is None:
            return Step.done(Reply(ctx.t("need_registration")))
        req = await submit(ctx, company, service, dict(data["answers"]), data["desc"],
                           list(data["files"]))
        if inp.message_id is not None:
            # The confirmation replaces the summary; replying to it reaches the officer.
            await ctx.refs.add(ctx.actor.chat_id, inp.message_id, "request", req.id, ctx.now)
        return Step.done(Reply(ctx.t(
            "rq_submitted", reference=req.reference,
            due=display.local_time(ctx, req.due_at, req.station_id),
            zone=display.zone_label(ctx, req.station_id, ctx.lang),
            hours=promise.hours_text(service.response_hours),
            station=display.station_label(ctx, req.station_id, ctx.lang),
        ), buttons=((visit_button(ctx, req.id),),) if service.bookable else (), edit=True))


