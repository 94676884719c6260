"""A notice survives ``kill -9`` of the bot mid-send: after the restart it continues where it
stopped, everyone receives it, and only a send in flight at the kill can arrive twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from bot.companies.credit_code import make_credit_code
from bot.delivery.dispatcher import Dispatcher
from frontdoor_emulator import BotApiEmulator, ChatMessage, User
from storage.core.db import Database
from storage.tables import Company
from storage.tables import User as UserRow
from tests.harness import BotProcess
from tests.notices_support import BODY, en

STARTUP = 45.0
PEOPLE = 360  # twelve seconds at Telegram's 30 messages a second
# The bulk chats one dispatcher pass takes at once: the most in flight at a kill.
IN_FLIGHT = Dispatcher.__init__.__kwdefaults__["bulk_batch"]  # type: ignore[index]


async def seed(url: str, users: list[User]) -> None:
    db = Database(url)
    now = datetime.now(UTC)
    try:
        async with db.session() as s:
            for n, user in enumerate(users):
                company = (await s.execute(insert(Company).values(
                    credit_code=make_credit_code(f"91310113MA{n:07d}"),
                    name=f"上海测试{n}有限公司", contact_name="经理", phone="13800138000",
                    station_id="robot-park", tier="standard", created_at=now, updated_at=now,
                ).returning(Company.id))).scalar_one()
                await s.execute(insert(UserRow).values(
                    id=user.id, first_name=user.first_name, language="zh", company_id=company,
                    created_at=now))
    finally:
        await db.dispose()


def count(emu: BotApiEmulator, users: list[User]) -> list[int]:
    return [sum(1 for m in emu.messages(u) if m.text and BODY in m.text) for u in users]


async def press_new(emu: BotApiEmulator, user: User, message: ChatMessage,
                    label: str) -> ChatMessage:
    emu.press_button(user, message, text=label)
    return await emu.next_message(user, timeout=STARTUP)


async def test_a_notice_continues_after_sigkill_and_reaches_everyone(
        emu: BotApiEmulator, tmp_path: Path) -> None:
    admin = emu.add_user("Admin", language_code="en")
    bot = BotProcess(emu, tmp_path, FRONTDOOR_ADMIN_IDS=str(admin.id),
                     FRONTDOOR_RATE_LIMIT="true")
    await bot.start()
    try:
        emu.send_text(admin, "/notices")  # answered once the bot is up and migrated
        await emu.next_message(admin, timeout=STARTUP)
        people = [emu.add_user(f"员工{n}", started=True) for n in range(PEOPLE)]
        await seed(bot.env["FRONTDOOR_DATABASE_URL"], people)

        emu.send_text(admin, "/notice")
        await emu.next_message(admin)
        emu.send_text(admin, BODY)
        ask_file = await emu.next_message(admin)
        ask_kind = await press_new(emu, admin, ask_file, en("nt_btn_no_file"))
        ask_audience = await press_new(emu, admin, ask_kind, en("nt_kind_policy"))
        preview = await press_new(emu, admin, ask_audience, en("nt_audience_everyone"))
        assert f"reach {PEOPLE} people in {PEOPLE} companies" in preview.text, bot.log()
        await press_new(emu, admin, preview, en("nt_btn_send_now"))

        await emu.wait_until(lambda: sum(count(emu, people)) >= PEOPLE // 4, timeout=STARTUP)
        await bot.kill()
        before = sum(count(emu, people))
        assert before < PEOPLE  # killed mid-send

        await bot.start()
        await emu.wait_for_message(
            admin, lambda m: bool(m.text) and en("nt_state_done") in m.text
            and "#1" in m.text, timeout=120)
        received = count(emu, people)
        assert min(received) == 1, bot.log()[-3000:]  # nobody missed
        assert sum(received) - PEOPLE <= IN_FLIGHT  # twice only if in flight at the kill
        assert max(received) <= 2
    finally:
        await bot.stop()
        await asyncio.sleep(0)
