"""Setting up the emulated world: users, groups, topics, memberships, blocks, migrations;
and which of its messages the bot gets to see."""

from __future__ import annotations

from collections.abc import Iterable

from .base import ADMIN_STATUSES, PRESENT_STATUSES, EmulatorBase
from .models import Chat, ChatMessage, JSONDict, MemberStatus, User


class WorldMixin(EmulatorBase):
    """Users, groups and topics, and the bot's place in them."""

    @property
    def bot(self) -> User:
        """The bot's own user object."""
        return self.world.bot

    def add_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        phone_number: str | None = None,
        is_premium: bool | None = None,
        started: bool = False,
        user_id: int | None = None,
    ) -> User:
        """Create a user (ids start at 7_000_000_001). Their private chat id equals their id.

        Like on Telegram, the bot can message the user only after the user wrote to it
        (any :meth:`send_text` etc. in the private chat) - or pass ``started=True``.
        """
        user = self.world.new_user(
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            phone_number=phone_number,
            is_premium=is_premium,
            user_id=user_id,
        )
        self.world.private_chat(user).started = started
        return user

    def add_group(
        self,
        title: str,
        *,
        members: Iterable[User] = (),
        admins: Iterable[User] = (),
        owner: User | None = None,
        forum: bool = False,
        supergroup: bool = True,
        username: str | None = None,
        bot_status: MemberStatus = "administrator",
        chat_id: int | None = None,
    ) -> Chat:
        """Create a group the bot is in (as ``bot_status``; admin by default).

        Supergroups get ids like ``-1001234567890``; ``supergroup=False`` makes a basic group
        (which :meth:`migrate_group` can upgrade). ``forum=True`` enables topics.
        """
        chat = self.world.new_group(
            title,
            supergroup=supergroup,
            forum=forum,
            username=username,
            bot_status=bot_status,
            chat_id=chat_id,
        )
        for user in members:
            chat.members[user.id] = "member"
        for user in admins:
            chat.members[user.id] = "administrator"
        if owner is not None:
            chat.members[owner.id] = "creator"
        return chat

    def add_topic(
        self,
        group: Chat,
        name: str,
        *,
        icon_color: int | None = None,
        creator: User | None = None,
    ) -> int:
        """Create a forum topic; returns its ``message_thread_id``.

        The ``forum_topic_created`` service message is delivered to the bot like on Telegram.
        """
        if not group.is_forum:
            raise ValueError(f"chat {group.id} is not a forum")
        if creator is None:
            admins = self.world.iter_group_members(group, ADMIN_STATUSES)
            creator = admins[0] if admins else self.world.bot
        topic = self.world.new_topic(group, name, creator, icon_color)
        if topic.created_message is not None and creator is not self.world.bot:
            self._deliver_message(topic.created_message)
        return topic.thread_id

    def set_member_status(self, chat: Chat, user: User, status: MemberStatus, *,
                          is_member: bool = True) -> None:
        """Change a user's membership (sends a ``chat_member`` update, which bots only get
        when they ask for it in ``allowed_updates``). ``is_member=False`` with
        ``status="restricted"`` is a restricted user who has left the group."""
        if chat.is_private:
            raise ValueError("membership only exists in groups")
        old = self.world.member_api(chat, user)
        chat.members[user.id] = status
        if status == "restricted" and not is_member:
            chat.restricted_outside.add(user.id)
        else:
            chat.restricted_outside.discard(user.id)
        new = self.world.member_api(chat, user)
        self._enqueue(
            "chat_member",
            {
                "chat": chat.to_api(),
                "from": user.to_api(),
                "date": self.world.now(),
                "old_chat_member": old,
                "new_chat_member": new,
            },
        )

    def set_bot_status(self, chat: Chat, status: MemberStatus, *, by: User | None = None) -> None:
        """Change the bot's membership in a group (sends ``my_chat_member``)."""
        if chat.is_private:
            raise ValueError("use block()/unblock() for private chats")
        old = self.world.member_api(chat, self.world.bot)
        chat.bot_status = status
        new = self.world.member_api(chat, self.world.bot)
        actor = by or next(iter(self.world.iter_group_members(chat, ADMIN_STATUSES)), None)
        self._enqueue(
            "my_chat_member",
            {
                "chat": chat.to_api(),
                "from": (actor or self.world.bot).to_api(),
                "date": self.world.now(),
                "old_chat_member": old,
                "new_chat_member": new,
            },
        )

    def block(self, user: User) -> None:
        """The user blocks the bot: further sends fail with 403; the bot gets
        ``my_chat_member`` (member -> kicked)."""
        chat = self.world.private_chat(user)
        if chat.blocked:
            return
        chat.blocked = True
        self._send_private_membership(user, "member", "kicked")

    def unblock(self, user: User) -> None:
        """The user restarts the bot (``my_chat_member`` kicked -> member)."""
        chat = self.world.private_chat(user)
        if not chat.blocked:
            return
        chat.blocked = False
        chat.started = True
        self._send_private_membership(user, "kicked", "member")

    def _send_private_membership(self, user: User, old: str, new: str) -> None:
        bot = self.world.bot.to_api()
        old_member: JSONDict = {"status": old, "user": bot}
        new_member: JSONDict = {"status": new, "user": bot}
        for member in (old_member, new_member):
            if member["status"] == "kicked":
                member["until_date"] = 0
        self._enqueue(
            "my_chat_member",
            {
                "chat": self.world.private_chat(user).to_api(),
                "from": user.to_api(),
                "date": self.world.now(),
                "old_chat_member": old_member,
                "new_chat_member": new_member,
            },
        )

    def migrate_group(self, group: Chat) -> Chat:
        """Upgrade a basic group to a supergroup; returns the new chat.

        Afterwards the bot's calls with the old id fail with 400 "group chat was upgraded to a
        supergroup chat" carrying ``migrate_to_chat_id`` (PTB raises ``ChatMigrated``).
        """
        if group.type != "group":
            raise ValueError("only basic groups (add_group(..., supergroup=False)) can migrate")
        new = self.world.new_group(
            group.title or "",
            supergroup=True,
            forum=False,
            username=None,
            bot_status=group.bot_status,
        )
        new.members = dict(group.members)
        group.migrated_to = new.id
        new.migrated_from = group.id
        owners = self.world.iter_group_members(group, ADMIN_STATUSES)
        actor = owners[0] if owners else self.world.bot
        first = self.world.add_message(
            group, actor, outgoing=False, service={"migrate_to_chat_id": new.id}
        )
        second = self.world.add_message(
            new, actor, outgoing=False, service={"migrate_from_chat_id": group.id}
        )
        self._deliver_message(first)
        self._deliver_message(second)
        return new

    # -- what reaches the bot ----------------------------------------------------------------
    def _bot_sees(self, message: ChatMessage) -> bool:
        chat = message.chat
        if chat.is_private:
            return not chat.blocked
        if chat.bot_status not in PRESENT_STATUSES:
            return False
        if not self.privacy_mode or chat.bot_status in ADMIN_STATUSES or message.service:
            return True
        if message.reply_to is not None and message.reply_to.outgoing:
            return True
        text = message.text if message.text is not None else (message.caption or "")
        entities = message.entities if message.text is not None else message.caption_entities
        name = (self.world.bot.username or "").lower()
        for entity in entities:
            start = int(entity["offset"])
            piece = text.encode("utf-16-le")[start * 2 : (start + int(entity["length"])) * 2]
            value = piece.decode("utf-16-le").lower()
            if entity["type"] == "bot_command" and ("@" not in value or value.endswith(name)):
                return True
            if entity["type"] == "mention" and value == f"@{name}":
                return True
        return False

    def _deliver_message(self, message: ChatMessage) -> None:
        if self._bot_sees(message):
            self._enqueue("message", message.to_api())
