"""The Telegram side of reports: who may ask for /report, and sending its three parts."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot.core.context import continued
from bot.core.limits import TEXT_LIMIT
from bot.reports.report import Refusal, local_now, make, understand
from bot.texts import t
from handlers.core.plumbing import App, Context, lang_of
from handlers.core.staff import may_act_as_staff


async def on_report(update: Update, context: Context) -> None:
    """Answer /report [station] [period] with the numbers, the weekly chart and the workbook:
    officers in the staff group, admins in their private chat (every station)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None or message is None:
        return
    rt, lang = context.rt, lang_of(update)
    private = chat.type == "private"
    if private:
        if not rt.settings.is_admin(user.id):
            await message.reply_text(t(lang, "rp_staff_only"))
            return
    elif not await may_act_as_staff(update, context, refusal="rp_staff_only"):
        return
    thread = message.message_thread_id if message.is_topic_message else None
    asked = understand(rt.cat, (message.text or "").split()[1:], local_now(rt), lang,
                       thread_id=thread, every_by_default=private)
    if isinstance(asked, Refusal):
        await message.reply_text(asked.text)
        return
    # Built in a read-only session, the drawing and the file in a worker thread: other
    # people's updates are handled meanwhile (PerChatUpdateProcessor runs chats concurrently).
    out = await make(rt, asked, lang)
    for part in continued(out.text, TEXT_LIMIT):
        await context.bot.send_message(chat.id, part, message_thread_id=thread)
    if out.chart is not None:
        await context.bot.send_photo(
            chat.id, InputFile(out.chart.content, filename=out.chart.filename),
            message_thread_id=thread)
    await context.bot.send_document(
        chat.id, InputFile(out.workbook.content, filename=out.workbook.filename),
        message_thread_id=thread)


def setup(app: App) -> None:
    # Before the core's catch-all, which takes every command typed in a private chat.
    app.add_handler(CommandHandler("report", on_report))
