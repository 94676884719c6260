"""Plain data objects of the emulated Telegram world.

Every object can render itself as the Bot API JSON object (``to_api()``), which is what the
bot receives in updates and method results.
"""

from __future__ import annotations

import html as _html
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .entities import entities_to_html

__all__ = [
    "GROUP_ANONYMOUS_BOT_ID",
    "ApiCall",
    "Button",
    "CallbackAnswer",
    "CallbackQueryRecord",
    "Chat",
    "ChatEvent",
    "ChatMessage",
    "ChatType",
    "EventKind",
    "FailureRule",
    "FloodLimits",
    "JSONDict",
    "Markup",
    "MarkupKind",
    "MemberStatus",
    "MessageVersion",
    "SentMessage",
    "StoredFile",
    "Topic",
    "User",
]

JSONDict = dict[str, Any]
ChatType = Literal["private", "group", "supergroup", "channel"]
MemberStatus = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]
MarkupKind = Literal["inline_keyboard", "keyboard", "remove_keyboard", "force_reply"]
EventKind = Literal["new", "edit", "delete", "reaction"]

#: ``from`` of messages that anonymous group admins send.
GROUP_ANONYMOUS_BOT_ID = 1087968824


@dataclass(eq=False)
class User:
    """A Telegram user (or bot). ``id`` is also the id of the private chat with the bot."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    is_premium: bool | None = None
    #: Used when the user shares their own contact (``request_contact`` buttons).
    phone_number: str | None = None
    #: Extra fields merged into :meth:`to_api` (``getMe`` capabilities for the bot user).
    extra: JSONDict = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    def to_api(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name is not None:
            data["last_name"] = self.last_name
        if self.username is not None:
            data["username"] = self.username
        if self.language_code is not None:
            data["language_code"] = self.language_code
        if self.is_premium:
            data["is_premium"] = True
        data.update(self.extra)
        return data


@dataclass(eq=False)
class Topic:
    """A forum topic; ``thread_id`` is the id of its ``forum_topic_created`` message."""

    thread_id: int
    name: str
    icon_color: int
    created_message: ChatMessage | None = None


@dataclass(eq=False)
class Chat:
    """A chat the bot can see: a user's private chat, a group or a supergroup."""

    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    is_forum: bool = False
    #: user id -> membership status (groups only).
    members: dict[int, MemberStatus] = field(default_factory=dict)
    # Restricted users who have left the group: Telegram still says "restricted", with
    # ``is_member`` false.
    restricted_outside: set[int] = field(default_factory=set)
    #: The bot's own membership status.
    bot_status: MemberStatus = "member"
    topics: dict[int, Topic] = field(default_factory=dict)
    #: Set on a basic group after :meth:`BotApiEmulator.migrate_group`.
    migrated_to: int | None = None
    migrated_from: int | None = None
    #: Private chats: the user pressed Start / wrote to the bot.
    started: bool = False
    #: Private chats: the user blocked the bot.
    blocked: bool = False
    #: The reply keyboard currently shown to users of this chat (set by the bot).
    reply_keyboard: Markup | None = None
    pinned_message_id: int | None = None

    @property
    def is_private(self) -> bool:
        return self.type == "private"

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def to_api(self) -> JSONDict:
        """The short ``Chat`` object used inside messages."""
        data: JSONDict = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.is_forum:
            data["is_forum"] = True
        return data


