"""A small flow engine whose state lives in the ``dialogs`` table.

Each step's effects and the dialog's new state commit in one transaction, so a process
killed mid-conversation resumes at the same question, and any replica can continue it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from bot.context import Ctx
from bot.replies import Button, Input, Reply, notice

FLOWS: dict[str, Flow] = {}
BUTTON_PREFIX = "f"


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
    """One guided conversation. Subclasses are registered with :func:`register`."""

    name: str

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


def register(flow: Flow) -> Flow:
    FLOWS[flow.name] = flow
    return flow


def parse_button(data: str) -> tuple[str, str, str] | None:
    """``f:<flow>:<step>:<value>`` → (flow, step, value), or None if not a flow button."""
    parts = data.split(":", 3)
    if len(parts) != 4 or parts[0] != BUTTON_PREFIX:
        return None
    return parts[1], parts[2], parts[3]


async def _commit(ctx: Ctx, flow: Flow, result: Step) -> list[Reply]:
    if result.step is None:
        await ctx.dialogs.delete(ctx.actor.chat_id, ctx.actor.user_id)
    else:
        await ctx.dialogs.save(
            ctx.actor.chat_id, ctx.actor.user_id, flow.name, result.step, result.data, ctx.now
        )
    return result.replies


async def begin(ctx: Ctx, flow_name: str, **args: Any) -> list[Reply]:
    """Start a flow, replacing any conversation this person had in this chat."""
    flow = FLOWS[flow_name]
    return await _commit(ctx, flow, await flow.start(ctx, **args))


async def active(ctx: Ctx) -> str | None:
    dialog = await ctx.dialogs.get(ctx.actor.chat_id, ctx.actor.user_id)
    return dialog.flow if dialog else None


async def feed(ctx: Ctx, inp: Input) -> list[Reply] | None:
    """Give an input to the conversation in progress; None when there is none to take it."""
    dialog = await ctx.dialogs.get(ctx.actor.chat_id, ctx.actor.user_id)
    if dialog is None or dialog.flow not in FLOWS:
        if inp.kind == "button" and parse_button(inp.data):
            return [notice(ctx.t("stale_button"))]
        return None
    flow = FLOWS[dialog.flow]
    data = dict(dialog.data)
    replaced = await flow.check(ctx, dialog.step, data)
    if replaced is not None:
        return await _commit(ctx, flow, replaced)
    if inp.kind == "button":
        parsed = parse_button(inp.data)
        if parsed is None:
            return None
        name, step, value = parsed
        if name != flow.name or step != dialog.step:
            return [notice(ctx.t("stale_button"))]
        inp = Input(kind="button", data=value, message_id=inp.message_id)
    return await _commit(ctx, flow, await flow.on_input(ctx, dialog.step, data, inp))


async def resume(ctx: Ctx) -> list[Reply] | None:
    """Ask the current question again, with the answers so far kept."""
    dialog = await ctx.dialogs.get(ctx.actor.chat_id, ctx.actor.user_id)
    if dialog is None or dialog.flow not in FLOWS:
        return None
    flow = FLOWS[dialog.flow]
    data = dict(dialog.data)
    replaced = await flow.check(ctx, dialog.step, data)
    result = replaced or await flow.prompt(ctx, dialog.step, data)
    replies = await _commit(ctx, flow, result)
    return [Reply(ctx.t("resume_hint")), *replies]


async def cancel(ctx: Ctx) -> bool:
    """Leave any conversation in progress; True when there was one."""
    dialog = await ctx.dialogs.get(ctx.actor.chat_id, ctx.actor.user_id)
    if dialog is None:
        return False
    await ctx.dialogs.delete(ctx.actor.chat_id, ctx.actor.user_id)
    return True
