"""A small JSON control API for driving a running emulator from another process.

Installed by ``python -m frontdoor_emulator`` (and usable by UIs and load generators)::

    GET  /_emulator/state                       bot, users, chats
    GET  /_emulator/chats/{chat_id}/messages    transcript (Bot API messages + emulator flags)
    POST /_emulator/users   {"first_name", "username"?, "language_code"?, "last_name"?,
                             "phone_number"?}
    POST /_emulator/send    {"user_id", "text", "chat_id"?, "thread_id"?,
                             "reply_to_message_id"?}
    POST /_emulator/press   {"user_id", "chat_id", "message_id", "data"}

Errors answer 400 ``{"ok": false, "description": ...}``; successes ``{"ok": true,
"result": ...}``. There is no authentication: bind the emulator to localhost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .emulator import BotApiEmulator
from .models import ChatMessage, JSONDict, User

__all__ = ["install_control_routes", "message_view"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def message_view(message: ChatMessage) -> JSONDict:
    """The Bot API message plus what a chat UI needs (direction, edits, HTML, keyboards)."""
    data = message.to_api()
    data["emulator"] = {
        "outgoing": message.outgoing,
        "deleted": message.deleted,
        "edit_count": message.edit_count,
        "html": message.html,
        "reply_markup": dict(message.markup.raw) if message.markup is not None else None,
    }
    return data


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _guard(handler: Handler) -> Handler:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (ValueError, LookupError, TypeError) as exc:
            return web.json_response({"ok": False, "description": str(exc)}, status=400)

    return wrapped


async def _body(request: web.Request) -> JSONDict:
    body = await request.json()
    if not isinstance(body, dict):
        raise ValueError("JSON object expected")
    return body


def install_control_routes(emu: BotApiEmulator, prefix: str = "/_emulator") -> None:
    """Add the control routes to ``emu.app`` (call before ``emu.start()``)."""

    def user_of(body: JSONDict) -> User:
        user = emu.world.users.get(int(body["user_id"]))
        if user is None:
            raise LookupError(f"unknown user {body['user_id']}")
        return user

    async def state(request: web.Request) -> web.StreamResponse:
        return _ok(
            {
                "bot": emu.bot.to_api(),
                "users": [user.to_api() for user in emu.users],
                "chats": [chat.to_api() for chat in emu.chats],
            }
        )

    async def messages(request: web.Request) -> web.StreamResponse:
        chat = emu.chat(int(request.match_info["chat_id"]))
        return _ok([message_view(m) for m in emu.transcript(chat)])

    async def add_user(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        user = emu.add_user(
            str(body["first_name"]),
            last_name=body.get("last_name"),
            username=body.get("username"),
            language_code=body.get("language_code"),
            phone_number=body.get("phone_number"),
        )
        return _ok(user.to_api())

    async def send(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        user = user_of(body)
        chat = emu.chat(int(body["chat_id"])) if body.get("chat_id") is not None else None
        reply_to = None
        if body.get("reply_to_message_id") is not None:
            target = chat or emu.chat(user)
            reply_to = emu.world.get_message(target.id, int(body["reply_to_message_id"]))
            if reply_to is None:
                raise LookupError("message to reply to not found")
        thread = body.get("thread_id")
        message = emu.send_text(
            user,
            str(body["text"]),
            chat=chat,
            reply_to=reply_to,
            thread_id=int(thread) if thread is not None else None,
        )
        return _ok(message_view(message))

    async def press(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        user = user_of(body)
        message = emu.world.get_message(int(body["chat_id"]), int(body["message_id"]))
        if message is None:
            raise LookupError("message not found")
        return _ok({"callback_query_id": emu.press(user, message, str(body["data"]))})

    router = emu.app.router
    router.add_get(f"{prefix}/state", _guard(state))
    router.add_get(f"{prefix}/chats/{{chat_id}}/messages", _guard(messages))
    router.add_post(f"{prefix}/users", _guard(add_user))
    router.add_post(f"{prefix}/send", _guard(send))
    router.add_post(f"{prefix}/press", _guard(press))
