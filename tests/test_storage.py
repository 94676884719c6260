"""Storage behaves the same on SQLite and PostgreSQL: ids, races, dialogs, the outbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.companies.credit_code import make_credit_code
from storage.companies.repo import Companies
from storage.core.db import Database
from storage.core.repos import Dialogs, MessageRefs, Outbox, Updates, Users
from storage.holder import Repositories

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
BIG_ID = 8_123_456_789_012  # Telegram ids exceed 32 bits


async def test_telegram_ids_beyond_32_bits_round_trip(any_db: Database) -> None:
    async with any_db.session() as s:
        user = await Users(s).touch(BIG_ID, "Alice", "alice", "zh", NOW)
    assert user.id == BIG_ID
    async with any_db.reader() as s:
        again = await Users(s).get(BIG_ID)
    assert again is not None
    assert again.first_name == "Alice"


async def test_times_come_back_as_the_same_aware_utc_instant(any_db: Database) -> None:
    local = datetime(2026, 12, 1, 10, 0, tzinfo=UTC).astimezone()
    async with any_db.session() as s:
        await Users(s).touch(1, "A", None, "zh", local)
        await Dialogs(s).save(1, 1, "onb", "name", {"a": 1}, local)
    async with any_db.reader() as s:
        dialog = await Dialogs(s).get(1, 1)
    assert dialog is not None
    assert dialog.updated_at == local
    assert dialog.updated_at.tzinfo is not None


async def test_twenty_simultaneous_registrations_of_one_code_make_one_company(
    any_db: Database,
) -> None:
    code = make_credit_code("91310113MA1G00001")

    async def register(i: int) -> tuple[int, bool]:
        async with any_db.session() as s:
            company, created = await Companies(s).create_or_get({
                "credit_code": code, "name": f"Company {i}", "contact_name": "x",
                "phone": "13800138000", "station_id": "robot-park",
            }, NOW)
            return company.id, created

    results = await asyncio.gather(*(register(i) for i in range(20)))
    assert len({company_id for company_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1


async def test_an_update_is_recorded_once_however_often_it_arrives(any_db: Database) -> None:
    async def mark() -> bool:
        async with any_db.session() as s:
            return await Updates(s).mark(42, NOW)

    results = await asyncio.gather(*(mark() for _ in range(10)))
    assert results.count(True) == 1
    async with any_db.reader() as s:
        assert await Updates(s).seen(42)
        assert not await Updates(s).seen(43)


async def test_outbox_hands_each_due_message_to_one_worker(any_db: Database) -> None:
    async with any_db.session() as s:
        outbox = Outbox(s)
        for i in range(30):
            await outbox.add(-100 - i % 3, "send", {"text": str(i)}, NOW)

    delivered: list[tuple[int, int]] = []

    async def worker() -> None:
        while True:
            async with any_db.session() as s:
                rows = await Outbox(s).claim_due(NOW, 10, timedelta(seconds=30))
            if not rows:
                return
            for row in rows:
                delivered.append((row.chat_id, row.id))
                async with any_db.session() as s:
                    await Outbox(s).mark_sent(row.id, 1, NOW)

    # Rounds until every worker finds nothing left; a worker may find nothing while another
    # holds a chat, so run them a few times.
    for _ in range(4):
        await asyncio.gather(*(worker() for _ in range(5)))
    ids = [i for _, i in delivered]
    assert len(ids) == len(set(ids))  # nobody got a message someone else held
    assert sorted(ids) == sorted(ids)[:30]
    assert len(ids) == 30
    for chat in (-100, -101, -102):
        in_chat = [i for c, i in delivered if c == chat]
        assert in_chat == sorted(in_chat)  # a chat's messages went out in order


async def test_outbox_keeps_a_chats_order_while_its_first_message_backs_off(
    any_db: Database,
) -> None:
    async with any_db.session() as s:
        outbox = Outbox(s)
        first = await outbox.add(5, "send", {"text": "1"}, NOW)
        await outbox.add(5, "send", {"text": "2"}, NOW)
        other = await outbox.add(6, "send", {"text": "x"}, NOW)
        assert first is not None
        await outbox.retry_later(first, NOW + timedelta(seconds=60), "RetryAfter")
    async with any_db.session() as s:
        rows = await Outbox(s).claim_due(NOW, 10, timedelta(seconds=30))
    assert [r.id for r in rows] == [other]  # chat 5's second message waits for its first


async def test_outbox_dedupe_key_queues_a_message_once(any_db: Database) -> None:
    async with any_db.session() as s:
        first = await Outbox(s).add(5, "send", {"text": "1"}, NOW, dedupe_key="remind:1")
    async with any_db.session() as s:
        second = await Outbox(s).add(5, "send", {"text": "1"}, NOW, dedupe_key="remind:1")
    assert first is not None
    assert second is None


async def test_message_refs_trace_a_delivered_message_back(any_db: Database) -> None:
    async with any_db.session() as s:
        await MessageRefs(s).add(-1001, 77, "request", 9, NOW)
        await MessageRefs(s).add(-1001, 77, "request", 9, NOW)  # idempotent
    async with any_db.reader() as s:
        ref = await MessageRefs(s).find(-1001, 77)
        missing = await MessageRefs(s).find(-1001, 78)
    assert ref is not None
    assert (ref.ref_kind, ref.ref_id) == ("request", 9)
    assert missing is None


async def test_a_message_mapped_again_belongs_to_its_newest_request(any_db: Database) -> None:
    """Message ids that start again (a fresh Bot API server) must not keep a stale mapping."""
    async with any_db.session() as s:
        await MessageRefs(s).add(BIG_ID, 5, "request", 1, NOW)
    async with any_db.session() as s:
        await MessageRefs(s).add(BIG_ID, 5, "booking", 2, NOW + timedelta(days=1))
    async with any_db.reader() as s:
        ref = await MessageRefs(s).find(BIG_ID, 5)
    assert ref is not None
    assert (ref.ref_kind, ref.ref_id) == ("booking", 2)


async def test_old_update_ids_are_forgotten_and_recent_ones_kept(any_db: Database) -> None:
    async with any_db.session() as s:
        await Updates(s).mark(1, NOW - timedelta(days=8))
        await Updates(s).mark(2, NOW - timedelta(hours=1))
    async with any_db.session() as s:
        await Updates(s).prune(NOW - timedelta(days=7))
    async with any_db.reader() as s:
        assert not await Updates(s).seen(1)
        assert await Updates(s).seen(2)


async def test_company_search_finds_part_of_a_name_in_any_case_or_the_exact_code(
    any_db: Database,
) -> None:
    names = ["上海宝山机器人有限公司", "宝山 Robotics Co.", "Acme 100%_Tools", "北上海生物医药"]
    codes = [make_credit_code(f"91310113MA1G{n:05d}") for n in range(len(names))]
    async with any_db.session() as s:
        for name, code in zip(names, codes, strict=True):
            await Companies(s).create_or_get({
                "credit_code": code, "name": name, "contact_name": "x",
                "phone": "13800138000", "station_id": "robot-park",
            }, NOW)
        # A renamed company is found by its new name only.
        renamed = await Companies(s).by_code(codes[3])
        assert renamed is not None
        await Companies(s).update(renamed.id, {"name": "北上海生物医药产业园公司"}, NOW)

    async def found(text: str) -> list[str]:
        async with any_db.reader() as s:
            return [c.name for c in await Companies(s).search(text)]

    assert await found("宝山") == ["上海宝山机器人有限公司", "宝山 Robotics Co."]
    assert await found("机器人有限") == ["上海宝山机器人有限公司"]
    assert await found("ROBOTICS") == ["宝山 Robotics Co."]
    assert await found("产业园公司") == ["北上海生物医药产业园公司"]
    assert await found(codes[2].lower()) == ["Acme 100%_Tools"]
    # Wildcards typed by a person are plain characters.
    assert await found("0%_t") == ["Acme 100%_Tools"]
    assert await found("0_%") == []
    assert await found("%") == ["Acme 100%_Tools"]
    assert await found('"工具"') == []


async def test_an_update_arriving_many_times_at_once_is_claimed_once(any_db: Database) -> None:
    """The unit of work's first statement claims the update and reads the person: of ten
    units of one update at once, one goes on, with the person as stored."""
    async with any_db.session() as s:
        await Users(s).touch(BIG_ID, "P", None, "zh", NOW)

    async def arrive() -> bool:
        async with any_db.session() as s:
            arrival = await Updates(s).arrive(77, NOW, BIG_ID, BIG_ID)
            if arrival is not None:
                assert arrival.user is not None
                assert arrival.user.id == BIG_ID
            return arrival is not None

    results = await asyncio.gather(*(arrive() for _ in range(10)))
    assert results.count(True) == 1
    async with any_db.reader() as s:
        assert await Updates(s).seen(77)


async def test_a_dialog_the_transaction_knows_reads_as_it_was_written(any_db: Database) -> None:
    async with any_db.session() as s:
        repos = Repositories(s)
        dialogs = repos.dialogs
        dialogs.know(BIG_ID, BIG_ID, None)  # read already: there is none
        assert await dialogs.get(BIG_ID, BIG_ID) is None
        await dialogs.save(BIG_ID, BIG_ID, "intake", "ask", {"answers": ["a"]}, NOW)
        got = await dialogs.get(BIG_ID, BIG_ID)
        assert got is not None
        assert got.data == {"answers": ["a"]}
        got.data["answers"].append("changed, not saved")
        again = await dialogs.get(BIG_ID, BIG_ID)
        assert again is not None
        assert again.data == {"answers": ["a"]}
        # A step undone by its savepoint is not what the transaction remembers.
        try:
            async with repos.savepoint():
                await dialogs.save(BIG_ID, BIG_ID, "intake", "undone", {}, NOW)
                raise LookupError
        except LookupError:
            pass
        undone = await dialogs.get(BIG_ID, BIG_ID)
        assert undone is not None
        assert undone.step == "ask"
    async with any_db.reader() as s:
        stored = await Dialogs(s).get(BIG_ID, BIG_ID)
    assert stored is not None
    assert (stored.step, stored.data) == ("ask", {"answers": ["a"]})
    async with any_db.session() as s:
        dialogs = Dialogs(s)
        await dialogs.delete(BIG_ID, BIG_ID)
        assert await dialogs.get(BIG_ID, BIG_ID) is None
