"""Things people do: the Python API that plays the users (send, edit, press, tap) and
pushes raw updates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from .base import ADMIN_STATUSES, PRESENT_STATUSES, ChatLike, PendingUpdate
from .entities import detect_entities
from .models import CallbackQueryRecord, ChatMessage, JSONDict, User
from .world import WorldMixin


class ActionsMixin(WorldMixin):
    """The users' side of the conversation. Built on :class:`WorldMixin`: a user writing to
    a bot they blocked unblocks it first, like on Telegram."""

    def send_text(
        self,
        user: User,
        text: str,
        *,
        chat: ChatLike | None = None,
        reply_to: ChatMessage | None = None,
        thread_id: int | None = None,
        anonymous: bool = False,
        entities: Sequence[JSONDict] | None = None,
    ) -> ChatMessage:
        """``user`` sends ``text`` (to their private chat unless ``chat`` is given).

        Entities (``bot_command``, urls, mentions, ...) are detected like a client would,
        unless passed explicitly. ``anonymous=True`` posts as an anonymous group admin
        (``from`` = GroupAnonymousBot, ``sender_chat`` = the group).
        """
        if not text:
            raise ValueError("Telegram clients do not send empty messages")
        return self._user_message(
            user,
            chat,
            reply_to,
            thread_id,
            anonymous,
            text=text,
            entities=list(entities) if entities is not None else detect_entities(text),
        )

    def send_contact(
        self,
        user: User,
        phone_number: str | None = None,
        *,
        user_id: int | Literal["self"] | None = "self",
        first_name: str | None = None,
        last_name: str | None = None,
        chat: ChatLike | None = None,
        reply_to: ChatMessage | None = None,
    ) -> ChatMessage:
        """``user`` shares a contact - by default their own (``user_id`` = their id,
        phone from ``add_user(phone_number=...)`` unless given). The number is passed on
        verbatim: real clients often omit the leading ``+``."""
        phone = phone_number or user.phone_number
        if not phone:
            raise ValueError("no phone number: pass one or set it in add_user()")
        own = user_id == "self"
        contact: JSONDict = {
            "phone_number": phone,
            "first_name": first_name or (user.first_name if own else "Contact"),
        }
        surname = last_name if last_name is not None else (user.last_name if own else None)
        if surname:
            contact["last_name"] = surname
        if own:
            contact["user_id"] = user.id
        elif isinstance(user_id, int):
            contact["user_id"] = user_id
        return self._user_message(user, chat, reply_to, None, False, contact=contact)

    def send_document(
        self,
        user: User,
        *,
        filename: str,
        content: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
        chat: ChatLike | None = None,
        reply_to: ChatMessage | None = None,
        thread_id: int | None = None,
    ) -> ChatMessage:
        """``user`` sends a file; the bot can download it via getFile + the file URL."""
        stored = self.world.store_file(
            "document", content=content, filename=filename, mime_type=mime_type
        )
        return self._user_message(
            user, chat, reply_to, thread_id, False, document=stored, **self._user_caption(caption)
        )

    def send_photo(
        self,
        user: User,
        *,
        content: bytes,
        caption: str | None = None,
        chat: ChatLike | None = None,
        reply_to: ChatMessage | None = None,
        thread_id: int | None = None,
    ) -> ChatMessage:
        """``user`` sends a photo (PNG/JPEG/GIF sizes are read from the bytes)."""
        stored = self.world.store_file("photo", content=content)
        return self._user_message(
            user, chat, reply_to, thread_id, False, photo=stored, **self._user_caption(caption)
        )

    def edit_text(self, user: User, message: ChatMessage, text: str) -> ChatMessage:
        """``user`` edits one of their messages (the bot gets ``edited_message``)."""
        if message.outgoing or message.sender is not user or message.text is None:
            raise ValueError("users can only edit their own text messages")
        self.world.edit_message(message, text=text, entities=detect_entities(text))
        if self._bot_sees(message):
            self._enqueue("edited_message", message.to_api())
        return message

    def press(
        self,
        user: User,
        message: ChatMessage,
        data: str,
        *,
        anonymous: bool = False,
        forged: bool = False,
    ) -> str:
        """``user`` presses the inline button whose ``callback_data`` is ``data``.

        Returns the callback query id (see :meth:`callback_answer`). Raises
        :class:`LookupError` if the message has no such button right now, unless
        ``forged=True``: then the callback is sent anyway, as from a modified client or a
        client still showing an outdated keyboard.
        ``anonymous=True`` makes ``from`` the GroupAnonymousBot (real Telegram reveals the
        presser; this lets you test code paths that must cope with it).
        """
        markup = message.inline_keyboard
        button = markup.find(data=data) if markup is not None else None
        if button is None and not forged:
            message.button(data=data)  # raises LookupError listing the buttons
            raise AssertionError("unreachable")
        return self._press(user, message, data, anonymous)

    def press_button(
        self, user: User, message: ChatMessage, text: str, *, anonymous: bool = False
    ) -> str:
        """Like :meth:`press` but finds the inline button by its visible text."""
        markup = message.inline_keyboard
        button = markup.find(text=text) if markup is not None else None
        if button is None:
            message.button(text)  # raises LookupError listing the buttons
            raise AssertionError("unreachable")
        if button.callback_data is None:
            raise ValueError(f"button {text!r} is a {button.kind} button, not a callback button")
        return self._press(user, message, button.callback_data, anonymous)

    def tap(self, user: User, text: str, *, chat: ChatLike | None = None) -> ChatMessage:
        """``user`` taps a button of the reply keyboard currently shown in the chat.

        Sends its text, or the user's own contact for ``request_contact`` buttons.
        """
        target = self._chat_of(chat) if chat is not None else self.world.private_chat(user)
        keyboard = target.reply_keyboard
        button = keyboard.find(text=text) if keyboard is not None else None
        if keyboard is None or button is None:
            shown = keyboard.texts() if keyboard is not None else None
            raise LookupError(f"no reply keyboard button {text!r} in chat {target.id}: {shown}")
        if keyboard.raw.get("one_time_keyboard"):
            target.reply_keyboard = None
        if button.request_contact:
            return self.send_contact(user, chat=target)
        return self.send_text(user, text, chat=target)

    def push_raw_update(self, update: JSONDict) -> int:
        """Queue an arbitrary update dict; an existing ``update_id`` is kept (duplicates)."""
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        update_id = int(update["update_id"])
        self._next_update_id = max(self._next_update_id, update_id + 1)
        self._updates.append(PendingUpdate(update, forced=True))
        self._pulse("updates")
        return update_id

    # -- helpers for the above ---------------------------------------------------------------
    def _user_caption(self, caption: str | None) -> JSONDict:
        if not caption:
            return {}
        return {"caption": caption, "caption_entities": detect_entities(caption)}

    def _user_message(
        self,
        user: User,
        chat: ChatLike | None,
        reply_to: ChatMessage | None,
        thread_id: int | None,
        anonymous: bool,
        **fields: Any,
    ) -> ChatMessage:
        target = self._chat_of(chat) if chat is not None else self.world.private_chat(user)
        if target.is_private:
            if target.id != user.id:
                raise ValueError(f"{user.first_name} cannot write into another user's chat")
            if anonymous:
                raise ValueError("anonymous posting only exists in groups")
            if target.blocked:
                self.unblock(user)
            target.started = True
        else:
            status = self.world.member_status(target, user.id)
            if status not in PRESENT_STATUSES:
                raise ValueError(f"{user.first_name} is not a member of {target.title!r}")
            if anonymous and status not in ADMIN_STATUSES:
                raise ValueError("only admins can post anonymously")
        if target.migrated_to is not None:
            raise ValueError(f"chat {target.id} was migrated to {target.migrated_to}")
        if reply_to is not None and reply_to.chat is not target:
            raise ValueError("reply_to must be a message of the same chat")
        thread: int | None = None
        if thread_id is not None and thread_id != 1:
            if thread_id not in target.topics:
                raise ValueError(f"chat {target.id} has no topic {thread_id}")
            thread = thread_id
        elif reply_to is not None:
            thread = reply_to.thread_id
        if thread is not None and reply_to is None:
            reply_to = target.topics[thread].created_message
        sender = self.world.anonymous_admin if anonymous else user
        message = self.world.add_message(
            target,
            sender,
            outgoing=False,
            sender_chat=target if anonymous else None,
            reply_to=reply_to,
            thread_id=thread,
            is_topic_message=thread is not None,
            **fields,
        )
        self._deliver_message(message)
        return message

    def _press(self, user: User, message: ChatMessage, data: str, anonymous: bool) -> str:
        if message.deleted:
            raise ValueError("the message was deleted")
        chat = message.chat
        if chat.is_private and chat.id != user.id:
            raise ValueError(f"{user.first_name} cannot see chat {chat.id}")
        if chat.is_group and self.world.member_status(chat, user.id) not in PRESENT_STATUSES:
            raise ValueError(f"{user.first_name} is not a member of {chat.title!r}")
        query_id = str(4_000_000_000_000_000_000 + len(self.world.callback_queries) + 1)
        self.world.callback_queries[query_id] = CallbackQueryRecord(
            id=query_id, user=user, message=message, data=data, date=self.world.clock()
        )
        sender = self.world.anonymous_admin if anonymous else user
        self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": sender.to_api(),
                "message": message.to_api(),
                "chat_instance": str((chat.id * 2654435761) % (1 << 62)),
                "data": data,
            },
        )
        return query_id
