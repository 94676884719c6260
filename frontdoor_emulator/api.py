"""Bot API methods (everything except getUpdates/webhooks, which need the event loop).

Each method takes :class:`~.params.Params`, mutates the :class:`~.state.World` and returns the
``result`` value, or raises :class:`~.errors.ApiError` with Telegram's description.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .entities import HtmlParseError, parse_html, strip_formatted, utf16_len
from .errors import ApiError
from .models import (
    Button,
    CallbackAnswer,
    Chat,
    ChatMessage,
    JSONDict,
    Markup,
    MemberStatus,
    StoredFile,
    iter_rows,
)
from .params import Params, UploadedFile
from .state import World

__all__ = ["BotApi", "parse_reply_markup"]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_DOWNLOAD = 20 * 1024 * 1024

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
#: send options kept on the message (``ChatMessage.options``) for assertions.
OPTION_KEYS = (
    "disable_notification",
    "protect_content",
    "link_preview_options",
    "disable_web_page_preview",
    "message_effect_id",
    "allow_paid_broadcast",
)
_BUTTON_URL = re.compile(r"^(https?|tg)://\S+$", re.IGNORECASE)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_ADMIN: tuple[MemberStatus, ...] = ("creator", "administrator")
# A bot deletes its messages in private chats only within 48 hours of sending them.
DELETE_WINDOW = 48 * 3600
# The emoji Telegram accepts as a reaction (ReactionTypeEmoji): anything else is refused.
REACTION_EMOJI = frozenset({
    "👍", "👎", "❤", "🔥", "🥰", "👏", "😁", "🤔", "🤯", "😱", "🤬", "😢",
    "🎉", "🤩", "🤮", "💩", "🙏", "👌", "🕊", "🤡", "🥱", "🥴", "😍", "🐳",
    "❤\u200d🔥", "🌚", "🌭", "💯", "🤣", "⚡", "🍌", "🏆", "💔", "🤨", "😐", "🍓",
    "🍾", "💋", "🖕", "😈", "😴", "😭", "🤓", "👻", "👨\u200d💻", "👀", "🎃", "🙈",
    "😇", "😨", "🤝", "✍", "🤗", "🫡", "🎅", "🎄", "☃", "💅", "🤪", "🗿",
    "🆒", "💘", "🙉", "🦄", "😘", "💊", "🙊", "😎", "👾", "🤷\u200d♂", "🤷", "🤷\u200d♀",
    "😡",
})

Method = Callable[[Params], Any]


def _bad(detail: str, parameters: JSONDict | None = None) -> ApiError:
    return ApiError.bad_request(detail, parameters)


def _parse_inline_button(raw: Any) -> Button:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise _bad('can\'t parse inline keyboard button: Field "text" must be of type String')
    actions = [key for key in INLINE_ACTIONS if key in raw]
    if not actions:
        raise _bad(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = raw.get("callback_data")
    if "callback_data" in raw and (
        not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
    ):
        raise _bad("BUTTON_DATA_INVALID")
    url = raw.get("url")
    if "url" in raw and (not isinstance(url, str) or not _BUTTON_URL.match(url)):
        raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    return Button(
        text=raw["text"],
        callback_data=data if isinstance(data, str) else None,
        url=url if isinstance(url, str) else None,
        raw=dict(raw),
    )


def _parse_keyboard_button(raw: Any) -> Button:
    if isinstance(raw, str):
        return Button(text=raw, raw={"text": raw})
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise _bad('can\'t parse keyboard button: Field "text" must be of type String')
    return Button(text=raw["text"], request_contact=bool(raw.get("request_contact")), raw=raw)


def parse_reply_markup(raw: Any, *, inline_only: bool = False) -> Markup | None:
    """Validate a ``reply_markup`` object like Telegram does and parse it."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in raw:
        if not isinstance(raw["inline_keyboard"], list) or not all(
            isinstance(row, list) for row in raw["inline_keyboard"]
        ):
            raise _bad(
                'can\'t parse inline keyboard: Field "inline_keyboard" of the '
                "InlineKeyboardMarkup must be an Array of Arrays"
            )
        rows = tuple(
            tuple(_parse_inline_button(b) for b in row) for row in iter_rows(raw["inline_keyboard"])
        )
        return Markup("inline_keyboard", rows, raw)
    if inline_only:
        raise _bad("inline keyboard expected")
    if "keyboard" in raw:
        if not isinstance(raw["keyboard"], list):
            raise _bad("can't parse reply keyboard markup JSON object")
        rows = tuple(
            tuple(_parse_keyboard_button(b) for b in row) for row in iter_rows(raw["keyboard"])
        )
        return Markup("keyboard", rows, raw)
    if raw.get("remove_keyboard"):
        return Markup("remove_keyboard", (), raw)
    if raw.get("force_reply"):
        return Markup("force_reply", (), raw)
    raise _bad("can't parse reply keyboard markup JSON object")