@dataclass(frozen=True)
class Button:
    """One keyboard button as the bot sent it."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    request_contact: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def kind(self) -> str:
        """``callback_data``/``url``/``web_app``/... for inline buttons, ``text`` otherwise."""
        for key in self.raw:
            if key != "text":
                return key
        return "text"


@dataclass(frozen=True)
class Markup:
    """A parsed ``reply_markup``."""

    kind: MarkupKind
    rows: tuple[tuple[Button, ...], ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def buttons(self) -> list[Button]:
        return [button for row in self.rows for button in row]

    @property
    def is_inline(self) -> bool:
        return self.kind == "inline_keyboard"

    def find(self, *, text: str | None = None, data: str | None = None) -> Button | None:
        """First button with this visible text and/or callback data."""
        for button in self.buttons:
            if text is not None and button.text != text:
                continue
            if data is not None and button.callback_data != data:
                continue
            return button
        return None

    def texts(self) -> list[list[str]]:
        """Button captions row by row (handy for assertions)."""
        return [[button.text for button in row] for row in self.rows]


@dataclass(eq=False)
class StoredFile:
    """A file known to the emulator: uploaded by the bot or sent by a user."""

    file_id: str
    file_unique_id: str
    kind: str  # document / photo / video / audio / ...
    file_path: str
    content: bytes | None = None
    filename: str | None = None
    mime_type: str | None = None
    #: For files the bot "sent" by URL (content unknown).
    url: str | None = None
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        return len(self.content) if self.content is not None else 0

    def to_api(self) -> JSONDict:
        """The ``Document``/``Video``/``Audio``/``PhotoSize`` object (without the list wrapper)."""
        data: JSONDict = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.content is not None:
            data["file_size"] = self.size
        if self.kind == "photo":
            data["width"] = self.width
            data["height"] = self.height
            return data
        if self.kind == "video":
            data.update(width=self.width, height=self.height, duration=0)
        elif self.kind == "audio":
            data["duration"] = 0
        if self.filename is not None:
            data["file_name"] = self.filename
        if self.mime_type is not None:
            data["mime_type"] = self.mime_type
        return data


@dataclass(frozen=True)
class MessageVersion:
    """Content of a message before an edit (kept in :attr:`ChatMessage.history`)."""

    text: str | None
    entities: tuple[JSONDict, ...]
    caption: str | None
    markup: Markup | None
    date: int


@dataclass(eq=False)
class ChatMessage:
    """A message in a chat - sent by the bot (``outgoing``) or by a user.

    Attributes hold the *current* state; edits push the previous state onto ``history``.
    """

    chat: Chat
    message_id: int
    sender: User
    date: int
    outgoing: bool
    sender_chat: Chat | None = None
    text: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[JSONDict] = field(default_factory=list)
    #: The text/caption exactly as the bot passed it (e.g. raw HTML) and its parse_mode.
    source: str | None = None
    parse_mode: str | None = None
    markup: Markup | None = None
    reply_to: ChatMessage | None = None
    thread_id: int | None = None
    is_topic_message: bool = False
    document: StoredFile | None = None
    photo: StoredFile | None = None
    video: StoredFile | None = None
    audio: StoredFile | None = None
    contact: JSONDict | None = None
    media_group_id: str | None = None
    forward_origin: JSONDict | None = None
    #: Service payload merged into the API object, e.g. ``{"forum_topic_created": {...}}``.
    service: JSONDict | None = None
    edit_date: int | None = None
    history: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False
    #: The bot's reaction on the message (emoji), set with ``setMessageReaction``.
    reactions: list[str] = field(default_factory=list)
    #: Other Bot API parameters of the send call that are not modelled explicitly.
    options: JSONDict = field(default_factory=dict)

    # -- convenience -------------------------------------------------------------------------
    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def reply_to_message_id(self) -> int | None:
        return self.reply_to.message_id if self.reply_to is not None else None

    @property
    def message_thread_id(self) -> int | None:
        """Bot API name of :attr:`thread_id`."""
        return self.thread_id

    @property
    def reply_markup(self) -> Markup | None:
        """Bot API name of :attr:`markup` (any keyboard kind, parsed)."""
        return self.markup

    @property
    def edit_count(self) -> int:
        return len(self.history)

    @property
    def content(self) -> str:
        """Text or caption (empty string for media without caption)."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def html(self) -> str:
        """Text/caption rendered as Telegram HTML from the entities."""
        if self.text is not None:
            return entities_to_html(self.text, self.entities)
        if self.caption is not None:
            return entities_to_html(self.caption, self.caption_entities)
        return ""

    @property
    def buttons(self) -> list[Button]:
        return self.markup.buttons if self.markup is not None else []

    @property
    def inline_keyboard(self) -> Markup | None:
        return self.markup if self.markup is not None and self.markup.is_inline else None

    def button(self, text: str | None = None, *, data: str | None = None) -> Button:
        """The button with this text and/or callback data; raises :class:`LookupError`."""
        found = self.markup.find(text=text, data=data) if self.markup is not None else None
        if found is None:
            available = [(b.text, b.callback_data) for b in self.buttons]
            raise LookupError(
                f"no button text={text!r} data={data!r} on message {self.message_id} "
                f"in chat {self.chat_id}; buttons: {available}"
            )
        return found

    def snapshot(self) -> MessageVersion:
        return MessageVersion(
            text=self.text,
            entities=tuple(self.entities),
            caption=self.caption,
            markup=self.markup,
            date=self.edit_date or self.date,
        )

    @property
    def kind(self) -> str:
        """What the message carries: text/document/photo/.../service."""
        for name in ("document", "photo", "video", "audio", "contact"):
            if getattr(self, name) is not None:
                return name
        if self.text is not None:
            return "text"
        return "service" if self.service else "empty"

    def __repr__(self) -> str:
        who = "bot" if self.outgoing else self.sender.first_name
        state = " edited" * bool(self.history) + " deleted" * self.deleted
        return (
            f"<ChatMessage chat={self.chat_id} id={self.message_id} from={who}{state} "
            f"{self.kind}={self.content[:60]!r}>"
        )

    # -- Bot API rendering -------------------------------------------------------------------
    def to_api(self, *, with_reply: bool = True) -> JSONDict:
        """The Bot API ``Message`` object as the bot sees it."""
        data: JSONDict = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": self.chat.to_api(),
            "from": self.sender.to_api(),
        }
        if self.sender_chat is not None:
            data["sender_chat"] = self.sender_chat.to_api()
        if self.thread_id is not None:
            data["message_thread_id"] = self.thread_id
            if self.is_topic_message:
                data["is_topic_message"] = True
        if self.forward_origin is not None:
            data["forward_origin"] = self.forward_origin
        if self.reply_to is not None and with_reply:
            data["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.media_group_id is not None:
            data["media_group_id"] = self.media_group_id
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = list(self.entities)
        if self.document is not None:
            data["document"] = self.document.to_api()
        if self.photo is not None:
            data["photo"] = [self.photo.to_api()]
        if self.video is not None:
            data["video"] = self.video.to_api()
        if self.audio is not None:
            data["audio"] = self.audio.to_api()
        if self.caption is not None:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = list(self.caption_entities)
        if self.contact is not None:
            data["contact"] = dict(self.contact)
        if self.service:
            data.update(self.service)
        if self.markup is not None and self.markup.is_inline:
            data["reply_markup"] = dict(self.markup.raw)
        return data


#: Alias: one class describes both the bot's and the users' messages.
SentMessage = ChatMessage


@dataclass(frozen=True)
class ChatEvent:
    """Something happened to a message; passed to :meth:`BotApiEmulator.subscribe` callbacks."""

    seq: int
    kind: EventKind
    message: ChatMessage

    @property
    def chat_id(self) -> int:
        return self.message.chat_id


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot passed to ``answerCallbackQuery``."""

    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass(eq=False)
class CallbackQueryRecord:
    """A button press by a user, with the bot's answer once it came."""

    id: str
    user: User
    message: ChatMessage
    data: str
    date: float
    answer: CallbackAnswer | None = None


@dataclass(frozen=True)
class ApiCall:
    """One HTTP call the bot made."""

    method: str
    params: JSONDict
    time: float
    duration: float
    status: int
    description: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(eq=False)
class FailureRule:
    """Injected failures, see :meth:`BotApiEmulator.fail_next`."""

    remaining: int
    status: int
    description: str
    parameters: JSONDict | None = None
    method: str | None = None
    include_polling: bool = False

    def matches(self, method: str) -> bool:
        if self.remaining <= 0:
            return False
        if self.method is not None:
            return self.method.lower() == method.lower()
        return self.include_polling or method.lower() != "getupdates"


@dataclass(frozen=True)
class FloodLimits:
    """Optional flood control (Telegram's documented soft limits), off unless configured.

    A limit of ``None`` disables that check. Exceeding one answers 429 with ``retry_after``.
    """

    global_per_second: int | None = 30
    group_per_minute: int | None = 20
    private_per_second: int | None = None


Clock = Callable[[], float]


def iter_rows(raw_rows: Any) -> Iterator[list[Any]]:
    """Yield keyboard rows from untrusted JSON (non-list rows are skipped by the caller)."""
    if isinstance(raw_rows, list):
        for row in raw_rows:
            yield row if isinstance(row, list) else [row]


def describe_message(message: ChatMessage) -> str:
    """One transcript line (used in timeout messages)."""
    who = "bot" if message.outgoing else message.sender.first_name
    flags = " [deleted]" if message.deleted else (" [edited]" if message.history else "")
    body = message.content or f"<{message.kind}>"
    keyboard = f" {message.markup.texts()}" if message.markup and message.markup.rows else ""
    return f"#{message.message_id} {who}: {_html.unescape(body)!r}{keyboard}{flags}"
