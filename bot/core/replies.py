"""What the domain answers with: plain values that the Telegram layer renders."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: ``data`` is callback data (at most 64 bytes), or ``url`` a link."""

    text: str
    data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if self.data is not None and len(self.data.encode()) > 64:
            raise ValueError(f"callback data over 64 bytes: {self.data!r}")


# The media type of the .xlsx workbooks the bot sends (exports, reports, lists).
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    # The text (or a file's caption) as Telegram formatted it, in HTML: for what is passed on
    # to others as written (a notice). ``text`` stays the plain words.
    html: str = ""


def notice(text: str, *, alert: bool = False) -> Reply:
    """Only a toast on the pressed button, no message."""
    return Reply(text="", notice=text, alert=alert)


# A file larger than this is not kept with the answer (a report's workbook): a redelivered
# update gets the rest of its answer again, not the file.
KEPT_FILE_BYTES = 256 * 1024


def answer_record(replies: Sequence[Reply]) -> str | None:
    """The replies as JSON, to be sent again if Telegram delivers the update once more (the
    process stopped after committing, before answering); None when there is nothing to keep.
    """
    kept = []
    for reply in replies:
        document = reply.document
        if document is not None and len(document.content) > KEPT_FILE_BYTES:
            continue
        item: dict[str, Any] = {
            "text": reply.text, "edit": reply.edit, "remove_keyboard": reply.remove_keyboard,
            "notice": reply.notice, "alert": reply.alert, "record_choice": reply.record_choice,
            "contact_label": reply.contact_label,
            "buttons": [[[b.text, b.data, b.url] for b in row] for row in reply.buttons],
            "keyboard": [list(row) for row in reply.keyboard],
        }
        if document is not None:
            item["document"] = [document.filename, document.mime_type,
                                base64.b64encode(document.content).decode()]
        kept.append(item)
    return json.dumps(kept, ensure_ascii=False) if kept else None


def replies_from_record(record: str) -> list[Reply]:
    """The replies kept by :func:`answer_record`."""
    replies = []
    for item in json.loads(record):
        document = item.get("document")
        replies.append(Reply(
            text=item["text"], edit=item["edit"], remove_keyboard=item["remove_keyboard"],
            notice=item["notice"], alert=item["alert"], record_choice=item["record_choice"],
            contact_label=item["contact_label"],
            buttons=tuple(tuple(Button(text, data, url) for text, data, url in row)
                          for row in item["buttons"]),
            keyboard=tuple(tuple(row) for row in item["keyboard"]),
            document=FileOut(document[0], base64.b64decode(document[2]), document[1])
            if document else None,
        ))
    return replies
