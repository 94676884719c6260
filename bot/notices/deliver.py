"""Delivering notices: the job that queues each notice's people into the outbox's bulk lane a
batch at a time, keeps the admin's progress message current, and sums up at the end.

Resumable and once per person: a batch's outbox rows (each under the dedupe key
``nt:<notice>:<person>``), its recipient rows and the notice's cursor commit together, and the
cursor only moves from where this worker read it. A restart continues after the cursor; what
the dispatcher had leased and not yet marked is sent again after its lease, and only that.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.core.context import BULK, Ctx, background_work
from bot.core.payloads import NOTICE
from bot.core.replies import XLSX, Button, FileOut
from bot.core.runtime import Runtime
from bot.notices.workbook import misses_workbook
from bot.texts import Raw, t
from storage.notices.repo import NoticeDTO, Notices, Tally

log = logging.getLogger(__name__)

# Queued ahead of the dispatcher, at most: enough for some seconds at Telegram's 30 a second,
# few enough that a pause takes hold at once and a batch is a short transaction.
WINDOW = 120
BATCH = 120
PROGRESS_EVERY = timedelta(seconds=3)


def progress_buttons(notice_id: int, status: str, lang: str) -> tuple[tuple[Button, ...], ...]:
    if status == "sending":
        return ((Button(t(lang, "nt_btn_pause"), f"{NOTICE}p:{notice_id}"),
                 Button(t(lang, "nt_btn_stop"), f"{NOTICE}x:{notice_id}")),)
    if status == "paused":
        return ((Button(t(lang, "nt_btn_resume"), f"{NOTICE}r:{notice_id}"),
                 Button(t(lang, "nt_btn_stop"), f"{NOTICE}x:{notice_id}")),)
    return ()


async def remaining(ctx: Ctx, notice: NoticeDTO, tally: Tally) -> int:
    """Messages still to go: queued and waiting, and the people not queued yet."""
    if notice.queued_all or notice.status in ("done", "cancelled"):
        return tally.pending if notice.status != "cancelled" else 0
    later = await ctx.notices.reach(notice.kind, notice.audience, notice.audience_values,
                                    notice.services, after=notice.cursor)
    return tally.pending + later.receiving


async def progress_text(ctx: Ctx, notice: NoticeDTO, tally: Tally, status: str) -> str:
    lang = notice.author_lang
    return t(lang, "nt_progress", id=notice.id, kind=t(lang, f"nt_kind_{notice.kind}"),
             state=t(lang, f"nt_state_{status}"), sent=tally.sent, failed=tally.failed,
             blocked=tally.blocked, remaining=await remaining(ctx, notice, tally))


async def show_progress(ctx: Ctx, notice: NoticeDTO, *, force: bool = False) -> None:
    """Edit the admin's progress message, at most every few seconds (``force``: now)."""
    if notice.progress_outbox_id is None:
        return
    if not force and notice.progress_at is not None \
            and ctx.now - notice.progress_at < PROGRESS_EVERY:
        return
    tally = await ctx.notices.tally(notice.id)
    text = await progress_text(ctx, notice, tally, notice.status)
    if text != notice.progress_text:
        await ctx.edit(notice.progress_outbox_id, text=text,
                       buttons=progress_buttons(notice.id, notice.status, notice.author_lang))
    await ctx.notices.set_progress(notice.id, at=ctx.now, text=text)


async def notices_job(rt: Runtime) -> None:
    """Start the notices whose time has come; queue, show and finish those being sent."""
    now = rt.clock.now()
    # Looked for with a reader first: most ticks nothing is being sent, and on SQLite a write
    # transaction every tick would hold up the people using the bot.
    async with rt.db.reader() as session:
        due = await Notices(session).due(now)
    for notice in due:
        try:
            if notice.status == "scheduled":
                await _start(rt, notice)
            await _queue_batch(rt, notice.id)
            await _step(rt, notice.id)
        except Exception:
            log.exception("notice %s: delivery step failed; trying again next tick", notice.id)


