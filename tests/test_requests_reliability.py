"""Nothing lost, nothing doubled: outages, rate limits, kills, duplicate updates, races."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.texts import t
from frontdoor_emulator import BotApiEmulator
from frontdoor_emulator.errors import WaitTimeoutError
from frontdoor_emulator.models import Chat, ChatMessage
from storage.core.db import Database
from storage.core.repos import ChatAliases
from storage.requests.repo import Requests
from tests.harness import (
    ROOT,
    TOKEN,
    BotUnderTest,
    copy_catalogue,
    join_company,
    manual_clock,
    matches,
)
from tests.requests_steps import CONFIRM, card_of, claimed, open_service, submit


def failed_sends_to(emu: BotApiEmulator, chat_id: int) -> int:
    return sum(1 for c in emu.calls_of("sendMessage")
               if not c.ok and str(c.params.get("chat_id")) == str(chat_id))


def cards(bot_or_emu: BotApiEmulator, chat_id: int) -> list[str]:
    return [m.text or "" for m in bot_or_emu.messages(chat_id) if m.inline_keyboard is not None
            and "其他需求" in (m.text or "")]


async def nudge_until(bot: BotUnderTest, condition: Callable[[], bool]) -> None:
    """Move the clock past each retry delay until ``condition`` holds (no real waiting)."""
    for _ in range(200):
        if condition():
            return
        bot.clock.advance(timedelta(seconds=30))  # type: ignore[attr-defined]
        bot.runtime.wake()
        with contextlib.suppress(WaitTimeoutError):
            await bot.emu.wait_until(condition, timeout=0.05)
    raise AssertionError("condition never held")


async def to_summary(bot: BotUnderTest):  # type: ignore[no-untyped-def]
    alice = bot.user("Alice")
    await bot.register(alice)
    await open_service(bot, alice, "other-needs")
    files = await bot.say(alice, "停电期间提交")
    return alice, files


async def test_request_sent_during_an_outage_reaches_the_group_once(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice, summary = await to_summary(bot)
    bot.emu.set_outage(502, include_polling=False)
    bot.emu.press_button(alice, summary, CONFIRM)
    await nudge_until(bot, lambda: failed_sends_to(bot.emu, bot.staff.id) >= 3)
    bot.emu.clear_outage()
    await nudge_until(bot, lambda: bool(cards(bot.emu, bot.staff.id)))
    await bot.emu.next_message(bot.staff, lambda m: "停电期间提交" in m.content)
    await bot.emu.expect_no_message(bot.staff, within=0.5)
    assert len(cards(bot.emu, bot.staff.id)) == 1


async def test_rate_limited_card_is_retried_after_the_wait_once(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice, summary = await to_summary(bot)
    rule = bot.emu.fail_next(3, status=429, retry_after=5, method="sendMessage")
    bot.emu.press_button(alice, summary, CONFIRM)
    await nudge_until(bot, lambda: bool(cards(bot.emu, bot.staff.id)))
    assert rule.remaining == 0
    assert failed_sends_to(bot.emu, bot.staff.id) == 3
    await bot.emu.next_message(bot.staff, lambda m: "停电期间提交" in m.content)
    await bot.emu.expect_no_message(bot.staff, within=0.5)
    assert len(cards(bot.emu, bot.staff.id)) == 1


async def test_a_duplicated_update_is_handled_once(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "重复投递")
    await card_of(bot, reference)
    bot.emu.send_text(alice, "只应出现一次")
    update = dict(bot.emu.pending_updates[-1])
    bot.emu.push_raw_update(update)
    await bot.emu.next_message(bot.staff, lambda m: "只应出现一次" in m.content)
    await bot.emu.expect_no_message(bot.staff, within=0.5)
    relayed = [m for m in bot.emu.messages(bot.staff) if "只应出现一次" in m.content]
    assert len(relayed) == 1


async def test_fifty_officers_pressing_claim_at_once_make_one_owner(
        any_bot: BotUnderTest) -> None:
    bot = any_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "抢单")
    card = await card_of(bot, reference)
    officers = [bot.emu.add_user(f"专员{i:02d}") for i in range(50)]
    for officer in officers:
        bot.staff.members[officer.id] = "member"
    queries = [bot.emu.press_button(o, card, t("zh", "btn_claim")) for o in officers]
    answers = await asyncio.gather(*(bot.emu.wait_for_callback_answer(q, timeout=30)
                                     for q in queries))
    won = [a for a in answers if a.text and a.text.startswith(t("zh", "claim_won").split("{")[0])]
    lost = [a for a in answers if a.text and a.text.startswith(t("zh", "claim_lost").split("{")[0])]
    assert len(won) == 1
    assert len(lost) == 49
    async with bot.db.reader() as session:
        req = await Requests(session).by_reference(reference)
    assert req is not None
    assert req.status == "claimed"
    assert all(req.owner_name in a.text for a in lost if a.text)


async def test_concurrent_claims_in_the_database_have_one_winner(
        any_bot: BotUnderTest) -> None:
    """Fifty transactions at once, without the bot's per-chat ordering in between."""
    bot = any_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "数据库抢单")
    async with bot.db.reader() as session:
        req = await Requests(session).by_reference(reference)
    assert req is not None
    now = bot.clock.now()

    async def attempt(user_id: int) -> bool:
        async with bot.db.session() as session:
            return await Requests(session).claim(req.id, user_id, f"u{user_id}", now)

    results = await asyncio.gather(*(attempt(1000 + i) for i in range(50)))
    assert sum(results) == 1


