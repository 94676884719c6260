"""A unit of work for one update: session, repositories, the actor, language and outbox."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue import Catalogue
from bot.core.limits import CAPTION_LIMIT, TEXT_LIMIT, shorten_html, split_html, visible_len
from bot.core.replies import Button, FileOut, Reply, answer_record, replies_from_record
from bot.core.runtime import Runtime
from bot.texts import STAFF_LANG, language_of, t
from storage.companies.dto import CompanyDTO
from storage.core.dto import UserDTO
from storage.core.repos import ChatAliases, Unread, Updates, Users
from storage.holder import Repositories


class DuplicateUpdate(Exception):
    """This update was handled already (Telegram or a replica delivered it twice)."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acted and where, as plain values."""

    user_id: int
    chat_id: int
    first_name: str = ""
    username: str | None = None
    language_code: str | None = None
    chat_type: str = "private"
    thread_id: int | None = None

    @property
    def private(self) -> bool:
        return self.chat_type == "private"


ELLIPSIS = "…"
# The outbox's lanes: interactive messages go out before bulk ones.
INTERACTIVE, BULK = 0, 1


def continued(text: str, limit: int) -> list[str]:
    """``text`` in parts Telegram takes, each but the first marked as continued."""
    parts = split_html(text, limit - visible_len(_mark(text)))
    return [parts[0], *(_mark(text) + part for part in parts[1:])]


def _mark(text: str) -> str:
    # In the language of the text itself: the outbox does not know who reads it.
    return "（续）" if re.search("[\u4e00-\u9fff]", text) else "(continued) "


def short_caption(caption: str | None) -> str | None:
    """A caption Telegram takes: shortened, the full text following as a message."""
    if caption is None or visible_len(caption) <= CAPTION_LIMIT:
        return caption
    below = "…（全文见下条）" if re.search("[\u4e00-\u9fff]", caption) else "… (in full below)"
    return shorten_html(caption, CAPTION_LIMIT, below)


def buttons_payload(buttons: Sequence[Sequence[Button]]) -> list[list[dict[str, str]]]:
    return [
        [{k: v for k, v in (("text", b.text), ("data", b.data), ("url", b.url)) if v is not None}
         for b in row]
        for row in buttons
    ]


def _reply_fields(payload: dict[str, Any], reply_to: int | None,
                  reply_to_outbox: int | None) -> None:
    if reply_to is not None:
        payload["reply_to"] = reply_to
    if reply_to_outbox is not None:
        payload["reply_to_of"] = reply_to_outbox


