"""Repositories for people, dialogs, processed updates, the outbox and message references."""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from storage.core.dto import DialogDTO, MessageRefDTO, OutboxDTO, RelayCopyDTO, UserDTO
from storage.core.sql import dialect_name, insert_ignore, upsert
from storage.tables import (
    ChatAlias,
    Dialog,
    MessageRef,
    OutboxMessage,
    ProcessedUpdate,
    SendSlot,
    User,
)


def user_dto(row: User) -> UserDTO:
    return UserDTO(
        id=row.id, first_name=row.first_name, username=row.username, language=row.language,
        language_chosen=row.language_chosen, company_id=row.company_id,
        blocked_bot=row.blocked_bot,
    )


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


# Statements of the hot path, built once (each update reads the person and the dialog, and
# most queue a message): plain Core over the tables, not the mapped classes, so a session
# runs them without the ORM's statement handling (an ORM-enabled UPDATE also looks for
# the objects it changes in the session; these tables' rows are never loaded as objects
# there, and nothing is left unflushed: every object added is flushed at once).
_USERS, _DIALOGS, _OUTBOX = _table(User), _table(Dialog), _table(OutboxMessage)
_UPDATES, _REFS, _ALIASES = _table(ProcessedUpdate), _table(MessageRef), _table(ChatAlias)

_USER_COLUMNS = (
    _USERS.c.id, _USERS.c.first_name, _USERS.c.username, _USERS.c.language,
    _USERS.c.language_chosen, _USERS.c.company_id, _USERS.c.blocked_bot,
)
_USER_BY_ID = select(*_USER_COLUMNS).where(_USERS.c.id == bindparam("id"))

# Which of the people a pass of the outbox leased for have blocked the bot.
_BLOCKED_AMONG = select(_USERS.c.id).where(
    _USERS.c.id.in_(bindparam("ids", expanding=True)), _USERS.c.blocked_bot.is_(True))

# In UPDATE statements the WHERE parameters take other names than the columns SET.
_USER_SEEN = update(_USERS).where(_USERS.c.id == bindparam("key_id")).values(
    first_name=bindparam("first_name"), username=bindparam("username"), blocked_bot=False)


_DIALOG_COLUMNS = (
    _DIALOGS.c.chat_id, _DIALOGS.c.user_id, _DIALOGS.c.flow, _DIALOGS.c.step, _DIALOGS.c.data,
    _DIALOGS.c.message_id, _DIALOGS.c.updated_at,
)
_DIALOG = select(*_DIALOG_COLUMNS).where(
    _DIALOGS.c.chat_id == bindparam("chat_id"), _DIALOGS.c.user_id == bindparam("user_id"))


# What every update's unit of work reads first. On SQLite, in one statement, the person and
# their dialog in this chat (either may be missing: joined to a one-row source); the update
# id is claimed just before, and the whole unit holds SQLite's write lock. On PostgreSQL the
# id's claim (a data-modifying WITH runs once, whatever the query reads of it) and the person's
# row, locked to the commit so that two updates of one person on two replicas take turns, are
# one statement; the dialog is read afterwards, once the lock is held, so that it is the one
# the other update left.
_ONE = select(literal(1).label("one")).subquery("one")
_ARRIVAL = select(*_USER_COLUMNS, *_DIALOG_COLUMNS).select_from(
    _ONE.outerjoin(_USERS, _USERS.c.id == bindparam("user_id"))
    .outerjoin(_DIALOGS, and_(_DIALOGS.c.chat_id == bindparam("chat_id"),
                              _DIALOGS.c.user_id == bindparam("user_id")))
)
_USER_LOCKED = (
    select(*_USER_COLUMNS).where(_USERS.c.id == bindparam("user_id"))
    .with_for_update(key_share=True)  # FOR NO KEY UPDATE: foreign keys to it are not held up
)
_CLAIM = (
    postgresql.insert(_UPDATES)
    .values(update_id=bindparam("update_id"), handled_at=bindparam("handled_at"))
    .on_conflict_do_nothing()
    .returning(_UPDATES.c.update_id)
    .cte("claim")
)
_CLAIMED = select(func.count().label("claimed")).select_from(_CLAIM).subquery("claimed")
_ME = _USER_LOCKED.lateral("me")
_ARRIVAL_CLAIMED = select(_CLAIMED.c.claimed, _ME).select_from(
    _CLAIMED.outerjoin(_ME, true()))


