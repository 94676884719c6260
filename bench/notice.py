"""``python -m bench notice [--recipients N]``: a notice to N people (10,000 by default) while
people keep using the bot.

The real bot runs in this process against the emulator with Telegram's flood control on (30
messages a second overall, 20 a minute per group: a 429 for anything over it) and the bot's own
limits on. An admin composes the notice through the bot, to everyone, and sends it; while it
goes out, about two interactive messages a second run alongside, in turn: a company's /help, an
officer's reply relayed to a company, and now and then a new request's card in the staff group.
Reported: bulk messages a second while the notice was going out (and as a share of the limit),
the interactive latencies (p50, p99) in that time, 429s, and whether each person received the
notice exactly once. Targets: bulk ≥ 28/s (≥ 93 % of the limit), interactive p99 < 1 s.
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from bot.app import build_application, make_runtime
from bot.companies.credit_code import make_credit_code
from bot.core.context import Actor, unit_of_work
from bot.core.settings import Settings
from bot.delivery.lifecycle import start_application, stop_application
from bot.requests.enterprise import submit
from bot.texts import t
from frontdoor_emulator import BotApiEmulator, ChatEvent, ChatMessage, FloodLimits, User
from storage.core.db import Database
from storage.migrate import upgrade
from storage.tables import Company
from storage.tables import User as UserRow

TOKEN = "7012345678:BENCH-token"
CATALOGUE = Path(__file__).resolve().parents[1] / "catalogue.yaml"
LIMIT = 30  # Telegram's messages a second, overall
INTERACTIVE_EVERY = 0.5  # seconds: about two interactive messages a second
ACTIVE = 6  # companies whose people and requests make the interactive load
MARK = "年度报送"
BODY = f"请各企业于本月底前完成{MARK}。"
TIMEOUT = 60.0


@dataclass
class Watch:
    """Every bot message as the emulator records it; waiters are told when theirs arrives."""

    recipients: set[int] = field(default_factory=set)
    posted: list[float] = field(default_factory=list)
    notice_times: list[float] = field(default_factory=list)
    notice_chats: list[int] = field(default_factory=list)
    waiters: list[tuple[Callable[[ChatMessage], bool], asyncio.Future[float]]] = field(
        default_factory=list)

    def __call__(self, event: ChatEvent) -> None:
        if event.kind != "new" or not event.message.outgoing:
            return
        now = time.perf_counter()
        message = event.message
        self.posted.append(now)
        if message.text and MARK in message.text and message.chat_id in self.recipients:
            self.notice_times.append(now)
            self.notice_chats.append(message.chat_id)
        for waiter in list(self.waiters):
            check, future = waiter
            if not future.done() and check(message):
                future.set_result(now)
                self.waiters.remove(waiter)

    def expect(self, check: Callable[[ChatMessage], bool]) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters.append((check, future))
        return future


async def _seed(url: str, users: list[User]) -> None:
    """A company for each person, in bulk (Core inserts, a thousand a statement)."""
    db = Database(url)
    now = datetime.now(UTC)
    try:
        for start in range(0, len(users), 1000):
            chunk = users[start:start + 1000]
            async with db.session() as s:
                await s.execute(insert(Company), [{
                    "credit_code": make_credit_code(f"91310113MA{start + n:07d}"),
                    "name": f"上海测试{start + n}有限公司", "contact_name": "经理",
                    "phone": "13800138000", "station_id": "robot-park", "tier": "standard",
                    "created_at": now, "updated_at": now} for n in range(len(chunk))])
                codes = {make_credit_code(f"91310113MA{start + n:07d}"): u
                         for n, u in enumerate(chunk)}
                rows = await s.execute(select(Company.id, Company.credit_code).where(
                    Company.credit_code.in_(list(codes))))
                await s.execute(insert(UserRow), [{
                    "id": codes[code].id, "first_name": codes[code].first_name,
                    "language": "zh", "company_id": company_id, "created_at": now}
                    for company_id, code in rows])
    finally:
        await db.dispose()


async def _press_new(emu: BotApiEmulator, user: User, message: ChatMessage,
                     label: str) -> ChatMessage:
    emu.press_button(user, message, text=label)
    return await emu.next_message(user, timeout=TIMEOUT)


async def _open_request(rt: Any, emu: BotApiEmulator, person: User, staff: Any,
                        officer: User, n: int) -> ChatMessage:
    """A request of ``person``'s company, claimed by the officer: its card in the group."""
    async with unit_of_work(rt, Actor(user_id=person.id, chat_id=person.id,
                                      first_name=person.first_name)) as ctx:
        company = await ctx.company()
        service = ctx.cat.service("other-needs")
        assert company is not None
        assert service is not None
        req = await submit(ctx, company, service, {}, f"需求 {n}", [])
    card = await emu.next_message(staff, lambda m: req.reference in (m.text or ""),
                                  timeout=TIMEOUT)
    claim = next(b.callback_data for b in card.buttons
                 if (b.callback_data or "").startswith("rq:c:"))
    assert claim is not None
    emu.press(officer, card, claim)
    await emu.wait_until(lambda: any((b.callback_data or "").startswith("rq:r:")
                                     for b in card.buttons), timeout=TIMEOUT)
    return card


