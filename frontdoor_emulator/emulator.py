# Timeouts in seconds are part of the test-facing API (``await emu.next_message(chat,
# timeout=2)``), so the waits take a ``timeout`` parameter instead of asyncio.timeout().
# ruff: noqa: ASYNC109
"""The Bot API emulator: an aiohttp server speaking the Telegram Bot API plus a Python API
to act as users and to observe what the bot did.

Typical use in a test::

    async with BotApiEmulator(token="123:TEST") as emu:
        app = (
            ApplicationBuilder().token(emu.token)
            .base_url(emu.api_base_url).base_file_url(emu.file_base_url).build()
        )
        ...  # start the application with polling
        alice = emu.add_user("Alice")
        emu.send_text(alice, "/start")
        reply = await emu.next_message(alice)
        emu.press(alice, reply, "claim:42")
        edited = await emu.wait_for_edit(reply)

Everything runs on one asyncio loop; the "user" methods are synchronous and may also be
called before the loop runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import math
import re
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from .api import BotApi
from .entities import detect_entities
from .errors import ApiError, WaitTimeoutError
from .models import (
    GROUP_ANONYMOUS_BOT_ID,
    ApiCall,
    CallbackAnswer,
    CallbackQueryRecord,
    Chat,
    ChatEvent,
    ChatMessage,
    FailureRule,
    FloodLimits,
    JSONDict,
    Markup,
    MemberStatus,
    User,
    describe_message,
)
from .params import MAX_UPLOAD_BYTES, Params, read_params
from .state import World

__all__ = [
    "ALL_UPDATE_TYPES",
    "DEFAULT_UPDATE_TYPES",
    "BotApiEmulator",
    "ChatLike",
    "WebhookConfig",
]

_LOG = logging.getLogger(__name__)
T = TypeVar("T")

#: A chat reference accepted by the Python API: the chat, a user (their private chat) or an id.
ChatLike = Chat | User | int

ALL_UPDATE_TYPES: frozenset[str] = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
#: What a bot gets when ``allowed_updates`` is unset or empty.
DEFAULT_UPDATE_TYPES: frozenset[str] = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}

_TOKEN = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendVideo",
        "sendAudio",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)
_LOOP_METHODS = {
    name.lower(): name for name in ("getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo")
}
_ADMIN_STATUSES: tuple[MemberStatus, ...] = ("creator", "administrator")
_PRESENT_STATUSES: tuple[MemberStatus, ...] = ("creator", "administrator", "member", "restricted")


@dataclass
class _Pending:
    update: JSONDict
    #: pushed with :meth:`BotApiEmulator.push_raw_update`: survives offset confirmation
    #: until it was delivered once (so duplicates of old ids can be replayed).
    forced: bool = False
    delivered: bool = False

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])


@dataclass(frozen=True)
class WebhookConfig:
    """What the bot passed to ``setWebhook``."""

    url: str
    secret_token: str | None
    max_connections: int
    ip_address: str | None


def _default_description(status: int, retry_after: int | None) -> str:
    if status == 429 and retry_after is not None:
        return f"Too Many Requests: retry after {retry_after}"
    return _STATUS_TEXT.get(status, "Internal Server Error")


class BotApiEmulator:
    """An in-process Telegram Bot API server with a scriptable world of users and chats.

    Args:
        token: The bot token the bot must use (``<digits>:<secret>``); the digits are the
            bot's user id.
        bot_username: ``getMe().username``.
        bot_first_name: ``getMe().first_name``.
        privacy_mode: Telegram's group privacy: a bot that is not an admin only receives
            commands, mentions of it, replies to its messages and service messages.
        clock: Wall clock (seconds) used for message dates.
        call_log_size: How many :class:`ApiCall` records :attr:`calls` keeps.
        webhook_attempts: Delivery attempts per update in webhook mode before it is dropped.
        webhook_retry_delay: Delay before the first retry (doubles each time).
        flood_limits: Enables 429 flood control on sending methods.
    """

    GROUP_ANONYMOUS_BOT_ID = GROUP_ANONYMOUS_BOT_ID

    def __init__(
        self,
        token: str = "123:TEST",
        *,
        bot_username: str = "frontdoor_bot",
        bot_first_name: str = "Frontdoor",
        privacy_mode: bool = True,
        clock: Callable[[], float] = time.time,
        call_log_size: int = 10_000,
        webhook_attempts: int = 3,
        webhook_retry_delay: float = 0.1,
        flood_limits: FloodLimits | None = None,
    ) -> None:
        match = _TOKEN.match(token)
        if not match:
            raise ValueError("token must look like '<bot id>:<secret>'")
        self.token = token
        bot = User(
            id=int(match.group(1)),
            first_name=bot_first_name,
            username=bot_username,
            is_bot=True,
            extra={
                "can_join_groups": True,
                "can_read_all_group_messages": not privacy_mode,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            },
        )
        self.world = World(bot, clock)
        self.api = BotApi(self.world)
        self.privacy_mode = privacy_mode
        #: Seconds added to every bot call (simulates a slow network).
        self.latency: float = 0.0
        self.flood_limits = flood_limits
        self.webhook_attempts = webhook_attempts
        self.webhook_retry_delay = webhook_retry_delay
        #: The most recent calls, oldest first.
        self.calls: deque[ApiCall] = deque(maxlen=call_log_size)
        #: Calls per method (all of them, including failed ones).
        self.call_counts: Counter[str] = Counter()

        self._failures: list[FailureRule] = []
        self._outage: FailureRule | None = None
        self._flood_hits: dict[Hashable, deque[float]] = {}
        self._updates: list[_Pending] = []
        self._next_update_id = 1
        self._allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._poll_generation = 0
        self._webhook: WebhookConfig | None = None
        self._webhook_allowed: list[str] | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._bot_events: dict[int, list[ChatEvent]] = {}
        self._cursors: dict[tuple[int, int | None], int] = {}
        self._consumed: set[int] = set()  # seqs of events a wait already returned
        self._edits_seen: dict[tuple[int, int], int] = {}
        self._pulses: dict[Hashable, asyncio.Event] = {}
        self._subscribers: list[Callable[[ChatEvent], object]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._closing = False
        self.world.listeners.append(self._on_event)

        #: The aiohttp application; extra routes may be added before :meth:`start`.
        self.app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        self.app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        self.app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)

    # ========================================================================================
    # lifecycle
    # ========================================================================================
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start serving; returns :attr:`url`. ``port=0`` picks a free port."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        self._closing = False
        runner = web.AppRunner(
            self.app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        address = runner.addresses[0]
        bound_host, bound_port = str(address[0]), int(address[1])
        if ":" in bound_host:
            bound_host = f"[{bound_host}]"
        self._url = f"http://{bound_host}:{bound_port}"
        if self._webhook is not None:
            self._ensure_webhook_worker()
        return self._url

    async def stop(self) -> None:
        """Stop serving: pending long polls return empty, the webhook worker stops."""
        self._closing = True
        self._pulse_all()
        await self._stop_webhook_worker()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None
        self._url = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """``http://host:port`` of the running server."""
        if self._url is None:
            raise RuntimeError("emulator is not running; call start() first")
        return self._url

    @property
    def api_base_url(self) -> str:
        """Value for ``ApplicationBuilder().base_url(...)``."""
        return f"{self.url}/bot"

    @property
    def file_base_url(self) -> str:
        """Value for ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self.url}/file/bot"

    @property
    def bot(self) -> User:
        """The bot's own user object."""
        return self.world.bot

    # ========================================================================================
    # the world: users, groups, topics
    # ========================================================================================
    def add_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        phone_number: str | None = None,
        is_premium: bool | None = None,
        started: bool = False,
        user_id: int | None = None,
    ) -> User:
        """Create a user (ids start at 7_000_000_001). Their private chat id equals their id.

        Like on Telegram, the bot can message the user only after the user wrote to it
        (any :meth:`send_text` etc. in the private chat) - or pass ``started=True``.
        """
        user = self.world.new_user(
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            phone_number=phone_number,
            is_premium=is_premium,
            user_id=user_id,
        )
        self.world.private_chat(user).started = started
        return user

    def add_group(
        self,
        title: str,
        *,
        members: Iterable[User] = (),
        admins: Iterable[User] = (),
        owner: User | None = None,
        forum: bool = False,
        supergroup: bool = True,
        username: str | None = None,
        bot_status: MemberStatus = "administrator",
        chat_id: int | None = None,
    ) -> Chat:
        """Create a group the bot is in (as ``bot_status``; admin by default).

        Supergroups get ids like ``-1001234567890``; ``supergroup=False`` makes a basic group
        (which :meth:`migrate_group` can upgrade). ``forum=True`` enables topics.
        """
        chat = self.world.new_group(
            title,
            supergroup=supergroup,
            forum=forum,
            username=username,
            bot_status=bot_status,
            chat_id=chat_id,
        )
        for user in members:
            chat.members[user.id] = "member"
        for user in admins:
            chat.members[user.id] = "administrator"
        if owner is not None:
            chat.members[owner.id] = "creator"
        return chat

    def add_topic(
        self,
        group: Chat,
        name: str,
        *,
        icon_color: int | None = None,
        creator: User | None = None,
    ) -> int:
        """Create a forum topic; returns its ``message_thread_id``.

        The ``forum_topic_created`` service message is delivered to the bot like on Telegram.
        """
        if not group.is_forum:
            raise ValueError(f"chat {group.id} is not a forum")
        if creator is None:
            admins = self.world.iter_group_members(group, _ADMIN_STATUSES)
            creator = admins[0] if admins else self.world.bot
        topic = self.world.new_topic(group, name, creator, icon_color)
        if topic.created_message is not None and creator is not self.world.bot:
            self._deliver_message(topic.created_message)
        return topic.thread_id

    def set_member_status(self, chat: Chat, user: User, status: MemberStatus) -> None:
        """Change a user's membership (sends a ``chat_member`` update, which bots only get
        when they ask for it in ``allowed_updates``)."""
        if chat.is_private:
            raise ValueError("membership only exists in groups")
        old = self.world.member_api(chat, user)
        chat.members[user.id] = status
        new = self.world.member_api(chat, user)
        self._enqueue(
            "chat_member",
            {
                "chat": chat.to_api(),
                "from": user.to_api(),
                "date": self.world.now(),
                "old_chat_member": old,
                "new_chat_member": new,
            },
        )

    def set_bot_status(self, chat: Chat, status: MemberStatus, *, by: User | None = None) -> None:
        """Change the bot's membership in a group (sends ``my_chat_member``)."""
        if chat.is_private:
            raise ValueError("use block()/unblock() for private chats")
        old = self.world.member_api(chat, self.world.bot)
        chat.bot_status = status
        new = self.world.member_api(chat, self.world.bot)
        actor = by or next(iter(self.world.iter_group_members(chat, _ADMIN_STATUSES)), None)
        self._enqueue(
            "my_chat_member",
            {
                "chat": chat.to_api(),
                "from": (actor or self.world.bot).to_api(),
                "date": self.world.now(),
                "old_chat_member": old,
                "new_chat_member": new,
            },
        )

    def block(self, user: User) -> None:
        """The user blocks the bot: further sends fail with 403; the bot gets
        ``my_chat_member`` (member -> kicked)."""
        chat = self.world.private_chat(user)
        if chat.blocked:
            return
        chat.blocked = True
        self._send_private_membership(user, "member", "kicked")

    def unblock(self, user: User) -> None:
        """The user restarts the bot (``my_chat_member`` kicked -> member)."""
        chat = self.world.private_chat(user)
        if not chat.blocked:
            return
        chat.blocked = False
        chat.started = True
        self._send_private_membership(user, "kicked", "member")

    def _send_private_membership(self, user: User, old: str, new: str) -> None:
        bot = self.world.bot.to_api()
        old_member: JSONDict = {"status": old, "user": bot}
        new_member: JSONDict = {"status": new, "user": bot}
        for member in (old_member, new_member):
            if member["status"] == "kicked":
                member["until_date"] = 0
        self._enqueue(
            "my_chat_member",
            {
                "chat": self.world.private_chat(user).to_api(),
                "from": user.to_api(),
                "date": self.world.now(),
                "old_chat_member": old_member,
                "new_chat_member": new_member,
            },
        )

    def migrate_group(self, group: Chat) -> Chat:
        """Upgrade a basic group to a supergroup; returns the new chat.

        Afterwards the bot's calls with the old id fail with 400 "group chat was upgraded to a
        supergroup chat" carrying ``migrate_to_chat_id`` (PTB raises ``ChatMigrated``).
        """
        if group.type != "group":
            raise ValueError("only basic groups (add_group(..., supergroup=False)) can migrate")
        new = self.world.new_group(
            group.title or "",
            supergroup=True,
            forum=False,
            username=None,
            bot_status=group.bot_status,
        )
        new.members = dict(group.members)
        group.migrated_to = new.id
        new.migrated_from = group.id
        owners = self.world.iter_group_members(group, _ADMIN_STATUSES)
        actor = owners[0] if owners else self.world.bot
        first = self.world.add_message(
            group, actor, outgoing=False, service={"migrate_to_chat_id": new.id}
        )
        second = self.world.add_message(
            new, actor, outgoing=False, service={"migrate_from_chat_id": group.id}
        )
        self._deliver_message(first)
        self._deliver_message(second)
        return new

    # ========================================================================================
    # things people do
    # ========================================================================================
    def send_text(
        self,
        user: User,
        text: str,
        *,
        chat: ChatLike | None = None,
        reply_to: ChatMessage | None = None,
        thread_id: int | None = None,
        anonymous: bool = False,
        entities: Sequence[JSONDict] | None = None,
    ) -> ChatMessage:
        """``user`` sends ``text`` (to their private chat unless ``chat`` is given).

        Entities (``bot_command``, urls, mentions, ...) are detected like a client would,
        unless passed explicitly. ``anonymous=True`` posts as an anonymous group admin
        (``from`` = GroupAnonymousBot, ``sender_chat`` = the group).
        """
        if not text:
            raise ValueError("Telegram clients do not send empty messages")
        return self._user_message(
            user,
            chat,
            reply_to,
            thread_id,
            anonymous,
            text=text,
            entities=list(entities) if entities is not None else detect_entities(text),
        )

    def send_contact(
        self,
        user: User,
        phone_number: str | None = None,
        *,
        user_id: int | Literal["self"] | None = "self",
        first_name: str | None = None,
        last_name: str | None = None,
        chat: ChatLike | None = None,
        reply_to: ChatMessage | None = None,
    ) -> ChatMessage:
        """``user`` shares a contact - by default their own (``user_id`` = their id,
        phone from ``add_user(phone_number=...)`` unless given). The number is passed on
        verbatim: real clients often omit the leading ``+``."""
        phone = phone_number or user.phone_number
        if not phone:
            raise ValueError("no phone number: pass one or set it in add_user()")
        own = user_id == "self"
        contact: JSONDict = {
            "phone_number": phone,
            "first_name": first_name or (user.first_name if own else "Contact"),
        }
        surname = last_name if last_name is not None else (user.last_name if own else None)
        if surname:
            contact["last_name"] = surname
        if own:
            contact["user_id"] = user.id
        elif isinstance(user_id, int):
            contact["user_id"] = user_id
        return self._user_message(user, chat, reply_to, None, False, contact=contact)

    def send_document(
        self,
        user: User,
        *,
        filename: str,
        content: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
        chat: ChatLike | None = None,
        reply_to: ChatMessage | None = None,
        thread_id: int | None = None,
    ) -> ChatMessage:
        """``user`` sends a file; the bot can download it via getFile + the file URL."""
        stored = self.world.store_file(
            "document", content=content, filename=filename, mime_type=mime_type
        )
        return self._user_message(
            user, chat, reply_to, thread_id, False, document=stored, **self._user_caption(caption)
        )

    def send_photo(
        self,
        user: User,
        *,
        content: bytes,
        caption: str | None = None,
        chat: ChatLike | None = None,
        reply_to: ChatMessage | None = None,
        thread_id: int | None = None,
    ) -> ChatMessage:
        """``user`` sends a photo (PNG/JPEG/GIF sizes are read from the bytes)."""
        stored = self.world.store_file("photo", content=content)
        return self._user_message(
            user, chat, reply_to, thread_id, False, photo=stored, **self._user_caption(caption)
        )

    def edit_text(self, user: User, message: ChatMessage, text: str) -> ChatMessage:
        """``user`` edits one of their messages (the bot gets ``edited_message``)."""
        if message.outgoing or message.sender is not user or message.text is None:
            raise ValueError("users can only edit their own text messages")
        self.world.edit_message(message, text=text, entities=detect_entities(text))
        if self._bot_sees(message):
            self._enqueue("edited_message", message.to_api())
        return message

    def press(
        self,
        user: User,
        message: ChatMessage,
        data: str,
        *,
        anonymous: bool = False,
        forged: bool = False,
    ) -> str:
        """``user`` presses the inline button whose ``callback_data`` is ``data``.

        Returns the callback query id (see :meth:`callback_answer`). Raises
        :class:`LookupError` if the message has no such button right now, unless
        ``forged=True``: then the callback is sent anyway, as from a modified client or a
        client still showing an outdated keyboard.
        ``anonymous=True`` makes ``from`` the GroupAnonymousBot (real Telegram reveals the
        presser; this lets you test code paths that must cope with it).
        """
        markup = message.inline_keyboard
        button = markup.find(data=data) if markup is not None else None
        if button is None and not forged:
            message.button(data=data)  # raises LookupError listing the buttons
            raise AssertionError("unreachable")
        return self._press(user, message, data, anonymous)

    def press_button(
        self, user: User, message: ChatMessage, text: str, *, anonymous: bool = False
    ) -> str:
        """Like :meth:`press` but finds the inline button by its visible text."""
        markup = message.inline_keyboard
        button = markup.find(text=text) if markup is not None else None
        if button is None:
            message.button(text)  # raises LookupError listing the buttons
            raise AssertionError("unreachable")
        if button.callback_data is None:
            raise ValueError(f"button {text!r} is a {button.kind} button, not a callback button")
        return self._press(user, message, button.callback_data, anonymous)

    def tap(self, user: User, text: str, *, chat: ChatLike | None = None) -> ChatMessage:
        """``user`` taps a button of the reply keyboard currently shown in the chat.

        Sends its text, or the user's own contact for ``request_contact`` buttons.
        """
        target = self._chat_of(chat) if chat is not None else self.world.private_chat(user)
        keyboard = target.reply_keyboard
        button = keyboard.find(text=text) if keyboard is not None else None
        if keyboard is None or button is None:
            shown = keyboard.texts() if keyboard is not None else None
            raise LookupError(f"no reply keyboard button {text!r} in chat {target.id}: {shown}")
        if keyboard.raw.get("one_time_keyboard"):
            target.reply_keyboard = None
        if button.request_contact:
            return self.send_contact(user, chat=target)
        return self.send_text(user, text, chat=target)

    def push_raw_update(self, update: JSONDict) -> int:
        """Queue an arbitrary update dict; an existing ``update_id`` is kept (duplicates)."""
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        update_id = int(update["update_id"])
        self._next_update_id = max(self._next_update_id, update_id + 1)
        self._updates.append(_Pending(update, forced=True))
        self._pulse("updates")
        return update_id

    # -- helpers for the above ---------------------------------------------------------------
    def _chat_of(self, ref: ChatLike) -> Chat:
        if isinstance(ref, Chat):
            return ref
        chat_id = ref.id if isinstance(ref, User) else ref
        chat = self.world.chats.get(chat_id)
        if chat is None:
            raise KeyError(f"unknown chat {chat_id}")
        return chat

    def _user_caption(self, caption: str | None) -> JSONDict:
        if not caption:
            return {}
        return {"caption": caption, "caption_entities": detect_entities(caption)}

    def _user_message(
        self,
        user: User,
        chat: ChatLike | None,
        reply_to: ChatMessage | None,
        thread_id: int | None,
        anonymous: bool,
        **fields: Any,
    ) -> ChatMessage:
        target = self._chat_of(chat) if chat is not None else self.world.private_chat(user)
        if target.is_private:
            if target.id != user.id:
                raise ValueError(f"{user.first_name} cannot write into another user's chat")
            if anonymous:
                raise ValueError("anonymous posting only exists in groups")
            if target.blocked:
                self.unblock(user)
            target.started = True
        else:
            status = self.world.member_status(target, user.id)
            if status not in _PRESENT_STATUSES:
                raise ValueError(f"{user.first_name} is not a member of {target.title!r}")
            if anonymous and status not in _ADMIN_STATUSES:
                raise ValueError("only admins can post anonymously")
        if target.migrated_to is not None:
            raise ValueError(f"chat {target.id} was migrated to {target.migrated_to}")
        if reply_to is not None and reply_to.chat is not target:
            raise ValueError("reply_to must be a message of the same chat")
        thread: int | None = None
        if thread_id is not None and thread_id != 1:
            if thread_id not in target.topics:
                raise ValueError(f"chat {target.id} has no topic {thread_id}")
            thread = thread_id
        elif reply_to is not None:
            thread = reply_to.thread_id
        if thread is not None and reply_to is None:
            reply_to = target.topics[thread].created_message
        sender = self.world.anonymous_admin if anonymous else user
        message = self.world.add_message(
            target,
            sender,
            outgoing=False,
            sender_chat=target if anonymous else None,
            reply_to=reply_to,
            thread_id=thread,
            is_topic_message=thread is not None,
            **fields,
        )
        self._deliver_message(message)
        return message

    def _bot_sees(self, message: ChatMessage) -> bool:
        chat = message.chat
        if chat.is_private:
            return not chat.blocked
        if chat.bot_status not in _PRESENT_STATUSES:
            return False
        if not self.privacy_mode or chat.bot_status in _ADMIN_STATUSES or message.service:
            return True
        if message.reply_to is not None and message.reply_to.outgoing:
            return True
        text = message.text if message.text is not None else (message.caption or "")
        entities = message.entities if message.text is not None else message.caption_entities
        name = (self.world.bot.username or "").lower()
        for entity in entities:
            start = int(entity["offset"])
            piece = text.encode("utf-16-le")[start * 2 : (start + int(entity["length"])) * 2]
            value = piece.decode("utf-16-le").lower()
            if entity["type"] == "bot_command" and ("@" not in value or value.endswith(name)):
                return True
            if entity["type"] == "mention" and value == f"@{name}":
                return True
        return False

    def _deliver_message(self, message: ChatMessage) -> None:
        if self._bot_sees(message):
            self._enqueue("message", message.to_api())

    def _press(self, user: User, message: ChatMessage, data: str, anonymous: bool) -> str:
        if message.deleted:
            raise ValueError("the message was deleted")
        chat = message.chat
        if chat.is_private and chat.id != user.id:
            raise ValueError(f"{user.first_name} cannot see chat {chat.id}")
        if chat.is_group and self.world.member_status(chat, user.id) not in _PRESENT_STATUSES:
            raise ValueError(f"{user.first_name} is not a member of {chat.title!r}")
        query_id = str(4_000_000_000_000_000_000 + len(self.world.callback_queries) + 1)
        self.world.callback_queries[query_id] = CallbackQueryRecord(
            id=query_id, user=user, message=message, data=data, date=self.world.clock()
        )
        sender = self.world.anonymous_admin if anonymous else user
        self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": sender.to_api(),
                "message": message.to_api(),
                "chat_instance": str((chat.id * 2654435761) % (1 << 62)),
                "data": data,
            },
        )
        return query_id

    def _enqueue(self, kind: str, payload: JSONDict) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        if kind in self._allowed_updates:
            self._updates.append(_Pending({"update_id": update_id, kind: payload}))
            self._pulse("updates")
        return update_id

    # ========================================================================================
    # observing the bot
    # ========================================================================================
    @property
    def users(self) -> list[User]:
        return list(self.world.users.values())

    @property
    def chats(self) -> list[Chat]:
        return list(self.world.chats.values())

    def chat(self, ref: ChatLike) -> Chat:
        """The chat for a user (private chat), a chat id or a chat."""
        return self._chat_of(ref)

    def messages(
        self, chat: ChatLike, thread_id: int | None = None, *, include_deleted: bool = True
    ) -> list[ChatMessage]:
        """The bot's messages in ``chat`` (optionally one topic), oldest first, current state."""
        return [
            m
            for m in self.transcript(chat, thread_id)
            if m.outgoing and (include_deleted or not m.deleted)
        ]

    def transcript(self, chat: ChatLike, thread_id: int | None = None) -> list[ChatMessage]:
        """All messages of ``chat`` (users' and the bot's), oldest first."""
        target = self._chat_of(chat)
        messages = self.world.chat_messages(target.id)
        if thread_id is None:
            return list(messages)
        return [m for m in messages if m.thread_id == thread_id]

    def last_message(self, chat: ChatLike, thread_id: int | None = None) -> ChatMessage | None:
        """The bot's latest message in ``chat`` or ``None``."""
        mine = self.messages(chat, thread_id, include_deleted=False)
        return mine[-1] if mine else None

    def reply_keyboard(self, chat: ChatLike) -> Markup | None:
        """The reply keyboard the bot currently shows in ``chat``."""
        return self._chat_of(chat).reply_keyboard

    def callback_answer(self, query_id: str) -> CallbackAnswer | None:
        """The bot's ``answerCallbackQuery`` for a press, ``None`` if not answered (yet)."""
        record = self.world.callback_queries.get(query_id)
        if record is None:
            raise KeyError(f"unknown callback query {query_id}")
        return record.answer

    def chat_actions(self, chat: ChatLike) -> list[str]:
        """Actions (``typing``, ...) the bot sent to ``chat``, in order."""
        chat_id = self._chat_of(chat).id
        return [action for cid, action, _ in self.world.chat_actions if cid == chat_id]

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """Commands set with ``setMyCommands`` for exactly this scope and language."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        return list(self.world.commands.get(key, []))

    def calls_of(self, method: str) -> list[ApiCall]:
        """Logged calls of one method (case-insensitive)."""
        lower = method.lower()
        return [call for call in self.calls if call.method.lower() == lower]

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed (polling) or delivered (webhook)."""
        return [pending.update for pending in self._updates]

    @property
    def webhook(self) -> WebhookConfig | None:
        return self._webhook

    def subscribe(self, callback: Callable[[ChatEvent], object]) -> Callable[[], None]:
        """Call ``callback(event)`` for every new/edited/deleted message in any chat.

        The callback may be a coroutine function (it is scheduled as a task). Returns a
        function that unsubscribes.
        """
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    # -- waiting -----------------------------------------------------------------------------
    async def wait_for_message(
        self,
        chat: ChatLike,
        predicate: Callable[[ChatMessage], bool] | None = None,
        *,
        thread_id: int | None = None,
        timeout: float = 5.0,
        edits: bool = True,
    ) -> ChatMessage:
        """Wait for a bot message in ``chat`` - new or (with ``edits``) edited - that
        satisfies ``predicate``, after this chat's read cursor.

        Each chat (and each ``(chat, thread_id)``) has a read cursor over the bot's message
        events: the match and everything before it count as read for that cursor, so the
        next call only sees what came after. A returned event is never returned again by any
        cursor (reading a topic's reply with ``thread_id`` also consumes it for the whole
        chat). Raises :class:`WaitTimeoutError`.
        """
        target = self._chat_of(chat)
        key = (target.id, thread_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            events = self._bot_events.get(target.id, [])
            for index in range(self._cursors.get(key, 0), len(events)):
                event = events[index]
                if event.seq in self._consumed or (event.kind == "edit" and not edits):
                    continue
                message = event.message
                if thread_id is not None and message.thread_id != thread_id:
                    continue
                if predicate is None or predicate(message):
                    self._cursors[key] = index + 1
                    self._consumed.add(event.seq)
                    self._edits_seen[(target.id, message.message_id)] = message.edit_count
                    return message
            remaining = deadline - loop.time()
            if remaining <= 0:
                what = "message or edit" if edits else "message"
                raise WaitTimeoutError(self._timeout_text(target, f"no new bot {what}", timeout))
            await self._wait_pulse(("chat", target.id), remaining)

    async def next_message(
        self,
        chat: ChatLike,
        predicate: Callable[[ChatMessage], bool] | None = None,
        *,
        thread_id: int | None = None,
        timeout: float = 5.0,
    ) -> ChatMessage:
        """The next *new* bot message in ``chat`` after the read cursor (edits are skipped).

        ``reply = await emu.next_message(alice)`` reads naturally in conversation tests.
        """
        return await self.wait_for_message(
            chat, predicate, thread_id=thread_id, timeout=timeout, edits=False
        )

    async def wait_for_edit(
        self,
        message: ChatMessage,
        predicate: Callable[[ChatMessage], bool] | None = None,
        *,
        timeout: float = 5.0,
    ) -> ChatMessage:
        """Wait until the bot edits ``message`` again (beyond the edits already seen when the
        message was returned by a wait, or by a previous ``wait_for_edit``)."""
        key = (message.chat_id, message.message_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            seen = self._edits_seen.get(key, 0)
            if message.edit_count > seen and (predicate is None or predicate(message)):
                self._edits_seen[key] = message.edit_count
                return message
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise WaitTimeoutError(
                    self._timeout_text(
                        message.chat, f"message {message.message_id} was not edited", timeout
                    )
                )
            await self._wait_pulse(("chat", message.chat_id), remaining)

    async def expect_no_message(
        self, chat: ChatLike, *, within: float = 0.3, thread_id: int | None = None
    ) -> None:
        """Assert the bot sends no new message to ``chat`` (after the cursor) for ``within``
        seconds. Does not move the cursor."""
        target = self._chat_of(chat)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            unread = self.unread_messages(target, thread_id=thread_id)
            if unread:
                raise AssertionError(
                    f"bot unexpectedly sent to chat {target.id}: "
                    + "; ".join(describe_message(m) for m in unread)
                )
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            await self._wait_pulse(("chat", target.id), remaining)

    def unread_messages(self, chat: ChatLike, *, thread_id: int | None = None) -> list[ChatMessage]:
        """New bot messages after the read cursor (without consuming them)."""
        target = self._chat_of(chat)
        events = self._bot_events.get(target.id, [])[self._cursors.get((target.id, thread_id), 0) :]
        return [
            e.message
            for e in events
            if e.kind == "new"
            and e.seq not in self._consumed
            and (thread_id is None or e.message.thread_id == thread_id)
        ]

    def skip_unread(self, chat: ChatLike, *, thread_id: int | None = None) -> list[ChatMessage]:
        """Mark everything the bot sent so far as read; returns the skipped new messages."""
        target = self._chat_of(chat)
        skipped = self.unread_messages(target, thread_id=thread_id)
        events = self._bot_events.get(target.id, [])
        self._cursors[(target.id, thread_id)] = len(events)
        self._consumed.update(
            e.seq for e in events if thread_id is None or e.message.thread_id == thread_id
        )
        for message in skipped:
            self._edits_seen[(target.id, message.message_id)] = message.edit_count
        return skipped

    async def wait_until(
        self, condition: Callable[[], T], *, timeout: float = 5.0, interval: float = 0.02
    ) -> T:
        """Wait until ``condition()`` is truthy and return its value.

        Re-checked on every emulator event and at least every ``interval`` seconds (for
        conditions on state outside the emulator). Raises :class:`WaitTimeoutError`.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = condition()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise WaitTimeoutError(f"condition still false after {timeout:.1f}s")
            await self._wait_pulse("any", min(remaining, interval))

    async def wait_for_callback_answer(
        self, query_id: str, *, timeout: float = 5.0
    ) -> CallbackAnswer:
        """Wait for the bot's ``answerCallbackQuery`` to a press."""
        try:
            answer = await self.wait_until(lambda: self.callback_answer(query_id), timeout=timeout)
        except WaitTimeoutError:
            raise WaitTimeoutError(
                f"callback query {query_id} not answered in {timeout:.1f}s"
            ) from None
        assert answer is not None
        return answer

    async def wait_delivered(self, *, timeout: float = 5.0) -> None:
        """Wait until every queued update was handed to the bot (returned by getUpdates or
        accepted by the webhook). It may still be processing the last ones."""
        await self.wait_until(
            lambda: all(p.delivered for p in self._updates) or not self._updates,
            timeout=timeout,
        )

    def _timeout_text(self, chat: Chat, what: str, timeout: float) -> str:
        tail = self.world.chat_messages(chat.id)[-8:]
        lines = "\n  ".join(describe_message(m) for m in tail) or "(empty)"
        failed = [c for c in list(self.calls)[-20:] if not c.ok and c.method != "getUpdates"]
        errors = "".join(f"\n  {c.method}: {c.status} {c.description}" for c in failed)
        return f"{what} in chat {chat.id} within {timeout:.1f}s; transcript tail:\n  {lines}" + (
            f"\nrecent failed calls:{errors}" if errors else ""
        )

    # ========================================================================================
    # failure injection
    # ========================================================================================
    def fail_next(
        self,
        n: int = 1,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        method: str | None = None,
        description: str | None = None,
        include_polling: bool = False,
        parameters: JSONDict | None = None,
    ) -> FailureRule:
        """Make the next ``n`` calls (of ``method``, or of any method except getUpdates unless
        ``include_polling``) fail with ``status``. 429 carries ``retry_after``.

        Returns the rule; ``rule.remaining`` shows how many failures are left.
        """
        params = dict(parameters or {})
        if status == 429 and retry_after is not None:
            params.setdefault("retry_after", retry_after)
        rule = FailureRule(
            remaining=n,
            status=status,
            description=description or _default_description(status, retry_after),
            parameters=params or None,
            method=method,
            include_polling=include_polling,
        )
        self._failures.append(rule)
        return rule

    def set_outage(
        self,
        status: int = 502,
        *,
        description: str | None = None,
        include_polling: bool = True,
        retry_after: int | None = None,
    ) -> None:
        """Every call (getUpdates too unless ``include_polling=False``) and file download
        fails with ``status`` until :meth:`clear_outage`."""
        params = {"retry_after": retry_after} if status == 429 and retry_after else None
        self._outage = FailureRule(
            remaining=1,
            status=status,
            description=description or _default_description(status, retry_after),
            parameters=params,
            include_polling=include_polling,
        )

    def clear_outage(self) -> None:
        self._outage = None
        self._pulse_all()

    def _injected_failure(self, method: str) -> ApiError | None:
        outage = self._outage
        if outage is not None and outage.matches(method):
            return ApiError(outage.status, outage.description, outage.parameters)
        for rule in self._failures:
            if rule.matches(method):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._failures.remove(rule)
                return ApiError(rule.status, rule.description, rule.parameters)
        return None

    def _check_flood(self, method: str, params: Params) -> None:
        limits = self.flood_limits
        if limits is None or method not in _SEND_METHODS:
            return
        now = asyncio.get_running_loop().time()
        checks: list[tuple[Hashable, int, float]] = []
        if limits.global_per_second:
            checks.append(("global", limits.global_per_second, 1.0))
        raw = params.raw("chat_id")
        chat = self.world.find_chat(raw if isinstance(raw, int) else str(raw)) if raw else None
        if chat is not None and chat.is_group and limits.group_per_minute:
            checks.append((("chat", chat.id), limits.group_per_minute, 60.0))
        if chat is not None and chat.is_private and limits.private_per_second:
            checks.append((("chat", chat.id), limits.private_per_second, 1.0))
        for key, limit, window in checks:
            hits = self._flood_hits.setdefault(key, deque())
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                retry = max(1, math.ceil(hits[0] + window - now))
                raise ApiError(
                    429, f"Too Many Requests: retry after {retry}", {"retry_after": retry}
                )
        for key, _, _ in checks:
            self._flood_hits[key].append(now)

    # ========================================================================================
    # HTTP
    # ========================================================================================
    def _token_error(self, token: str) -> web.Response | None:
        if token == self.token:
            return None
        error = ApiError(401, "Unauthorized") if _TOKEN.match(token) else ApiError(404, "Not Found")
        return web.json_response(error.to_json(), status=error.status)

    async def _handle_api(self, request: web.Request) -> web.Response:
        rejected = self._token_error(request.match_info["token"])
        if rejected is not None:
            return rejected
        method = request.match_info["method"]
        try:
            params = await read_params(request)
        except ApiError as exc:
            return web.json_response(exc.to_json(), status=exc.status)
        status, body = await self.dispatch(method, params)
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        rejected = self._token_error(request.match_info["token"])
        if rejected is not None:
            return rejected
        if self._outage is not None:
            error = ApiError(self._outage.status, self._outage.description)
            return web.json_response(error.to_json(), status=error.status)
        stored = self.world.files_by_path.get(request.match_info["file_path"])
        if stored is None or stored.content is None:
            error = ApiError(404, "Not Found")
            return web.json_response(error.to_json(), status=404)
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )

    async def dispatch(self, method: str, params: Params) -> tuple[int, JSONDict]:
        """Run one Bot API call as if the bot made it over HTTP (logged in :attr:`calls`).

        Returns the HTTP status and the JSON reply body.
        """
        name = self.api.canonical_name(method) or _LOOP_METHODS.get(method.lower(), method)
        loop = asyncio.get_running_loop()
        started = loop.time()
        wall = self.world.clock()
        status: int = 499
        body: JSONDict = {}
        description: str | None = "cancelled"
        try:
            result = await self._execute(name, params)
        except ApiError as exc:
            status, body, description = exc.status, exc.to_json(), exc.description
        except Exception as exc:  # a bug in the emulator: answer like a server error
            _LOG.exception("emulator failed on %s", name)
            error = ApiError(500, f"Internal Server Error: {exc!r}")
            status, body, description = 500, error.to_json(), error.description
        else:
            status, body, description = 200, {"ok": True, "result": result}, None
        finally:
            self.call_counts[name] += 1
            self.calls.append(
                ApiCall(
                    method=name,
                    params=params.summary(),
                    time=wall,
                    duration=loop.time() - started,
                    status=status,
                    description=description,
                )
            )
            self._pulse("any")
        return status, body

    async def call_api(self, method: str, **params: Any) -> Any:
        """Convenience for Python callers: :meth:`dispatch` with keyword parameters; returns
        ``result`` or raises :class:`ApiError`."""
        status, body = await self.dispatch(method, Params(params))
        if status != 200:
            raise ApiError(status, str(body.get("description")), body.get("parameters"))
        return body["result"]

    async def _execute(self, name: str, params: Params) -> Any:
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        failure = self._injected_failure(name)
        if failure is not None:
            raise failure
        self._check_flood(name, params)
        lower = name.lower()
        if lower == "getupdates":
            return await self._get_updates(params)
        if lower == "setwebhook":
            return await self._set_webhook(params)
        if lower == "deletewebhook":
            await self._delete_webhook(params.get_bool("drop_pending_updates"))
            return True
        if lower == "getwebhookinfo":
            return self._webhook_info()
        return self.api.call(name, params)

    # ========================================================================================
    # update delivery: long polling and webhooks
    # ========================================================================================
    def _set_allowed(self, raw: Any) -> None:
        if raw is None:
            return
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise ApiError.bad_request("can't parse allowed updates JSON object")
        # Like Telegram, this does not affect updates already queued.
        wanted = frozenset(raw) & ALL_UPDATE_TYPES
        self._allowed_updates = wanted or DEFAULT_UPDATE_TYPES

    def _confirm(self, offset: int | None) -> None:
        if not offset:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
            return
        self._updates = [
            p for p in self._updates if p.update_id >= offset or (p.forced and not p.delivered)
        ]

    async def _get_updates(self, params: Params) -> list[JSONDict]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        limit = min(max(params.get_int("limit") or 100, 1), 100)
        timeout = max(params.get_float("timeout") or 0.0, 0.0)
        self._set_allowed(params.get_json("allowed_updates"))
        self._confirm(params.get_int("offset"))
        self._poll_generation += 1
        generation = self._poll_generation
        self._pulse("updates")  # terminates an older long poll
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
            batch = self._updates[:limit]
            remaining = deadline - loop.time()
            if batch or self._closing or remaining <= 0:
                break
            await self._wait_pulse("updates", remaining)
        for pending in batch:
            pending.delivered = True
        if batch:
            self._pulse("any")
        return [pending.update for pending in batch]

    async def _set_webhook(self, params: Params) -> bool:
        url = (params.get_str("url") or "").strip()
        self._set_allowed(params.get_json("allowed_updates"))
        if not url:
            await self._delete_webhook(params.get_bool("drop_pending_updates"))
            return True
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            # Telegram requires https; plain http is accepted here for local receivers.
            raise ApiError.bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get_str("secret_token")
        if secret is not None and not _SECRET.match(secret):
            raise ApiError.bad_request("secret token contains unallowed characters")
        if params.get_bool("drop_pending_updates"):
            self._updates.clear()
        raw_allowed = params.get_json("allowed_updates")
        if raw_allowed is not None:
            self._webhook_allowed = sorted(self._allowed_updates)
        self._webhook = WebhookConfig(
            url=url,
            secret_token=secret,
            max_connections=min(max(params.get_int("max_connections") or 40, 1), 100),
            ip_address=params.get_str("ip_address"),
        )
        self._webhook_error = None
        self._ensure_webhook_worker()
        self._pulse("updates")
        return True

    async def _delete_webhook(self, drop_pending: bool) -> None:
        self._webhook = None
        self._webhook_allowed = None
        await self._stop_webhook_worker()
        if drop_pending:
            self._updates.clear()

    def _webhook_info(self) -> JSONDict:
        config = self._webhook
        info: JSONDict = {
            "url": config.url if config else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if config is not None:
            info["max_connections"] = config.max_connections
            if config.ip_address:
                info["ip_address"] = config.ip_address
            if self._webhook_allowed is not None:
                info["allowed_updates"] = list(self._webhook_allowed)
            if self._webhook_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    def _ensure_webhook_worker(self) -> None:
        if self._runner is None and self._url is None:
            return  # started later by start()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._webhook_worker())

    async def _stop_webhook_worker(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is None or task is asyncio.current_task():
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _webhook_worker(self) -> None:
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while self._webhook is not None and not self._closing:
                if not self._updates:
                    await self._wait_pulse("updates", 1.0)
                    continue
                pending = self._updates[0]
                await self._post_update(session, self._webhook, pending)
                with contextlib.suppress(ValueError):
                    self._updates.remove(pending)
                self._pulse("any")

    async def _post_update(
        self, session: aiohttp.ClientSession, config: WebhookConfig, pending: _Pending
    ) -> bool:
        headers = (
            {"X-Telegram-Bot-Api-Secret-Token": config.secret_token}
            if (config.secret_token)
            else {}
        )
        for attempt in range(max(self.webhook_attempts, 1)):
            if attempt:
                await asyncio.sleep(self.webhook_retry_delay * 2 ** (attempt - 1))
            try:
                async with session.post(config.url, json=pending.update, headers=headers) as resp:
                    if 200 <= resp.status < 300:
                        pending.delivered = True
                        reply: Any = None
                        if resp.content_type == "application/json":
                            with contextlib.suppress(ValueError, aiohttp.ContentTypeError):
                                reply = await resp.json()
                        await self._run_webhook_reply(reply)
                        return True
                    error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = f"Connection failed: {exc.__class__.__name__}"
            self._webhook_error = (self.world.now(), error)
            _LOG.info("webhook delivery of update %s failed: %s", pending.update_id, error)
        return False

    async def _run_webhook_reply(self, reply: Any) -> None:
        """Telegram executes a method given in the webhook's JSON reply."""
        if isinstance(reply, dict) and isinstance(reply.get("method"), str):
            values = {k: v for k, v in reply.items() if k != "method"}
            await self.dispatch(reply["method"], Params(values))

    # ========================================================================================
    # events and wake-ups
    # ========================================================================================
    def _on_event(self, event: ChatEvent) -> None:
        message = event.message
        if message.outgoing and event.kind in ("new", "edit"):
            self._bot_events.setdefault(message.chat_id, []).append(event)
        self._pulse(("chat", message.chat_id))
        self._pulse("any")
        for callback in list(self._subscribers):
            try:
                result = callback(event)
            except Exception:
                _LOG.exception("emulator subscriber failed")
                continue
            if inspect.isawaitable(result):
                self._spawn(result)

    def _spawn(self, awaitable: Awaitable[Any]) -> None:
        async def runner() -> None:
            try:
                await awaitable
            except asyncio.CancelledError:
                raise
            except Exception:
                _LOG.exception("emulator subscriber failed")

        try:
            task = asyncio.get_running_loop().create_task(runner())
        except RuntimeError:
            if inspect.iscoroutine(awaitable):
                awaitable.close()
            _LOG.warning("async subscriber called outside a running loop; skipped")
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _pulse(self, key: Hashable) -> None:
        event = self._pulses.pop(key, None)
        if event is not None:
            event.set()

    def _pulse_all(self) -> None:
        for key in list(self._pulses):
            self._pulse(key)

    async def _wait_pulse(self, key: Hashable, timeout: float) -> None:
        event = self._pulses.get(key)
        if event is None:
            event = self._pulses[key] = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)
