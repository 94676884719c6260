"""Tables every feature shares: people, dialogs, processed updates, the outbox, references."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.core.base import PERSONAL, Base, BigId, UTCDateTime


class User(Base):
    """A Telegram user the bot has met; ``company_id`` is set once registered."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128), default="", info=PERSONAL)
    username: Mapped[str | None] = mapped_column(String(64), nullable=True, info=PERSONAL)
    language: Mapped[str] = mapped_column(String(8), default="zh")
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), nullable=True, index=True
    )
    blocked_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Dialog(Base):
    """One conversation in progress per chat and user: which flow, which step, answers so far."""

    __tablename__ = "dialogs"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, info=PERSONAL)
    # The message whose buttons belong to this step, so presses on stale screens are told apart.
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProcessedUpdate(Base):
    """Update ids already handled: a redelivered update changes nothing twice."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # What the bot answered (bot.core.replies.answer_record), sent again if Telegram delivers
    # the update again because the process stopped before answering; kept for a day.
    answer: Mapped[str | None] = mapped_column(Text, nullable=True, info=PERSONAL)


class OutboxMessage(Base):
    """A message owed to a chat, written with the change that caused it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # send | document | photo | copy | edit | upload | react | delete
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, info=PERSONAL)
    # What the delivered message is about, so replies to it can be traced (e.g. "request", 42).
    ref_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    ref_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # pending | sent | dead
    status: Mapped[str] = mapped_column(String(8), default="pending")
    # INTERACTIVE (0: replies, cards, relays) goes before BULK (1: reminders, rosters, news).
    lane: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(96), nullable=True, unique=True)
    # The message this one relays (an officer's reply in the staff group), so the sender
    # can be shown it arrived and can take it back.
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    __table_args__ = (Index("ix_outbox_due", "status", "not_before"),
                      Index("ix_outbox_source", "source_chat_id", "source_message_id"))


class MessageRef(Base):
    """Which request (or booking, …) a delivered message belongs to: never parse ids from text."""

    __tablename__ = "message_refs"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ref_kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_message_refs_ref", "ref_kind", "ref_id"),)


class SendSlot(Base):
    """The next free moment to send in a scope (all chats, or one group), shared by every
    replica: each send takes the next slot, so together they stay under Telegram's limits."""

    __tablename__ = "send_slots"

    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChatAlias(Base):
    """A group that Telegram upgraded to a supergroup: messages follow it to its new id."""

    __tablename__ = "chat_aliases"

    old_chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    new_chat_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