@dataclass
class Interactive:
    rt: Any
    emu: BotApiEmulator
    watch: Watch
    staff: Any
    officer: User
    people: list[User]
    cards: list[ChatMessage]
    latencies: dict[str, list[float]] = field(default_factory=dict)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    async def one(self, kind: str, n: int) -> None:
        person = self.people[n % len(self.people)]
        started = time.perf_counter()
        if kind == "command":
            arrived = self.watch.expect(lambda m: m.chat_id == person.id and MARK not in (
                m.text or MARK))
            self.emu.send_text(person, "/help")
        elif kind == "relay":
            text = f"请补充材料，第 {n} 次回复"
            arrived = self.watch.expect(lambda m: m.chat_id == person.id and text in (
                m.text or ""))
            self.emu.send_text(self.officer, text, chat=self.staff,
                               reply_to=self.cards[n % len(self.cards)])
        else:
            words = f"新需求 {n}"
            arrived = self.watch.expect(lambda m: m.chat_id == self.staff.id and words in (
                m.text or ""))
            async with unit_of_work(self.rt, Actor(user_id=person.id, chat_id=person.id,
                                                   first_name=person.first_name)) as ctx:
                company = await ctx.company()
                service = ctx.cat.service("other-needs")
                assert company is not None
                assert service is not None
                await submit(ctx, company, service, {}, words, [])
        self.latencies.setdefault(kind, []).append(
            await asyncio.wait_for(arrived, TIMEOUT) - started)

    async def run(self, until: asyncio.Event) -> None:
        """Two a second: /help, a relay, /help, a relay, … and a card every twelve seconds."""
        tasks: list[asyncio.Task[None]] = []
        for n in itertools.count():
            if until.is_set():
                break
            # Cards are few: the staff group's own limit (20 a minute) is not what is measured.
            kind = "card" if n % 24 == 23 else ("command", "relay")[n % 2]
            tasks.append(asyncio.create_task(self.one(kind, n)))
            await asyncio.sleep(INTERACTIVE_EVERY)
        await asyncio.gather(*tasks, return_exceptions=True)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


