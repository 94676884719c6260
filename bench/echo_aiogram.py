"""A bare aiogram 3 echo bot with aiogram's defaults, for comparison.

    python -m bench.echo_aiogram BASE_URL TOKEN
"""

from __future__ import annotations

import asyncio
import sys

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message


async def echo(message: Message) -> None:
    """Say the text back."""
    if message.text:
        await message.bot.send_message(message.chat.id, message.text)  # type: ignore[union-attr]


async def serve(base_url: str, token: str) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(base_url))
    bot = Bot(token, session=session)
    dp = Dispatcher()
    dp.message.register(echo)
    await dp.start_polling(bot, allowed_updates=["message"], handle_signals=True)


def main() -> None:
    asyncio.run(serve(sys.argv[1], sys.argv[2]))


if __name__ == "__main__":
    main()