_DIALOG_UPDATE = update(_DIALOGS).where(
    _DIALOGS.c.chat_id == bindparam("key_chat_id"),
    _DIALOGS.c.user_id == bindparam("key_user_id"),
).values(flow=bindparam("flow"), step=bindparam("step"), data=bindparam("data"),
         message_id=bindparam("message_id"), updated_at=bindparam("updated_at"))


_DIALOG_INSERT = insert(_DIALOGS)


_OUTBOX_INSERT = insert(_OUTBOX).returning(_OUTBOX.c.id)


_OUTBOX_DUE = select(_OUTBOX.c.id).where(
    _OUTBOX.c.status == "pending", _OUTBOX.c.not_before <= bindparam("now"),
).limit(1)


_OUTBOX_BY_KEY = select(_OUTBOX.c.id).where(_OUTBOX.c.dedupe_key == bindparam("key"))


_OUTBOX_DELIVERY = select(_OUTBOX.c.chat_id, _OUTBOX.c.sent_message_id, _OUTBOX.c.status).where(
    _OUTBOX.c.id == bindparam("id"))


# A delivery's outcome, recorded for every message sent.
_OUTBOX_SENT = update(_OUTBOX).where(_OUTBOX.c.id == bindparam("key_id")).values(
    status="sent", sent_at=bindparam("sent_at"), sent_message_id=bindparam("sent_message_id"),
    locked_until=None, attempts=_OUTBOX.c.attempts + 1, error=None)


_OUTBOX_RETRY = update(_OUTBOX).where(_OUTBOX.c.id == bindparam("key_id")).values(
    not_before=bindparam("not_before"), locked_until=None, attempts=_OUTBOX.c.attempts + 1,
    error=bindparam("error"))


_OUTBOX_DEAD = update(_OUTBOX).where(_OUTBOX.c.id == bindparam("key_id")).values(
    status="dead", locked_until=None, attempts=_OUTBOX.c.attempts + 1,
    error=bindparam("error"), sent_at=bindparam("sent_at"))


_ANSWER_KEPT = update(_UPDATES).where(_UPDATES.c.update_id == bindparam("key_id")).values(
    answer=bindparam("answer"))


_REF = select(
    _REFS.c.chat_id, _REFS.c.message_id, _REFS.c.ref_kind, _REFS.c.ref_id,
).where(_REFS.c.chat_id == bindparam("chat_id"),
        _REFS.c.message_id == bindparam("message_id"))


_ALIAS = select(_ALIASES.c.new_chat_id).where(_ALIASES.c.old_chat_id == bindparam("old"))


class Unread:
    """Not read yet (as opposed to None: read, and there is none)."""


UNREAD = Unread()


@dataclass(frozen=True, slots=True)
class Arrival:
    """What a unit of work reads as it opens: the person's row and their dialog here."""

    user: UserDTO | None
    dialog: DialogDTO | Unread | None


def _user_of(row: Any) -> UserDTO | None:
    """The person in a row of ``_USER_COLUMNS`` (None: no row, or an outer join's nothing)."""
    if row is None or row.id is None:
        return None
    return UserDTO(row.id, row.first_name, row.username, row.language, row.language_chosen,
                   row.company_id, row.blocked_bot)


