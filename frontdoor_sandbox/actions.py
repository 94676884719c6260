"""What a person does on the page: type, press a button, share a contact, upload, and the
sandbox's own controls (a new person, the clock).

Each action checks what the page asked, then acts through the emulator as that person, exactly
as their Telegram client would; what cannot be done is a :class:`SandboxError`.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from frontdoor_emulator import Chat, ChatMessage, User
from frontdoor_emulator.state import image_size
from frontdoor_sandbox.seeding import FIRST_PERSON_ID, Person, Role, add_user

if TYPE_CHECKING:
    from frontdoor_sandbox.server import Sandbox

NAME_LIMIT = 64
TEXT_LIMIT = 4096
MORNING = time(8, 0)


class SandboxError(Exception):
    """A request the page made that cannot be done; answered with HTTP 400."""


def find_person(box: Sandbox, raw: Any) -> tuple[Person, User]:
    try:
        person = box.people[int(raw)]
    except (TypeError, ValueError, KeyError):
        raise SandboxError(f"no such person: {raw!r}") from None
    return person, box.emu.world.users[person.id]


def chat_for(box: Sandbox, person: Person, raw: Any) -> Chat:
    """The chat ``person`` may act in: their own private chat or a group they are in."""
    try:
        chat = box.emu.chat(int(raw)) if raw is not None else box.emu.chat(person.id)
    except (TypeError, ValueError, KeyError):
        raise SandboxError(f"no such chat: {raw!r}") from None
    if chat.is_private and chat.id != person.id:
        raise SandboxError(f"{person.name} cannot see chat {chat.id}")
    if chat.is_group and box.emu.world.member_status(chat, person.id) not in (
        "creator", "administrator", "member"
    ):
        raise SandboxError(f"{person.name} is not in {chat.title}")
    return chat


def thread_id(raw: Any) -> int | None:
    if raw in (None, "", "null"):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise SandboxError(f"bad thread id: {raw!r}") from None


def reply_target(box: Sandbox, chat: Chat, raw: Any) -> ChatMessage | None:
    if raw in (None, "", "null"):
        return None
    try:
        message = box.emu.world.get_message(chat.id, int(raw))
    except (TypeError, ValueError):
        message = None
    if message is None or message.deleted:
        raise SandboxError("the message to reply to is gone")
    return message


def send(box: Sandbox, body: dict[str, Any]) -> ChatMessage:
    person, user = find_person(box, body.get("person"))
    chat = chat_for(box, person, body.get("chat_id"))
    text = str(body.get("text") or "")
    if not text.strip():
        raise SandboxError("nothing to send")
    if len(text) > TEXT_LIMIT:
        raise SandboxError(f"Telegram messages hold at most {TEXT_LIMIT} characters")
    if body.get("keyboard") and chat.reply_keyboard is not None \
            and chat.reply_keyboard.find(text=text) is not None:
        return box.emu.tap(user, text, chat=chat)  # one-time keyboards close like on a phone
    return box.emu.send_text(
        user, text, chat=chat, reply_to=reply_target(box, chat, body.get("reply_to")),
        thread_id=thread_id(body.get("thread_id")),
    )


async def press(box: Sandbox, body: dict[str, Any]) -> dict[str, Any] | None:
    person, user = find_person(box, body.get("person"))
    chat = chat_for(box, person, body.get("chat_id"))
    message = reply_target(box, chat, body.get("message_id"))
    if message is None:
        raise SandboxError("which message?")
    try:
        query = box.emu.press(user, message, str(body.get("data") or ""))
    except (LookupError, ValueError) as exc:
        raise SandboxError(str(exc)) from None
    if not box.bot_running:
        return None
    with contextlib.suppress(TimeoutError):
        answer = await box.emu.wait_for_callback_answer(query, timeout=3.0)
        return {"text": answer.text, "alert": answer.show_alert}
    return None


def contact(box: Sandbox, body: dict[str, Any]) -> ChatMessage:
    person, user = find_person(box, body.get("person"))
    chat = chat_for(box, person, body.get("chat_id"))
    label = body.get("label")
    keyboard = chat.reply_keyboard
    if label and keyboard is not None and keyboard.find(text=str(label)) is not None:
        return box.emu.tap(user, str(label), chat=chat)
    return box.emu.send_contact(user, chat=chat)


def upload(box: Sandbox, fields: dict[str, str], filename: str, content: bytes,
           mime_type: str | None) -> ChatMessage:
    person, user = find_person(box, fields.get("person"))
    chat = chat_for(box, person, fields.get("chat_id"))
    reply_to = reply_target(box, chat, fields.get("reply_to"))
    thread = thread_id(fields.get("thread_id"))
    caption = fields.get("caption") or None
    if fields.get("as_photo") == "1" and image_size(content) is not None:
        return box.emu.send_photo(user, content=content, caption=caption, chat=chat,
                                  reply_to=reply_to, thread_id=thread)
    return box.emu.send_document(
        user, filename=filename, content=content, mime_type=mime_type, caption=caption,
        chat=chat, reply_to=reply_to, thread_id=thread,
    )


def add_person(box: Sandbox, body: dict[str, Any]) -> Person:
    name = " ".join(str(body.get("name") or "").split())
    if not 1 <= len(name) <= NAME_LIMIT:
        raise SandboxError(f"a name of 1–{NAME_LIMIT} characters, please")
    raw_role = body.get("role") or "enterprise"
    if raw_role not in ("enterprise", "officer"):
        # Admins come from FRONTDOOR_ADMIN_IDS, which the bot reads once at start.
        raise SandboxError("new people are enterprise users or officers")
    role: Role = "officer" if raw_role == "officer" else "enterprise"
    language = "en" if body.get("language") == "en" else "zh"
    number = max(box.people) + 1 if box.people else FIRST_PERSON_ID
    person = Person(number, name, role, language,
                    f"1390013{(number - FIRST_PERSON_ID) % 10000:04d}")
    box.people[person.id] = person
    add_user(box.emu, person, started=False)
    if role == "officer" and box.staff is not None:
        box.staff.members[person.id] = "member"
    box.saved.people.append(person)
    box._save()
    box._broadcast_state()
    return person


# A link into the bot, as a QR code or a poster carries it: t.me/<bot>?start=<payload>.
_BOT_LINK = re.compile(
    r"^https://t\.me/(?P<bot>[A-Za-z0-9_]{3,64})\?start=(?P<payload>[A-Za-z0-9_-]{1,64})$")


def open_link(box: Sandbox, body: dict[str, Any]) -> ChatMessage:
    """``person`` opens a link into the bot (scans an event pass, say): Telegram then sends
    ``/start <payload>`` from them in their private chat, and so does the sandbox."""
    person, user = find_person(box, body.get("person"))
    username = box.emu.world.bot.username
    match = _BOT_LINK.match(str(body.get("link") or "").strip())
    if match is None or match["bot"] != username:
        raise SandboxError(f"not a link into @{username}: https://t.me/<bot>?start=<payload>")
    return box.emu.send_text(user, f"/start {match['payload']}", chat=box.emu.chat(person.id))


def move_clock(box: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    action = body.get("action")
    now = box.clock.now()
    if action == "hour":
        box.clock.advance(timedelta(hours=1))
    elif action == "day":
        box.clock.advance(timedelta(days=1))
    elif action == "morning":
        local = now.astimezone(box.zone)
        target = datetime.combine(local.date(), MORNING, tzinfo=box.zone)
        if target <= local:
            target = datetime.combine(local.date() + timedelta(days=1), MORNING,
                                      tzinfo=box.zone)
        box.clock.set(target)
    else:
        raise SandboxError("action is one of: hour, day, morning")
    if box.rt is not None:
        box.rt.wake()  # reminders, rosters and escalations look at the new time now
    box._save()
    box._broadcast_state()
    return box.clock_view()


__all__ = ["NAME_LIMIT", "TEXT_LIMIT", "SandboxError", "add_person", "chat_for", "contact",
           "find_person", "move_clock", "open_link", "press", "reply_target", "send", "thread_id",
           "upload"]
