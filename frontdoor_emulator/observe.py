# Timeouts in seconds are part of the test-facing API (``await emu.next_message(chat,
# timeout=2)``), so the waits take a ``timeout`` parameter instead of asyncio.timeout().
# ruff: noqa: ASYNC109
"""Observing the bot: what it sent, answered and set, and waiting for it, with per-chat
read cursors."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import TypeVar

from .base import ChatLike, EmulatorBase, WebhookConfig
from .errors import WaitTimeoutError
from .models import (
    ApiCall,
    CallbackAnswer,
    Chat,
    ChatEvent,
    ChatMessage,
    JSONDict,
    Markup,
    User,
    describe_message,
)

T = TypeVar("T")


class ObserveMixin(EmulatorBase):
    """The test's eyes: transcripts, the bot's messages, and waits for them."""

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
        timeout: float | None = None,
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
        timeout = self.wait_timeout if timeout is None else timeout
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
        timeout: float | None = None,
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
        timeout: float | None = None,
    ) -> ChatMessage:
        """Wait until the bot edits ``message`` again (beyond the edits already seen when the
        message was returned by a wait, or by a previous ``wait_for_edit``)."""
        key = (message.chat_id, message.message_id)
        loop = asyncio.get_running_loop()
        timeout = self.wait_timeout if timeout is None else timeout
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
        self, condition: Callable[[], T], *, timeout: float | None = None, interval: float = 0.02
    ) -> T:
        """Wait until ``condition()`` is truthy and return its value.

        Re-checked on every emulator event and at least every ``interval`` seconds (for
        conditions on state outside the emulator). Raises :class:`WaitTimeoutError`.
        """
        loop = asyncio.get_running_loop()
        timeout = self.wait_timeout if timeout is None else timeout
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
        self, query_id: str, *, timeout: float | None = None
    ) -> CallbackAnswer:
        """Wait for the bot's ``answerCallbackQuery`` to a press."""
        timeout = self.wait_timeout if timeout is None else timeout
        try:
            answer = await self.wait_until(lambda: self.callback_answer(query_id), timeout=timeout)
        except WaitTimeoutError:
            raise WaitTimeoutError(
                f"callback query {query_id} not answered in {timeout:.1f}s"
            ) from None
        assert answer is not None
        return answer

    async def wait_delivered(self, *, timeout: float | None = None) -> None:
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
