"""The outbox's scheduling: interactive messages before bulk ones, and Telegram's "wait"
honoured for the scope it came from."""

from __future__ import annotations

import pytest

from frontdoor_emulator.models import ApiCall
from storage.core.db import Database
from storage.core.repos import Outbox
from tests.harness import BotUnderTest


@pytest.fixture
def bot(any_bot: BotUnderTest) -> BotUnderTest:
    """These probes run on SQLite and again on PostgreSQL."""
    return any_bot


async def test_an_answer_goes_out_before_a_round_of_bulk_messages(bot: BotUnderTest) -> None:
    people = [bot.user(f"P{n}") for n in range(60)]
    alice = bot.user("Alice")
    for person in [*people, alice]:
        await bot.say(person, "/help")
    bot.emu.skip_unread(alice)
    # The dispatcher is busy elsewhere: queue a round of bulk news, then one answer.
    db: Database = bot.db
    async with db.session() as session:
        outbox = Outbox(session)
        for person in people:
            await outbox.add(person.id, "send", {"text": "批量通知", "buttons": []},
                             bot.clock.now(), lane=1)
        await outbox.add(alice.id, "send", {"text": "给 Alice 的答复", "buttons": []},
                         bot.clock.now(), lane=0)
    bot.runtime.wake()
    await bot.emu.next_message(alice, lambda m: "答复" in m.content)
    await bot.drained()
    sent = [c.params.get("text") for c in bot.emu.calls_of("sendMessage")]
    order = [t for t in sent if t in ("批量通知", "给 Alice 的答复")]
    assert order.index("给 Alice 的答复") == 0


async def test_a_429_from_several_chats_pauses_all_sending(bot: BotUnderTest) -> None:
    people = [bot.user(f"P{n}") for n in range(4)]
    for person in people:
        await bot.say(person, "/help")
    bot.emu.fail_next(3, status=429, retry_after=2, method="sendMessage")

    async def queue(person_ids: list[int], text: str) -> None:
        async with bot.db.session() as session:
            for person_id in person_ids:
                await Outbox(session).add(person_id, "send", {"text": text, "buttons": []},
                                          bot.clock.now())
        bot.runtime.wake()

    def calls(text: str) -> list[ApiCall]:
        return [c for c in bot.emu.calls_of("sendMessage") if c.params.get("text") == text]

    await queue([p.id for p in people[:3]], "稍后送达")
    await bot.emu.wait_until(lambda: len(calls("稍后送达")) == 3, timeout=5)
    assert all(c.status == 429 for c in calls("稍后送达"))
    # Three chats were told to wait at once: a message for a fourth chat waits too.
    await queue([people[3].id], "第四位")
    await bot.emu.wait_until(lambda: any(c.ok for c in calls("第四位")), timeout=10)
    last_refusal = max(c.time for c in calls("稍后送达") if c.status == 429)
    assert min(c.time for c in calls("第四位") if c.ok) - last_refusal >= 1.5
    await bot.emu.wait_until(lambda: len([c for c in calls("稍后送达") if c.ok]) == 3,
                             timeout=10)
