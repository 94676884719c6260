"""The Telegram side of notices: their buttons, in private (the progress message's pause,
resume and cancel, /notices' cancel of a scheduled one, and /settings' toggles). /notice,
/notices and /settings themselves are private commands the core's catch-all runs."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update

from bot.core.context import Ctx
from bot.core.payloads import NOTICE, pattern
from bot.core.replies import Reply
from bot.notices import control
from handlers.core.plumbing import App, ChatCallbackHandler, Context, input_of, unit


@unit
async def on_button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    """Steer a notice or change what one receives (who may do which is checked in the domain)."""
    return await control.press(ctx, input_of(update).data)


def setup(app: App) -> None:
    app.add_handler(ChatCallbackHandler(on_button, pattern(NOTICE), private=True))
