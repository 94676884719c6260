"""A notice being sent: the admin's progress message, Pause, Resume and Cancel, and the
list of who did not receive it. Telegram's rate limits are on, so sending takes a while."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from frontdoor_emulator import BotApiEmulator, ChatMessage, FloodLimits
from storage.core.db import Database
from storage.notices.repo import CANCELLED
from storage.tables import OutboxMessage
from tests.conftest import make_bot
from tests.harness import BotUnderTest
from tests.notices_support import (
    compose,
    en,
    labels,
    notice_row,
    press_new,
    received,
    seed_people,
)

PEOPLE = 240  # eight seconds at Telegram's 30 messages a second


@pytest.fixture
async def slow_bot(emu: BotApiEmulator, sqlite_db: Database,
                   tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    """The real bot with its rate limits on, and Telegram's flood control in the emulator."""
    emu.flood_limits = FloodLimits()
    under_test = make_bot(emu, sqlite_db, tmp_path, rate_limit=True)
    await under_test.start()
    yield under_test
    await under_test.stop()


def delivered(bot: BotUnderTest, people: list) -> int:
    return sum(len(received(bot.emu, p.user)) for p in people)


async def sending_then_press(bot: BotUnderTest, button: str) -> tuple[list, ChatMessage]:
    """A notice to everyone is being sent; the admin presses ``button`` on its progress."""
    people = await seed_people(bot.runtime, bot.emu, PEOPLE)
    preview = await compose(bot)
    await press_new(bot, bot.admin, preview, en("nt_btn_send_now"))
    progress = await bot.emu.wait_for_message(
        bot.admin, lambda m: en(button) in labels(m))
    bot.emu.press_button(bot.admin, progress, text=en(button))
    return people, progress


async def test_pause_holds_the_rest_back_and_resume_sends_each_person_once(
        slow_bot: BotUnderTest) -> None:
    bot, emu = slow_bot, slow_bot.emu
    people, progress = await sending_then_press(bot, "nt_btn_pause")
    paused = await emu.wait_for_message(
        bot.admin, lambda m: m.message_id == progress.message_id
        and en("nt_state_paused") in m.text, timeout=30)
    assert en("nt_btn_resume") in labels(paused)
    assert (await notice_row(bot)).status == "paused"
    await bot.drained(within=30)
    so_far = delivered(bot, people)
    assert so_far < PEOPLE  # what was queued when it paused went; nobody else

    emu.press_button(bot.admin, paused, text=en("nt_btn_resume"))
    summary = await emu.wait_for_message(
        bot.admin, lambda m: bool(m.text) and en(
            "nt_summary_done", id=1, companies=PEOPLE, sent=PEOPLE, failed=0, blocked=0,
            skipped=0) in m.text, timeout=60)
    assert summary
    assert all(len(received(emu, p.user)) == 1 for p in people)
    # Paced under Telegram's limit: never told to wait.
    assert [c.method for c in emu.calls if c.status == 429] == []


async def test_cancel_withdraws_what_is_not_sent_and_lists_who_missed_it(
        slow_bot: BotUnderTest) -> None:
    bot, emu = slow_bot, slow_bot.emu
    people, _ = await sending_then_press(bot, "nt_btn_stop")
    sheet = await emu.wait_for_message(bot.admin, lambda m: m.document is not None, timeout=30)
    row = await notice_row(bot)
    assert row.status == "cancelled"
    await bot.drained(within=30)
    got = delivered(bot, people)
    assert got < PEOPLE
    async with bot.db.reader() as s:  # queued and not yet sent at the press: withdrawn
        withdrawn = await s.scalar(select(func.count()).select_from(OutboxMessage)
                                   .where(OutboxMessage.error == CANCELLED))
    assert withdrawn
    assert got + int(withdrawn) <= PEOPLE
    assert all(len(received(emu, p.user)) <= 1 for p in people)
    assert sheet.document is not None
    rows = list(load_workbook(io.BytesIO(sheet.document.content)).active.iter_rows(
        values_only=True))[1:]
    # Everyone not reached is listed (those in flight at the press may have arrived since).
    listed = {r[0] for r in rows}
    assert {p.user.id for p in people if not received(emu, p.user)} <= listed
    assert {r[3] for r in rows} <= {en("nt_reason_cancelled"), en("nt_reason_pending")}
