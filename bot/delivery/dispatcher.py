"""The outbox dispatcher: delivers what units of work queued, once, in order per chat.

Runs in every replica; rows are leased (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so each
message is taken by one worker. Telegram's answers decide what happens next:
``RetryAfter`` and network/5xx errors retry with backoff, ``Forbidden`` marks the person as
having blocked the bot, ``ChatMigrated`` follows the group to its new id.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageId,
    ReactionTypeEmoji,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.core.redact import redact
from bot.core.runtime import Runtime
from bot.core.waiting import wait_at_most
from bot.delivery.budget import BUDGETED, take_send_slot
from bot.delivery.pacing import SENDING_LANE
from bot.texts import t
from storage.core.dto import OutboxDTO
from storage.core.repos import ChatAliases, MessageRefs, Outbox, SendSlots, Users

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(seconds=60)
BASE_BACKOFF = timedelta(seconds=0.5)
# The reaction that marks a relayed message as delivered. Telegram accepts reactions only
# from its own list of emoji, which has no check mark; 👌 reads as "got it, all fine".
DELIVERED = "👌"


def _send_outcome(outcome: Outcome) -> str:
    """The /metrics label of a send: ok, retry_after, server_error, network, blocked, refused."""
    if outcome.kind in ("sent", "moved"):
        return "ok"
    if outcome.error.startswith("RetryAfter"):
        return "retry_after"
    if outcome.kind == "dead":
        return "blocked" if outcome.error.startswith("Forbidden") else "refused"
    if outcome.error.startswith("NetworkError") and any(
            code in outcome.error for code in ("500", "502", "503", "504", "Bad Gateway")):
        return "server_error"
    return "network"


def _why(error: str) -> str:
    """Telegram's refusal in a word: the person blocked the bot, the chat is gone, or else."""
    lowered = error.lower()
    if "blocked" in lowered or "deactivated" in lowered:
        return "blocked"
    if "chat not found" in lowered or "kicked" in lowered or "not a member" in lowered:
        return "gone"
    return "refused"


class Waiting(Exception):
    """The message depends on another one that is not delivered yet (a reply, an edit)."""


def inline_markup(rows: list[list[dict[str, str]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(b["text"], callback_data=b.get("data"), url=b.get("url"))
         for b in row]
        for row in rows
    ])


# 429s from this many different chats within this many seconds mean the bot as a whole is
# over Telegram's limit, not one chat: everything pauses.
GLOBAL_429_CHATS = 3
GLOBAL_429_WINDOW = 1.0


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str  # sent | retry | dead | moved
    message_id: int | None = None
    delay: timedelta = timedelta(0)
    error: str = ""
    new_chat_id: int | None = None


