"""A bare python-telegram-bot echo bot with PTB's defaults: the yardstick for our overhead.

    python -m bench.echo_ptb BASE_URL TOKEN

HTTPXRequest and sequential update processing, exactly as ``ApplicationBuilder`` gives them.
"""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say the text back."""
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(message.chat_id, message.text)


def main() -> None:
    base_url, token = sys.argv[1], sys.argv[2]
    app = (
        ApplicationBuilder().token(token).base_url(f"{base_url}/bot")
        .base_file_url(f"{base_url}/file/bot").build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(allowed_updates=["message"])


if __name__ == "__main__":
    main()
