"""Three replicas in webhook mode on PostgreSQL behind a real nginx, one killed mid-load.

Telegram (the emulator) posts to the balancer; the balancer spreads the posts over the
replicas; a replica killed with SIGKILL never answers the posts it held, so the emulator
posts them again and another replica handles them. Nothing may be lost or done twice.

The load: companies register, submit requests and book window seats (more companies than
seats); officers claim each request and answer with two messages; each visit's reminder falls
due as soon as it is booked (the replicas run on the real clock: the test moves the reminder's
time, not the clock), so the job loop queues reminders while replicas come and go; an admin
edits the catalogue file of one replica only, and the others serve the edit from the database.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select, update

from bench.balancer import NGINX, NGINX_MISSING, Balancer, Replica, serve
from bench.run import fresh_database
from bot.catalogue import Catalogue, load_catalogue
from bot.delivery.budget import SEND_METHODS
from bot.texts import t
from bot.visits.schedule import HOUR_BEFORE, local_day, slots_on
from frontdoor_emulator import BotApiEmulator, ChatMessage, User
from frontdoor_emulator.errors import WaitTimeoutError
from frontdoor_emulator.models import FloodLimits
from storage.core.db import Database
from storage.core.repos import MessageRefs
from storage.tables import (
    Booking,
    CatalogueVersion,
    Company,
    OutboxMessage,
    ProcessedUpdate,
    Request,
)
from storage.visits.status import SEATED, BookingStatus
from tests.booking_support import credit_code
from tests.conftest import PG_SKIP, PG_URL
from tests.harness import ROOT, TOKEN, BotUnderTest, manual_clock, matches
from tests.requests_steps import OWNER_LINE, submit

pytestmark = pytest.mark.postgres

REPLICAS = 3
COMPANIES = 9
STARTUP = 60.0
# "Telegram's" limits in this test (the emulator answers 429 past them) and the send budget
# the replicas are configured to share under them, with room for a send that leaves its
# process late (two cores run three replicas, nginx, PostgreSQL and the emulator). The group
# limit is six times Telegram's 20 a minute, so that the staff group's cards do not make the
# test last minutes.
TELEGRAM_PER_SECOND = 30
TELEGRAM_GROUP_PER_MINUTE = 120
BUDGET_PER_SECOND = 24
BUDGET_GROUP_PER_MINUTE = 114
# Messages leased by the killed replica wait for the lease to end (30 s) before another
# replica sends them, and a chat's later messages wait behind them.
OUTBOX_WAIT = 75.0
# The edit one replica's file gets while the others keep the old text.
OLD_NAME = "name: {zh: 知识产权保险"
NEW_NAME = "name: {zh: 知识产权保险服务"
DAY_BUTTON = re.compile(r"^\d\d-\d\d")

@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[str]:
    """A database of their own for the replicas, dropped afterwards."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    async with fresh_database(PG_URL, tmp_path, "replicas") as url:
        yield url


def current(emu: BotApiEmulator, message: ChatMessage) -> ChatMessage:
    """``message`` as it is now (after the bot's edits)."""
    return next(m for m in emu.messages(message.chat) if m.message_id == message.message_id)


def first_index(messages: list[ChatMessage], words: str) -> int:
    return next(i for i, m in enumerate(messages) if words in m.content)


def seats_at(cat: Catalogue, station_id: str, start: datetime) -> int:
    """The seats the catalogue gives the slot starting at ``start``."""
    station = cat.station(station_id)
    assert station is not None
    return next(slot.seats for slot in slots_on(cat, station, local_day(station, start))
                if slot.start == start)