class Dispatcher:
    def __init__(self, rt: Runtime, bot: Bot, *, batch: int = 50,
                 lease: timedelta = timedelta(seconds=30), idle_poll: float = 1.0,
                 bulk_batch: int = 8) -> None:
        self.rt = rt
        self.bot = bot
        self.batch = batch
        # Bulk chats taken in one pass: a third of a second of Telegram's 30 a second, so
        # an interactive message queued meanwhile waits for little.
        self.bulk_batch = bulk_batch
        self.lease = lease
        self.idle_poll = idle_poll
        self.delivered = 0
        # A 429 pauses its own chat; 429s from several chats close together pause all
        # sending until the longest wait is over (loop time).
        self.paused_until = 0.0
        self._recent_429: list[tuple[float, int, float]] = []
        # Several processes on PostgreSQL share one send budget, kept in the database; one
        # process on SQLite has PTB's limiter in memory.
        self.shared_budget = bool(rt.settings.rate_limit and not rt.db.sqlite)

    async def run(self) -> None:
        """Deliver until cancelled; sleeps until woken or the next poll when idle.

        Bulk chats (a notice's recipients) are sent in the background while the next pass
        leases more: the limiter always has sends waiting when a place in Telegram's second
        frees, and an interactive message queued meanwhile is taken at once, not after the
        bulk pass. At most ``bulk_batch`` bulk chats are in flight; more are leased when half
        of them are done, so one lease serves several sends.
        """
        bulk: set[asyncio.Task[None]] = set()

        def done(task: asyncio.Task[None]) -> None:
            bulk.discard(task)
            if not task.cancelled() and task.exception() is not None:
                log.error("outbox bulk send failed", exc_info=task.exception())
            if len(bulk) * 2 <= self.bulk_batch:
                self.rt.outbox_wakeup.set()

        try:
            while True:
                # Cleared before looking, so a message queued during the pass wakes the next.
                self.rt.outbox_wakeup.clear()
                room = self.bulk_batch - len(bulk)
                try:
                    taken, started = await self._pass(room if room * 2 >= self.bulk_batch else 0)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("outbox pass failed; trying again shortly")
                    taken, started = 0, []
                for task in started:
                    bulk.add(task)
                    task.add_done_callback(done)
                if taken == 0:
                    await wait_at_most(self.rt.outbox_wakeup.wait(), self.idle_poll)
        finally:
            for task in bulk:
                task.cancel()
            await asyncio.gather(*bulk, return_exceptions=True)

    async def drain_once(self) -> int:
        """One pass: lease due messages, deliver them, record each outcome. Returns how many."""
        taken, started = await self._pass(self.bulk_batch)
        await asyncio.gather(*started)
        return taken

    async def _pass(self, bulk_room: int) -> tuple[int, list[asyncio.Task[None]]]:
        """Lease due messages and deliver the interactive chats among them; the bulk chats'
        deliveries are returned as started tasks (at most ``bulk_room`` chats)."""
        loop = asyncio.get_running_loop()
        if loop.time() < self.paused_until:
            # Telegram told several chats at once to wait: it is the bot that is too fast.
            await asyncio.sleep(self.paused_until - loop.time())
        now = self.rt.clock.now()
        # Look before leasing on SQLite: there the lease is a write transaction, and an idle
        # or already-drained outbox must not hold up the people using the bot for nothing.
        # PostgreSQL leases rows without holding anyone up: one statement fewer per pass.
        if self.rt.db.sqlite:
            async with self.rt.db.reader() as s:
                if not await Outbox(s).anything_due(now):
                    return 0, []
        async with self.rt.db.session() as s:
            rows = await Outbox(s).claim_due(now, self.batch, self.lease, bulk_limit=bulk_room)
        if not rows:
            return 0, []
        by_chat: dict[int, list[OutboxDTO]] = defaultdict(list)
        for row in rows:
            by_chat[row.chat_id].append(row)
        # Chats are independent; within one chat messages go out strictly in order. A chat
        # with an interactive message among its own is an interactive chat: those go first,
        # then this pass's bulk ones (bulk from earlier passes may still be going out; the
        # limiter sends bulk only when nothing else waits).
        lanes = {chat: min(row.lane for row in chat_rows) for chat, chat_rows in by_chat.items()}
        await asyncio.gather(*(self._deliver_chat(chat_rows)
                               for chat, chat_rows in by_chat.items() if lanes[chat] == 0))
        started = [asyncio.create_task(self._deliver_chat(chat_rows))
                   for chat, chat_rows in by_chat.items() if lanes[chat] != 0]
        return len(rows), started

    async def _deliver_chat(self, rows: list[OutboxDTO]) -> None:
        # This chat's own task: the limiter lets its sends wait behind interactive ones.
        SENDING_LANE.set(min(row.lane for row in rows))
        if rows[0].blocked:
            # Telegram would refuse every one of them; they stay on record as not delivered.
            for row in rows:
                await self._record(row, Outcome("dead", error="Skipped: the user blocked the bot"))
            return
        for i, row in enumerate(rows):
            outcome = await self._deliver(row)
            await self._record(row, outcome)
            if outcome.kind != "sent" and outcome.kind != "dead":
                # Keep the chat's order: the rest wait for this one.
                async with self.rt.db.session() as s:
                    outbox = Outbox(s)
                    for later in rows[i + 1:]:
                        await outbox.retry_later(
                            later.id, self.rt.clock.now() + outcome.delay, "waiting in order"
                        )
                return

    async def _record(self, row: OutboxDTO, outcome: Outcome) -> None:
        now = self.rt.clock.now()
        async with self.rt.db.session() as s:
            outbox = Outbox(s)
            if outcome.kind == "sent":
                await outbox.mark_sent(row.id, outcome.message_id, now)
                if row.ref_kind and row.ref_id is not None and outcome.message_id:
                    await MessageRefs(s).add(
                        row.chat_id, outcome.message_id, row.ref_kind, row.ref_id, now
                    )
                self.delivered += 1
                if row.source is not None and row.payload.get("ack"):
                    # The sender's own message is marked as arrived: a reaction, not a
                    # message, so the staff group's message budget is not spent on receipts.
                    await outbox.add(row.source[0], "react",
                                     {"message_id": row.source[1], "emoji": DELIVERED}, now,
                                     dedupe_key=f"ack:{row.source[0]}:{row.source[1]}")
                    self.rt.outbox_wakeup.set()
            elif outcome.kind == "dead":
                await outbox.mark_dead(row.id, outcome.error, now)
                told = row.payload.get("on_fail")
                if isinstance(told, dict) and told.get("chat_id") and told.get("text"):
                    # The message was accepted from someone: they hear it did not arrive,
                    # and why, as far as Telegram said.
                    why = t(str(told.get("lang") or "zh"), f"undelivered_{_why(outcome.error)}")
                    await outbox.add(int(told["chat_id"]), "send",
                                     {"text": f"{told['text']}\n{why}", "buttons": []}, now,
                                     dedupe_key=f"undelivered:{row.id}")
                    self.rt.outbox_wakeup.set()
                if outcome.error.startswith("Forbidden") and row.chat_id > 0:
                    # The person blocked the bot: what else is queued for them is skipped.
                    await Users(s).mark_blocked(row.chat_id)
                    await outbox.drop_pending(row.chat_id, outcome.error, now)
            elif outcome.kind == "moved" and outcome.new_chat_id is not None:
                await ChatAliases(s).add(row.chat_id, outcome.new_chat_id, now)
                await outbox.move_chat(row.chat_id, outcome.new_chat_id)
                await outbox.retry_later(row.id, now, outcome.error)
            else:
                await outbox.retry_later(row.id, now + outcome.delay, outcome.error)
        if outcome.kind == "moved":
            self.rt.forget_staff_chat()  # it may be the staff group that moved
            self.rt.outbox_wakeup.set()

    def _backoff(self, row: OutboxDTO) -> timedelta:
        # 0.5 s, 1 s, 2 s, … : a short outage costs little, a long one is not hammered.
        return min(BASE_BACKOFF * float(1 << min(row.attempts, 10)), MAX_BACKOFF)

    async def _deliver(self, row: OutboxDTO) -> Outcome:
        """Send the row; the outcome's error text is stored, so it never carries the token."""
        started = time.perf_counter()
        outcome = await self._attempt(row)
        metrics = self.rt.metrics
        metrics.send_seconds.observe(time.perf_counter() - started)
        metrics.sends.labels(_send_outcome(outcome)).inc()
        if outcome.error:
            outcome = replace(outcome, error=redact(outcome.error, self.rt.settings.bot_token))
        return outcome

    async def _attempt(self, row: OutboxDTO) -> Outcome:
        try:
            if self.shared_budget:
                await self._wait_for_slot(row.chat_id)
            budgeted = BUDGETED.set(True)  # its place is taken: the limiter lets it pass
            try:
                message_id = await self._send(row)
            finally:
                BUDGETED.reset(budgeted)
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
            everyone = self._note_retry_after(row.chat_id, seconds)
            if self.shared_budget:
                await self._hold(row.chat_id, seconds, everyone=everyone)
            return Outcome("retry", delay=timedelta(seconds=seconds), error=f"RetryAfter {seconds}")
        except ChatMigrated as exc:
            return Outcome("moved", new_chat_id=exc.new_chat_id, error="ChatMigrated")
        except Forbidden as exc:
            return Outcome("dead", error=f"Forbidden: {exc.message}")
        except Waiting as exc:
            return Outcome("retry", delay=timedelta(seconds=1), error=str(exc))
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return Outcome("sent", message_id=None)
            log.warning("outbox %s refused by Telegram: %s", row.id, exc.message)
            return Outcome("dead", error=f"BadRequest: {exc.message}")
        except NetworkError as exc:  # also TimedOut and 5xx answers
            return Outcome("retry", delay=self._backoff(row), error=f"NetworkError: {exc}")
        return Outcome("sent", message_id=message_id)

    async def _wait_for_slot(self, chat_id: int) -> None:
        """Take this send's place in the budget every replica shares, and wait for it."""
        await take_send_slot(self.rt, chat_id)

    async def _hold(self, chat_id: int, seconds: float, *, everyone: bool) -> None:
        """Telegram said wait: every replica waits, in the scope it was said for."""
        until = datetime.now(UTC) + timedelta(seconds=seconds)
        async with self.rt.db.session() as s:
            if chat_id < 0:
                await SendSlots(s).hold_until(f"chat:{chat_id}", until)
            if everyone:
                await SendSlots(s).hold_until("all", until)

    def _note_retry_after(self, chat_id: int, seconds: float) -> bool:
        """Remember a 429; True when several chats were told to wait at once (pause all)."""
        now = asyncio.get_running_loop().time()
        self._recent_429 = [e for e in self._recent_429 if now - e[0] < GLOBAL_429_WINDOW]
        self._recent_429.append((now, chat_id, seconds))
        if len({chat for _, chat, _ in self._recent_429}) >= GLOBAL_429_CHATS:
            longest = max(wait for _, _, wait in self._recent_429)
            self.paused_until = max(self.paused_until, now + longest)
            log.warning("Telegram asked %d chats to wait: all sending paused for %.1f s",
                        GLOBAL_429_CHATS, longest)
            return True
        return False

    async def _target(self, outbox_id: int) -> tuple[int, int | None]:
        """(chat, message id) of an earlier outbox message; Waiting until it is delivered."""
        async with self.rt.db.reader() as s:
            target = await Outbox(s).delivery_of(outbox_id)
        if target is None:
            raise BadRequest("the earlier message is gone")
        chat_id, message_id, status = target
        if status == "pending":
            raise Waiting(f"waiting for outbox {outbox_id} to be delivered")
        return chat_id, message_id

    async def _react(self, chat_id: int, message_id: int, emoji: str | None) -> None:
        """Set (or with no emoji, clear) the bot's reaction on a message."""
        await self.bot.set_message_reaction(
            chat_id=chat_id, message_id=message_id,
            reaction=[ReactionTypeEmoji(emoji)] if emoji else [],
        )

    async def _send(self, row: OutboxDTO) -> int | None:
        p: dict[str, Any] = row.payload
        reply_to: int | None = p.get("reply_to")
        if reply_to is None and p.get("reply_to_of") is not None:
            chat_id, reply_to = await self._target(int(p["reply_to_of"]))
            if chat_id != row.chat_id:
                reply_to = None  # the chat moved on (migrated); send without the reply
        reply = (
            ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
            if reply_to else None
        )
        common: dict[str, Any] = {"chat_id": row.chat_id, "message_thread_id": row.thread_id}
        sent: Message | MessageId | bool
        if row.kind == "send":
            sent = await self.bot.send_message(
                text=p["text"],
                reply_markup=inline_markup(p.get("buttons", [])), reply_parameters=reply,
                **common,
            )
        elif row.kind == "document":
            sent = await self.bot.send_document(
                document=p["file_id"], caption=p.get("caption"),
                reply_parameters=reply, **common,
            )
        elif row.kind == "photo":
            sent = await self.bot.send_photo(
                photo=p["file_id"], caption=p.get("caption"),
                reply_parameters=reply, **common,
            )
        elif row.kind == "upload" and p.get("as_photo"):
            sent = await self.bot.send_photo(
                photo=InputFile(base64.b64decode(p["content_b64"]), filename=p["filename"]),
                caption=p.get("caption"), **common,
            )
        elif row.kind == "upload":
            sent = await self.bot.send_document(
                document=InputFile(base64.b64decode(p["content_b64"]), filename=p["filename"]),
                caption=p.get("caption"), **common,
            )
        elif row.kind == "copy":
            sent = await self.bot.copy_message(
                from_chat_id=p["from_chat_id"], message_id=p["message_id"],
                # A copy without a caption keeps the original text as it was: no parse mode.
                caption=p.get("caption"),
                parse_mode=None if p.get("caption") is None else ParseMode.HTML,
                reply_parameters=reply, **common,
            )
        elif row.kind == "edit":
            message_id = p.get("message_id")
            if message_id is None:
                _, message_id = await self._target(int(p["edit_of"]))
                if message_id is None:
                    raise BadRequest("the edited message was never delivered")
            sent = await self.bot.edit_message_text(
                chat_id=row.chat_id, message_id=message_id, text=p["text"],
                reply_markup=inline_markup(p.get("buttons", [])),
            )
        elif row.kind == "react":
            await self._react(row.chat_id, int(p["message_id"]), p.get("emoji"))
            return None
        elif row.kind == "delete":
            await self.bot.delete_message(chat_id=row.chat_id, message_id=int(p["message_id"]))
            return None
        else:
            raise BadRequest(f"unknown outbox kind {row.kind}")
        if isinstance(sent, (Message, MessageId)):
            return sent.message_id
        return None
