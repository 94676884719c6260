"""Plumbing shared by every handler: the typed context, update → plain values, rendering, the
unit of work around a domain call, and the callback handler that tells private chats from groups."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import Application, CallbackContext, CallbackQueryHandler, ExtBot

from bot.core.cleaning import clean_name, clean_text
from bot.core.context import (
    Actor,
    Ctx,
    DuplicateUpdate,
    continued,
    kept_answer,
    short_caption,
    unit_of_work,
)
from bot.core.limits import CAPTION_LIMIT, TEXT_LIMIT, visible_len
from bot.core.metrics import OUTCOME
from bot.core.replies import FileIn, Input, Reply
from bot.core.runtime import Runtime
from bot.texts import esc, t

log = logging.getLogger(__name__)


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with typed access to the runtime."""

    # The first bytes of a document this update carries, fetched before the unit of work.
    upload_head: bytes | None = None
    # Whether the person is an officer, when a handler asked Telegram before the unit of work.
    officer: bool | None = None

    @property
    def rt(self) -> Runtime:
        rt: Runtime = self.application.bot_data["rt"]
        return rt


App = Application[ExtBot[None], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]
DomainFn = Callable[[Ctx, Update, Context], Awaitable[Sequence[Reply] | None]]


def actor_of(update: Update) -> Actor | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    message = update.effective_message
    thread = message.message_thread_id if message and message.is_topic_message else None
    return Actor(
        user_id=user.id, chat_id=chat.id, first_name=clean_name(user.first_name or ""),
        username=user.username, language_code=user.language_code, chat_type=chat.type,
        thread_id=thread,
    )


def file_of(message: Message, head: bytes | None = None) -> FileIn | None:
    if message.document:
        d = message.document
        return FileIn(d.file_id, d.file_unique_id, "document",
                      clean_name(d.file_name) if d.file_name else None, d.mime_type,
                      d.file_size, head)
    if message.photo:
        p = message.photo[-1]
        return FileIn(p.file_id, p.file_unique_id, "photo", None, "image/jpeg", p.file_size)
    return None


def input_of(update: Update, *, head: bytes | None = None) -> Input:
    """The person's action as a plain :class:`Input` (``head``: a document's first bytes)."""
    query = update.callback_query
    if query is not None:
        msg = query.message
        return Input(kind="button", data=query.data or "",
                     message_id=msg.message_id if isinstance(msg, Message) else None)
    message = update.effective_message
    if message is None:
        return Input(kind="other")
    replied = message.reply_to_message
    about: dict[str, Any] = {
        "message_id": message.message_id,
        "reply_to_message_id": replied.message_id if replied else None,
        "reply_to_user_id": replied.from_user.id if replied and replied.from_user else None,
    }
    if message.contact:
        return Input(kind="contact", phone=clean_text(message.contact.phone_number),
                     contact_user_id=message.contact.user_id, **about)
    file = file_of(message, head)
    if file is not None:
        return Input(kind="file", file=file, text=clean_text(message.caption or ""),
                     html=message.caption_html or "", **about)
    if message.text is not None:
        return Input(kind="command" if message.text.startswith("/") else "text",
                     text=clean_text(message.text), html=message.text_html, **about)
    return Input(kind="other", **about)


def command_of(update: Update) -> tuple[str, list[str]]:
    """``/Name@bot a b`` → ("name", ["a", "b"])."""
    message = update.effective_message
    assert message is not None
    assert message.text
    head, *args = message.text.split()
    return head[1:].split("@")[0].lower(), args


def _markup(reply: Reply) -> Any:
    if reply.buttons:
        return InlineKeyboardMarkup([
            [InlineKeyboardButton(b.text, callback_data=b.data, url=b.url) for b in row]
            for row in reply.buttons
        ])
    if reply.contact_label:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(reply.contact_label, request_contact=True)]],
            resize_keyboard=True, one_time_keyboard=True,
        )
    if reply.keyboard:
        return ReplyKeyboardMarkup([list(row) for row in reply.keyboard], resize_keyboard=True)
    if reply.remove_keyboard:
        return ReplyKeyboardRemove()
    return None