async def test_reference_numbers_never_repeat_under_concurrency(any_db: Database) -> None:
    async def take() -> int:
        async with any_db.session() as session:
            return await Requests(session).next_number("BS", "2611")

    numbers = await asyncio.gather(*(take() for _ in range(30)))
    assert sorted(numbers) == list(range(1, 31))


async def test_kill_between_commit_and_delivery_delivers_once_after_restart(
        emu: BotApiEmulator, tmp_path: Path) -> None:
    officers = [emu.add_user(n) for n in ("李科员", "张科员")]
    admin = emu.add_user("Admin", language_code="en")
    staff = emu.add_group("staff", members=[*officers, admin], forum=True)
    url = f"sqlite+aiosqlite:///{tmp_path / 'killed.db'}"
    env = {
        **os.environ, "NO_PROXY": "127.0.0.1,localhost", "FRONTDOOR_BOT_TOKEN": TOKEN,
        "FRONTDOOR_DATABASE_URL": url, "FRONTDOOR_TELEGRAM_API_URL": emu.url,
        "FRONTDOOR_STAFF_CHAT_ID": str(staff.id), "FRONTDOOR_ADMIN_IDS": str(admin.id),
        "FRONTDOOR_CATALOGUE": str(copy_catalogue(tmp_path)), "FRONTDOOR_RATE_LIMIT": "false",
        "FRONTDOOR_CATALOGUE_WATCH_SECONDS": "0", "FRONTDOOR_LOG_LEVEL": "WARNING",
    }
    log = (tmp_path / "bot.log").open("ab")

    async def start() -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", cwd=ROOT, env=env,
            stdout=log, stderr=log,
        )

    # Only the conversation helpers are used: the bot under test is the subprocess.
    talk = BotUnderTest(emu=emu, db=None, catalogue_path=tmp_path,  # type: ignore[arg-type]
                        clock=manual_clock(), staff=staff, officers=officers, admin=admin)
    process = await start()
    try:
        # A process starting on a busy machine may take longer than one answer's wait.
        await emu.wait_until(lambda: bool(emu.calls_of("getUpdates")), timeout=30)
        alice = emu.add_user("Alice")
        await talk.register(alice)
        await open_service(talk, alice, "other-needs")
        files = await talk.say(alice, "断电前提交")
        summary = files
        emu.set_outage(502, include_polling=False)
        emu.press_button(alice, summary, CONFIRM)
        db_path = tmp_path / "killed.db"

        def card_attempted_and_released() -> bool:
            with sqlite3.connect(db_path) as conn:
                row = conn.execute(
                    "SELECT attempts, locked_until FROM outbox WHERE chat_id = ?", (staff.id,)
                ).fetchone()
            return row is not None and row[0] >= 1 and row[1] is None

        await emu.wait_until(card_attempted_and_released, timeout=15, interval=0.01)
        process.send_signal(signal.SIGKILL)
        await process.wait()
        assert not emu.messages(staff)
        emu.clear_outage()
        process = await start()
        await emu.next_message(staff, lambda m: "断电前提交" in m.content, timeout=45)
        await emu.expect_no_message(staff, within=1.0)
        assert len([m for m in emu.messages(staff) if "断电前提交" in m.content]) == 1
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
            await process.wait()
        log.close()