class Load:
    """What the companies and officers do, and what each of them missed."""

    def __init__(self, emu: BotApiEmulator, talk: BotUnderTest, db: Database,
                 officers: list[User]) -> None:
        self.emu, self.talk, self.db, self.officers = emu, talk, db, officers
        # An update the killed replica was handling comes again: done over if it had not
        # committed, its kept answer sent if it had. A person may still have stopped waiting
        # before that (the balancer retries, the replica restarts): counted; the work is
        # checked in the database.
        self.unanswered: list[str] = []
        self.booked: list[int] = []
        self.seat_lost: list[int] = []
        self.answered: list[int] = []
        self.users: dict[int, User] = {}

    async def journey(self, n: int) -> None:
        emu, talk = self.emu, self.talk
        user = self.users[n] = emu.add_user(f"企业{n}", language_code="zh-hans")
        try:
            await talk.register(user, name=f"上海副本测试{n}有限公司", code=credit_code(n))
        except WaitTimeoutError:
            # Registered (the last answer was lost), or the form waits for an answer the
            # person never saw: either way they go on to a request, as a person would.
            self.unanswered.append(f"register {n}")
        try:
            reference = await submit(talk, user, f"第 {n} 家企业的需求")
        except AssertionError:  # an answer lost, or asked to register first
            self.unanswered.append(f"submit {n}")
            return
        try:
            await self.officer_answers(n, user, reference)
        except (WaitTimeoutError, TimeoutError) as exc:
            self.unanswered.append(f"answer {n}: {str(exc)[:200]}")
        try:
            await self.book(n, user)
        except (WaitTimeoutError, LookupError) as exc:
            self.unanswered.append(f"book {n}: {str(exc)[:300]}")

    async def card(self, reference: str) -> ChatMessage:
        """The request's card in the staff group that the bot knows as its card."""
        staff = self.talk.staff
        while True:
            cards = [m for m in self.emu.messages(staff)
                     if reference in m.content and m.inline_keyboard is not None]
            for card in reversed(cards):
                async with self.db.reader() as s:
                    if await MessageRefs(s).find(staff.id, card.message_id):
                        return card
            await asyncio.sleep(0.05)

    async def officer_answers(self, n: int, user: User, reference: str) -> None:
        """An officer claims the request and answers with two messages, one after the other."""
        emu, staff = self.emu, self.talk.staff
        officer = self.officers[n % len(self.officers)]
        card = await asyncio.wait_for(self.card(reference), OUTBOX_WAIT)
        emu.press_button(officer, card, t("zh", "btn_claim"))
        await emu.wait_until(lambda: OWNER_LINE in current(emu, card).content,
                             timeout=OUTBOX_WAIT)
        for words in ("第一条", "第二条"):
            emu.send_text(officer, f"{words}答复 {n}", chat=staff, reply_to=card)
        await emu.wait_until(lambda: sum(f"答复 {n}" in m.content
                                         for m in emu.messages(user)) >= 2, timeout=OUTBOX_WAIT)
        emu.skip_unread(user)  # the company has read them (and the "claimed" before them)

    async def book(self, n: int, user: User) -> None:
        """Book the first free seat of the first open day: every company wants the same."""
        talk = self.talk
        talk.emu.send_text(user, "/book")
        days = await talk.emu.next_message(
            user, lambda m: any(DAY_BUTTON.match(b.text) for b in m.buttons))
        day = next(b.text for b in days.buttons if DAY_BUTTON.match(b.text))
        slots = await talk.press(user, days, day)
        full = t("zh", "bk_slot_full_wait")
        free = next((b.text for b in slots.buttons if full not in b.text), None)
        if free is None:
            self.seat_lost.append(n)  # the whole day filled meanwhile
            return
        summary = await talk.press(user, slots, free)
        confirm = t("zh", "btn_confirm")
        if all(b.text != confirm for b in summary.buttons):
            self.seat_lost.append(n)  # filled meanwhile: the days are shown again
            return
        done = await talk.press(user, summary, confirm)
        if matches("bk_confirmed", done.text):
            self.booked.append(n)
        else:
            assert matches("bk_just_taken", done.text) or matches(
                "bk_just_taken_none", done.text), done.text
            self.seat_lost.append(n)


async def reminders_fall_due(db: Database, stop: asyncio.Event) -> None:
    """Until ``stop``: each confirmed visit's day-before reminder falls due the moment it is
    booked, as if the day before had come (only the reminder's time is moved)."""
    while not stop.is_set():
        now = datetime.now(UTC)
        async with db.session() as s:
            await s.execute(
                update(Booking)
                .where(Booking.status == BookingStatus.CONFIRMED,
                       Booking.day_reminded_at.is_(None), Booking.remind_day_at > now,
                       Booking.starts_at > now + 2 * HOUR_BEFORE)
                .values(remind_day_at=now))
        await asyncio.sleep(0.3)


def is_reminder(message: ChatMessage) -> bool:
    return matches("bk_remind_day", message.content) or matches(
        "bk_remind_today", message.content)


