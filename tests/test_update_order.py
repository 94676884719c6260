"""Under load, each person's messages are handled in the order they were sent, and once."""

from __future__ import annotations

import asyncio
import random

import pytest
from telegram import Chat, Message, Update, User
from telegram.constants import ChatType

from bot.companies.credit_code import make_credit_code
from bot.core.context import Actor, unit_of_work
from bot.delivery.updates import PerChatUpdateProcessor
from storage.core.repos import Dialogs
from tests.harness import BotUnderTest


def private_update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, ChatType.PRIVATE)
    user = User(chat_id, "P", is_bot=False)
    message = Message(update_id, None, chat, from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_chats_updates_run_in_order_while_chats_overlap() -> None:
    processor = PerChatUpdateProcessor(64)
    rng = random.Random(7)
    seen: dict[int, list[int]] = {chat: [] for chat in range(1, 9)}
    running = 0
    most_at_once = 0

    async def handle(chat: int, n: int) -> None:
        nonlocal running, most_at_once
        running += 1
        most_at_once = max(most_at_once, running)
        await asyncio.sleep(rng.random() / 500)  # uneven work: later ones could overtake
        seen[chat].append(n)
        running -= 1

    jobs = [
        processor.process_update(private_update(chat * 100 + n, chat), handle(chat, n))
        for n in range(12) for chat in seen
    ]
    await asyncio.gather(*jobs)
    assert all(order == list(range(12)) for order in seen.values()), seen
    assert most_at_once > 1  # different people did not wait for each other


def group_update(update_id: int, chat_id: int, user_id: int) -> Update:
    chat = Chat(chat_id, ChatType.SUPERGROUP)
    user = User(user_id, "O", is_bot=False)
    message = Message(update_id, None, chat, from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_officers_in_one_group_do_not_wait_for_each_other_but_each_keeps_order() -> None:
    processor = PerChatUpdateProcessor(64)
    officers = (11, 12)
    seen: dict[int, list[int]] = {officer: [] for officer in officers}
    first_started = asyncio.Event()
    second_done = asyncio.Event()

    async def slow_first(n: int) -> None:
        first_started.set()
        await second_done.wait()  # would never end if the other officer queued behind it
        seen[11].append(n)

    async def handle(officer: int, n: int) -> None:
        seen[officer].append(n)
        if officer == 12 and n == 2:
            second_done.set()

    jobs = [asyncio.create_task(processor.process_update(group_update(1, -100, 11),
                                                         slow_first(0)))]
    jobs += [asyncio.create_task(processor.process_update(group_update(1 + n, -100, 11),
                                                          handle(11, n))) for n in (1, 2)]
    await first_started.wait()
    jobs += [asyncio.create_task(processor.process_update(group_update(10 + n, -100, 12),
                                                          handle(12, n))) for n in range(3)]
    await asyncio.wait_for(asyncio.gather(*jobs), 2)
    assert seen == {11: [0, 1, 2], 12: [0, 1, 2]}


async def test_rapid_answers_from_many_people_land_in_the_right_steps(
    any_bot: BotUnderTest,
) -> None:
    """Twelve people type all their registration answers without waiting for the bot."""
    bot = any_bot
    people = [bot.user(f"P{i}") for i in range(12)]
    codes = [make_credit_code(f"91310113MA1H{i:05d}") for i in range(12)]
    for i, person in enumerate(people):
        for text in ("/start", f"第{i}号科技有限公司", codes[i], f"联系人{i}", "13800138000"):
            bot.emu.send_text(person, text)
    for i, person in enumerate(people):
        stations = await bot.emu.wait_for_message(
            person, lambda m: m.inline_keyboard is not None and ":station:" in str(
                [b.callback_data for b in m.inline_keyboard.buttons]), timeout=10)
        summary = await bot.press(person, stations, "上海机器人产业园")
        assert f"第{i}号科技有限公司" in summary.text
        assert codes[i] in summary.text
        assert f"联系人{i}" in summary.text
        errors = [m.text for m in bot.emu.messages(person) if "格式" in (m.text or "")]
        assert errors == []


async def test_an_update_delivered_twice_is_answered_once(any_bot: BotUnderTest) -> None:
    bot = any_bot
    alice = bot.user("Alice")
    bot.emu.send_text(alice, "/help")
    raw = dict(bot.emu.pending_updates[-1])
    await bot.emu.next_message(alice)
    bot.emu.push_raw_update(raw)
    await bot.emu.wait_delivered()
    await bot.emu.expect_no_message(alice, within=0.3)


@pytest.mark.parametrize("known", [False, True], ids=["first-contact", "known-person"])
async def test_two_updates_of_one_person_in_two_places_at_once_take_turns(
        any_bot: BotUnderTest, known: bool) -> None:
    """Replicas do not share the per-chat processor: two updates of one person may be handled
    at the same moment by two of them. Each reads the conversation, thinks, and writes the
    next step; taking turns (the person's row is held to the commit from the unit's first
    statement), neither writes over the other's step, whether the person is new or known."""
    bot = any_bot
    actor = Actor(user_id=4242, chat_id=4242, first_name="P")
    inside = asyncio.Event()
    if known:
        async with unit_of_work(bot.runtime, actor, 900_000):
            pass  # the person is on record from an earlier update

    async def step(update_id: int, first: bool) -> None:
        async with unit_of_work(bot.runtime, actor, update_id) as ctx:
            found = await ctx.dialogs.get(actor.chat_id, actor.user_id)
            steps = int(found.data["steps"]) if found else 0
            if first:
                inside.set()
                await asyncio.sleep(0.3)  # the other update arrives meanwhile
            await ctx.dialogs.save(actor.chat_id, actor.user_id, "probe", "s",
                                   {"steps": steps + 1}, ctx.now)

    first = asyncio.create_task(step(900_001, True))
    await inside.wait()
    await step(900_002, False)
    await first
    async with bot.db.reader() as session:
        found = await Dialogs(session).get(actor.chat_id, actor.user_id)
    assert found is not None
    assert found.data["steps"] == 2
