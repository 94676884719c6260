# Timeouts in seconds are part of the test-facing API (``await emu.next_message(chat,
# timeout=2)``), so the waits take a ``timeout`` parameter instead of asyncio.timeout().
# ruff: noqa: ASYNC109
"""What every part of :class:`~frontdoor_emulator.BotApiEmulator` shares: its state, the
update queue's entry point, and the wake-ups that waits and long polls sleep on.

The emulator is one class assembled from mixins, one per concern (:mod:`.world`,
:mod:`.actions`, :mod:`.observe`, :mod:`.faults`, :mod:`.server`, :mod:`.delivery`); they
all derive from :class:`EmulatorBase`, which owns ``__init__`` so that every attribute is
set up in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import re
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .api import BotApi
from .models import (
    ApiCall,
    Chat,
    ChatEvent,
    FailureRule,
    FloodLimits,
    JSONDict,
    MemberStatus,
    User,
)
from .params import MAX_UPLOAD_BYTES, Params
from .state import World

_LOG = logging.getLogger(__name__)

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

TOKEN_PATTERN = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")
ADMIN_STATUSES: tuple[MemberStatus, ...] = ("creator", "administrator")
PRESENT_STATUSES: tuple[MemberStatus, ...] = ("creator", "administrator", "member", "restricted")


@dataclass
class PendingUpdate:
    """An update in the queue, waiting for getUpdates or the webhook."""

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


class EmulatorBase:
    """The emulator's state; :class:`~frontdoor_emulator.BotApiEmulator` documents the
    arguments."""

    def __init__(
        self,
        token: str = "123:TEST",
        *,
        bot_username: str = "frontdoor_bot",
        bot_first_name: str = "Frontdoor",
        privacy_mode: bool = True,
        clock: Callable[[], float] = time.time,
        call_log_size: int = 10_000,
        webhook_attempts: int | None = None,
        webhook_retry_delay: float = 0.1,
        flood_limits: FloodLimits | None = None,
    ) -> None:
        match = TOKEN_PATTERN.match(token)
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
        #: How long the waits (``next_message``, ``wait_until``, …) wait when not told.
        self.wait_timeout = 5.0
        #: The most recent calls, oldest first.
        self.calls: deque[ApiCall] = deque(maxlen=call_log_size)
        #: Calls per method (all of them, including failed ones).
        self.call_counts: Counter[str] = Counter()

        self._failures: list[FailureRule] = []
        self._outage: FailureRule | None = None
        self._flood_hits: dict[Hashable, deque[float]] = {}
        self._updates: list[PendingUpdate] = []
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

    if TYPE_CHECKING:
        # Provided by the server mixin; declared here because __init__ routes to them and
        # the webhook delivery runs the method a webhook replies with.
        async def _handle_api(self, request: web.Request) -> web.Response: ...

        async def _handle_file(self, request: web.Request) -> web.StreamResponse: ...

        async def dispatch(self, method: str, params: Params) -> tuple[int, JSONDict]: ...

    # ========================================================================================
    # shared helpers
    # ========================================================================================
    def _chat_of(self, ref: ChatLike) -> Chat:
        if isinstance(ref, Chat):
            return ref
        chat_id = ref.id if isinstance(ref, User) else ref
        chat = self.world.chats.get(chat_id)
        if chat is None:
            raise KeyError(f"unknown chat {chat_id}")
        return chat

    def _enqueue(self, kind: str, payload: JSONDict) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        if kind in self._allowed_updates:
            self._updates.append(PendingUpdate({"update_id": update_id, kind: payload}))
            self._pulse("updates")
        return update_id

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
