"""The one staff gate: who may act as an officer, and where, asked before a unit of work opens.

Every staff act (card buttons, staff commands, notes and replies on cards, the roster, join
decisions taken for a company with no contact left) goes through :func:`may_act_as_staff`:
the person must be a member of the staff group, asked of Telegram (a restricted member only
while ``is_member``), and the act must happen in the staff group itself — a staff command typed
in another group or in a private chat would show confidential threads there. Admin ids grant
admin acts (``/reload``), never a way round this. No database transaction waits on Telegram.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import ChatMigrated, TelegramError

from bot.core.context import current_staff_chat, in_staff_group
from bot.texts import t
from handlers.core.plumbing import Context, DomainFn, lang_of, unit

log = logging.getLogger(__name__)

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]

STAFF_CACHE_SECONDS = 60.0
# Telegram's id for "an anonymous admin of this group": we cannot know who pressed.
ANONYMOUS_ADMIN_ID = 1087968824
MEMBER_STATUSES = ("creator", "administrator", "member")


async def is_staff(context: Context, user_id: int) -> bool:
    """Is this person a member of the configured staff group?

    Asked of Telegram and remembered for a minute, so a busy group does not cost a call
    per press, and someone removed from the group loses access within a minute. Being an
    admin of the bot does not make anyone staff: admins act in the group as members too.
    """
    rt = context.rt
    staff_chat = await current_staff_chat(rt)
    if staff_chat is None:
        return False
    cache: dict[int, tuple[float, bool]] = context.application.bot_data.setdefault(
        "staff_cache", {})
    hit = cache.get(user_id)
    now = time.monotonic()
    if hit and now - hit[0] < STAFF_CACHE_SECONDS:
        return hit[1]
    try:
        member = await context.bot.get_chat_member(staff_chat, user_id)
    except ChatMigrated as exc:
        member = await context.bot.get_chat_member(exc.new_chat_id, user_id)
    except TelegramError:
        log.warning("could not ask Telegram whether %s is staff", user_id, exc_info=True)
        return False  # not remembered: asked again next time
    # A restricted user may have left the group: only ``is_member`` says they are still in.
    ok = member.status in MEMBER_STATUSES or (
        member.status == "restricted" and bool(getattr(member, "is_member", False)))
    cache[user_id] = (now, ok)
    return ok


def is_anonymous_admin(update: Update) -> bool:
    """An anonymous group admin acts as the group itself: we cannot know who pressed."""
    user = update.effective_user
    message = update.effective_message
    return bool(
        (user and user.id == ANONYMOUS_ADMIN_ID)
        or (message and message.sender_chat and update.effective_chat
            and message.sender_chat.id == update.effective_chat.id)
    )


async def _refuse(update: Update, key: str) -> None:
    text = t(lang_of(update), key)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


async def may_act_as_staff(update: Update, context: Context, *, refusal: str = "not_allowed",
                           silent_in_groups: bool = False) -> bool:
    """True when the sender is staff and acts in the staff group; otherwise they are told why
    (with ``silent_in_groups``, a stranger in a group is told nothing: a typed command there
    was not meant for us). Staff get a short refusal anywhere but the staff group."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return False
    quiet = silent_in_groups and chat.type != "private"
    if is_anonymous_admin(update):
        if not quiet:
            await _refuse(update, "staff_act_as_yourself")
        return False
    if not await is_staff(context, user.id):
        if not quiet:
            await _refuse(update, refusal)
        return False
    if not await in_staff_group(context.rt, chat.id):
        await _refuse(update, "staff_only_in_group")
        return False
    return True


async def member_in_staff_group(update: Update, context: Context, *,
                                 anonymous_ok: bool = False) -> bool:
    """Quietly: was this message written in the staff group by one of its members? For
    what officers write there without addressing the bot (replies, edits), where a stranger
    gets no answer at all; ``anonymous_ok`` lets an anonymous admin through to be told."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or not await in_staff_group(context.rt, chat.id):
        return False
    if anonymous_ok and is_anonymous_admin(update):
        return True
    return await is_staff(context, user.id)


def staff_only(handler: Handler, *, refusal: str = "not_allowed",
               silent_in_groups: bool = False) -> Handler:
    """``handler``, run only for staff members."""

    @functools.wraps(handler)
    async def gated(update: Update, context: Context) -> None:
        if await may_act_as_staff(update, context, refusal=refusal,
                                  silent_in_groups=silent_in_groups):
            await handler(update, context)

    return gated


def staff_unit(fn: DomainFn, *, refusal: str = "not_allowed",
               silent_in_groups: bool = False) -> Handler:
    """A domain call in one unit of work, for staff members only."""
    return staff_only(unit(fn), refusal=refusal, silent_in_groups=silent_in_groups)