def _dialog_of(row: Any) -> DialogDTO | None:
    """The dialog in a row of ``_DIALOG_COLUMNS`` (None: no row, or an outer join's nothing)."""
    if row is None or row.chat_id is None:
        return None
    return DialogDTO(row.chat_id, row.user_id, row.flow, row.step, dict(row.data),
                     row.message_id, row.updated_at)


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class Users:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, user_id: int) -> UserDTO | None:
        return _user_of((await self.s.execute(_USER_BY_ID, {"id": user_id})).first())

    async def touch(
        self, user_id: int, first_name: str, username: str | None, language: str, now: datetime,
        *, stored: UserDTO | Unread | None = UNREAD,
    ) -> UserDTO:
        """The user as stored, created on first contact; names follow Telegram. ``stored`` is
        the row as already read in this transaction, if it was (None: there is none)."""
        # Nearly every update comes from someone already known: one SELECT. The insert
        # (which settles a race with another replica by the key) only on first contact.
        name = first_name[:128]
        user = await self.get(user_id) if isinstance(stored, Unread) else stored
        if user is None:
            await insert_ignore(self.s, User, {
                "id": user_id, "first_name": name, "username": username,
                "language": language, "language_chosen": False, "blocked_bot": False,
                "created_at": now,
            })
            user = await self.get(user_id)
            assert user is not None
        if user.first_name != name or user.username != username or user.blocked_bot:
            await self.s.execute(_USER_SEEN, {"key_id": user_id, "first_name": name,
                                              "username": username})
            user = replace(user, first_name=name, username=username, blocked_bot=False)
        return user

    async def set_language(self, user_id: int, language: str) -> None:
        await self.s.execute(
            update(User).where(User.id == user_id).values(language=language, language_chosen=True)
        )

    async def set_company(self, user_id: int, company_id: int | None) -> None:
        await self.s.execute(update(User).where(User.id == user_id).values(company_id=company_id))

    async def mark_blocked(self, user_id: int) -> None:
        await self.s.execute(update(User).where(User.id == user_id).values(blocked_bot=True))

    async def members(self, company_id: int) -> list[UserDTO]:
        rows = await self.s.scalars(
            select(User).where(User.company_id == company_id).order_by(User.created_at, User.id)
        )
        return [user_dto(r) for r in rows]


class Dialogs:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session
        # Dialogs as this transaction last read or wrote them (None: there is none).
        self._known: dict[tuple[int, int], DialogDTO | None] = {}

    def know(self, chat_id: int, user_id: int, dialog: DialogDTO | None) -> None:
        """``dialog`` is the (chat, person) dialog as read in this transaction already."""
        self._known[(chat_id, user_id)] = dialog

    def forget_known(self) -> None:
        """Read them again (another statement of this transaction changed dialogs)."""
        self._known.clear()

    async def get(self, chat_id: int, user_id: int) -> DialogDTO | None:
        key = (chat_id, user_id)
        if key in self._known:
            known = self._known[key]
            # A copy, as a read would give: a caller may change its data and not save it.
            return None if known is None else replace(known, data=copy.deepcopy(known.data))
        return _dialog_of(
            (await self.s.execute(_DIALOG, {"chat_id": chat_id, "user_id": user_id})).first())

    async def save(
        self, chat_id: int, user_id: int, flow: str, step: str, data: dict[str, Any],
        now: datetime, message_id: int | None = None,
    ) -> None:
        values = {"chat_id": chat_id, "user_id": user_id, "flow": flow, "step": step,
                  "data": dict(data), "message_id": message_id, "updated_at": now}
        # Mostly a conversation going on: one UPDATE; the insert only for a new one (at once
        # when this transaction knows there is none). A person's updates take turns (the
        # unit of work holds their row from its first statement to the commit), so nobody
        # inserts the same dialog meanwhile.
        key = (chat_id, user_id)
        keys = {"key_chat_id": chat_id, "key_user_id": user_id}
        if (key in self._known and self._known[key] is None) or _rowcount(
                await self.s.execute(_DIALOG_UPDATE, {**values, **keys})) == 0:
            await self.s.execute(_DIALOG_INSERT, values)
        self._known[key] = DialogDTO(chat_id, user_id, flow, step, copy.deepcopy(dict(data)),
                                     message_id, now)

    async def delete(self, chat_id: int, user_id: int) -> None:
        await self.s.execute(
            delete(Dialog).where(Dialog.chat_id == chat_id, Dialog.user_id == user_id)
        )
        self._known[(chat_id, user_id)] = None


