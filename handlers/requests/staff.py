"""The staff group: request cards' buttons, officers' replies, and the staff commands.

Only members of the staff group act on cards: the one staff gate asks Telegram before the
unit of work opens, so no database transaction waits on a network call.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update

from bot.core.context import Ctx
from bot.core.display import parse_id
from bot.core.payloads import REQUEST
from bot.core.replies import Reply
from bot.requests import officers, snippets
from bot.texts import t
from handlers.core.plumbing import Context, command_of, input_of, lang_of, unit
from handlers.core.staff import (
    is_anonymous_admin,
    is_staff,
    member_in_staff_group,
    staff_only,
)


@unit
async def _button(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    data = input_of(update).data
    if snippets.is_snippet_button(data):
        return await snippets.button(ctx, data)
    return await officers.button(ctx, data)


@staff_only
async def on_card_button(update: Update, context: Context) -> None:
    """Claim, unclaim, transfer, resolve or note a request from its card."""
    query = update.callback_query
    assert query is not None
    data = query.data or ""
    if data.startswith(f"{REQUEST}to:"):
        # Only hand a request to someone who is still in the staff group.
        target = parse_id(data.rsplit(":", 1)[-1])
        if target is None or not await is_staff(context, target):
            await query.answer(t(lang_of(update), "stale_button"))
            return
    await _button(update, context)


@unit
async def _reply(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    return await officers.group_reply(ctx, input_of(update),
                                      anonymous=is_anonymous_admin(update))


async def on_group_reply(update: Update, context: Context) -> None:
    """Relay an officer's reply on a request's message to the company, or keep it as a note.

    Only in the staff group, and only from its members: anyone else's reply (a comment in a
    linked discussion group, say) changes nothing. An anonymous admin is asked by the domain
    to act as themselves when the reply is about a request.
    """
    if await member_in_staff_group(update, context, anonymous_ok=True):
        await _reply(update, context)


@unit
async def _command(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    name, args = command_of(update)
    return await officers.STAFF_COMMANDS[name](ctx, args)


# /queue, /mine, /find, /history: for staff members, in the group or in private. To anyone
# else in private they are unknown commands; in a group they were not meant for us.
on_staff_command = staff_only(_command, refusal="unknown_command", silent_in_groups=True)


# Commands that act on the message they answer.
REPLY_COMMANDS = {**officers.STAFF_REPLY_COMMANDS, **snippets.SNIPPET_REPLY_COMMANDS}


@unit
async def _reply_command(ctx: Ctx, update: Update, context: Context) -> Sequence[Reply]:
    name, _ = command_of(update)
    return await REPLY_COMMANDS[name](ctx, input_of(update))


# /recall, /s: answer the message they reply to, so they keep what that message was.
on_staff_reply_command = staff_only(_reply_command, refusal="unknown_command",
                                    silent_in_groups=True)
