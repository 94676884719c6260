"""What storage hands out about people, dialogs and the outbox: frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class UserDTO:
    id: int
    first_name: str
    username: str | None
    language: str
    language_chosen: bool
    company_id: int | None
    blocked_bot: bool


@dataclass(frozen=True, slots=True)
class DialogDTO:
    chat_id: int
    user_id: int
    flow: str
    step: str
    data: dict[str, Any]
    message_id: int | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxDTO:
    id: int
    chat_id: int
    thread_id: int | None
    kind: str
    payload: dict[str, Any]
    ref_kind: str | None
    ref_id: int | None
    attempts: int
    created_at: datetime
    lane: int = 0
    source: tuple[int, int] | None = None
    # The person this goes to has blocked the bot (as known when it was leased).
    blocked: bool = False


@dataclass(frozen=True, slots=True)
class RelayCopyDTO:
    """One delivery of a relayed message: where it went and whether it arrived."""

    id: int
    chat_id: int
    status: str
    message_id: int | None
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class MessageRefDTO:
    chat_id: int
    message_id: int
    ref_kind: str
    ref_id: int
