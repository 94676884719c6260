"""/notice: an admin writes a notice, picks its kind and audience, sees whom it reaches,
and sends it now or at a time. The form lives in the ``dialogs`` table like every flow."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from bot.core.context import Ctx
from bot.core.display import bureau_zone
from bot.core.engine import Flow, Step, begin
from bot.core.limits import visible_len
from bot.core.replies import Button, Input, Reply
from bot.notices.audience import AUDIENCES, KINDS, describe, options, services_of
from bot.texts import Raw, esc

# The notice, its heading and the line on how to stop them must fit one message (4096).
TEXT_LIMIT = 3500
# A schedule further ahead than this is more likely a typo than a plan.
HORIZON = timedelta(days=90)
SKIP = "skip"

_WHEN = re.compile(
    r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\s+"
    r"(\d{1,2})\s*[:：点时]\s*(\d{2})?\s*分?$")


def parse_when(text: str, now_local: datetime) -> datetime | None:
    """``2026-12-03 14:00``, ``12月3日 14:00``, ``2026/12/3 9:30`` → a local datetime."""
    raw = unicodedata.normalize("NFKC", text).strip()
    m = _WHEN.match(raw)
    if m is None:
        return None
    year = int(m[1]) if m[1] else now_local.year
    try:
        return now_local.replace(year=year, month=int(m[2]), day=int(m[3]), hour=int(m[4]),
                                 minute=int(m[5] or 0), second=0, microsecond=0)
    except ValueError:
        return None






async def notice_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """``/notice``: admins compose a notice; anyone else is told it is not theirs."""
    if not ctx.is_admin:
        return [Reply(ctx.t("nt_admins_only"))]
    if not ctx.actor.private:
        return [Reply(ctx.t("nt_private_only"))]
    return await begin(ctx, Compose.name)


class Compose(Flow):
    name = "notice"
    title_key = "nt_flow_title"

    async def start(self, ctx: Ctx, **args: Any) -> Step:
        return Step([Reply(ctx.t("nt_ask_text", limit=TEXT_LIMIT))], "text", {})

    async def prompt(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step:
        if step == "text":
            return await self.start(ctx)
        if step == "file":
            return Step([Reply(ctx.t("nt_ask_file"), buttons=(
                (self.button("file", ctx.t("nt_btn_no_file"), SKIP),),))], step, data)
        if step == "kind":
            return Step([Reply(ctx.t("nt_ask_kind"), buttons=tuple(
                (self.button("kind", ctx.t(f"nt_kind_{k}"), k),) for k in KINDS))], step, data)
        if step == "audience":
            return Step([Reply(ctx.t("nt_ask_audience"), buttons=tuple(
                (self.button("audience", ctx.t(f"nt_audience_{a}"), a),) for a in AUDIENCES))],
                step, data)
        if step == "pick":
            return Step([await self._pick_screen(ctx, data)], step, data)
        if step == "when":
            return Step([Reply(ctx.t("nt_ask_when"))], step, data)
        return Step([await self._preview(ctx, data)], "preview", data)

    async def _pick_screen(self, ctx: Ctx, data: dict[str, Any], *, edit: bool = False) -> Reply:
        chosen = set(data.get("values", []))
        found = await options(ctx, data["audience"])
        if not found:
            return Reply(ctx.t("nt_no_options"), buttons=(
                (self.button("pick", ctx.t("nt_btn_back"), "back"),),), edit=edit)
        rows: list[tuple[Button, ...]] = [
            (self.button("pick", ("✅ " if o.id in chosen else "") + o.label, f"o{i}"),)
            for i, o in enumerate(found)]
        rows.append((self.button("pick", ctx.t("nt_btn_back"), "back"),
                     self.button("pick", ctx.t("nt_btn_done"), "done")))
        return Reply(ctx.t("nt_ask_pick", what=ctx.t(f"nt_audience_{data['audience']}")),
                     buttons=tuple(rows), edit=edit)

    async def _preview(self, ctx: Ctx, data: dict[str, Any]) -> Reply:
        values = list(data.get("values", []))
        reach = await ctx.notices.reach(data["kind"], data["audience"], values,
                                        services_of(ctx, data["audience"], values))
        text = ctx.t(
            "nt_preview", kind=ctx.t(f"nt_kind_{data['kind']}"),
            audience=Raw(await describe(ctx, data["audience"], values, ctx.lang)),
            companies=reach.companies, people=reach.receiving, opted_out=reach.opted_out,
            blocked=reach.blocked,
            file=Raw(ctx.t("nt_preview_file") if data.get("file_id") else ""),
            body=Raw(data["text"]))
        return Reply(text, buttons=(
            (self.button("preview", ctx.t("nt_btn_send_now"), "now"),
             self.button("preview", ctx.t("nt_btn_schedule"), "later")),
            (self.button("preview", ctx.t("nt_btn_change_audience"), "audience"),
             self.button("preview", ctx.t("nt_btn_cancel"), "cancel")),
        ))

    async def on_input(self, ctx: Ctx, step: str, data: dict[str, Any], inp: Input) -> Step:
        if not ctx.is_admin:  # no longer an admin since the form began
            return Step.done(Reply(ctx.t("nt_admins_only")))
        if step == "text":
            return await self._on_text(ctx, data, inp)
        if step == "file":
            return await self._on_file(ctx, data, inp)
        if inp.kind != "button" and step in ("kind", "audience", "pick", "preview"):
            again = await self.prompt(ctx, step, data)
            return Step([Reply(ctx.t("nt_use_buttons")), *again.replies], step, data)
        if step == "kind" and inp.data in KINDS:
            return await self.prompt(ctx, "audience", {**data, "kind": inp.data})
        if step == "audience" and inp.data in AUDIENCES:
            data = {**data, "audience": inp.data, "values": []}
            if inp.data == "everyone":
                return await self.prompt(ctx, "preview", data)
            return await self.prompt(ctx, "pick", data)
        if step == "pick":
            return await self._on_pick(ctx, data, inp.data)
        if step == "preview":
            return await self._on_preview(ctx, data, inp.data)
        if step == "when":
            return await self._on_when(ctx, data, inp)
        return await self.prompt(ctx, step, data)

    async def _on_text(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind not in ("text", "file") or not (inp.html or inp.text).strip():
            return Step([Reply(ctx.t("nt_ask_text", limit=TEXT_LIMIT))], "text", data)
        body = inp.html or esc(inp.text)
        if visible_len(body) > TEXT_LIMIT:
            return Step([Reply(ctx.t("nt_too_long", limit=TEXT_LIMIT,
                                     length=visible_len(body)))], "text", data)
        data = {**data, "text": body}
        if inp.kind == "file" and inp.file is not None:
            data |= {"file_id": inp.file.file_id, "file_kind": inp.file.kind}
            return await self.prompt(ctx, "kind", data)
        return await self.prompt(ctx, "file", data)

    async def _on_file(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind == "button" and inp.data == SKIP:
            return await self.prompt(ctx, "kind", data)
        if inp.kind == "file" and inp.file is not None:
            data = {**data, "file_id": inp.file.file_id, "file_kind": inp.file.kind}
            return await self.prompt(ctx, "kind", data)
        return await self.prompt(ctx, "file", data)

    async def _on_pick(self, ctx: Ctx, data: dict[str, Any], value: str) -> Step:
        found = await options(ctx, data["audience"])
        chosen = [v for v in data.get("values", []) if any(o.id == v for o in found)]
        if value == "back":
            return await self.prompt(ctx, "audience", {**data, "values": []})
        if value == "done":
            if not chosen:
                return Step([Reply(ctx.t("nt_pick_none"))], "pick", data)
            return await self.prompt(ctx, "preview", {**data, "values": chosen})
        index = int(value[1:]) if value[:1] == "o" and value[1:].isdigit() else -1
        if not 0 <= index < len(found):
            return Step([await self._pick_screen(ctx, data, edit=True)], "pick", data)
        picked = found[index].id
        chosen = [v for v in chosen if v != picked] if picked in chosen else [*chosen, picked]
        data = {**data, "values": chosen}
        return Step([await self._pick_screen(ctx, data, edit=True)], "pick", data)

    async def _on_preview(self, ctx: Ctx, data: dict[str, Any], value: str) -> Step:
        if value == "cancel":
            return Step.done(Reply(ctx.t("nt_discarded")))
        if value == "audience":
            return await self.prompt(ctx, "audience", data)
        if value == "later":
            return await self.prompt(ctx, "when", data)
        if value == "now":
            notice_id = await self._create(ctx, data, ctx.now)
            return Step.done(Reply(ctx.t("nt_sending", id=notice_id)))
        return await self.prompt(ctx, "preview", data)

    async def _on_when(self, ctx: Ctx, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind == "button":
            return await self.prompt(ctx, "when", data)
        local_now = ctx.now.astimezone(bureau_zone(ctx))
        when = parse_when(inp.text, local_now)
        if when is None:
            return Step([Reply(ctx.t("nt_when_unreadable"))], "when", data)
        if when <= local_now:
            return Step([Reply(ctx.t("nt_when_past", now=f"{local_now:%Y-%m-%d %H:%M}"))],
                        "when", data)
        if when - local_now > HORIZON:
            return Step([Reply(ctx.t("nt_when_far", days=HORIZON.days))], "when", data)
        notice_id = await self._create(ctx, data, when)
        return Step.done(Reply(ctx.t("nt_scheduled", id=notice_id,
                                     when=f"{when:%Y-%m-%d %H:%M}")))

    async def _create(self, ctx: Ctx, data: dict[str, Any], send_at: datetime) -> int:
        values = list(data.get("values", []))
        notice_id = await ctx.notices.create(
            author_id=ctx.user.id, author_lang=ctx.lang, kind=data["kind"], text=data["text"],
            file_id=data.get("file_id"), file_kind=data.get("file_kind"),
            audience=data["audience"], values=values,
            services=services_of(ctx, data["audience"], values), send_at=send_at,
            now=ctx.now)
        # The job loop starts it on its next tick.
        ctx.rt.background_wakeup.set()
        return notice_id