class Updates:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def seen(self, update_id: int) -> bool:
        return await self.s.get(ProcessedUpdate, update_id) is not None

    async def mark(self, update_id: int, now: datetime) -> bool:
        """Record the update; False when another unit of work recorded it first."""
        return await insert_ignore(
            self.s, ProcessedUpdate, {"update_id": update_id, "handled_at": now}
        )

    async def arrive(
        self, update_id: int | None, now: datetime, user_id: int, chat_id: int,
    ) -> Arrival | None:
        """Claim the update (when it has an id) and read the person (and on SQLite their
        dialog in this chat); None when another unit of work claimed the update first."""
        if dialect_name(self.s) == "postgresql":
            if update_id is None:
                me = (await self.s.execute(_USER_LOCKED, {"user_id": user_id})).first()
                return Arrival(_user_of(me), UNREAD)
            claimed = (await self.s.execute(_ARRIVAL_CLAIMED, {
                "user_id": user_id, "update_id": update_id, "handled_at": now})).one()
            return Arrival(_user_of(claimed), UNREAD) if claimed.claimed else None
        if update_id is not None and not await self.mark(update_id, now):
            return None
        row = (await self.s.execute(_ARRIVAL, {"user_id": user_id, "chat_id": chat_id})).one()
        return Arrival(_user_of(row), _dialog_of(row))

    async def prune(self, before: datetime, *, answers_before: datetime | None = None) -> None:
        """Forget the ids handled before ``before``, and the answers kept since
        ``answers_before`` (personal data, needed only while a redelivery can come)."""
        await self.s.execute(delete(ProcessedUpdate).where(ProcessedUpdate.handled_at < before))
        if answers_before is not None:
            await self.s.execute(
                update(ProcessedUpdate)
                .where(ProcessedUpdate.handled_at < answers_before,
                       ProcessedUpdate.answer.is_not(None))
                .values(answer=None))

    async def remember_answer(self, update_id: int, answer: str) -> None:
        """Keep what was answered for the update, in the transaction that recorded it."""
        await self.s.execute(_ANSWER_KEPT, {"key_id": update_id, "answer": answer})

    async def answer_of(self, update_id: int) -> str | None:
        return await self.s.scalar(select(ProcessedUpdate.answer)
                                   .where(ProcessedUpdate.update_id == update_id))

    async def forget_answers(self) -> None:
        """Drop every kept answer (someone asked to be forgotten: their name may be in any)."""
        await self.s.execute(update(ProcessedUpdate).where(ProcessedUpdate.answer.is_not(None))
                             .values(answer=None))