async def test_member_who_blocked_the_bot_is_skipped_and_others_still_hear(
        bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    bob = bot.user("Bob")
    await join_company(bot, bob, approver=alice)
    reference = await submit(bot, alice, "屏蔽测试")
    card = await claimed(bot, bot.officers[0], await card_of(bot, reference))
    bot.emu.block(bob)
    bot.emu.send_text(bot.officers[0], "第一条", chat=bot.staff, reply_to=card)
    await bot.emu.next_message(alice, lambda m: "第一条" in m.text)
    await bot.emu.wait_until(lambda: any(
        c.status == 403 for c in bot.emu.calls_of("sendMessage")))
    bot.emu.send_text(bot.officers[0], "第二条", chat=bot.staff, reply_to=card)
    await bot.emu.next_message(alice, lambda m: "第二条" in m.text)
    to_bob = [c for c in bot.emu.calls_of("sendMessage")
              if str(c.params.get("chat_id")) == str(bob.id) and "条" in str(c.params)]
    assert len(to_bob) == 1  # the first attempt learnt of the block; the second was not tried


async def test_staff_group_upgraded_to_supergroup_is_followed_at_once(
        emu: BotApiEmulator, sqlite_db: Database, tmp_path: Path) -> None:
    """Telegram announces the upgrade in both chats: the bot moves with it before it posts
    anything, puts the open requests' cards into the new group, and officers' replies there
    reach the company."""
    officers = [emu.add_user(n) for n in ("李科员", "张科员")]
    admin = emu.add_user("Admin", language_code="en")
    group = emu.add_group("staff", members=[*officers, admin], supergroup=False)
    bot = BotUnderTest(emu=emu, db=sqlite_db, catalogue_path=copy_catalogue(tmp_path),
                       clock=manual_clock(), staff=group, officers=officers, admin=admin)
    await bot.start()
    try:
        alice = bot.user("Alice")
        await bot.register(alice)
        before = await submit(bot, alice, "迁移之前")
        await emu.next_message(group, lambda m: before in m.text)
        supergroup = emu.migrate_group(group)
        await emu.next_message(supergroup, lambda m: matches("staff_group_moved", m.text))
        card = await emu.next_message(supergroup, lambda m: before in m.text)
        after = await submit(bot, alice, "迁移之后")
        await emu.next_message(supergroup, lambda m: after in m.text)
        # Nothing after the upgrade went to the old group.
        old_sends = [c for c in emu.calls_of("sendMessage")
                     if str(c.params.get("chat_id")) == str(group.id)]
        assert len(old_sends) == 1  # the card posted before the upgrade
        # An officer's claim and reply on the re-posted card reach the company.
        li = officers[0]
        emu.press_button(li, card, t("zh", "btn_claim"))
        await emu.next_message(alice, lambda m: matches("rq_claimed_enterprise", m.text))
        emu.send_text(li, "请补充营业执照复印件", chat=supergroup, reply_to=card)
        relayed = await emu.next_message(alice, lambda m: "营业执照复印件" in m.text)
        assert before in relayed.text
    finally:
        await bot.stop()


async def test_a_staff_group_move_recorded_elsewhere_is_followed_before_anyone_is_refused(
        bot: BotUnderTest) -> None:
    """The staff group's id is remembered for a while; a move another replica recorded in
    the meantime must not turn officers away in the new group, nor keep the old one open."""
    officer = bot.officers[0]

    async def today(group: Chat) -> ChatMessage:
        bot.emu.send_text(officer, "/today", chat=group)
        return await bot.emu.next_message(group)

    first = await today(bot.staff)
    assert not matches("staff_only_in_group", first.text)  # remembered from here on
    new_group = bot.emu.add_group("staff (supergroup)", members=[*bot.officers, bot.admin])
    async with bot.db.session() as s:  # what another process records when it sees the move
        assert await ChatAliases(s).add(bot.staff.id, new_group.id, bot.clock.now())
    there = await today(new_group)
    assert not matches("staff_only_in_group", there.text), there.text
    assert matches("ro_all_empty_today", there.text), there.text
    left = await today(bot.staff)
    assert matches("staff_only_in_group", left.text), left.text
