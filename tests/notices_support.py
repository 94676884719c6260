"""Companies and people for notice tests: seeded through the repositories, each person also
a user of the emulator (so a message to them arrives), and the admin's side of /notice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from bot.companies.credit_code import make_credit_code
from bot.core.context import Actor, unit_of_work
from bot.texts import t
from frontdoor_emulator import BotApiEmulator, ChatMessage, User
from storage.tables import Company, Notice, OutboxMessage
from storage.tables import User as UserRow
from tests.harness import BotUnderTest

BODY = "请各企业于本月底前完成年度报送。"


@dataclass
class Person:
    user: User
    company_id: int


async def seed_people(rt: Any, emu: BotApiEmulator, count: int, *, start: int = 0,
                      station: str = "robot-park", per_company: int = 1,
                      language_code: str = "zh-hans") -> list[Person]:
    """``count`` people in companies of ``per_company`` people each, at ``station``."""
    people: list[Person] = []
    company_id = 0
    for n in range(start, start + count):
        # They have talked to the bot before.
        user = emu.add_user(f"员工{n}", language_code=language_code, started=True)
        async with unit_of_work(rt, Actor(user_id=user.id, chat_id=user.id,
                                          first_name=user.first_name,
                                          language_code=language_code)) as ctx:
            if (n - start) % per_company == 0:
                code = make_credit_code(f"91310113MA{n:07d}")
                company, _ = await ctx.companies.create_or_get({
                    "credit_code": code, "name": f"上海测试{n}有限公司", "contact_name": "经理",
                    "phone": "13800138000", "station_id": station}, ctx.now)
                company_id = company.id
            await ctx.users.set_company(user.id, company_id)
        people.append(Person(user, company_id))
    return people


async def set_tier(bot: BotUnderTest, company_id: int, tier: str) -> None:
    async with bot.db.session() as s:
        await s.execute(update(Company).where(Company.id == company_id).values(tier=tier))


async def mark_blocked_in_db(bot: BotUnderTest, user_id: int) -> None:
    async with bot.db.session() as s:
        await s.execute(update(UserRow).where(UserRow.id == user_id).values(blocked_bot=True))


def en(key: str, **values: Any) -> str:
    """The admin reads English (their Telegram language is en)."""
    from frontdoor_emulator.entities import parse_html

    return parse_html(t("en", key, **values))[0]


async def press_new(bot: BotUnderTest, user: User, message: ChatMessage,
                    label: str) -> ChatMessage:
    """Press ``label``; the next new message (the pressed one is only marked)."""
    bot.emu.press_button(user, message, text=label)
    return await bot.emu.next_message(user)


async def compose(bot: BotUnderTest, *, kind: str = "policy", audience: str = "everyone",
                  picks: tuple[str, ...] = (), body: str = BODY,
                  entities: list[dict[str, Any]] | None = None) -> ChatMessage:
    """The admin writes a notice up to its preview; returns the preview."""
    admin, emu = bot.admin, bot.emu
    await bot.drained()
    emu.skip_unread(admin)  # progress and summaries of earlier notices
    await bot.say(admin, "/notice")
    emu.send_text(admin, body, entities=entities)
    ask_file = await emu.next_message(admin)
    ask_kind = await press_new(bot, admin, ask_file, en("nt_btn_no_file"))
    ask_audience = await press_new(bot, admin, ask_kind, en(f"nt_kind_{kind}"))
    shown = await press_new(bot, admin, ask_audience, en(f"nt_audience_{audience}"))
    if audience == "everyone":
        return shown
    for label in picks:
        emu.press_button(admin, shown, text=label)
        shown = await emu.wait_for_message(admin, lambda m, label=label: picked(m, label))
    return await press_new(bot, admin, shown, en("nt_btn_done"))


def labels(message: ChatMessage) -> list[str]:
    """Every button caption on ``message``."""
    return [text for row in (message.markup.texts() if message.markup else []) for text in row]


def picked(message: ChatMessage, label: str) -> bool:
    """Does the pick screen show ``label`` ticked?"""
    rows = message.markup.texts() if message.markup else []
    return any(label in text and "✅" in text for row in rows for text in row)


async def notice_row(bot: BotUnderTest, notice_id: int | None = None) -> Any:
    async with bot.db.reader() as s:
        query = select(Notice).order_by(Notice.id.desc())
        if notice_id is not None:
            query = query.where(Notice.id == notice_id)
        return (await s.scalars(query)).first()


async def notices_count(bot: BotUnderTest) -> int:
    async with bot.db.reader() as s:
        return int(await s.scalar(select(func.count()).select_from(Notice)) or 0)


async def wait_status(bot: BotUnderTest, status: str, within: float = 60.0) -> Any:
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        row = await notice_row(bot)
        if row is not None and row.status == status:
            return row
        if loop.time() > deadline:
            raise AssertionError(f"notice still {row.status if row else None}")
        await asyncio.sleep(0.05)


def received(emu: BotApiEmulator, user: User, body: str = BODY) -> list[ChatMessage]:
    """The notices ``user`` has in their chat (those that carry ``body``)."""
    return [m for m in emu.messages(user) if m.text and body in m.text]


async def pending_notice_rows(bot: BotUnderTest) -> int:
    async with bot.db.reader() as s:
        return int(await s.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == "pending", OutboxMessage.lane == 1)) or 0)
