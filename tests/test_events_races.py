"""Concurrency: the database, not Python, decides who gets an event's last seats and who is
promoted from its waiting list, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from bot.core.context import Actor, unit_of_work
from bot.core.runtime import Runtime
from bot.events import signup
from storage.core.db import Database
from storage.tables import EventRegistration, EventSeats
from tests.booking_support import make_companies, runtime
from tests.harness import CATALOGUE

# Seven seats, two per company: three companies fit, and one seat is left over.
RACE = """
  - id: race
    title: 质量管理培训
    kind: training
    station: robot-park
    start: 2026-12-10 14:00
    end: "16:00"
    capacity: 7
    seats_per_company: 2
  - id: small
    title: 标准化讲座
    kind: lecture
    station: robot-park
    start: 2026-12-11 14:00
    end: "16:00"
    capacity: 2
"""


def race_runtime(db: Database, directory: Path) -> Runtime:
    text = CATALOGUE.read_text(encoding="utf-8").rstrip("\n") + "\n" + RACE
    return runtime(db, directory, text)


async def attempt(rt: Runtime, company_id: int, user_id: int, event_id: str, names: list[str],
                  *, wait: bool = False) -> signup.Outcome:
    """One person's sign-up as its own unit of work."""
    async with unit_of_work(rt, Actor(user_id=user_id, chat_id=user_id)) as ctx:
        company = await ctx.companies.get(company_id)
        assert company is not None
        return await signup.sign_up(ctx, company=company, user_id=user_id, event_id=event_id,
                                    names=names, wait=wait)


async def cancel(rt: Runtime, company_id: int, user_id: int, registration_id: int) -> None:
    async with unit_of_work(rt, Actor(user_id=user_id, chat_id=user_id)) as ctx:
        company = await ctx.companies.get(company_id)
        assert company is not None
        await signup.cancel(ctx, company, registration_id)


async def taken(db: Database, event_id: str) -> int:
    async with db.reader() as session:
        return int(await session.scalar(
            select(EventSeats.taken).where(EventSeats.event_id == event_id)) or 0)


async def seated(db: Database, event_id: str) -> int:
    """Seats held by confirmed registrations, counted from the registrations themselves."""
    async with db.reader() as session:
        return int(await session.scalar(
            select(func.coalesce(func.sum(EventRegistration.seats), 0)).where(
                EventRegistration.event_id == event_id,
                EventRegistration.status == "confirmed")) or 0)


async def statuses(db: Database, event_id: str) -> list[tuple[int, str]]:
    async with db.reader() as session:
        rows = await session.execute(
            select(EventRegistration.company_id, EventRegistration.status)
            .where(EventRegistration.event_id == event_id).order_by(EventRegistration.id))
        return [(row[0], row[1]) for row in rows]


async def test_100_companies_racing_for_7_seats_two_each_never_overbook(
        any_db: Database, tmp_path: Path) -> None:
    rt = race_runtime(any_db, tmp_path)
    companies = await make_companies(rt, 100)
    outcomes = await asyncio.gather(*(
        attempt(rt, cid, 1000 + n, "race", ["甲", "乙"]) for n, cid in enumerate(companies)))
    won = [o for o in outcomes if o.ok]
    assert len(won) == 3
    assert {o.problem for o in outcomes if not o.ok} == {"full"}
    assert await taken(any_db, "race") == 6
    assert await seated(any_db, "race") == 6
    # The seat left over goes to a company of one, and then nobody else fits.
    late = await asyncio.gather(*(
        attempt(rt, cid, 1000 + n, "race", ["丙"]) for n, cid in enumerate(companies)
        if all(o.registration is None or o.registration.company_id != cid for o in won)))
    assert sum(o.ok for o in late) == 1
    assert await taken(any_db, "race") == 7
    assert await seated(any_db, "race") == 7


async def test_one_company_signing_up_ten_times_at_once_holds_one_registration(
        any_db: Database, tmp_path: Path) -> None:
    rt = race_runtime(any_db, tmp_path)
    (company,) = await make_companies(rt, 1)
    outcomes = await asyncio.gather(*(
        attempt(rt, company, 1000, "race", ["甲", "乙"]) for _ in range(10)))
    assert sum(o.ok for o in outcomes) == 1
    assert {o.problem for o in outcomes if not o.ok} == {"already"}
    assert await taken(any_db, "race") == 2
    assert len(await statuses(any_db, "race")) == 1


async def test_concurrent_sign_ups_willing_to_wait_fill_the_seats_and_queue_the_rest(
        any_db: Database, tmp_path: Path) -> None:
    rt = race_runtime(any_db, tmp_path)
    companies = await make_companies(rt, 40)
    outcomes = await asyncio.gather(*(
        attempt(rt, cid, 1000 + n, "small", ["甲"], wait=True)
        for n, cid in enumerate(companies)))
    assert all(o.ok for o in outcomes)
    rows = await statuses(any_db, "small")
    assert [s for _, s in rows].count("confirmed") == 2
    assert [s for _, s in rows].count("waiting") == 38
    assert await taken(any_db, "small") == 2


async def test_two_cancellations_at_once_promote_the_first_two_waiting_and_no_more(
        any_db: Database, tmp_path: Path) -> None:
    rt = race_runtime(any_db, tmp_path)
    companies = await make_companies(rt, 12)
    users = {cid: 1000 + n for n, cid in enumerate(companies)}
    first = [await attempt(rt, cid, users[cid], "small", ["甲"]) for cid in companies[:2]]
    assert all(o.ok for o in first)
    waiting = await asyncio.gather(*(
        attempt(rt, cid, users[cid], "small", ["乙"], wait=True) for cid in companies[2:]))
    assert {o.registration.status for o in waiting if o.registration} == {"waiting"}
    await asyncio.gather(*(
        cancel(rt, o.registration.company_id, users[o.registration.company_id],
               o.registration.id) for o in first if o.registration))
    rows = await statuses(any_db, "small")
    confirmed = [cid for cid, s in rows if s == "confirmed"]
    assert len(confirmed) == 2
    assert await taken(any_db, "small") == 2
    assert await seated(any_db, "small") == 2
    # Promoted in the order they joined the list.
    queue = [cid for cid, s in rows if s in ("confirmed", "waiting")]
    assert confirmed == queue[:2]
