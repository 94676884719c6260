"""The Telegram side of privacy: the buttons of /leave, /forget and /members, in private."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update

from bot.core.context import Ctx
from bot.core.payloads import PRIVACY, pattern
from bot.core.replies import Reply
from bot.privacy import people
from handlers.core.plumbing import App, ChatCallbackHandler, Context, input_of, unit


@unit
async def on_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Leave the company, be forgotten, or remove a member (each checked in the domain)."""
    return await people.press(ctx, input_of(update).data)


def setup(app: App) -> None:
    app.add_handler(ChatCallbackHandler(on_button, pattern(PRIVACY), private=True))
