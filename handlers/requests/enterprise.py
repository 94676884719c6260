"""A company's request buttons in its private chat (open, add to, withdraw, rate, reopen, …)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update

from bot.core.context import Ctx
from bot.core.replies import Reply
from bot.requests import enterprise
from handlers.core.plumbing import Context, input_of, unit


@unit
async def on_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Open, add to, withdraw, rate or reopen one of the company's requests."""
    return await enterprise.button(ctx, input_of(update).data)
