"""What the domain answers with: plain values that the Telegram layer renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: ``data`` is callback data (at most 64 bytes), or ``url`` a link."""

    text: str
    data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if self.data is not None and len(self.data.encode()) > 64:
            raise ValueError(f"callback data over 64 bytes: {self.data!r}")


@dataclass(frozen=True, slots=True)
class FileOut:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to the person who acted.

    ``edit`` asks to replace the message whose button was pressed instead of sending a new
    one; ``keyboard`` is a reply keyboard of plain labels (``contact_label`` adds Telegram's
    "share my contact" button); ``notice`` is the short toast answering a button press;
    ``record_choice`` writes the pressed button's label under its question.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    keyboard: tuple[tuple[str, ...], ...] = ()
    contact_label: str | None = None
    remove_keyboard: bool = False
    document: FileOut | None = None
    notice: str | None = None
    alert: bool = False
    # The pressed button's screen keeps the question with the chosen answer written under
    # it and loses its buttons (the answer moved on to a new message).
    record_choice: bool = False


@dataclass(frozen=True, slots=True)
class FileIn:
    file_id: str
    file_unique_id: str
    kind: Literal["document", "photo"]
    name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    # The file's first bytes, fetched before the unit of work opens (None: not fetched).
    head: bytes | None = None


@dataclass(frozen=True, slots=True)
class Input:
    """What a person did, stripped of Telegram: typed text, a pressed button, a file, …"""

    kind: Literal["text", "button", "contact", "file", "command", "other"]
    text: str = ""
    data: str = ""
    phone: str | None = None
    contact_user_id: int | None = None
    file: FileIn | None = None
    message_id: int | None = None
    reply_to_message_id: int | None = None
    # Who wrote the message replied to (the bot, the person themselves, someone else).
    reply_to_user_id: int | None = None
    files: tuple[FileIn, ...] = field(default=())


def notice(text: str, *, alert: bool = False) -> Reply:
    """Only a toast on the pressed button, no message."""
    return Reply(text="", notice=text, alert=alert)
