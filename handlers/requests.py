"""Enterprise users' request buttons in their private chat (new, open, withdraw, rate, …)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update

from bot import requests
from bot.context import Ctx
from bot.replies import Reply
from handlers.common import App, Context, input_of, unit
from handlers.staff import ChatCallbackHandler


@unit
async def on_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Open, add to, withdraw, rate or reopen one of the company's requests."""
    return await requests.button(ctx, input_of(update).data)


def register(app: App) -> None:
    app.add_handler(ChatCallbackHandler(on_button, r"^rq:", private=True))
