"""Concurrency: the database, not Python, decides who gets the last seat."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from bot.visits import booking
from storage.core.db import Database
from storage.tables import Booking
from tests.booking_support import MONDAY_1400, attempt, make_companies, runtime, seats_taken


async def live_bookings(db: Database) -> int:
    async with db.reader() as session:
        return int(await session.scalar(select(func.count()).select_from(Booking).where(
            Booking.status == "confirmed")) or 0)


async def test_200_companies_racing_for_a_2_seat_slot_get_exactly_2_bookings(
    any_db: Database, tmp_path: Path,
) -> None:
    rt = runtime(any_db, tmp_path)
    companies = await make_companies(rt, 200)
    outcomes = await asyncio.gather(*(
        attempt(rt, cid, 1000 + n, MONDAY_1400) for n, cid in enumerate(companies)
    ))
    won = [o for o in outcomes if o.ok]
    lost = [o for o in outcomes if not o.ok]
    assert len(won) == 2
    assert len(lost) == 198
    assert {o.problem for o in lost} == {"taken"}
    # Every loser is offered somewhere else to go, and never the slot that filled up.
    assert all(o.alternatives for o in lost)
    assert all(a.start != MONDAY_1400 for o in lost for a in o.alternatives)
    assert await seats_taken(rt, MONDAY_1400) == 2
    assert await live_bookings(any_db) == 2


async def test_one_company_confirming_twice_at_once_holds_one_seat(
    any_db: Database, tmp_path: Path,
) -> None:
    rt = runtime(any_db, tmp_path)
    (company,) = await make_companies(rt, 1)
    outcomes = await asyncio.gather(*(attempt(rt, company, 1000, MONDAY_1400) for _ in range(10)))
    assert sum(o.ok for o in outcomes) == 1
    assert {o.problem for o in outcomes if not o.ok} == {"duplicate"}
    assert await seats_taken(rt, MONDAY_1400) == 1
    assert await live_bookings(any_db) == 1


async def test_one_company_racing_for_many_slots_stays_within_its_limit(
    any_db: Database, tmp_path: Path,
) -> None:
    import datetime as dt

    rt = runtime(any_db, tmp_path)
    (company,) = await make_companies(rt, 1)
    starts = [MONDAY_1400 + dt.timedelta(minutes=30 * i) for i in range(5)]
    outcomes = await asyncio.gather(*(attempt(rt, company, 1000, s) for s in starts))
    assert sum(o.ok for o in outcomes) == 2  # max_upcoming_bookings at the robot park
    assert {o.problem for o in outcomes if not o.ok} == {"limit"}
    assert sum([await seats_taken(rt, s) for s in starts]) == 2


async def test_taps_on_several_closure_alternatives_at_once_rebook_the_visit_once(
    any_db: Database, tmp_path: Path,
) -> None:
    import datetime as dt

    from bot.core.context import Actor, unit_of_work
    from bot.visits import schedule
    from storage.visits.status import LIVE

    rt = runtime(any_db, tmp_path)
    (company,) = await make_companies(rt, 1)
    first = await attempt(rt, company, 1000, MONDAY_1400)
    assert first.booking is not None
    async with unit_of_work(rt, Actor(user_id=1000, chat_id=1000)) as ctx:
        assert await ctx.bookings.transition(
            first.booking.id, LIVE, "cancelled", ctx.now, cancel_reason="closure")
        await ctx.bookings.release_seat("robot-park", MONDAY_1400)

    async def tap(start: dt.datetime) -> booking.Outcome:
        async with unit_of_work(rt, Actor(user_id=1000, chat_id=1000)) as ctx:
            return await booking.rebook_alternative(
                ctx, first.booking.id, schedule.minute_key(start),  # type: ignore[union-attr]
                company, 1000)

    starts = [MONDAY_1400 + dt.timedelta(minutes=30 * i) for i in range(1, 5)]
    outcomes = await asyncio.gather(*(tap(s) for s in starts))
    assert sum(o.ok for o in outcomes) == 1
    assert {o.problem for o in outcomes if not o.ok} == {"rebooked"}
    assert await live_bookings(any_db) == 1
    assert sum([await seats_taken(rt, s) for s in starts]) == 1


async def test_a_company_waits_once_per_slot_at_a_time_and_may_wait_again_later(
    any_db: Database, tmp_path: Path,
) -> None:
    from bot.core.context import Actor, unit_of_work

    rt = runtime(any_db, tmp_path)
    (company,) = await make_companies(rt, 1)

    async def join() -> bool:
        async with unit_of_work(rt, Actor(user_id=1000, chat_id=1000)) as ctx:
            return await booking.join_wait(ctx, company_id=company, user_id=1000,
                                           station_id="robot-park", start=MONDAY_1400,
                                           service_id=None)

    assert sorted(await asyncio.gather(*(join() for _ in range(5)))) == [False] * 4 + [True]
    async with unit_of_work(rt, Actor(user_id=1000, chat_id=1000)) as ctx:
        waiter = await ctx.bookings.next_waiter("robot-park", MONDAY_1400)
        assert waiter is not None
        assert await ctx.bookings.close_wait(waiter.id, "offered")
    assert await join()
    assert not await join()
