"""The emulated Telegram world: users, chats, messages, files - no I/O here."""

from __future__ import annotations

import logging
import mimetypes
import struct
from collections.abc import Callable, Iterable
from typing import Any

from .models import (
    GROUP_ANONYMOUS_BOT_ID,
    CallbackQueryRecord,
    Chat,
    ChatEvent,
    ChatMessage,
    EventKind,
    JSONDict,
    MemberStatus,
    StoredFile,
    Topic,
    User,
)

__all__ = ["World", "image_size"]

_LOG = logging.getLogger(__name__)

FIRST_USER_ID = 7_000_000_001
FIRST_SUPERGROUP_ID = -1_001_234_567_890
FIRST_BASIC_GROUP_ID = -4_012_345_678
TOPIC_COLORS = (0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F)
_FILE_PREFIX = {"document": "BQAC", "photo": "AgAC", "video": "BAAC", "audio": "CQAC"}
_FILE_DIR = {"document": "documents", "photo": "photos", "video": "videos", "audio": "music"}

EventListener = Callable[[ChatEvent], None]


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image, ``None`` if not recognised."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return None


class World:
    """All state of the emulated Telegram server.

    Methods are synchronous; the emulator runs them on its event loop, so each call is atomic.
    """

    def __init__(self, bot: User, clock: Callable[[], float]) -> None:
        self.bot = bot
        self.clock = clock
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.messages: dict[int, list[ChatMessage]] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        #: (scope as canonical JSON, language_code) -> commands
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        #: chat id (None = default) -> menu button
        self.menu_buttons: dict[int | None, JSONDict] = {}
        #: (chat id, action, time) of every sendChatAction
        self.chat_actions: list[tuple[int, str, float]] = []
        #: setMyName/Description/ShortDescription values by (kind, language_code)
        self.bot_texts: dict[tuple[str, str], str] = {}
        self.listeners: list[EventListener] = []
        self.anonymous_admin = User(
            id=GROUP_ANONYMOUS_BOT_ID,
            first_name="Group",
            username="GroupAnonymousBot",
            is_bot=True,
        )
        self._message_index: dict[tuple[int, int], ChatMessage] = {}
        self._next_message_id: dict[int, int] = {}
        self._next_user_id = FIRST_USER_ID
        self._next_supergroup_id = FIRST_SUPERGROUP_ID
        self._next_basic_group_id = FIRST_BASIC_GROUP_ID
        self._next_file = 1
        self._next_media_group = 1
        self._event_seq = 0

    # -- time ---------------------------------------------------------------------------------
    def now(self) -> int:
        return int(self.clock())

    # -- people and chats ---------------------------------------------------------------------
    def new_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        phone_number: str | None = None,
        is_premium: bool | None = None,
        user_id: int | None = None,
    ) -> User:
        if user_id is None:
            user_id = self._next_user_id
            self._next_user_id += 1
        if user_id in self.users or user_id in self.chats:
            raise ValueError(f"user id {user_id} already exists")
        user = User(
            id=user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            phone_number=phone_number,
            is_premium=is_premium,
        )
        self.users[user.id] = user
        self.chats[user.id] = Chat(
            id=user.id,
            type="private",
            first_name=first_name,
            last_name=last_name,
            username=username,
        )
        return user

    def new_group(
        self,
        title: str,
        *,
        supergroup: bool,
        forum: bool,
        username: str | None,
        bot_status: MemberStatus,
        chat_id: int | None = None,
    ) -> Chat:
        if forum and not supergroup:
            raise ValueError("only supergroups can be forums")
        if chat_id is None:
            if supergroup:
                chat_id = self._next_supergroup_id
                self._next_supergroup_id -= 1
            else:
                chat_id = self._next_basic_group_id
                self._next_basic_group_id -= 1
        if chat_id in self.chats:
            raise ValueError(f"chat id {chat_id} already exists")
        chat = Chat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            username=username if supergroup else None,
            is_forum=forum,
            bot_status=bot_status,
        )
        self.chats[chat.id] = chat
        if forum:
            self._next_message_id[chat.id] = 2  # thread 1 is the "General" topic
        return chat

    def private_chat(self, user: User) -> Chat:
        return self.chats[user.id]

    def find_chat(self, ref: int | str) -> Chat | None:
        """By id or ``@username`` (public groups and users with a username)."""
        if isinstance(ref, int):
            return self.chats.get(ref)
        if ref.startswith("@"):
            name = ref[1:].lower()
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == name:
                    return chat
            return None
        try:
            return self.chats.get(int(ref))
        except ValueError:
            return None

    def member_status(self, chat: Chat, user_id: int) -> MemberStatus:
        if user_id == self.bot.id:
            if chat.is_private:
                return "kicked" if chat.blocked else "member"
            return chat.bot_status
        if chat.is_private:
            return "member" if user_id == chat.id else "left"
        return chat.members.get(user_id, "left")

    def member_api(self, chat: Chat, user: User) -> JSONDict:
        """``ChatMember`` object of ``user`` in ``chat``."""
        status = self.member_status(chat, user.id)
        data: JSONDict = {"status": status, "user": user.to_api()}
        if status == "creator":
            data["is_anonymous"] = False
        elif status == "administrator":
            data.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=True,
                can_restrict_members=True,
                can_promote_members=False,
                can_change_info=True,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
                can_pin_messages=True,
            )
            if chat.is_forum:
                data["can_manage_topics"] = True
        elif status == "kicked":
            data["until_date"] = 0
        elif status == "restricted":
            data.update(
                is_member=user.id not in chat.restricted_outside,
                can_send_messages=False,
                can_send_audios=False,
                can_send_documents=False,
                can_send_photos=False,
                can_send_videos=False,
                can_send_video_notes=False,
                can_send_voice_notes=False,
                can_send_polls=False,
                can_send_other_messages=False,
                can_add_web_page_previews=False,
                can_change_info=False,
                can_invite_users=False,
                can_pin_messages=False,
                can_manage_topics=False,
                can_edit_tag=False,
                can_react_to_messages=False,
                until_date=0,
            )
        return data

    def user_by_id(self, user_id: int) -> User | None:
        if user_id == self.bot.id:
            return self.bot
        if user_id == GROUP_ANONYMOUS_BOT_ID:
            return self.anonymous_admin
        return self.users.get(user_id)

    # -- messages -----------------------------------------------------------------------------
    def add_message(
        self,
        chat: Chat,
        sender: User,
        *,
        outgoing: bool,
        **fields: Any,
    ) -> ChatMessage:
        """Append a new message to ``chat`` (assigning the next id) and emit a ``new`` event."""
        message_id = self._next_message_id.get(chat.id, 1)
        self._next_message_id[chat.id] = message_id + 1
        message = ChatMessage(
            chat=chat,
            message_id=message_id,
            sender=sender,
            date=self.now(),
            outgoing=outgoing,
            **fields,
        )
        self.messages.setdefault(chat.id, []).append(message)
        self._message_index[(chat.id, message_id)] = message
        if (
            outgoing
            and message.markup is not None
            and message.markup.kind
            in (
                "keyboard",
                "remove_keyboard",
            )
        ):
            chat.reply_keyboard = message.markup if message.markup.kind == "keyboard" else None
        self.emit("new", message)
        return message

    def get_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        return self._message_index.get((chat_id, message_id))

    def continue_numbering(self, chat_id: int, next_id: int) -> None:
        """Number the chat's next messages from ``next_id`` on, never going back.

        Telegram never reuses a message id in a chat; a stand-in started again over the same
        bot database must go on from where the last one stopped, or the bot's stored message
        ids would point at new, unrelated messages.
        """
        self._next_message_id[chat_id] = max(next_id, self._next_message_id.get(chat_id, 1))

    def edit_message(self, message: ChatMessage, **changes: Any) -> ChatMessage:
        """Apply ``changes`` to ``message``, keeping the old version in its history."""
        message.history.append(message.snapshot())
        for key, value in changes.items():
            setattr(message, key, value)
        message.edit_date = self.now()
        self.emit("edit", message)
        return message

    def react(self, message: ChatMessage, emoji: list[str]) -> None:
        message.reactions = list(emoji)
        self.emit("reaction", message)

    def delete_message(self, message: ChatMessage) -> None:
        message.deleted = True
        self.emit("delete", message)

    def chat_messages(self, chat_id: int) -> list[ChatMessage]:
        return self.messages.get(chat_id, [])

    def new_topic(self, chat: Chat, name: str, creator: User, icon_color: int | None) -> Topic:
        color = (
            icon_color
            if icon_color is not None
            else TOPIC_COLORS[len(chat.topics) % len(TOPIC_COLORS)]
        )
        service = {"forum_topic_created": {"name": name, "icon_color": color}}
        message = self.add_message(chat, creator, outgoing=creator is self.bot, service=service)
        message.thread_id = message.message_id
        message.is_topic_message = True
        topic = Topic(message.message_id, name, color, message)
        chat.topics[topic.thread_id] = topic
        return topic

    def next_media_group_id(self) -> str:
        value = self._next_media_group
        self._next_media_group += 1
        return f"{13_000_000_000_000_000 + value}"

    # -- files --------------------------------------------------------------------------------
    def store_file(
        self,
        kind: str,
        *,
        content: bytes | None,
        filename: str | None = None,
        mime_type: str | None = None,
        url: str | None = None,
    ) -> StoredFile:
        number = self._next_file
        self._next_file += 1
        if mime_type is None and filename:
            mime_type = mimetypes.guess_type(filename, strict=False)[0]
        if kind == "document" and mime_type is None:
            mime_type = "application/octet-stream"
        extension = ""
        if filename and "." in filename:
            extension = "." + filename.rsplit(".", 1)[1]
        elif kind == "photo":
            extension = ".jpg"
        elif mime_type:
            extension = mimetypes.guess_extension(mime_type, strict=False) or ""
        prefix = _FILE_PREFIX.get(kind, "BQAC")
        stored = StoredFile(
            file_id=f"{prefix}AgADAQADemu{number:010d}",
            file_unique_id=f"AQADemu{number:08d}",
            kind=kind,
            file_path=f"{_FILE_DIR.get(kind, 'documents')}/file_{number}{extension}",
            content=content,
            filename=filename,
            mime_type=mime_type if kind != "photo" else None,
            url=url,
        )
        if kind in ("photo", "video") and content is not None:
            size = image_size(content)
            if size is not None:
                stored.width, stored.height = size
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    # -- events -------------------------------------------------------------------------------
    def emit(self, kind: EventKind, message: ChatMessage) -> None:
        self._event_seq += 1
        event = ChatEvent(self._event_seq, kind, message)
        for listener in list(self.listeners):
            try:
                listener(event)
            except Exception:
                _LOG.exception("emulator event listener failed")

    def iter_group_members(self, chat: Chat, statuses: Iterable[MemberStatus]) -> list[User]:
        wanted = set(statuses)
        result: list[User] = []
        for user_id, status in chat.members.items():
            user = self.users.get(user_id)
            if user is not None and status in wanted:
                result.append(user)
        return result
