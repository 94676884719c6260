"""Run the Bot API emulator standalone.

    python -m frontdoor_emulator --port 8081 --token 123:TEST --user Alice --user Bob

Point the bot at it with ``base_url=http://HOST:PORT/bot`` and
``base_file_url=http://HOST:PORT/file/bot``; drive users through the JSON control API
(see :mod:`frontdoor_emulator.control`). Messages are printed as they happen.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Sequence

from bot.core.signals import until_stopped

from .control import install_control_routes
from .emulator import BotApiEmulator
from .models import ChatEvent, describe_message


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m frontdoor_emulator", description="Telegram Bot API emulator"
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8081, help="port (default 8081, 0 = any)")
    parser.add_argument("--token", default="123:TEST", help="bot token (default 123:TEST)")
    parser.add_argument("--bot-username", default="frontdoor_bot")
    parser.add_argument("--bot-name", default="Frontdoor", help="the bot's first_name")
    parser.add_argument(
        "--user",
        action="append",
        default=[],
        metavar="NAME",
        help="create a user who already started the bot (repeatable)",
    )
    parser.add_argument("--no-control", action="store_true", help="no /_emulator/ routes")
    parser.add_argument("--quiet", action="store_true", help="do not print messages")
    return parser


def _print_event(event: ChatEvent) -> None:
    print(f"[chat {event.chat_id}] {event.kind:6} {describe_message(event.message)}", flush=True)


async def _serve(args: argparse.Namespace) -> None:
    emu = BotApiEmulator(args.token, bot_username=args.bot_username, bot_first_name=args.bot_name)
    if not args.no_control:
        install_control_routes(emu)
    if not args.quiet:
        emu.subscribe(_print_event)
    await emu.start(args.host, args.port)
    print(f"Bot API emulator for @{args.bot_username} at {emu.url}", flush=True)
    print(f"  base_url      = {emu.api_base_url}", flush=True)
    print(f"  base_file_url = {emu.file_base_url}", flush=True)
    for name in args.user:
        user = emu.add_user(name, started=True)
        print(f"  user {name}: id {user.id}", flush=True)
    try:
        await until_stopped()
    finally:
        await emu.stop()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
