"""Shared set-up for the booking tests: a runtime without Telegram, companies, slots."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.app import make_runtime
from bot.companies.credit_code import make_credit_code
from bot.core.clock import ManualClock
from bot.core.context import Actor, unit_of_work
from bot.core.runtime import Runtime
from bot.core.settings import Settings
from bot.visits import booking
from storage.core.db import Database
from tests.harness import TOKEN, copy_catalogue

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# Tue 1 Dec 2026, 09:00 in Shanghai.
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
# The robot park's Monday window: 14:00-16:30 in 30-minute slots with 2 seats each.
MONDAY_1400 = dt.datetime(2026, 12, 7, 14, 0, tzinfo=SHANGHAI).astimezone(dt.UTC)
# Its Thursday window has one seat per slot.
THURSDAY_0900 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI).astimezone(dt.UTC)


def runtime(db: Database, directory: Path, catalogue_text: str | None = None) -> Runtime:
    path = copy_catalogue(directory)
    if catalogue_text is not None:
        path.write_text(catalogue_text, encoding="utf-8")
    settings = Settings(_env_file=None, bot_token=TOKEN, database_url=db.url,  # type: ignore[call-arg]
                        catalogue=path, staff_chat_id=-1001, admin_ids=frozenset({999}))
    return make_runtime(settings, db=db, clock=ManualClock(START))


def credit_code(n: int) -> str:
    return make_credit_code(f"91310113MA{n:07d}")


async def make_companies(rt: Runtime, count: int, station: str = "robot-park") -> list[int]:
    """``count`` companies, each with one person whose user id equals 1000 + index."""
    ids = []
    async with unit_of_work(rt, Actor(user_id=1, chat_id=1)) as ctx:
        for n in range(count):
            company, _ = await ctx.companies.create_or_get({
                "credit_code": credit_code(n), "name": f"公司{n:03d}", "contact_name": "王",
                "phone": "13800138000", "station_id": station,
            }, ctx.now)
            await ctx.users.touch(1000 + n, f"u{n}", None, "zh", ctx.now)
            await ctx.users.set_company(1000 + n, company.id)
            ids.append(company.id)
    return ids


async def attempt(rt: Runtime, company_id: int, user_id: int, start: dt.datetime,
                  station: str = "robot-park", **kwargs: object) -> booking.Outcome:
    """One person's confirm press as its own unit of work."""
    async with unit_of_work(rt, Actor(user_id=user_id, chat_id=user_id)) as ctx:
        return await booking.book(ctx, company_id=company_id, user_id=user_id,
                                  station_id=station, start=start, **kwargs)  # type: ignore[arg-type]


async def seats_taken(rt: Runtime, start: dt.datetime, station: str = "robot-park") -> int:
    from storage.visits.repo import Bookings

    async with rt.db.reader() as session:
        return (await Bookings(session).taken(station, start, start)).get(start, 0)