class Ctx(Repositories):
    """Everything a domain function needs for one unit of work.

    Every repository over the unit's session comes from :class:`storage.holder.Repositories`
    (``ctx.requests``, ``ctx.bookings``, …, and ``ctx.savepoint()``); the session itself stays
    in storage.
    """

    def __init__(self, rt: Runtime, session: AsyncSession, actor: Actor, user: UserDTO,
                 now: datetime) -> None:
        super().__init__(session)
        self.rt = rt
        self.actor = actor
        self.user = user
        self.now = now
        self.lang = user.language
        self.queued = 0
        self._staff_chat: int | None = None
        # The update this unit of work handles (None for the bot's own jobs).
        self.update_id: int | None = None
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once this unit's transaction has committed (never if it rolls back):
        for what lives outside the database, such as the catalogue a process serves."""
        self._after_commit.append(fn)

    def committed(self) -> None:
        """The transaction committed: wake the outbox if it has mail, run what waited."""
        if self.queued:
            self.rt.outbox_wakeup.set()
        for fn in self._after_commit:
            fn()

    async def keep_answer(self, replies: Sequence[Reply]) -> None:
        """Keep the answer with the update, committed with everything else: if the process
        stops before answering, the update comes again and gets it (``kept_answer``).

        Only with a webhook: Telegram posts an update again only when its post was not
        answered, and the post is answered after the reply went out. Long polling gets again
        every update fetched since the last confirmed offset, answered or not, so keeping
        answers there would repeat the last answers after every restart.
        """
        if self.update_id is None or not self.rt.settings.webhook_url:
            return
        record = answer_record(replies)
        if record is not None:
            await self.updates.remember_answer(self.update_id, record)

    async def staff_chat(self) -> int | None:
        """The staff group's current id (followed through a supergroup migration)."""
        configured: int | None = self.rt.settings.staff_chat_id
        if configured is None:
            return None
        # Asked several times per unit (a card, its files, a line under it): looked up once.
        if self._staff_chat is None:
            self._staff_chat = self.rt.remembered_staff_chat()
        if self._staff_chat is None:
            self._staff_chat = await self.aliases.resolve(configured)
        return self._staff_chat

    def forget_staff_chat(self) -> None:
        """Look the staff group's id up again next time (it has just moved)."""
        self._staff_chat = None
        self.rt.forget_staff_chat()

    async def company(self) -> CompanyDTO | None:
        """The company the person acting belongs to, if any."""
        if self.user.company_id is None:
            return None
        return await self.companies.get(self.user.company_id)

    @property
    def cat(self) -> Catalogue:
        return self.rt.cat

    @property
    def settings(self) -> Any:
        return self.rt.settings

    @property
    def is_admin(self) -> bool:
        """The person acting is one of the bot's admins (``FRONTDOOR_ADMIN_IDS``)."""
        return bool(self.rt.settings.is_admin(self.user.id))

    def t(self, key: str, /, **values: Any) -> str:
        return t(self.lang, key, **values)

    def reply(self, key: str, /, buttons: tuple[tuple[Button, ...], ...] = (), *,
              edit: bool = False, **values: Any) -> Reply:
        return Reply(self.t(key, **values), buttons=buttons, edit=edit)

    def _on_fail(self, on_fail: tuple[int, str]) -> dict[str, Any]:
        """Whom to tell if Telegram refuses a message for good, and in which language the
        reason is added: the staff group's, or the person's who sent it."""
        chat_id, text = on_fail
        return {"chat_id": chat_id, "text": text, "lang": STAFF_LANG if chat_id < 0 else self.lang}

    async def send(
        self, chat_id: int, text: str, *, buttons: Sequence[Sequence[Button]] = (),
        thread_id: int | None = None, ref: tuple[str, int] | None = None,
        dedupe_key: str | None = None, reply_to: int | None = None,
        not_before: datetime | None = None, reply_to_outbox: int | None = None,
        on_fail: tuple[int, str] | None = None, bulk: bool = False,
        relay_of: tuple[int, int] | None = None,
    ) -> int | None:
        """Queue a message to any chat, delivered after this unit of work commits.

        ``bulk`` puts it in the lane that waits for every due interactive message (a
        reminder round, a roster), so nobody's answer waits behind it.

        ``reply_to_outbox`` replies to an earlier queued message once it is delivered. A text
        longer than Telegram takes goes out in parts, each marked as continued, the buttons
        under the last; the first part's row is returned. ``on_fail`` (chat, text) is told
        when Telegram refuses the message for good. ``relay_of`` (chat, message) is the
        message this one relays: it is marked when this arrives, and can be recalled.
        """
        parts = continued(text, TEXT_LIMIT)
        first: int | None = None
        for number, part in enumerate(parts):
            last = number == len(parts) - 1
            payload: dict[str, Any] = {
                "text": part, "buttons": buttons_payload(buttons) if last else []}
            _reply_fields(payload, reply_to, reply_to_outbox if first is None else first)
            if on_fail is not None:
                payload["on_fail"] = self._on_fail(on_fail)
            if relay_of is not None and last:
                payload["ack"] = True
            self.queued += 1
            row = await self.outbox.add(
                chat_id, "send", payload, self.now, thread_id=thread_id, ref=ref,
                dedupe_key=dedupe_key if first is None else None, not_before=not_before,
                lane=BULK if bulk else INTERACTIVE, source=relay_of,
            )
            first = row if first is None else first
        return first

    async def _long_caption(self, chat_id: int, caption: str | None, row: int | None, *,
                            thread_id: int | None, ref: tuple[str, int] | None,
                            relay_of: tuple[int, int] | None = None) -> None:
        """A caption too long for Telegram goes in full as a message under the file."""
        if caption is not None and visible_len(caption) > CAPTION_LIMIT:
            await self.send(chat_id, caption, thread_id=thread_id, ref=ref,
                            reply_to_outbox=row, relay_of=relay_of)

    async def send_file(
        self, chat_id: int, file_id: str, kind: str, *, caption: str | None = None,
        thread_id: int | None = None, ref: tuple[str, int] | None = None,
        reply_to: int | None = None, reply_to_outbox: int | None = None,
    ) -> int | None:
        """Queue a document or photo that Telegram already holds (by file_id)."""
        payload: dict[str, Any] = {"file_id": file_id, "caption": short_caption(caption)}
        _reply_fields(payload, reply_to, reply_to_outbox)
        self.queued += 1
        row = await self.outbox.add(
            chat_id, "document" if kind == "document" else "photo", payload, self.now,
            thread_id=thread_id, ref=ref,
        )
        await self._long_caption(chat_id, caption, row, thread_id=thread_id, ref=ref)
        return row

    async def copy(
        self, chat_id: int, from_chat_id: int, message_id: int, *, caption: str | None = None,
        thread_id: int | None = None, ref: tuple[str, int] | None = None,
        reply_to: int | None = None, reply_to_outbox: int | None = None,
        on_fail: tuple[int, str] | None = None, relay_of: tuple[int, int] | None = None,
    ) -> int | None:
        """Queue a copy of a message someone sent (text, photo, document) into another chat.

        ``caption`` replaces a photo's or document's caption; text is copied as it is. A
        caption too long for Telegram is shortened, and follows in full as a message.
        """
        payload: dict[str, Any] = {"from_chat_id": from_chat_id, "message_id": message_id}
        if caption is not None:
            payload["caption"] = short_caption(caption)
        if on_fail is not None:
            payload["on_fail"] = self._on_fail(on_fail)
        if relay_of is not None:
            payload["ack"] = True
        _reply_fields(payload, reply_to, reply_to_outbox)
        self.queued += 1
        row = await self.outbox.add(
            chat_id, "copy", payload, self.now, thread_id=thread_id, ref=ref, source=relay_of
        )
        await self._long_caption(chat_id, caption, row, thread_id=thread_id, ref=ref,
                                 relay_of=relay_of)
        return row

    async def send_upload(
        self, chat_id: int, file: FileOut, *, caption: str | None = None,
        thread_id: int | None = None, ref: tuple[str, int] | None = None,
        photo: bool = False,
    ) -> int | None:
        """Queue a small generated file (an .ics, a spreadsheet) to upload; ``photo`` sends
        an image as a photo (shown in the chat) rather than as a file."""
        import base64

        payload = {
            "filename": file.filename, "mime_type": file.mime_type,
            "caption": short_caption(caption),
            "content_b64": base64.b64encode(file.content).decode(),
        }
        if photo:
            payload["as_photo"] = "1"
        self.queued += 1
        return await self.outbox.add(
            chat_id, "upload", payload, self.now, thread_id=thread_id, ref=ref
        )

    async def delete(self, chat_id: int, message_id: int, *,
                     dedupe_key: str | None = None) -> int | None:
        """Queue deleting a message the bot sent (None: queued before, under ``dedupe_key``)."""
        row = await self.outbox.add(chat_id, "delete", {"message_id": message_id}, self.now,
                                    dedupe_key=dedupe_key)
        self.queued += row is not None
        return row

    async def react(self, chat_id: int, message_id: int, emoji: str | None, *,
                    dedupe_key: str | None = None) -> int | None:
        """Queue setting (or, with no emoji, clearing) the bot's reaction on a message."""
        row = await self.outbox.add(chat_id, "react", {"message_id": message_id, "emoji": emoji},
                                    self.now, dedupe_key=dedupe_key)
        self.queued += row is not None
        return row

    async def edit(
        self, outbox_id: int | None = None, *, chat_id: int | None = None,
        message_id: int | None = None, text: str, buttons: Sequence[Sequence[Button]] = (),
        dedupe_key: str | None = None,
    ) -> int | None:
        """Queue an edit of a message sent through the outbox, or of a known message.

        An edit stays one message: a text too long for it is shortened, visibly."""
        payload: dict[str, Any] = {"text": shorten_html(text, TEXT_LIMIT, ELLIPSIS),
                                   "buttons": buttons_payload(buttons)}
        if outbox_id is not None:
            payload["edit_of"] = outbox_id
            target = await self.outbox.sent_message_id(outbox_id)
            assert target is not None, f"no outbox row {outbox_id}"
            chat_id = target[0]
        else:
            payload["message_id"] = message_id
        assert chat_id is not None
        self.queued += 1
        return await self.outbox.add(chat_id, "edit", payload, self.now, dedupe_key=dedupe_key)