async def _record_choice(update: Update, query: CallbackQuery | None) -> None:
    """Write the pressed button's label under its question and take the buttons away, so the
    chat reads as a record of what was answered and nothing old can be pressed again."""
    if query is None or not isinstance(query.message, Message) or query.message.text is None:
        return
    message = query.message
    markup = message.reply_markup
    label = next((b.text for row in (markup.inline_keyboard if markup else ())
                  for b in row if b.callback_data == query.data), None)
    if label is None:
        return
    chosen = t(lang_of(update), "chosen_answer", answer=esc(label))
    text = message.text_html + "\n\n" + chosen
    if visible_len(text) > TEXT_LIMIT:
        text = message.text_html  # too long to add to: the buttons still go
    try:
        await message.edit_text(text, reply_markup=None)
    except BadRequest as exc:
        log.info("could not record the choice (%s)", exc.message)


async def render(update: Update, context: Context, replies: Sequence[Reply]) -> None:
    """Show the domain's answers: edit the pressed message in place, or send new ones."""
    query: CallbackQuery | None = update.callback_query
    chat = update.effective_chat
    message = update.effective_message
    thread = message.message_thread_id if message and message.is_topic_message else None
    notice = next((r for r in replies if r.notice), None)
    if query is not None:
        await query.answer(notice.notice if notice else None,
                           show_alert=bool(notice and notice.alert))
    for reply in replies:
        if reply.record_choice:
            await _record_choice(update, query)
            continue
        if not reply.text and reply.document is None:
            continue
        markup = _markup(reply)
        too_long = visible_len(reply.text) > (
            CAPTION_LIMIT if reply.document is not None else TEXT_LIMIT)
        if reply.edit and not too_long and query is not None \
                and isinstance(query.message, Message):
            inline = markup if isinstance(markup, InlineKeyboardMarkup) else None
            try:
                await query.message.edit_text(reply.text, reply_markup=inline)
                continue
            except BadRequest as exc:
                if "not modified" in exc.message.lower():
                    continue
                log.info("edit failed (%s); sending a new message instead", exc.message)
        if chat is None:
            continue
        if reply.document is not None:
            await context.bot.send_document(
                chat.id, InputFile(reply.document.content, filename=reply.document.filename),
                caption=short_caption(reply.text or None), reply_markup=markup,
                message_thread_id=thread,
            )
            if too_long:
                for part in continued(reply.text, TEXT_LIMIT):
                    await context.bot.send_message(chat.id, part, message_thread_id=thread)
            continue
        # A screen that echoes what someone typed may be longer than one message: it goes
        # out in parts (an edit would have to be one), the buttons under the last.
        parts = continued(reply.text, TEXT_LIMIT)
        for number, part in enumerate(parts):
            await context.bot.send_message(
                chat.id, part, reply_markup=markup if number == len(parts) - 1 else None,
                message_thread_id=thread,
            )


class AnswerNotShown(Exception):
    """The update's work was committed, but its answer could not be shown: the person is
    told it took effect, so they do not do it again."""


def unit(fn: DomainFn) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    """Run ``fn`` in one unit of work for the update, then render what it answered."""

    @functools.wraps(fn)
    async def handler(update: Update, context: Context) -> None:
        actor = actor_of(update)
        if actor is None:
            return
        try:
            async with unit_of_work(context.rt, actor, update.update_id) as ctx:
                replies = await fn(ctx, update, context) or []
                await ctx.keep_answer(replies)
        except DuplicateUpdate:
            # Telegram delivers an update again only when it was not told it arrived. If
            # this process answered it, that is enough; if not, the process that handled it
            # may have stopped after committing and before answering, so the answer kept
            # with it is sent (a second copy only if that one went out just before).
            OUTCOME.set("duplicate")
            rt = context.rt
            replies = ([] if update.update_id in rt.answered
                       else await kept_answer(rt, update.update_id))
            log.info("update %s was handled already; its answer again: %d message(s)",
                     update.update_id, len(replies))
            if not replies:
                if update.callback_query:
                    await update.callback_query.answer()
                return
        try:
            await render(update, context, replies)
        except Exception as exc:
            raise AnswerNotShown(update.update_id) from exc
        context.rt.answered.add(update.update_id)

    return handler


class ChatCallbackHandler(CallbackQueryHandler[Context, None]):
    """A callback handler for buttons pressed in private chats only, or in groups only."""

    def __init__(self, callback: Any, pattern: str, *, private: bool) -> None:
        super().__init__(callback, pattern=pattern)
        self.private = private

    def check_update(self, update: object) -> Any:
        if not isinstance(update, Update) or update.effective_chat is None:
            return None
        if (update.effective_chat.type == "private") != self.private:
            return None
        return super().check_update(update)


def lang_of(update: Update) -> str:
    """The language of the person who sent the update, for a reply outside a unit of work."""
    from bot.texts import language_of

    user = update.effective_user
    return language_of(user.language_code if user else None)
