"""A small flow engine whose state lives in the ``dialogs`` table.

Each step's effects and the dialog's new state commit in one transaction, so a process
killed mid-conversation resumes at the same question, and any replica can continue it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import Any

from bot.core.context import Ctx
from bot.core.payloads import DRAFT, FLOW
from bot.core.replies import Button, Input, Reply, notice

BUTTON_PREFIX = FLOW[:-1]
# The dialog's revision, kept in its data: every step a flow takes raises it, and its buttons
# carry it, so a button on an older screen of the same step is told apart from the current one.
REV = "_rev"
# Another flow someone asked for while a form was half filled: started if they give it up.
SWITCH = "_switch"


@dataclass
class Step:
    """What a flow answers: the replies, and the step to wait in (None: the flow is over)."""

    replies: list[Reply]
    step: str | None
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def done(cls, *replies: Reply) -> Step:
        return cls(list(replies), None, {})


class Flow(ABC):
    """One guided conversation, registered by its feature's ``setup`` (``add_flow``)."""

    name: str
    # A passive flow only waits for its buttons: a message goes where it would without it,
    # /start does not bring it back and /cancel finds nothing in progress (it drops it);
    # its screen stays usable until replaced.
    passive: bool = False
    # What the person is doing, to ask before it is given up ("提交需求"): a text key.
    title_key: str = "flow_title"

    @abstractmethod
    async def start(self, ctx: Ctx, **args: Any) -> Step:
        """Begin the flow: its first question."""

    @abstractmethod
    async def on_input(self, ctx: Ctx, step: str, data: dict[str, Any], inp: Input) -> Step:
        """Take the person's answer to ``step``."""

    @abstractmethod
    async def prompt(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step:
        """Ask the question of ``step`` again (after a restart, a /start, or a bad answer)."""

    async def check(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step | None:
        """Return a replacement step when the catalogue changed under the conversation."""
        return None

    def button(self, step: str, text: str, value: str) -> Button:
        """A button that answers ``step`` of this flow with ``value``."""
        return Button(text, f"{BUTTON_PREFIX}:{self.name}:{step}:{value}")


def parse_button(data: str) -> tuple[str, int | None, str, str] | None:
    """``f:<flow>~<rev>:<step>:<value>`` → (flow, rev, step, value); None if not a flow button."""
    parts = data.split(":", 3)
    if len(parts) != 4 or parts[0] != BUTTON_PREFIX:
        return None
    name, _, rev = parts[1].partition("~")
    return name, int(rev) if rev.isdigit() else None, parts[2], parts[3]


def _stamp(replies: list[Reply], flow: Flow, rev: int) -> list[Reply]:
    """Write the dialog's revision into the flow's buttons."""
    plain = f"{BUTTON_PREFIX}:{flow.name}:"
    stamped = f"{BUTTON_PREFIX}:{flow.name}~{rev}:"

    def fix(button: Button) -> Button:
        if button.data and button.data.startswith(plain):
            return replace(button, data=stamped + button.data[len(plain):])
        return button

    return [
        replace(r, buttons=tuple(tuple(fix(b) for b in row) for row in r.buttons))
        if r.buttons else r
        for r in replies
    ]


def _shows_buttons(replies: list[Reply], flow: Flow) -> bool:
    plain = f"{BUTTON_PREFIX}:{flow.name}:"
    return any(b.data and b.data.startswith(plain) for r in replies for row in r.buttons
               for b in row)


async def _commit(ctx: Ctx, flow: Flow, result: Step, rev: int) -> list[Reply]:
    """Store the flow's new state. ``rev`` is the revision its new buttons will carry; when
    the answer shows no new buttons (a hint, "please use the buttons above"), the buttons
    already on screen stay current."""
    if result.step is None:
        await ctx.dialogs.delete(ctx.actor.chat_id, ctx.actor.user_id)
        return result.replies
    if not _shows_buttons(result.replies, flow):
        rev -= 1
    await ctx.dialogs.save(
        ctx.actor.chat_id, ctx.actor.user_id, flow.name, result.step,
        {**result.data, REV: rev}, ctx.now,
    )
    return _stamp(result.replies, flow, rev)


async def _next_rev(ctx: Ctx) -> int:
    dialog = await ctx.dialogs.get(ctx.actor.chat_id, ctx.actor.user_id)
    return int(dialog.data.get(REV, 0)) + 1 if dialog else 1


async def begin(ctx: Ctx, flow_name: str, **args: Any) -> list[Reply]:
    """Start a flow, replacing any conversation this person had in this chat.

    A flow that declines to start (its ``start`` answers with a finished step, e.g. "please
    register first") leaves the conversation in progress untouched. A form with answers in
    it is not dropped silently: the person is asked first (:func:`settle_draft`).
    """
    flow = ctx.rt.features.flows[flow_name]
    rev = await _next_rev(ctx)
    result = await flow.start(ctx, **args)
    if result.step is None:
        return result.replies
    held = await _ask_before_dropping(ctx, flow, args)
    if held is not None:
        return held
    return await _commit(ctx, flow, result, rev)


async def _ask_before_dropping(ctx: Ctx, new: Flow, args: dict[str, Any]) -> list[Reply] | None:
    """Hold the new flow back while a form with answers is open; the question to ask."""
    dialog = await ctx.dialogs.get(ctx.actor.chat_id, ctx.actor.user_id)
    flows = ctx.rt.features.flows
    current = flows.get(dialog.flow) if dialog is not None else None
    if dialog is None or current is None or current.passive:
        return None
    if int(dialog.data.get(REV, 0)) <= 1:
        return None  # still at its first question: nothing typed would be lost
    if not all(isinstance(v, (str, int)) for v in args.values()):
        return None
    data = {**dialog.data, SWITCH: {"flow": new.name, "args": args}}
    await ctx.dialogs.save(ctx.actor.chat_id, ctx.actor.user_id, dialog.flow, dialog.step,
                           data, ctx.now)
    return [Reply(ctx.t("draft_pending", what=ctx.t(current.title_key)), buttons=(
        (Button(ctx.t("btn_draft_keep"), DRAFT + "keep"),),
        (Button(ctx.t("btn_draft_drop", what=ctx.t(new.title_key)), DRAFT + "drop"),),
    ))]


async def settle_draft(ctx: Ctx, choice: str) -> list[Reply]:
    """The answer to :func:`_ask_before_dropping`: go on with the form, or give it up and
    start what was asked for."""
    dialog = await ctx.dialogs.get(ctx.actor.chat_id, ctx.actor.user_id)
    switch = dialog.data.get(SWITCH) if dialog is not None else None
    if dialog is None or not isinstance(switch, dict) or choice not in ("keep", "drop"):
        return [notice(ctx.t("stale_button"))]
    data = {k: v for k, v in dialog.data.items() if k != SWITCH}
    if choice == "keep":
        await ctx.dialogs.save(ctx.actor.chat_id, ctx.actor.user_id, dialog.flow, dialog.step,
                               data, ctx.now)
        again = await resume(ctx) or []
        return [notice(ctx.t("draft_kept")), *again[1:]]
    await ctx.dialogs.delete(ctx.actor.chat_id, ctx.actor.user_id)
    name, args = str(switch.get("flow")), switch.get("args")
    if name not in ctx.rt.features.flows or not isinstance(args, dict):
        return [Reply(ctx.t("draft_dropped"), edit=True)]
    return [notice(ctx.t("draft_dropped")), *await begin(ctx, name, **args)]


async def active(ctx: Ctx) -> str | None:
    dialog = await ctx.dialogs.get(ctx.actor.chat_id, ctx.actor.user_id)
    return dialog.flow if dialog else None


async def feed(ctx: Ctx, inp: Input) -> list[Reply] | None:
    """Give an input to the conversation in progress; None when there is none to take it."""
    dialog = await ctx.dialogs.get(ctx.actor.chat_id, ctx.actor.user_id)
    flows = ctx.rt.features.flows
    if dialog is None or dialog.flow not in flows:
        if inp.kind == "button" and parse_button(inp.data):
            return [notice(ctx.t("stale_button"))]
        return None
    flow = flows[dialog.flow]
    data = dict(dialog.data)
    data.pop(SWITCH, None)  # going on with the form answers the question about giving it up
    rev = int(data.get(REV, 0)) + 1
    if inp.kind != "button" and flow.passive:
        return None
    if inp.kind == "button":
        parsed = parse_button(inp.data)
        if parsed is None:
            return None
        name, pressed_rev, step, value = parsed
        if name != flow.name or step != dialog.step or pressed_rev != data.get(REV):
            return [notice(ctx.t("stale_button"))]
        inp = Input(kind="button", data=value, message_id=inp.message_id)
    replaced = await flow.check(ctx, dialog.step, data)
    if replaced is not None:
        return await _commit(ctx, flow, replaced, rev)
    replies = await _commit(ctx, flow, await flow.on_input(ctx, dialog.step, data, inp), rev)
    if inp.kind == "button" and not any(r.edit for r in replies) \
            and any(r.text or r.document for r in replies):
        # The answer went on to a new question below: the old one shows what was chosen
        # and keeps no buttons that could be pressed again.
        replies = [Reply("", record_choice=True), *replies]
    return replies


async def resume(ctx: Ctx) -> list[Reply] | None:
    """Ask the current question again, with the answers so far kept (None: nothing to ask)."""
    dialog = await ctx.dialogs.get(ctx.actor.chat_id, ctx.actor.user_id)
    flows = ctx.rt.features.flows
    if dialog is None or dialog.flow not in flows or flows[dialog.flow].passive:
        return None
    flow = flows[dialog.flow]
    data = dict(dialog.data)
    replaced = await flow.check(ctx, dialog.step, data)
    result = replaced or await flow.prompt(ctx, dialog.step, data)
    replies = await _commit(ctx, flow, result, int(data.get(REV, 0)) + 1)
    return [Reply(ctx.t("resume_hint")), *replies]


async def cancel(ctx: Ctx) -> bool:
    """Leave any conversation in progress; True when there was one the person was in (a
    passive flow's screen is dropped too, but nobody was in the middle of anything)."""
    dialog = await ctx.dialogs.get(ctx.actor.chat_id, ctx.actor.user_id)
    if dialog is None:
        return False
    await ctx.dialogs.delete(ctx.actor.chat_id, ctx.actor.user_id)
    flow = ctx.rt.features.flows.get(dialog.flow)
    return flow is None or not flow.passive