@asynccontextmanager
async def unit_of_work(
    rt: Runtime, actor: Actor, update_id: int | None = None
) -> AsyncIterator[Ctx]:
    """One transaction for one update: dedupe, the effects, the outbox, the dialog step.

    The update id is recorded in the same transaction as its effects, so a redelivered
    update is recognised, and a crash before commit leaves it to be handled again.
    """
    now = rt.clock.now()
    async with rt.db.session() as session:
        # Claimed first: a replica handling the same update meanwhile waits on the key and
        # then finds it taken; a rollback releases the claim. The person's row is read with
        # it, and on PostgreSQL held to the commit: two updates of one person that reach two
        # replicas at once take turns here, as they do in one process.
        arrival = await Updates(session).arrive(update_id, now, actor.user_id, actor.chat_id)
        if arrival is None:
            assert update_id is not None
            raise DuplicateUpdate(update_id)
        users = Users(session)
        user = await users.touch(
            actor.user_id, actor.first_name, actor.username,
            language_of(actor.language_code), now, stored=arrival.user,
        )
        ctx = Ctx(rt, session, actor, user, now)
        if not isinstance(arrival.dialog, Unread):
            ctx.dialogs.know(actor.chat_id, actor.user_id, arrival.dialog)
        ctx.update_id = update_id
        yield ctx
    ctx.committed()


