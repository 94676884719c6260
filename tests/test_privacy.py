"""People's data has an end: leave, be forgotten, be removed by a contact, retention; each
act on the audit log. Forgetting is proved by looking for the phone number everywhere."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import String, cast, select

from bot.companies.credit_code import make_credit_code
from bot.core.clock import ManualClock
from bot.texts import t
from storage.core.base import Base
from storage.tables import AuditEntry, OutboxMessage, User
from tests.harness import BotUnderTest, join_company, matches
from tests.requests_steps import card_of, forge_press, submit

PHONE = "13912345678"


async def personal_values(bot: BotUnderTest, needle: str) -> list[str]:
    """Every column marked personal, in every table, whose value mentions ``needle``."""
    found: list[str] = []
    async with bot.db.reader() as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if not column.info.get("personal"):
                    continue
                rows = await session.execute(
                    select(cast(column, String)).where(cast(column, String).contains(needle)))
                found += [f"{table.name}.{column.name}" for _ in rows]
    return found


def file_bytes(bot: BotUnderTest) -> bytes:
    path = Path(bot.db.url.split("///", 1)[1])
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


async def test_a_forgotten_person_is_gone_from_every_table_and_the_file(
        any_bot: BotUnderTest) -> None:
    bot = any_bot
    alice = bot.user("Alice")
    await bot.register(alice, phone=PHONE)
    reference = await submit(bot, alice, "请协助办理")
    await card_of(bot, reference)  # the card carries the phone number too
    await bot.drained()
    assert await personal_values(bot, PHONE)  # it was there, in more than one place
    if bot.db.sqlite:
        assert PHONE.encode() in file_bytes(bot)
    sure = await bot.say(alice, "/forget")
    assert matches("forget_sure", sure.text)
    done = await bot.press(alice, sure, t("zh", "btn_forget_yes"))
    assert matches("forget_done", done.text)
    assert await personal_values(bot, PHONE) == []
    async with bot.db.reader() as session:
        assert await session.get(User, alice.id) is None
        # The company's history stays.
        bodies = list(await session.scalars(select(cast(OutboxMessage.payload, String))))
    assert not any(PHONE in b for b in bodies)
    if bot.db.sqlite:
        await bot.db.checkpoint()
        assert PHONE.encode() not in file_bytes(bot)
    bot.emu.send_text(bot.officers[0], f"/history {reference}", chat=bot.staff)
    history = await bot.emu.next_message(bot.staff, lambda m: reference in m.text)
    assert "Alice" not in history.text


async def test_a_person_leaves_and_the_audit_log_says_so(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    sure = await bot.say(alice, "/leave")
    left = await bot.press(alice, sure, t("zh", "btn_leave_yes"))
    assert matches("leave_done", left.text)
    assert matches("profile_none", (await bot.say(alice, "/profile")).text)
    audit = await bot.say(bot.admin, "/audit")
    assert "left a company" in audit.text
    # Only admins read the log.
    assert matches("not_allowed", (await bot.say(alice, "/audit")).text)


async def test_a_contact_removes_a_member(bot: BotUnderTest) -> None:
    alice, carol = bot.user("Alice"), bot.user("Carol")
    await bot.register(alice)
    await join_company(bot, carol, alice)
    members = await bot.say(alice, "/members")
    assert "Carol" in members.text
    removed = await bot.press(alice, members, t("zh", "btn_remove_member", name="Carol"))
    assert matches("member_removed", removed.text)
    told = await bot.emu.next_message(carol, lambda m: matches("member_removed_you", m.text))
    assert told.text
    assert matches("profile_none", (await bot.say(carol, "/profile")).text)
    async with bot.db.reader() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "remove"))
    assert entry is not None
    assert entry.actor_id == alice.id


async def test_a_forged_removal_changes_nothing(bot: BotUnderTest) -> None:
    alice, mallory = bot.user("Alice"), bot.user("Mallory")
    await bot.register(alice)
    await bot.register(mallory, name="另一家公司", code=make_credit_code("91310113MA1G00002"))
    members = await bot.say(mallory, "/members")
    answer = await bot.emu.wait_for_callback_answer(
        forge_press(bot, mallory, members, f"pv:rm:{alice.id}"))
    assert matches("stale_button", answer.text or "")
    assert not matches("profile_none", (await bot.say(alice, "/profile")).text)


async def test_retention_purges_old_message_bodies_and_forms(clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    assert isinstance(bot.clock, ManualClock)
    alice = bot.user("Alice")
    await bot.register(alice, phone=PHONE)
    reference = await submit(bot, alice, "请协助办理")
    await card_of(bot, reference)
    await bot.drained()
    bob = bot.user("Bob")
    await bot.say(bob, "/start")
    await bot.emu.next_message(bob)  # the first question
    await bot.say(bob, "Half Finished Ltd")  # an abandoned form
    assert await personal_values(bot, "Half Finished")
    bot.clock.advance(timedelta(days=31))
    bot.runtime.wake()
    for _ in range(200):
        if not await personal_values(bot, "Half Finished"):
            break
        await asyncio.sleep(0.05)
    assert await personal_values(bot, "Half Finished") == []
    async with bot.db.reader() as session:
        bodies = list(await session.scalars(select(cast(OutboxMessage.payload, String))))
    assert bodies
    assert not any(PHONE in b for b in bodies)