@pytest.mark.skipif(NGINX is None, reason=NGINX_MISSING)
async def test_three_replicas_behind_nginx_lose_nothing_when_one_is_killed(
        emu: BotApiEmulator, database: str, tmp_path: Path) -> None:
    officers = [emu.add_user(n, language_code="zh-hans") for n in ("李科员", "张科员")]
    admin = emu.add_user("Admin", language_code="en")
    staff = emu.add_group("staff", members=[*officers, admin], forum=True)
    emu.flood_limits = FloodLimits(global_per_second=TELEGRAM_PER_SECOND,
                                   group_per_minute=TELEGRAM_GROUP_PER_MINUTE)
    balancer = Balancer(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    env.update(balancer.env())
    env.update({
        "FRONTDOOR_BOT_TOKEN": TOKEN, "FRONTDOOR_DATABASE_URL": database,
        "FRONTDOOR_TELEGRAM_API_URL": emu.url, "FRONTDOOR_STAFF_CHAT_ID": str(staff.id),
        "FRONTDOOR_ADMIN_IDS": str(admin.id), "FRONTDOOR_RATE_LIMIT": "true",
        "FRONTDOOR_SEND_PER_SECOND": str(BUDGET_PER_SECOND),
        "FRONTDOOR_SEND_GROUP_PER_MINUTE": str(BUDGET_GROUP_PER_MINUTE),
        "FRONTDOOR_CATALOGUE_WATCH_SECONDS": "0.2", "FRONTDOOR_CATALOGUE_POLL_SECONDS": "0.5",
        "FRONTDOOR_LOG_LEVEL": "WARNING",
    })
    replicas = [Replica(n, env, tmp_path) for n in range(REPLICAS)]
    await balancer.start(replicas)
    # A post held by the killed replica comes again once the balancer has found it gone and
    # the emulator has backed off: answers may take seconds, not the usual fraction of one.
    emu.wait_timeout = 30.0
    talk = BotUnderTest(emu=emu, db=None, catalogue_path=tmp_path,  # type: ignore[arg-type]
                        clock=manual_clock(), staff=staff, officers=officers, admin=admin)
    db = Database(database)
    http = aiohttp.ClientSession()
    try:
        # Each has read its catalogue and asked which is in service; the webhook is set.
        await serve(emu, replicas, http, STARTUP)
        await talk.say(admin, "/help")  # the admin has talked to the bot
        load = Load(emu, talk, db, officers)
        booked_done = asyncio.Event()
        due = asyncio.create_task(reminders_fall_due(db, booked_done))
        started = [asyncio.create_task(load.journey(n)) for n in range(COMPANIES)]
        # An admin edits the catalogue file of the first replica only.
        edited = replicas[0].catalogue.read_text(encoding="utf-8").replace(OLD_NAME, NEW_NAME)
        replicas[0].catalogue.write_text(edited, encoding="utf-8")
        # Mid-load: one replica dies without a word, and comes back a moment later (with its
        # own, unedited copy of the file).
        await emu.wait_until(lambda: len(emu.messages(staff)) >= 2, timeout=STARTUP)
        await replicas[1].kill()
        await asyncio.sleep(1.0)
        await replicas[1].start()
        await asyncio.wait_for(asyncio.gather(*started), timeout=400)
        booked_done.set()
        await due
        print(f"answers lost with the killed replica: {load.unanswered}")
        assert len(load.unanswered) <= 3
        async with db.reader() as s:
            references = list(await s.scalars(select(Request.reference)))

        # Every request carded exactly once in the staff group.
        await emu.wait_until(lambda: all(
            any(ref in m.content for m in emu.messages(staff)) for ref in references),
            timeout=60)
        await asyncio.sleep(1.0)
        # Delivery is at least once: a card Telegram accepted from the killed replica just
        # before it could record so is sent again when its lease runs out. Only those, in
        # flight at the kill, may come twice; every other card comes once.
        repeated = 0
        for ref in references:
            cards = [m for m in emu.messages(staff) if ref in m.content
                     and m.inline_keyboard is not None]
            assert len(cards) in (1, 2), (ref, len(cards))
            repeated += len(cards) - 1
        print(f"cards sent twice (in flight at the kill): {repeated}")
        assert repeated <= 2
        # A journey that lost an answer mid-form stopped there; every other one made its
        # request.
        assert len(set(references)) == len(references) >= COMPANIES - len(load.unanswered)

        # Each officer's two answers reached the company in the order they were written.
        for n, user in load.users.items():
            messages = emu.messages(user)
            if any(f"第二条答复 {n}" in m.content for m in messages):
                assert first_index(messages, f"第一条答复 {n}") < first_index(
                    messages, f"第二条答复 {n}")
                load.answered.append(n)
        assert len(load.answered) >= COMPANIES - len(load.unanswered)

        # No seat was given twice: each slot holds at most its seats.
        cat = load_catalogue(ROOT / "catalogue.yaml")
        async with db.reader() as s:
            held = (await s.execute(
                select(Booking.station_id, Booking.starts_at, func.count())
                .where(Booking.status.in_(SEATED))
                .group_by(Booking.station_id, Booking.starts_at))).all()
        for station_id, start, count in held:
            assert count <= seats_at(cat, station_id, start), (station_id, start, count)
        lost = sum(1 for what in load.unanswered if what.startswith("book"))
        assert len(load.booked) <= sum(count for *_, count in held) <= len(load.booked) + lost
        # More companies wanted the seats than there were: some got one, some were too late.
        assert load.booked
        assert load.seat_lost

        # Each visit booked (at least a day ahead) had its reminder queued once, by whichever
        # replica ran the jobs, and it reached the person once (twice only if it was in
        # flight at the kill).
        async with db.reader() as s:
            visits = list(await s.execute(
                select(Booking.id, Booking.user_id, Booking.day_reminded_at, Booking.starts_at)
                .where(Booking.status == BookingStatus.CONFIRMED)))
            queued = dict((await s.execute(
                select(OutboxMessage.dedupe_key, func.count())
                .where(OutboxMessage.dedupe_key.like("bk:%:remind:day"))
                .group_by(OutboxMessage.dedupe_key))).all())
        people = {user.id: user for user in load.users.values()}
        # (A visit within the hour is left to the hour-before reminder.)
        reminded = [(booking_id, user_id) for booking_id, user_id, at, start in visits
                    if at is not None and start - HOUR_BEFORE > at]
        assert reminded, "no reminder fell due during the load"
        assert {f"bk:{booking_id}:remind:day" for booking_id, _ in reminded} == set(queued)
        assert set(queued.values()) == {1}
        await emu.wait_until(lambda: all(
            any(is_reminder(m) for m in emu.messages(people[user_id]))
            for _, user_id in reminded), timeout=OUTBOX_WAIT)
        twice = 0
        for _, user_id in reminded:
            count = sum(1 for m in emu.messages(people[user_id]) if is_reminder(m))
            assert count in (1, 2), (user_id, count)
            twice += count - 1
        print(f"reminders: {len(reminded)} queued once each; sent twice (in flight at the "
              f"kill): {twice}")
        assert twice <= 1

        # The catalogue edit seen by one replica is served by all three, the restarted one
        # (started again with its old file) too, and the admin heard of it once.
        async with db.reader() as s:
            recorded = list(await s.execute(select(CatalogueVersion.id,
                                                   CatalogueVersion.recorded_by)
                                            .order_by(CatalogueVersion.id)))
            told = await s.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.dedupe_key.like("reload:%")))
        assert [by for _, by in recorded] == ["start", "watch"]
        newest = recorded[-1][0]
        for replica in replicas:
            version = None
            for _ in range(100):
                version = await replica.catalogue_version(http)
                if version == newest:
                    break
                await asyncio.sleep(0.1)
            assert version == newest, (replica.number, version)
        assert told == 1
        await emu.wait_until(lambda: any("changed on disk" in m.content
                                         for m in emu.messages(admin)), timeout=30)
        reader = emu.add_user("读者", language_code="zh-hans")
        card = await talk.say(reader, "/start svc-ip-insurance")  # whichever replica takes it
        assert "知识产权保险服务" in card.content

        # Every update the emulator made was handled, once (ids are the primary key).
        async with db.reader() as s:
            companies = await s.scalar(select(func.count()).select_from(Company))
            requests = await s.scalar(select(func.count()).select_from(Request))
            handled = await s.scalar(select(func.count()).select_from(ProcessedUpdate))
        assert COMPANIES - len(load.unanswered) <= companies <= COMPANIES
        assert requests == len(references)
        assert handled == emu._next_update_id - 1  # every update id it handed out
        assert not emu.pending_updates
        # "Telegram" never had to say "too many": together the replicas kept to the limits.
        too_many = [(c.method, c.params.get("chat_id"), round(c.time, 3)) for c in emu.calls
                    if c.status == 429]
        sends = sorted(c.time for c in emu.calls if c.method in SEND_METHODS)
        print("max sends in a second:", max(
            (sum(1 for x in sends if t0 <= x < t0 + 1) for t0 in sends), default=0))
        assert too_many == []
    finally:
        await http.close()
        await db.dispose()
        for replica in replicas:
            await replica.stop()
        await balancer.stop()


@pytest.mark.skipif(NGINX is None, reason=NGINX_MISSING)
def test_the_replicas_bench_runs_one_replica_behind_nginx_and_prints_its_figures(
        capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m bench --replicas 1`, tiny: the journeys pass through nginx to the replica,
    nothing is lost or done twice, and the table says what the replica and the database did."""
    from bench.__main__ import main

    if not PG_URL:
        pytest.skip(PG_SKIP)
    status = main(["--replicas", "1", "--quick", "--seconds", "2", "--preseed", "0",
                   "--users", "4", "--no-echo", "--no-aiogram", "--pg", PG_URL])
    out = capsys.readouterr().out
    assert status == 0, out
    row = next(line for line in out.splitlines() if line.startswith("| frontdoor ×1 replica"))
    updates_per_second = float(row.split("|")[2].replace(",", ""))
    assert updates_per_second > 0
    assert "| N = 1: every submitted request stored exactly once |" in out
    assert "where the run database's backends were" in out
    assert "correctness: ok" in out
