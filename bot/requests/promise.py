"""The first-response promise of a request: its deadlines, counted in working hours."""


from __future__ import annotations

from datetime import datetime

from bot.core.context import Ctx
from bot.core.display import zone_of
from bot.requests.workhours import WorkClock


def deadlines(ctx: Ctx, station_id: str, hours: float, start: datetime) -> tuple[
        datetime, datetime]:
    """When the first-response promise runs out, and when admins are called in (twice it).

    Both count working time on the station's own calendar: its closures, and its office
    hours (the catalogue's default hours for a station no longer listed).
    """
    station = ctx.cat.station(station_id)
    clock = WorkClock(ctx.cat.calendar, tz=zone_of(ctx, station_id), station_id=station_id,
                      office=station.hours if station else ctx.cat.defaults.hours)
    return clock.add(start, hours), clock.add(start, 2 * hours)


def response_hours(ctx: Ctx, service_id: str) -> float:
    service = ctx.cat.service(service_id)
    return service.response_hours if service else ctx.cat.defaults.response_hours


def hours_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