async def kept_answer(rt: Runtime, update_id: int) -> list[Reply]:
    """What was answered to an update already handled (nothing, if it was not kept)."""
    async with rt.db.reader() as session:
        record = await Updates(session).answer_of(update_id)
    return replies_from_record(record) if record else []


SYSTEM_USER = UserDTO(
    id=0, first_name="system", username=None, language="zh", language_chosen=True,
    company_id=None, blocked_bot=False,
)


@asynccontextmanager
async def background_work(rt: Runtime) -> AsyncIterator[Ctx]:
    """A unit of work for the bot's own jobs (reminders, escalations, reloads): no person."""
    async with rt.db.session() as session:
        ctx = Ctx(rt, session, Actor(user_id=0, chat_id=0), SYSTEM_USER, rt.clock.now())
        yield ctx
    ctx.committed()


async def follow_staff_group(ctx: Ctx, old_chat_id: int, new_chat_id: int) -> bool:
    """The staff group became ``new_chat_id`` (a supergroup upgrade): use it from now on.

    Telegram tells both chats (``migrate_to_chat_id`` in the old one, ``migrate_from_chat_id``
    in the new); whichever arrives first records the move and lets the features act on it
    (open requests' cards are posted again there), the other finds it done. True when this
    call recorded it. A move of any other group changes nothing.
    """
    if old_chat_id != await ctx.staff_chat():
        return False
    if not await ctx.aliases.add(old_chat_id, new_chat_id, ctx.now):
        return False
    ctx.forget_staff_chat()
    # And once the move is committed (a read meanwhile saw the old id).
    ctx.after_commit(ctx.rt.forget_staff_chat)
    for act in ctx.rt.features.staff_group_moved:
        await act(ctx)
    return True


async def current_staff_chat(rt: Runtime) -> int | None:
    """The staff group's id now (followed through a supergroup migration), read outside a
    unit of work: the staff gate asks it before one opens.

    Remembered for a while (``Runtime.remembered_staff_chat``), so a busy group does not cost
    a database read per press; :func:`in_staff_group` looks again before it says no, so a
    move made by another process is followed at once where it matters.
    """
    configured = rt.settings.staff_chat_id
    if configured is None:
        return None
    chat = rt.remembered_staff_chat()
    if chat is None:
        async with rt.db.reader() as session:
            chat = await ChatAliases(session).resolve(configured)
        rt.remember_staff_chat(chat)
    return chat


async def in_staff_group(rt: Runtime, chat_id: int) -> bool:
    """Is ``chat_id`` the staff group? A chat that is not the one remembered is checked
    against the database before the answer is no (the group may have just moved)."""
    if chat_id == await current_staff_chat(rt):
        return True
    rt.forget_staff_chat()
    return chat_id == await current_staff_chat(rt)