class Outbox:
    """Messages owed to chats; written in the caller's transaction, sent by the dispatcher."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(
        self, chat_id: int, kind: str, payload: dict[str, Any], now: datetime, *,
        thread_id: int | None = None, ref: tuple[str, int] | None = None,
        dedupe_key: str | None = None, not_before: datetime | None = None, lane: int = 0,
        source: tuple[int, int] | None = None,
    ) -> int | None:
        """Queue a message; with ``dedupe_key`` a second identical one is ignored (None).
        ``lane`` 0 is interactive, 1 bulk: due interactive messages are taken first.
        ``source`` (chat, message) is the message this one relays."""
        values = {
            "lane": lane,
            "source_chat_id": source[0] if source else None,
            "source_message_id": source[1] if source else None,
            "chat_id": chat_id, "thread_id": thread_id, "kind": kind, "payload": payload,
            "ref_kind": ref[0] if ref else None, "ref_id": ref[1] if ref else None,
            "status": "pending", "attempts": 0, "not_before": not_before or now,
            "created_at": now, "dedupe_key": dedupe_key,
        }
        if dedupe_key is not None:
            if not await insert_ignore(self.s, OutboxMessage, values):
                return None
            return await self.s.scalar(_OUTBOX_BY_KEY, {"key": dedupe_key})
        return int((await self.s.execute(_OUTBOX_INSERT, values)).scalar_one())

    async def copies_of(self, source_chat_id: int, source_message_id: int) -> list[RelayCopyDTO]:
        """Every message queued as a relay of one source message, delivered or not."""
        rows = await self.s.execute(
            select(OutboxMessage.id, OutboxMessage.chat_id, OutboxMessage.status,
                   OutboxMessage.sent_message_id, OutboxMessage.sent_at)
            .where(OutboxMessage.source_chat_id == source_chat_id,
                   OutboxMessage.source_message_id == source_message_id)
            .order_by(OutboxMessage.id)
        )
        return [RelayCopyDTO(id=r.id, chat_id=r.chat_id, status=r.status,
                             message_id=r.sent_message_id, sent_at=r.sent_at) for r in rows]

    async def cancel_pending(self, outbox_id: int, reason: str, now: datetime) -> bool:
        """Withdraw a message not yet delivered (and not being delivered); True if it was."""
        result = await self.s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, OutboxMessage.status == "pending",
                   or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now))
            .values(status="dead", error=reason[:500], sent_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    async def by_dedupe_key(self, dedupe_key: str) -> int | None:
        """The message queued under ``dedupe_key``, if any."""
        return await self.s.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))

    async def pending_by_lane(self) -> dict[int, tuple[int, datetime]]:
        """Per lane: how many messages wait, and when the oldest of them was queued."""
        rows = await self.s.execute(
            select(OutboxMessage.lane, func.count(), func.min(OutboxMessage.created_at))
            .where(OutboxMessage.status == "pending").group_by(OutboxMessage.lane))
        return {int(lane): (int(count), oldest) for lane, count, oldest in rows}

    async def anything_due(self, now: datetime) -> bool:
        """Is any message waiting to go out? One indexed look, no lock taken."""
        return (await self.s.execute(_OUTBOX_DUE, {"now": now})).first() is not None

    async def claim_due(
        self, now: datetime, limit: int, lease: timedelta, per_chat: int = 5,
        bulk_limit: int | None = None,
    ) -> list[OutboxDTO]:
        """Lease due messages to this worker; each is taken by one worker at a time.

        Work is taken chat by chat: a worker owns a chat when it holds the chat's oldest
        pending message (locked with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, then leased),
        so another worker can never send a later message of that chat first. A chat whose
        oldest message is not yet due (backing off after a failure) waits as a whole. At most
        ``per_chat`` messages of one chat are taken at once, so one rate-limited group cannot
        hold a whole batch and outlive its lease. A chat with an interactive message pending
        is an interactive chat, even behind a bulk one (a notice queued for a person must not
        hold up their answer for long); at most ``bulk_limit`` chats with only bulk messages
        are taken, so a pass of bulk sends is short and an interactive message queued
        meanwhile is taken by the next one.
        """
        pending = OutboxMessage.status == "pending"
        heads = (
            select(func.min(OutboxMessage.id)).where(pending).group_by(OutboxMessage.chat_id)
        )
        waiting = select(OutboxMessage.chat_id).where(pending, OutboxMessage.lane == 0)
        lane = case((OutboxMessage.chat_id.in_(waiting), 0), else_=OutboxMessage.lane)
        owned = (
            select(OutboxMessage.id, OutboxMessage.chat_id, lane)
            .where(
                OutboxMessage.id.in_(heads),
                OutboxMessage.not_before <= now,
                or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
            )
            # Interactive chats first: a reminder round never delays someone's answer.
            .order_by(lane, OutboxMessage.id)
            .limit(limit)
        )
        if dialect_name(self.s) == "postgresql":
            owned = owned.with_for_update(skip_locked=True)
        found = (await self.s.execute(owned)).all()
        chats = [chat for _, chat, lane in found if lane == 0]
        chats += [chat for _, chat, lane in found if lane != 0][:bulk_limit]
        if not chats:
            return []
        ranked = (
            select(
                OutboxMessage.id,
                func.row_number().over(
                    partition_by=OutboxMessage.chat_id, order_by=OutboxMessage.id
                ).label("n"),
            )
            .where(
                pending, OutboxMessage.chat_id.in_(chats), OutboxMessage.not_before <= now,
                or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
            )
            .subquery()
        )
        ids = list(await self.s.scalars(
            select(ranked.c.id).where(ranked.c.n <= per_chat).order_by(ranked.c.id).limit(limit)
        ))
        rows = list(await self.s.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(locked_until=now + lease)
            .returning(OutboxMessage)
        ))
        rows.sort(key=lambda r: r.id)
        # Asked here, in the lease's transaction, rather than by a read per chat later.
        people = sorted({r.chat_id for r in rows if r.chat_id > 0})
        blocked = set(await self.s.scalars(_BLOCKED_AMONG, {"ids": people})) if people else set()
        return [
            OutboxDTO(
                id=r.id, chat_id=r.chat_id, thread_id=r.thread_id, kind=r.kind,
                payload=dict(r.payload), ref_kind=r.ref_kind, ref_id=r.ref_id,
                attempts=r.attempts, created_at=r.created_at, lane=r.lane,
                source=(r.source_chat_id, r.source_message_id)
                if r.source_chat_id is not None and r.source_message_id is not None else None,
                blocked=r.chat_id in blocked,
            )
            for r in rows
        ]

    async def mark_sent(self, outbox_id: int, message_id: int | None, now: datetime) -> None:
        await self.s.execute(_OUTBOX_SENT, {"key_id": outbox_id, "sent_at": now,
                                             "sent_message_id": message_id})

    async def retry_later(self, outbox_id: int, when: datetime, error: str) -> None:
        await self.s.execute(_OUTBOX_RETRY, {"key_id": outbox_id, "not_before": when,
                                              "error": error[:500]})

    async def mark_dead(self, outbox_id: int, error: str, now: datetime) -> None:
        await self.s.execute(_OUTBOX_DEAD, {"key_id": outbox_id, "error": error[:500],
                                             "sent_at": now})

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        await self.s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.chat_id == old_chat_id, OutboxMessage.status == "pending")
            .values(chat_id=new_chat_id)
        )

    async def sent_message_id(self, outbox_id: int) -> tuple[int, int | None] | None:
        """(chat_id, message_id) of a delivered message; message_id None until delivered."""
        row = (await self.s.execute(_OUTBOX_DELIVERY, {"id": outbox_id})).first()
        if row is None:
            return None
        return row.chat_id, row.sent_message_id

    async def delivery_of(self, outbox_id: int) -> tuple[int, int | None, str] | None:
        """(chat_id, message_id, status) of a queued message; message_id None until sent."""
        row = (await self.s.execute(_OUTBOX_DELIVERY, {"id": outbox_id})).first()
        if row is None:
            return None
        return row.chat_id, row.sent_message_id, row.status

    async def drop_pending(self, chat_id: int, reason: str, now: datetime) -> None:
        """Give up on everything still queued for a chat (the person blocked the bot)."""
        await self.s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == "pending")
            .values(status="dead", locked_until=None, error=reason[:500], sent_at=now)
        )

    async def counts(self) -> dict[str, int]:
        rows = await self.s.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return {row[0]: row[1] for row in rows.all()}


class MessageRefs:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(
        self, chat_id: int, message_id: int, kind: str, ref_id: int, now: datetime
    ) -> None:
        """Map a message to what it belongs to; a later mapping of the same message wins.

        Message ids are unique within a chat, so a row already there is stale (the chat's
        numbering started again, as on a fresh Bot API server): kept, it would take a reply
        to the wrong request.
        """
        await upsert(self.s, MessageRef, {
            "chat_id": chat_id, "message_id": message_id, "ref_kind": kind, "ref_id": ref_id,
            "created_at": now,
        })

    async def find(self, chat_id: int, message_id: int) -> MessageRefDTO | None:
        row = (await self.s.execute(_REF, {"chat_id": chat_id, "message_id": message_id})).first()
        return MessageRefDTO(*row) if row else None

class SendSlots:
    """A send budget shared by every process: per scope, the next moment free to send."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def take(self, scope: str, gap: timedelta, now: datetime) -> datetime:
        """Reserve the scope's next slot (now, if it is free); the moment to send at. The
        row is updated in one statement, so concurrent takers get successive slots."""
        insert_ = postgresql.insert(SendSlot).values(scope=scope, next_at=now + gap)
        stmt = insert_.on_conflict_do_update(
            index_elements=[SendSlot.scope],
            set_={"next_at": func.greatest(SendSlot.next_at, now) + gap},
        ).returning(SendSlot.next_at)
        next_at: datetime = (await self.s.execute(stmt)).scalar_one()
        return next_at - gap

    async def hold_until(self, scope: str, until: datetime) -> None:
        """Telegram asked this scope to wait: nobody sends in it before ``until``."""
        stmt = postgresql.insert(SendSlot).values(scope=scope, next_at=until)
        stmt = stmt.on_conflict_do_update(
            index_elements=[SendSlot.scope],
            set_={"next_at": func.greatest(SendSlot.next_at, until)},
        )
        await self.s.execute(stmt)


class ChatAliases:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, old_chat_id: int, new_chat_id: int, now: datetime) -> bool:
        """Record that a chat moved; False when it was known already."""
        return await insert_ignore(self.s, ChatAlias, {
            "old_chat_id": old_chat_id, "new_chat_id": new_chat_id, "created_at": now,
        })

    async def resolve(self, chat_id: int) -> int:
        """Follow migrations to the chat's current id."""
        seen = {chat_id}
        while True:
            new = await self.s.scalar(_ALIAS, {"old": chat_id})
            if new is None or new in seen:
                return chat_id
            seen.add(new)
            chat_id = new
