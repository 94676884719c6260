"""/report and the monthly report: which stations and period, and the three things sent
(the headline message, the weekly chart, the workbook)."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.catalogue import Catalogue, Station
from bot.core.context import background_work
from bot.core.display import stations_named
from bot.core.replies import XLSX, FileOut
from bot.core.runtime import Runtime
from bot.reports import chart
from bot.reports.metrics import UNKNOWN, Clocks, Report, build, percent, spans
from bot.reports.pace import off_loop
from bot.reports.period import BadPeriod, Period, last_full_month, looks_like_period, parse_period
from bot.reports.render import headline, scope_name
from bot.reports.sections import SECTIONS
from bot.reports.workbook import workbook
from bot.texts import t
from storage.core.repos import Outbox, Users
from storage.reports.queries import Reports

log = logging.getLogger(__name__)

# The monthly report reaches the admins on the 1st at this hour, the bureau's time.
MONTHLY_AT = time(9, 0)


@dataclass(frozen=True, slots=True)
class ReportOut:
    text: str
    chart: FileOut | None
    workbook: FileOut


@dataclass(frozen=True, slots=True)
class Refusal:
    text: str


@dataclass(frozen=True, slots=True)
class Asked:
    """What a typed /report asked for: stations (empty with ``every``) and a period."""

    stations: list[Station]
    every: bool
    period: Period


def understand(cat: Catalogue, words: list[str], today_local: datetime, lang: str, *,
               thread_id: int | None, every_by_default: bool) -> Asked | Refusal:
    """``/report [station] [period]`` in either order; a station named by id, code, name or
    a unique part of it (as the roster finds them), else the topic's station, else all."""
    period_words = [w for w in words if looks_like_period(w)]
    station_words = [w for w in words if not looks_like_period(w)]
    try:
        period = parse_period(" ".join(period_words) or None, today_local.date())
    except BadPeriod as exc:
        return Refusal(t(lang, exc.key))
    if station_words:
        query = " ".join(station_words)
        found = stations_named(cat, query)
        names = "、".join(f"{s.name.get(lang)}（{s.id}）" for s in (found or cat.stations))
        if not found:
            return Refusal(t(lang, "rp_unknown_station", query=query, stations=names))
        if len(found) > 1:
            return Refusal(t(lang, "rp_ambiguous_station", query=query, stations=names))
        return Asked(found, False, period)
    if thread_id is not None and not every_by_default:
        topic = [s for s in cat.stations if s.topic_id == thread_id][:1]
        if topic:
            return Asked(topic, False, period)
    return Asked(list(cat.stations), True, period)


def _zone(rt: Runtime, stations: list[Station], every: bool) -> str:
    zones = {s.timezone for s in stations}
    return next(iter(zones)) if len(zones) == 1 and not every else rt.cat.defaults.timezone


async def make(rt: Runtime, asked: Asked, lang: str) -> ReportOut:
    """Build the report in a read-only session; the drawing and the file run in a thread."""
    cat, bureau_tz = rt.cat, rt.cat.defaults.timezone
    zone = _zone(rt, asked.stations, asked.every)
    async with rt.db.reader(snapshot=True) as session:
        repo = Reports(session)
        report = await build(repo, cat, asked.period, asked.stations, bureau_tz,
                             every=asked.every)
        scope = spans(cat, asked.period, asked.stations, bureau_tz, every=asked.every)
        # The sections after the headline (bot/reports/sections.py): lines and sheets.
        extras = [found for source in SECTIONS
                  if (found := await source(session, cat, scope, lang)) is not None]
        sheet = await workbook(repo, cat, report, scope, Clocks(cat, bureau_tz), lang, zone,
                               extras)
    lines = [line for extra in extras for line in extra.lines]
    text = "\n\n".join([headline(cat, report, lang, zone), *(["\n".join(lines)] if lines
                                                              else []),
                         t(lang, "rp_attached")])
    try:
        png: bytes | None = await off_loop(chart.draw, chart_data(cat, report, lang))
    except Exception:
        # The numbers matter more than the picture: the report goes out without it.
        log.exception("could not draw the report chart")
        png = None
    name = _file_stem(cat, report, lang)
    return ReportOut(
        text,
        FileOut(f"{name}.png", png, "image/png") if png else None,
        FileOut(f"{name}.xlsx", sheet, XLSX),
    )


