"""``python -m bench flood``: how long others wait while one person floods the bot.

The real bot runs in this process against the emulator, Telegram's rate limits on. First the
baseline: another person's /help, and another company's new request reaching the staff
group, on a quiet bot. Then the same two while one person sends 1,000 messages about an open
request. Targets: the other person answered within 1 s, the new card out within 5 s.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.app import build_application, make_runtime
from bot.companies.credit_code import make_credit_code
from bot.core.context import Actor, unit_of_work
from bot.core.settings import Settings
from bot.delivery.lifecycle import start_application, stop_application
from bot.requests.enterprise import submit
from frontdoor_emulator import BotApiEmulator, User
from storage.core.db import Database
from storage.migrate import upgrade

TOKEN = "7012345678:BENCH-token"
FLOOD = 1000
CATALOGUE = Path(__file__).resolve().parents[1] / "catalogue.yaml"


async def _company(rt: Any, user: User, code: str, name: str) -> Any:
    async with unit_of_work(rt, Actor(user_id=user.id, chat_id=user.id,
                                      first_name=user.first_name)) as ctx:
        company, _ = await ctx.companies.create_or_get({
            "credit_code": make_credit_code(code), "name": name, "contact_name": "经理",
            "phone": "13800138000", "station_id": "robot-park"}, ctx.now)
        await ctx.users.set_company(user.id, company.id)
        return company


async def _new_card(rt: Any, emu: BotApiEmulator, user: User, company: Any,
                    staff: Any, words: str) -> float:
    """Submit a request for ``company``; seconds until its card is in the staff group."""
    started = time.perf_counter()
    async with unit_of_work(rt, Actor(user_id=user.id, chat_id=user.id,
                                      first_name=user.first_name)) as ctx:
        service = ctx.cat.service("other-needs")
        assert service is not None
        req = await submit(ctx, company, service, {}, words, [])
    await emu.next_message(staff, lambda m: req.reference in m.content, timeout=120)
    return time.perf_counter() - started


async def _answer(emu: BotApiEmulator, user: User) -> float:
    started = time.perf_counter()
    emu.send_text(user, "/help")
    await emu.next_message(user, timeout=120)
    return time.perf_counter() - started


async def flood() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'flood.db'}"
        await upgrade(url)
        async with BotApiEmulator(TOKEN) as emu:
            officer = emu.add_user("李科员")
            staff = emu.add_group("staff", members=[officer], forum=False)
            mallory, alice, bob = (emu.add_user(n) for n in ("Mallory", "Alice", "Bob"))
            settings = Settings(_env_file=None, bot_token=TOKEN, database_url=url,  # type: ignore[call-arg]
                                catalogue=CATALOGUE, staff_chat_id=staff.id,
                                telegram_api_url=emu.url, rate_limit=True,
                                catalogue_watch_seconds=0)
            rt = make_runtime(settings, db=Database(url))
            app = build_application(rt)
            await start_application(app, poll_timeout=1)
            try:
                loud = await _company(rt, mallory, "91310113MA1G00001", "上海甲公司")
                quiet = await _company(rt, alice, "91310113MA1G00002", "上海乙公司")
                await _new_card(rt, emu, mallory, loud, staff, "甲公司的需求")
                figures = {
                    "baseline_answer_s": await _answer(emu, bob),
                    "baseline_card_s": await _new_card(rt, emu, alice, quiet, staff, "安静"),
                }
                for n in range(FLOOD):
                    emu.send_text(mallory, f"第 {n} 条消息")
                figures["flood_answer_s"] = await _answer(emu, bob)
                figures["flood_card_s"] = await _new_card(rt, emu, alice, quiet, staff, "新需求")
            finally:
                await stop_application(app)
    return figures


def print_flood(figures: dict[str, float]) -> None:
    print(f"One person sends {FLOOD:,} messages; Telegram's rate limits on (SQLite).\n")
    print("| measure | quiet bot | during the flood | target |")
    print("|---|---:|---:|---:|")
    print(f"| another person's /help answered | {figures['baseline_answer_s']:.2f} s | "
          f"{figures['flood_answer_s']:.2f} s | ≤ 1 s |")
    print(f"| another company's new card in the staff group | {figures['baseline_card_s']:.2f} s "
          f"| {figures['flood_card_s']:.2f} s | ≤ 5 s |")


def main() -> int:
    figures = asyncio.run(flood())
    print_flood(figures)
    return 0