async def _start(rt: Runtime, notice: NoticeDTO) -> None:
    async with background_work(rt) as ctx:
        if not await ctx.notices.move(notice.id, ("scheduled",), "sending", ctx.now):
            return  # cancelled meanwhile, or another worker started it
        lang = notice.author_lang
        tally = Tally()
        started = await ctx.notices.get(notice.id)
        assert started is not None
        text = await progress_text(ctx, started, tally, "sending")
        row = await ctx.send(notice.author_id, text,
                             buttons=progress_buttons(notice.id, "sending", lang))
        await ctx.notices.set_progress(notice.id, outbox_id=row, at=ctx.now, text=text)


async def _queue_batch(rt: Runtime, notice_id: int) -> None:
    """Top the notice's queue up to the window, one batch in one transaction."""
    async with background_work(rt) as ctx:
        notice = await ctx.notices.get(notice_id)
        if notice is None or notice.status != "sending" or notice.queued_all:
            return
        waiting = (await ctx.notices.tally(notice_id)).pending
        room = min(BATCH, WINDOW - waiting)
        if room <= 0:
            return
        people = await ctx.notices.candidates(notice, room)
        cursor = people[-1].user_id if people else notice.cursor
        if not await ctx.notices.advance(notice_id, notice.cursor, cursor,
                                         done=len(people) < room):
            return  # another worker queued this batch
        for person in people:
            if person.blocked or person.opted_out:
                await ctx.notices.add_recipient(
                    notice_id, person.user_id, person.company_id, None,
                    "blocked" if person.blocked else "opted_out")
                continue
            row = await _queue_one(ctx, notice, person.user_id, person.language)
            await ctx.notices.add_recipient(notice_id, person.user_id, person.company_id,
                                            row, None)


async def _queue_one(ctx: Ctx, notice: NoticeDTO, user_id: int, lang: str) -> int | None:
    key = f"nt:{notice.id}:{user_id}"
    text = t(lang, "nt_message", kind=t(lang, f"nt_heading_{notice.kind}"),
             body=Raw(notice.text), stop=Raw(t(lang, "nt_how_to_stop")))
    row = await ctx.send(user_id, text, dedupe_key=key, bulk=True)
    if row is None:
        row = await ctx.outbox.by_dedupe_key(key)
    if notice.file_id and notice.file_kind:
        await ctx.outbox.add(user_id, "photo" if notice.file_kind == "photo" else "document",
                             {"file_id": notice.file_id, "caption": None}, ctx.now,
                             dedupe_key=f"{key}:f", lane=BULK)
    return row


async def _step(rt: Runtime, notice_id: int) -> None:
    """Show progress; when everyone is queued and nothing waits, finish."""
    async with background_work(rt) as ctx:
        notice = await ctx.notices.get(notice_id)
        if notice is None or notice.status != "sending":
            return
        if notice.queued_all and (await ctx.notices.tally(notice_id)).pending == 0:
            if await ctx.notices.move(notice_id, ("sending",), "done", ctx.now):
                await sum_up(ctx, notice_id)
            return
        await show_progress(ctx, notice)


async def sum_up(ctx: Ctx, notice_id: int) -> None:
    """The last word on a notice: its figures kept, the progress message's last edit, a
    summary, and the list of who did not receive it and why."""
    notice = await ctx.notices.get(notice_id)
    assert notice is not None
    tally = await ctx.notices.tally(notice_id)
    companies = await ctx.notices.companies_reached(notice_id)
    await ctx.notices.finish(notice_id, tally, companies)
    notice = await ctx.notices.get(notice_id)
    assert notice is not None
    lang = notice.author_lang
    await show_progress(ctx, notice, force=True)
    await ctx.send(notice.author_id, t(
        lang, f"nt_summary_{notice.status}", id=notice.id, companies=companies,
        sent=tally.sent, failed=tally.failed + tally.cancelled, blocked=tally.blocked,
        skipped=tally.skipped))
    misses = await ctx.notices.misses(notice_id)
    if notice.status == "cancelled" and not notice.queued_all:
        misses += await ctx.notices.never_queued(notice)
    if misses:
        content = misses_workbook(misses, lang)
        await ctx.send_upload(notice.author_id, FileOut(f"notice-{notice.id}-undelivered.xlsx",
                                                        content, XLSX),
                              caption=t(lang, "nt_misses_caption", count=len(misses)))