def _file_stem(cat: Catalogue, report: Report, lang: str) -> str:
    scope = "-".join(report.station_ids) if report.station_ids else "all"
    return f"report-{scope}-{report.period.label.replace('..', '_')}"


def chart_data(cat: Catalogue, report: Report, lang: str) -> chart.ChartData:
    weeks = tuple(report.period.weeks())
    totals: Counter[str] = Counter()
    for counts in report.weekly.values():
        totals.update(counts)
    series = []
    for category_id, _ in totals.most_common():
        category = cat.category(category_id) if category_id != UNKNOWN else None
        label = category.name.get(lang) if category else category_id
        series.append((label, tuple(report.weekly.get(w, Counter())[category_id]
                                    for w in weeks)))
    sla = tuple(percent(report.weekly_sla[w][1], report.weekly_sla[w][0])
                if w in report.weekly_sla else None for w in weeks)
    return chart.ChartData(
        title=t(lang, "rp_chart_title", scope=scope_name(cat, report, lang),
                period=report.period.label),
        weeks=weeks, series=tuple(series), sla=sla,
        requests_label=t(lang, "rp_chart_requests"), sla_label=t(lang, "rp_chart_sla"),
        week_label=t(lang, "rp_chart_week"))


def local_now(rt: Runtime) -> datetime:
    return rt.clock.now().astimezone(ZoneInfo(rt.cat.defaults.timezone))


async def monthly_report(rt: Runtime) -> None:
    """On the 1st at 09:00 (the bureau's time) each admin gets last month's report, once.

    The message's outbox dedupe key (``report:monthly:<month>:<admin>``) is written in the
    same transaction as the chart and the workbook, so restarts and replicas send it once.
    """
    admins = sorted(rt.settings.admin_ids)
    if not admins or not rt.settings.monthly_report:
        return
    now = local_now(rt)
    if now.day != 1 or now.time() < MONTHLY_AT:
        return
    period = last_full_month(now.date())
    memory: dict[str, Any] = rt.state.setdefault("reports", {})
    if memory.get("monthly") == period.label:
        return
    async with rt.db.reader() as session:
        outbox, users = Outbox(session), Users(session)
        pending: dict[str, list[int]] = {}
        for admin in admins:
            if await outbox.by_dedupe_key(_monthly_key(period, admin)) is not None:
                continue
            user = await users.get(admin)
            pending.setdefault(user.language if user else "zh", []).append(admin)
    for lang, people in sorted(pending.items()):
        out = await make(rt, Asked(list(rt.cat.stations), True, period), lang)
        async with background_work(rt) as ctx:
            for admin in people:
                text = t(lang, "rp_monthly") + "\n\n" + out.text
                if await ctx.send(admin, text, dedupe_key=_monthly_key(period, admin),
                                  bulk=True) is None:
                    continue  # another replica or an earlier run sent it
                if out.chart is not None:
                    await ctx.send_upload(admin, out.chart, photo=True)
                await ctx.send_upload(admin, out.workbook)
    memory["monthly"] = period.label


def _monthly_key(period: Period, admin: int) -> str:
    return f"report:monthly:{period.label}:{admin}"


def first_day_after(period: Period, zone: str) -> datetime:
    """When the monthly report of ``period`` is due (tests move the clock there)."""
    day = period.last + timedelta(days=1)
    return datetime.combine(day, MONTHLY_AT, ZoneInfo(zone))
