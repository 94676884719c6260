"""What the page sees: the sandbox, its chats, messages and keyboards as plain JSON values.

Nothing here changes the sandbox; every function turns emulator or sandbox objects into the
dicts the page's script reads (``/api/state``, ``/api/chats/…/messages`` and ``/events``).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.catalogue import summary
from frontdoor_emulator import BotApiEmulator, Chat, ChatMessage, Markup
from frontdoor_sandbox.notes import note
from frontdoor_sandbox.sanitize import sanitize
from frontdoor_sandbox.seeding import Person

if TYPE_CHECKING:
    from frontdoor_sandbox.server import Sandbox


def markup_rows(markup: Markup | None) -> list[list[dict[str, Any]]]:
    if markup is None:
        return []
    rows: list[list[dict[str, Any]]] = []
    for row in markup.rows:
        rows.append([
            {k: v for k, v in (("text", b.text), ("data", b.callback_data), ("url", b.url),
                               ("contact", b.request_contact or None)) if v is not None}
            for b in row
        ])
    return rows


def clock_view(now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    local = now.astimezone(zone)
    return {"utc": now.isoformat(), "local": local.strftime("%Y-%m-%d %H:%M"),
            "weekday": local.strftime("%a"), "zone": zone.key}


def chats_of(emu: BotApiEmulator, staff: Chat | None, person: Person) -> list[dict[str, Any]]:
    chats: list[dict[str, Any]] = [
        {"id": person.id, "title": emu.bot.first_name, "kind": "private"}
    ]
    if staff is not None and emu.world.member_status(staff, person.id) in (
        "creator", "administrator", "member"
    ):
        topics = [{"thread_id": t.thread_id, "name": t.name} for t in staff.topics.values()]
        chats.append({"id": staff.id, "title": staff.title, "kind": "group",
                      "topics": topics})
    return chats


def state(box: Sandbox, bot_username: str) -> dict[str, Any]:
    people = [{**asdict(p), "note": note(p, box.companies.get(p.id)), "chats": box.chats_of(p)}
              for p in box.people.values()]
    return {
        "bot": {"name": box.emu.bot.first_name, "username": bot_username,
                "running": box.bot_running},
        "people": people,
        "clock": box.clock_view(),
        "catalogue": {
            "path": str(box.catalogue_path), "ok": not box.catalogue_errors,
            "errors": box.catalogue_errors,
            "summary": summary(box.catalogue) if box.catalogue else "",
        },
    }


def file_url(path: str) -> str:
    return f"/files/{path}"


def message_view(message: ChatMessage, zone: ZoneInfo) -> dict[str, Any]:
    when = datetime.fromtimestamp(message.date, UTC).astimezone(zone)
    view: dict[str, Any] = {
        "id": message.message_id, "chat_id": message.chat_id,
        "thread_id": message.thread_id,
        "time": when.strftime("%H:%M"), "day": when.strftime("%Y-%m-%d"),
        "sender": {"id": message.sender.id, "name": message.sender.full_name,
                   "is_bot": message.sender.is_bot},
        "outgoing": message.outgoing, "html": sanitize(message.html),
        "edited": bool(message.history), "deleted": message.deleted,
        "reactions": list(message.reactions),
        "buttons": markup_rows(message.inline_keyboard),
    }
    if message.reply_to is not None and not message.reply_to.service:
        reply = message.reply_to
        view["reply_to"] = {"id": reply.message_id, "name": reply.sender.full_name,
                            "snippet": (reply.content or f"[{reply.kind}]")[:80]}
    if message.document is not None:
        doc = message.document
        view["document"] = {"name": doc.filename or "file", "size": doc.size,
                            "mime": doc.mime_type, "url": file_url(doc.file_path)}
    if message.photo is not None:
        photo = message.photo
        view["photo"] = {"url": file_url(photo.file_path), "width": photo.width,
                         "height": photo.height}
    if message.contact is not None:
        view["contact"] = {"phone": message.contact.get("phone_number"),
                           "name": message.contact.get("first_name")}
    if message.service:
        created = message.service.get("forum_topic_created")
        view["service"] = (f"Topic “{created['name']}” created" if created
                           else ", ".join(message.service))
    return view


def keyboard_view(chat: Chat) -> dict[str, Any] | None:
    keyboard = chat.reply_keyboard
    if keyboard is None:
        return None
    return {"rows": markup_rows(keyboard),
            "placeholder": keyboard.raw.get("input_field_placeholder")}


__all__ = ["chats_of", "clock_view", "file_url", "keyboard_view", "markup_rows",
           "message_view", "state"]