async def notice_bench(recipients: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'notice.db'}"
        await upgrade(url)
        async with BotApiEmulator(TOKEN, flood_limits=FloodLimits(),
                                  call_log_size=recipients * 3 + 10_000) as emu:
            admin = emu.add_user("管理员", language_code="zh-hans")
            officer = emu.add_user("李科员", language_code="zh-hans")
            staff = emu.add_group("staff", members=[officer, admin], forum=False)
            people = [emu.add_user(f"员工{n}", started=True) for n in range(recipients)]
            await _seed(url, people)
            settings = Settings(_env_file=None, bot_token=TOKEN, database_url=url,  # type: ignore[call-arg]
                                catalogue=CATALOGUE, staff_chat_id=staff.id,
                                admin_ids=frozenset({admin.id}), telegram_api_url=emu.url,
                                rate_limit=True, catalogue_watch_seconds=0,
                                catalogue_poll_seconds=0, monthly_report=False)
            rt = make_runtime(settings, db=Database(url))
            app = build_application(rt)
            await start_application(app, poll_timeout=1)
            watch = Watch(recipients={p.id for p in people})
            unsubscribe = emu.subscribe(watch)
            try:
                active = people[:ACTIVE]
                cards = [await _open_request(rt, emu, p, staff, officer, n)
                         for n, p in enumerate(active)]
                load = Interactive(rt, emu, watch, staff, officer, active, cards)

                emu.send_text(admin, "/notice")
                await emu.next_message(admin, timeout=TIMEOUT)
                emu.send_text(admin, BODY)
                ask_file = await emu.next_message(admin, timeout=TIMEOUT)
                ask_kind = await _press_new(emu, admin, ask_file, t("zh", "nt_btn_no_file"))
                ask_who = await _press_new(emu, admin, ask_kind, t("zh", "nt_kind_policy"))
                preview = await _press_new(emu, admin, ask_who, t("zh", "nt_audience_everyone"))
                done = asyncio.Event()
                summary = watch.expect(lambda m: m.chat_id == admin.id and bool(m.text) and (
                    "已发送完毕：" in (m.text or "")))
                summary.add_done_callback(lambda _: done.set())
                emu.press_button(admin, preview, text=t("zh", "nt_btn_send_now"))
                interactive = asyncio.create_task(load.run(done))
                await asyncio.wait_for(asyncio.shield(summary), recipients / 10 + 120)
                await interactive
            finally:
                unsubscribe()
                await stop_application(app)
            times = watch.notice_times
            per_chat: dict[int, int] = {}
            for chat in watch.notice_chats:
                per_chat[chat] = per_chat.get(chat, 0) + 1
            too_many = sum(1 for call in emu.calls if call.status == 429)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span if span > 0 else 0.0
    # Every message the bot posted while the notice went out, notice or not.
    during = [at for at in watch.posted if times and times[0] <= at <= times[-1]]
    total = (len(during) - 1) / span if span > 0 else 0.0
    interactive_all = [v for values in load.latencies.values() for v in values]
    return {
        "recipients": recipients, "delivered": len(times), "span_s": span, "rate": rate,
        "total_rate": total,
        "missed": recipients - len(per_chat),
        "twice": sum(1 for c in per_chat.values() if c > 1), "429s": too_many,
        "interactive": len(interactive_all),
        "p50": _percentile(interactive_all, 0.5), "p99": _percentile(interactive_all, 0.99),
        "by_kind": {k: (len(v), _percentile(v, 0.5), _percentile(v, 0.99))
                    for k, v in load.latencies.items()},
    }


def print_notice(f: dict[str, Any]) -> None:
    share = f["rate"] / LIMIT
    print(f"A notice to {f['recipients']:,} people, Telegram's flood control on "
          f"({LIMIT} msg/s), ~{1 / INTERACTIVE_EVERY:.0f} interactive messages/s alongside "
          "(SQLite).\n")
    print("| measure | result | target | |")
    print("|---|---:|---:|---|")
    print(f"| bulk messages/s while sending | {f['rate']:.1f} ({share:.0%} of {LIMIT}) | "
          f"≥ 28 (93 %) | {'✔' if f['rate'] >= 28 else '✘'} |")
    print(f"| all messages/s in that time (notice and interactive) | {f['total_rate']:.1f} | "
          f"≤ {LIMIT} | |")
    print(f"| interactive p50 during the send | {f['p50'] * 1000:.0f} ms | | |")
    print(f"| interactive p99 during the send | {f['p99'] * 1000:.0f} ms | < 1 s | "
          f"{'✔' if f['p99'] < 1 else '✘'} |")
    print(f"| notice delivered / missed / twice | {f['delivered']:,} / {f['missed']} / "
          f"{f['twice']} | all / 0 / 0 | {'✔' if not f['missed'] and not f['twice'] else '✘'} |")
    print(f"| 429s from the emulator | {f['429s']} | 0 | |")
    print(f"| time to send | {f['span_s']:.0f} s | | |")
    print("\n| interactive kind | count | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|")
    for kind, (count, p50, p99) in sorted(f["by_kind"].items()):
        print(f"| {kind} | {count} | {p50 * 1000:.0f} | {p99 * 1000:.0f} |")


def main(recipients: int) -> int:
    figures = asyncio.run(notice_bench(recipients))
    print_notice(figures)
    return 0 if not figures["missed"] and not figures["twice"] else 1