def _same_markup(new: Markup | None, old: Markup | None) -> bool:
    old_inline = old if old is not None and old.is_inline else None
    if new is None or old_inline is None:
        return new is None and old_inline is None
    return json.dumps(new.raw, sort_keys=True) == json.dumps(old_inline.raw, sort_keys=True)


class BotApi:
    """Dispatches Bot API method calls to their implementations."""

    def __init__(self, world: World) -> None:
        self.world = world
        methods: dict[str, Method] = {
            "getMe": self.get_me,
            "logOut": self.log_out,
            "close": self.log_out,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "deleteMessages": self.delete_messages,
            "setMessageReaction": self.set_message_reaction,
            "answerCallbackQuery": self.answer_callback_query,
            "sendDocument": self.send_document,
            "sendPhoto": self.send_photo,
            "sendVideo": self.send_video,
            "sendAudio": self.send_audio,
            "sendMediaGroup": self.send_media_group,
            "copyMessage": self.copy_message,
            "forwardMessage": self.forward_message,
            "getFile": self.get_file,
            "getChat": self.get_chat,
            "getChatMember": self.get_chat_member,
            "getChatAdministrators": self.get_chat_administrators,
            "getChatMemberCount": self.get_chat_member_count,
            "leaveChat": self.leave_chat,
            "pinChatMessage": self.pin_chat_message,
            "unpinChatMessage": self.unpin_chat_message,
            "unpinAllChatMessages": self.unpin_chat_message,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendChatAction": self.send_chat_action,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
            "setMyName": self._bot_text_setter("name"),
            "setMyDescription": self._bot_text_setter("description"),
            "setMyShortDescription": self._bot_text_setter("short_description"),
            "getMyName": self._bot_text_getter("name"),
            "getMyDescription": self._bot_text_getter("description"),
            "getMyShortDescription": self._bot_text_getter("short_description"),
        }
        self._methods: dict[str, tuple[str, Method]] = {
            name.lower(): (name, impl) for name, impl in methods.items()
        }

    # -- dispatch -----------------------------------------------------------------------------
    def canonical_name(self, method: str) -> str | None:
        """The documented spelling of ``method`` (names are case-insensitive) or ``None``."""
        found = self._methods.get(method.lower())
        return found[0] if found else None

    def call(self, method: str, params: Params) -> Any:
        found = self._methods.get(method.lower())
        if found is None:
            raise ApiError(404, "Not Found: method not found")
        return found[1](params)

    # -- shared helpers -----------------------------------------------------------------------
    def resolve_chat(self, params: Params, name: str = "chat_id") -> Chat:
        raw = params.raw(name)
        if raw is None or raw == "":
            raise _bad(f"{name} is empty")
        ref: int | str = raw if isinstance(raw, int) and not isinstance(raw, bool) else str(raw)
        chat = self.world.find_chat(ref.strip() if isinstance(ref, str) else ref)
        if chat is None:
            raise _bad("chat not found")
        if chat.migrated_to is not None:
            raise _bad(
                "group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        return chat

    def _check_member(self, chat: Chat) -> None:
        if chat.is_private:
            return
        kind = "supergroup chat" if chat.type == "supergroup" else "group chat"
        if chat.bot_status == "kicked":
            raise ApiError.forbidden(f"bot was kicked from the {kind}")
        if chat.bot_status == "left":
            raise ApiError.forbidden(f"bot is not a member of the {kind}")

    def check_writable(self, chat: Chat) -> None:
        """Raise the error Telegram gives when the bot may not post into ``chat``."""
        if chat.is_private:
            if chat.blocked:
                raise ApiError.forbidden("bot was blocked by the user")
            if not chat.started:
                raise ApiError.forbidden("bot can't initiate conversation with a user")
            return
        self._check_member(chat)
        if chat.bot_status == "restricted":
            raise _bad("not enough rights to send text messages to the chat")

    def _thread(self, chat: Chat, params: Params) -> int | None:
        thread_id = params.get_int("message_thread_id")
        if thread_id is None or not chat.is_forum or thread_id == 1:
            return None  # thread 1 is the General topic: plain messages
        if thread_id not in chat.topics:
            raise _bad("message thread not found")
        return thread_id

    def _reply_target(self, chat: Chat, params: Params) -> ChatMessage | None:
        reply = params.get_json("reply_parameters")
        allow = params.get_bool("allow_sending_without_reply")
        message_id: Any = None
        if reply is not None:
            if not isinstance(reply, dict):
                raise _bad("can't parse reply parameters JSON object")
            message_id = reply.get("message_id")
            allow = bool(reply.get("allow_sending_without_reply", allow))
            other = reply.get("chat_id")
            if other is not None:
                ref = other if isinstance(other, int) else str(other)
                other_chat = self.world.find_chat(ref)
                if other_chat is None:
                    raise _bad("chat not found")
                if other_chat is not chat:
                    return None  # replies to other chats (quotes) are not modelled
        else:
            message_id = params.get_int("reply_to_message_id")
        if message_id is None:
            return None
        try:
            target = self.world.get_message(chat.id, int(message_id))
        except (TypeError, ValueError):
            target = None
        if target is None or target.deleted:
            if allow:
                return None
            raise _bad("message to be replied not found")
        return target

    def formatted(
        self, text: str, parse_mode: str | None, raw_entities: Any
    ) -> tuple[str, list[JSONDict]]:
        """Plain text and entities for ``text`` sent with ``parse_mode``/``entities``."""
        if raw_entities is not None:
            if not isinstance(raw_entities, list) or not all(
                isinstance(e, dict) and {"type", "offset", "length"} <= e.keys()
                for e in raw_entities
            ):
                raise _bad("can't parse entities JSON object")
            return strip_formatted(text, [dict(e) for e in raw_entities])
        mode = (parse_mode or "").strip().lower()
        if mode == "html":
            try:
                plain, entities = parse_html(text)
            except HtmlParseError as exc:
                raise _bad(f"can't parse entities: {exc}") from None
            return strip_formatted(plain, entities)
        if mode in ("", "markdown", "markdownv2"):
            # Markdown is not emulated: the text is kept verbatim.
            return strip_formatted(text, [])
        raise _bad("unsupported parse_mode")

    def _caption(self, params: Params, name: str = "caption") -> JSONDict:
        caption = params.get_str(name)
        if caption is None:
            return {}
        plain, entities = self.formatted(
            caption, params.get_str("parse_mode"), params.get_json("caption_entities")
        )
        if not plain:
            return {}
        if utf16_len(plain) > MAX_CAPTION:
            raise _bad("message caption is too long")
        return {
            "caption": plain,
            "caption_entities": entities,
            "source": caption,
            "parse_mode": params.get_str("parse_mode"),
        }

    def _options(self, params: Params) -> JSONDict:
        options: JSONDict = {}
        for key in OPTION_KEYS:
            if key in params:
                options[key] = (
                    params.get_json(key) if key == "link_preview_options" else (params.raw(key))
                )
        return options

    def post(
        self,
        chat: Chat,
        params: Params,
        *,
        markup: Markup | None = None,
        reply_to: ChatMessage | None = None,
        **fields: Any,
    ) -> ChatMessage:
        """Add a bot message to ``chat`` honouring thread/reply parameters."""
        thread_id = self._thread(chat, params)
        if reply_to is None:
            reply_to = self._reply_target(chat, params)
        if reply_to is not None and reply_to.thread_id is not None and thread_id is None:
            thread_id = reply_to.thread_id
        if thread_id is not None and reply_to is None:
            topic = chat.topics[thread_id]
            reply_to = topic.created_message
        return self.world.add_message(
            chat,
            self.world.bot,
            outgoing=True,
            markup=markup,
            reply_to=reply_to,
            thread_id=thread_id,
            is_topic_message=thread_id is not None,
            options=self._options(params),
            **fields,
        )

    def _target(self, params: Params, action: str) -> ChatMessage:
        if "inline_message_id" in params:
            raise _bad("MESSAGE_ID_INVALID")
        chat = self.resolve_chat(params)
        message_id = params.get_int("message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        message = self.world.get_message(chat.id, message_id)
        if message is None or message.deleted:
            raise _bad(f"message to {action} not found")
        return message

    def _input_file(self, value: UploadedFile | str | None, kind: str) -> StoredFile:
        if value is None:
            raise _bad(f"there is no {kind} in the request")
        if isinstance(value, UploadedFile):
            if not value.data:
                raise _bad("file must be non-empty")
            return self.world.store_file(
                kind,
                content=value.data,
                filename=value.filename,
                mime_type=value.content_type,
            )
        if value.startswith(("http://", "https://")):
            name = posixpath.basename(urlsplit(value).path) or None
            return self.world.store_file(kind, content=None, filename=name, url=value)
        existing = self.world.files.get(value)
        if existing is None:
            raise _bad("wrong file identifier/HTTP URL specified")
        if existing.kind != kind:
            raise _bad("type of file mismatch")
        return existing

    # -- account ------------------------------------------------------------------------------
    def get_me(self, params: Params) -> JSONDict:
        return self.world.bot.to_api()

    def log_out(self, params: Params) -> bool:
        return True

    # -- sending ------------------------------------------------------------------------------
    def send_message(self, params: Params) -> JSONDict:
        chat = self.resolve_chat(params)
        self.check_writable(chat)
        text = params.get_str("text")
        if not text:
            raise _bad("message text is empty")
        parse_mode = params.get_str("parse_mode")
        plain, entities = self.formatted(text, parse_mode, params.get_json("entities"))
        if not plain:
            raise _bad("message text is empty")
        if utf16_len(plain) > MAX_TEXT:
            raise _bad("message is too long")
        markup = parse_reply_markup(params.get_json("reply_markup"))
        message = self.post(
            chat,
            params,
            markup=markup,
            text=plain,
            entities=entities,
            source=text,
            parse_mode=parse_mode,
        )
        return message.to_api()

    def _send_media(self, params: Params, kind: str) -> JSONDict:
        chat = self.resolve_chat(params)
        self.check_writable(chat)
        stored = self._input_file(params.file(kind), kind)
        caption = self._caption(params)
        markup = parse_reply_markup(params.get_json("reply_markup"))
        media: JSONDict = {kind: stored, **caption}
        message = self.post(chat, params, markup=markup, **media)
        return message.to_api()

    def send_document(self, params: Params) -> JSONDict:
        return self._send_media(params, "document")

    def send_photo(self, params: Params) -> JSONDict:
        return self._send_media(params, "photo")

    def send_video(self, params: Params) -> JSONDict:
        return self._send_media(params, "video")

    def send_audio(self, params: Params) -> JSONDict:
        return self._send_media(params, "audio")

    def send_media_group(self, params: Params) -> list[JSONDict]:
        chat = self.resolve_chat(params)
        self.check_writable(chat)
        media = params.get_json("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise _bad("media group must contain 2-10 items")
        kinds = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") not in (
                "photo",
                "video",
                "document",
                "audio",
            ):
                raise _bad("can't parse InputMedia: media type is invalid")
            kinds.append(str(item["type"]))
        for exclusive in ("document", "audio"):
            if exclusive in kinds and set(kinds) != {exclusive}:
                raise _bad(f"{exclusive} can't be mixed with other media types")
        prepared: list[JSONDict] = []
        for kind, item in zip(kinds, media, strict=True):
            reference = item.get("media")
            if not isinstance(reference, str):
                raise _bad("can't parse InputMedia: media is not specified")
            attached = params.attachment(reference)
            stored = self._input_file(attached if attached is not None else reference, kind)
            sub = Params({k: v for k, v in item.items() if k in ("caption", "parse_mode")})
            if "caption_entities" in item:
                sub.values["caption_entities"] = item["caption_entities"]
            prepared.append({kind: stored, **self._caption(sub)})
        group_id = self.world.next_media_group_id()
        reply_to = self._reply_target(chat, params)
        messages = [
            self.post(chat, params, reply_to=reply_to, media_group_id=group_id, **fields)
            for fields in prepared
        ]
        return [m.to_api() for m in messages]

    def _content_of(self, source: ChatMessage) -> JSONDict:
        if source.service or source.kind in ("service", "empty"):
            raise _bad("message can't be copied")
        fields: JSONDict = {}
        for key in ("text", "caption", "document", "photo", "video", "audio", "contact"):
            value = getattr(source, key)
            if value is not None:
                fields[key] = value
        if source.text is not None:
            fields["entities"] = list(source.entities)
        if source.caption is not None:
            fields["caption_entities"] = list(source.caption_entities)
        return fields

    def copy_message(self, params: Params) -> JSONDict:
        chat = self.resolve_chat(params)
        self.check_writable(chat)
        source_chat = self.resolve_chat(params, "from_chat_id")
        message_id = params.get_int("message_id")
        source = (
            self.world.get_message(source_chat.id, message_id) if message_id is not None else None
        )
        if source is None or source.deleted:
            raise _bad("message to copy not found")
        fields = self._content_of(source)
        if "caption" in params.values and source.text is None:
            fields.pop("caption", None)
            fields.pop("caption_entities", None)
            fields.update(self._caption(params))
        markup = parse_reply_markup(params.get_json("reply_markup"))
        message = self.post(chat, params, markup=markup, **fields)
        return {"message_id": message.message_id}

    def forward_message(self, params: Params) -> JSONDict:
        chat = self.resolve_chat(params)
        self.check_writable(chat)
        source_chat = self.resolve_chat(params, "from_chat_id")
        message_id = params.get_int("message_id")
        source = (
            self.world.get_message(source_chat.id, message_id) if message_id is not None else None
        )
        if source is None or source.deleted:
            raise _bad("message to forward not found")
        fields = self._content_of(source)
        origin = source.forward_origin
        if origin is None:
            if source.sender_chat is not None:
                origin = {
                    "type": "chat",
                    "date": source.date,
                    "sender_chat": source.sender_chat.to_api(),
                }
            else:
                origin = {
                    "type": "user",
                    "date": source.date,
                    "sender_user": source.sender.to_api(),
                }
        message = self.post(chat, params, forward_origin=origin, **fields)
        return message.to_api()

    # -- editing ------------------------------------------------------------------------------
    def edit_message_text(self, params: Params) -> JSONDict:
        message = self._target(params, "edit")
        if not message.outgoing:
            raise _bad("message can't be edited")
        if message.text is None:
            raise _bad("there is no text in the message to edit")
        text = params.get_str("text")
        if not text:
            raise _bad("message text is empty")
        parse_mode = params.get_str("parse_mode")
        plain, entities = self.formatted(text, parse_mode, params.get_json("entities"))
        if not plain:
            raise _bad("message text is empty")
        if utf16_len(plain) > MAX_TEXT:
            raise _bad("message is too long")
        markup = parse_reply_markup(params.get_json("reply_markup"), inline_only=True)
        if (
            plain == message.text
            and entities == message.entities
            and _same_markup(markup, message.markup)
        ):
            raise _bad(NOT_MODIFIED)
        self.world.edit_message(
            message,
            text=plain,
            entities=entities,
            source=text,
            parse_mode=parse_mode,
            markup=markup,
        )
        return message.to_api()

    def edit_message_caption(self, params: Params) -> JSONDict:
        message = self._target(params, "edit")
        if not message.outgoing:
            raise _bad("message can't be edited")
        if message.text is not None:
            raise _bad("there is no caption in the message to edit")
        caption = self._caption(params)
        markup = parse_reply_markup(params.get_json("reply_markup"), inline_only=True)
        new_caption = caption.get("caption")
        new_entities = caption.get("caption_entities", [])
        if (
            new_caption == message.caption
            and new_entities == message.caption_entities
            and _same_markup(markup, message.markup)
        ):
            raise _bad(NOT_MODIFIED)
        self.world.edit_message(
            message,
            caption=new_caption,
            caption_entities=new_entities,
            source=caption.get("source"),
            parse_mode=caption.get("parse_mode"),
            markup=markup,
        )
        return message.to_api()

    def edit_message_reply_markup(self, params: Params) -> JSONDict:
        message = self._target(params, "edit")
        if not message.outgoing:
            raise _bad("message can't be edited")
        markup = parse_reply_markup(params.get_json("reply_markup"), inline_only=True)
        if _same_markup(markup, message.markup):
            raise _bad(NOT_MODIFIED)
        self.world.edit_message(message, markup=markup)
        return message.to_api()

    def delete_message(self, params: Params) -> bool:
        message = self._target(params, "delete")
        self._check_deletable(message)
        self.world.delete_message(message)
        return True

    def _check_deletable(self, message: ChatMessage) -> None:
        chat = message.chat
        if not message.outgoing and chat.is_group and chat.bot_status not in _ADMIN:
            raise _bad("message can't be deleted")
        if chat.type == "private" and self.world.now() - message.date > DELETE_WINDOW:
            # A bot may delete messages in a private chat only within 48 hours.
            raise _bad("message can't be deleted for everyone")

    def set_message_reaction(self, params: Params) -> bool:
        message = self._target(params, "react")
        if message.service is not None:
            raise _bad("MESSAGE_NOT_MODIFIED")
        raw = params.get_json("reaction")
        raw = [] if raw is None else raw
        if not isinstance(raw, list) or len(raw) > 1:
            # A bot may set at most one reaction on a message.
            raise _bad("REACTIONS_TOO_MANY")
        emoji: list[str] = []
        for item in raw:
            if not isinstance(item, dict) or item.get("type") != "emoji":
                raise _bad("REACTION_INVALID")
            value = item.get("emoji")
            if value not in REACTION_EMOJI:
                raise _bad("REACTION_INVALID")
            emoji.append(str(value))
        self.world.react(message, emoji)
        return True

    def delete_messages(self, params: Params) -> bool:
        chat = self.resolve_chat(params)
        ids = params.get_json("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise _bad("message_ids must contain 1-100 items")
        found = [self.world.get_message(chat.id, int(i)) for i in ids if isinstance(i, int)]
        alive = [m for m in found if m is not None and not m.deleted]
        if not alive:
            raise _bad("message to delete not found")
        for message in alive:
            self._check_deletable(message)
        for message in alive:
            self.world.delete_message(message)
        return True

    def answer_callback_query(self, params: Params) -> bool:
        query_id = params.get_str("callback_query_id") or ""
        record = self.world.callback_queries.get(query_id)
        if record is None or record.answer is not None:
            raise _bad(QUERY_INVALID)
        text = params.get_str("text")
        if text is not None and len(text) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        record.answer = CallbackAnswer(
            text=text,
            show_alert=params.get_bool("show_alert"),
            url=params.get_str("url"),
            cache_time=params.get_int("cache_time") or 0,
        )
        return True

    # -- files --------------------------------------------------------------------------------
    def get_file(self, params: Params) -> JSONDict:
        file_id = params.get_str("file_id") or ""
        stored = self.world.files.get(file_id)
        if stored is None:
            raise _bad("invalid file_id")
        if stored.size > MAX_DOWNLOAD:
            raise _bad("file is too big")
        data: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
        }
        if stored.content is not None:
            data["file_size"] = stored.size
        return data

    # -- chats --------------------------------------------------------------------------------
    def get_chat(self, params: Params) -> JSONDict:
        chat = self.resolve_chat(params)
        self._check_member(chat)
        data = chat.to_api()
        data.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        if chat.pinned_message_id is not None:
            pinned = self.world.get_message(chat.id, chat.pinned_message_id)
            if pinned is not None and not pinned.deleted:
                data["pinned_message"] = pinned.to_api(with_reply=False)
        if chat.is_group:
            data["permissions"] = {
                "can_send_messages": True,
                "can_send_audios": True,
                "can_send_documents": True,
                "can_send_photos": True,
                "can_send_videos": True,
                "can_send_polls": True,
                "can_send_other_messages": True,
                "can_add_web_page_previews": True,
                "can_invite_users": True,
            }
        return data

    def get_chat_member(self, params: Params) -> JSONDict:
        chat = self.resolve_chat(params)
        self._check_member(chat)
        user_id = params.get_int("user_id")
        if user_id is None:
            raise _bad("invalid user_id specified")
        user = self.world.user_by_id(user_id)
        if user is None:
            raise _bad("user not found")
        return self.world.member_api(chat, user)

    def get_chat_administrators(self, params: Params) -> list[JSONDict]:
        chat = self.resolve_chat(params)
        if chat.is_private:
            raise _bad("there are no administrators in the private chat")
        self._check_member(chat)
        admins = self.world.iter_group_members(chat, _ADMIN)
        if chat.bot_status in _ADMIN:
            admins.append(self.world.bot)
        admins.sort(key=lambda u: 0 if self.world.member_status(chat, u.id) == "creator" else 1)
        return [self.world.member_api(chat, user) for user in admins]

    def get_chat_member_count(self, params: Params) -> int:
        chat = self.resolve_chat(params)
        if chat.is_private:
            return 2
        self._check_member(chat)
        present: tuple[MemberStatus, ...] = ("creator", "administrator", "member", "restricted")
        count = len(self.world.iter_group_members(chat, present))
        return count + (1 if chat.bot_status in present else 0)

    def leave_chat(self, params: Params) -> bool:
        chat = self.resolve_chat(params)
        if chat.is_private:
            raise _bad("chat member status can't be changed in private chats")
        self._check_member(chat)
        chat.bot_status = "left"
        return True

    def pin_chat_message(self, params: Params) -> bool:
        chat = self.resolve_chat(params)
        self._check_member(chat)
        if chat.is_group and chat.bot_status not in _ADMIN:
            raise _bad("not enough rights to manage pinned messages in the chat")
        message_id = params.get_int("message_id")
        message = self.world.get_message(chat.id, message_id) if message_id else None
        if message is None or message.deleted:
            raise _bad("message to pin not found")
        chat.pinned_message_id = message.message_id
        return True

    def unpin_chat_message(self, params: Params) -> bool:
        chat = self.resolve_chat(params)
        self._check_member(chat)
        if chat.is_group and chat.bot_status not in _ADMIN:
            raise _bad("not enough rights to manage pinned messages in the chat")
        chat.pinned_message_id = None
        return True

    # -- bot settings -------------------------------------------------------------------------
    def _command_key(self, params: Params) -> tuple[str, str]:
        scope = params.get_json("scope")
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPES:
            raise _bad("can't parse BotCommandScope JSON object")
        if "chat_id" in scope:
            chat = self.resolve_chat(Params({"chat_id": scope["chat_id"]}))
            scope = {**scope, "chat_id": chat.id}
        elif scope["type"] in ("chat", "chat_administrators", "chat_member"):
            raise _bad("chat_id is empty")
        language = params.get_str("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad("invalid language code specified")
        return json.dumps(scope, sort_keys=True), language

    def set_my_commands(self, params: Params) -> bool:
        commands = params.get_json("commands")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("too many commands specified")
        cleaned: list[JSONDict] = []
        for item in commands:
            if not isinstance(item, dict):
                raise _bad("can't parse BotCommand JSON object")
            command = str(item.get("command", "")).lstrip("/")
            description = str(item.get("description", ""))
            if not _COMMAND.match(command):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command, "description": description})
        key = self._command_key(params)
        if cleaned:
            self.world.commands[key] = cleaned
        else:
            self.world.commands.pop(key, None)
        return True

    def get_my_commands(self, params: Params) -> list[JSONDict]:
        return list(self.world.commands.get(self._command_key(params), []))

    def delete_my_commands(self, params: Params) -> bool:
        self.world.commands.pop(self._command_key(params), None)
        return True

    def send_chat_action(self, params: Params) -> bool:
        chat = self.resolve_chat(params)
        self.check_writable(chat)
        action = params.get_str("action") or ""
        if action not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self._thread(chat, params)
        self.world.chat_actions.append((chat.id, action, self.world.clock()))
        return True

    def set_chat_menu_button(self, params: Params) -> bool:
        chat_id: int | None = None
        if "chat_id" in params:
            chat = self.resolve_chat(params)
            if not chat.is_private:
                raise _bad("menu button can be set only in private chats")
            chat_id = chat.id
        button = params.get_json("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "commands",
            "web_app",
            "default",
        ):
            raise _bad("can't parse MenuButton JSON object")
        if button["type"] == "web_app" and (
            not button.get("text") or not isinstance(button.get("web_app"), dict)
        ):
            raise _bad("can't parse MenuButton JSON object")
        if button["type"] == "default":
            self.world.menu_buttons.pop(chat_id, None)
        else:
            self.world.menu_buttons[chat_id] = dict(button)
        return True

    def get_chat_menu_button(self, params: Params) -> JSONDict:
        chat_id = self.resolve_chat(params).id if "chat_id" in params else None
        button = self.world.menu_buttons.get(chat_id) or self.world.menu_buttons.get(None)
        return dict(button) if button else {"type": "commands"}

    def _bot_text_setter(self, kind: str) -> Method:
        def setter(params: Params) -> bool:
            language = params.get_str("language_code") or ""
            value = params.get_str(kind) or ""
            if value:
                self.world.bot_texts[(kind, language)] = value
            else:
                self.world.bot_texts.pop((kind, language), None)
            return True

        return setter

    def _bot_text_getter(self, kind: str) -> Method:
        def getter(params: Params) -> JSONDict:
            language = params.get_str("language_code") or ""
            value = self.world.bot_texts.get((kind, language), "")
            if kind == "name" and not value:
                value = self.world.bot.first_name
            return {kind: value}

        return getter
