"""The report's workbook: a summary, one row per request, one row per visit.

Written with openpyxl's write-only workbook (rows go straight to a temporary file, so memory
stays flat), with real Excel types: dates as dates in the station's local time, hours as
numbers, SLA met as a boolean. Each sheet has a frozen header, an autofilter and widths.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.catalogue import Catalogue
from bot.reports.metrics import Clocks, Report, nearest_rank, percent
from bot.reports.pace import breathe, off_loop
from bot.reports.render import scope_name, station_name
from bot.reports.sections import Section
from bot.requests import status_label
from bot.texts import t
from storage.reports.queries import Reports, Span

DATE_TIME = "yyyy-mm-dd hh:mm"
HOURS = "0.0"

REQUEST_COLUMNS: tuple[tuple[str, int], ...] = (
    ("编号 Reference", 16), ("企业 Company", 30), ("统一社会信用代码 Credit code", 22),
    ("服务站 Station", 24), ("服务 Service", 28), ("状态 Status", 12),
    ("提交时间 Submitted", 18), ("首次响应 First response", 18), ("办结时间 Resolved", 18),
    ("专员 Officer", 12), ("首次响应用时（工作小时）First response hours", 14),
    ("办结用时（工作小时）Resolution hours", 14), ("按时响应 SLA met", 10),
    ("评分 Rating", 8), ("评价留言 Comment", 40),
)
VISIT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("企业 Company", 30), ("统一社会信用代码 Credit code", 22), ("服务站 Station", 24),
    ("事项 Service", 28), ("开始 Starts", 18), ("结束 Ends", 18), ("状态 Status", 14),
    ("关联需求 Request", 16),
)


def _sheet(wb: Workbook, title: str, columns: Sequence[tuple[str, int]]) -> WriteOnlyWorksheet:
    ws: WriteOnlyWorksheet = wb.create_sheet(title)
    for number, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
    ws.freeze_panes = "A2"
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    return ws


def _filter(ws: WriteOnlyWorksheet, columns: int, rows: int) -> None:
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows, 1) + 1}"


class _Styled:
    """One formatted cell reused down a column: the write-only sheet writes a row the moment
    it is appended, and a new cell with its format looked up again for every value cost
    more than the rest of the row."""

    def __init__(self, ws: WriteOnlyWorksheet, number_format: str) -> None:
        self.cell = WriteOnlyCell(ws)
        self.cell.number_format = number_format

    def __call__(self, value: Any) -> Any:
        if value is None:
            return None
        self.cell.value = value
        return self.cell


def _when(column: _Styled, moment: datetime | None, zone: str) -> Any:
    """A moment as Excel keeps it: a local date-time without zone (the zone is in the
    summary)."""
    if moment is None:
        return None
    return column(moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None))


def _number(column: _Styled, value: float | None) -> Any:
    return None if value is None else column(round(value, 2))


async def _summary(wb: Workbook, cat: Catalogue, report: Report, lang: str,
                   zone: str) -> None:
    columns = (("指标 Metric", 36), ("数值 Value", 14))
    ws = _sheet(wb, t(lang, "rp_sheet_summary"), columns)
    p = report.period
    rows: list[tuple[str, Any]] = [
        ("范围 Scope", scope_name(cat, report, lang)),
        ("开始日期 First day", p.first), ("结束日期 Last day", p.last), ("时区 Time zone", zone),
        ("收到需求 Received", report.received), ("办结需求 Resolved", report.resolved),
        ("期末未办结 Open at end", report.open_at_end),
        ("首次响应中位数（工作小时）FRT median", nearest_rank(report.first_response_hours, 50)),
        ("首次响应 90% 分位 FRT p90", nearest_rank(report.first_response_hours, 90)),
        ("办结用时中位数 Resolution median", nearest_rank(report.resolution_hours, 50)),
        ("办结用时 90% 分位 Resolution p90", nearest_rank(report.resolution_hours, 90)),
        ("期内到期 SLA due", report.sla_due), ("按时响应 SLA met", report.sla_met),
        ("按时响应率 % SLA attainment", percent(report.sla_met, report.sla_due)),
        ("评价数 Ratings", report.rated),
        ("好评率 % Satisfaction", percent(report.good, report.rated)),
        ("参评率 % Rating response", percent(report.rated, report.resolved)),
        *((f"{n} 星 {n}★", report.ratings.get(n, 0)) for n in range(5, 0, -1)),
        ("预约 Visits booked", report.booked), ("到场 Attended", report.attended),
        ("未到场 No-shows", report.no_shows),
        ("爽约率 % No-show rate", percent(report.no_shows, report.attended + report.no_shows)),
        ("新登记企业 New companies", sum(report.new_companies.values())),
    ]
    for dim, label in (("station", "服务站 Station"), ("category", "类别 Category"),
                       ("service", "服务 Service"), ("officer", "专员 Officer")):
        for key, (received, resolved, still_open) in sorted(report.by.get(dim, {}).items()):
            name = _dimension_name(cat, dim, key, lang)
            rows.append((f"{label}: {name} 收到/办结/未办结",
                         f"{received}/{resolved}/{still_open}"))
    for w in report.windows:
        rows.append((f"座位使用率 % {station_name(cat, w.station_id, lang)} "
                     f"{t(lang, f'wd_{w.weekday}')} {w.start:%H:%M}-{w.end:%H:%M}",
                     percent(w.booked, w.offered)))
    for b in report.breaches:
        rows.append((f"超时 Breach: {b.reference}", station_name(cat, b.station_id, lang)))
    for bad in report.bad:
        rows.append((f"差评 Poor rating: {bad.reference} {bad.company} {bad.rating}★",
                     bad.comment or ""))
    # A month of every station can list thousands of breaches: others are answered between.
    for count, (label, value) in enumerate(rows, start=1):
        ws.append([label, value])
        await breathe(count)
    _filter(ws, 2, len(rows))


def _dimension_name(cat: Catalogue, dim: str, key: str, lang: str) -> str:
    if dim == "station":
        return station_name(cat, key, lang)
    if dim == "category":
        category = cat.category(key)
        return category.name.get(lang) if category else key
    if dim == "service":
        service = cat.service(key)
        return service.name.get(lang) if service else key
    return key


async def workbook(repo: Reports, cat: Catalogue, report: Report, scope: list[Span],
                   clocks: Clocks, lang: str, zone: str,
                   extras: Sequence[Section] = ()) -> bytes:
    """The .xlsx file of the report (and a sheet for each extra section that has rows)."""
    wb = Workbook(write_only=True)
    try:
        await _fill(wb, repo, cat, report, scope, clocks, lang, zone, extras)
    except BaseException:
        _discard(wb)
        raise
    saving = _Saving(wb)
    try:
        return await off_loop(saving.run)
    except BaseException:
        saving.abandon()
        raise


class _Saving:
    """Saving in a worker thread, or discarding if the wait ends before the thread began.

    A cancelled wait withdraws a save that was still queued for a thread: without this, that
    workbook would be neither saved nor discarded. The lock settles which came first.
    """

    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self._lock = threading.Lock()
        self._started = self._abandoned = False

    def run(self) -> bytes:
        with self._lock:
            if self._abandoned:
                return b""
            self._started = True
        return _save(self._wb)

    def abandon(self) -> None:
        with self._lock:
            if self._started:
                return  # the thread finishes the file and removes its temporary files
            self._abandoned = True
        _discard(self._wb)


def _discard(wb: Workbook) -> None:
    """Close and delete the temporary files of a workbook that will never be saved.

    Left to the garbage collector, a half-written sheet's row writer may run after its file
    was closed and fail where nobody sees it; the temporary files would stay until exit.
    """
    for ws in wb.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        if rows is not None:
            rows.close()
        if writer is not None:
            writer.close()
            writer.cleanup()


async def _fill(wb: Workbook, repo: Reports, cat: Catalogue, report: Report, scope: list[Span],
                clocks: Clocks, lang: str, zone: str, extras: Sequence[Section]) -> None:
    await _summary(wb, cat, report, lang, zone)
    ws = _sheet(wb, t(lang, "rp_sheet_requests"), REQUEST_COLUMNS)
    submitted, answered, done = (_Styled(ws, DATE_TIME) for _ in range(3))
    first_hours, resolution_hours = _Styled(ws, HOURS), _Styled(ws, HOURS)
    count = 0
    async for r in repo.request_rows(scope):
        tz = clocks.zone(r.station_id)
        first = clocks.hours(r.station_id, r.created_at, r.first_response_at) \
            if r.first_response_at else None
        resolved = clocks.hours(r.station_id, r.created_at, r.resolved_at) \
            if r.resolved_at else None
        deadline = clocks.deadline(r.station_id, r.service_id, r.created_at)
        met = None if r.first_response_at is None and deadline > report_end(scope) \
            else r.first_response_at is not None and r.first_response_at <= deadline
        service = cat.service(r.service_id)
        ws.append([
            r.reference, r.company, r.credit_code, station_name(cat, r.station_id, lang),
            service.name.get(lang) if service else r.service_id, status_label(r.status, lang),
            _when(submitted, r.created_at, tz), _when(answered, r.first_response_at, tz),
            _when(done, r.resolved_at, tz), r.officer_name, _number(first_hours, first),
            _number(resolution_hours, resolved), met, r.rating, r.comment,
        ])
        count += 1
        await breathe(count)
    _filter(ws, len(REQUEST_COLUMNS), count)
    ws = _sheet(wb, t(lang, "rp_sheet_visits"), VISIT_COLUMNS)
    starts, ends = _Styled(ws, DATE_TIME), _Styled(ws, DATE_TIME)
    count = 0
    async for v in repo.visit_rows(scope):
        tz = clocks.zone(v.station_id)
        service = cat.service(v.service_id) if v.service_id else None
        ws.append([
            v.company, v.credit_code, station_name(cat, v.station_id, lang),
            service.name.get(lang) if service else (v.service_id or ""),
            _when(starts, v.starts_at, tz), _when(ends, v.ends_at, tz),
            t(lang, f"bk_status_{v.status}"), v.request_reference,
        ])
        count += 1
        await breathe(count)
    _filter(ws, len(VISIT_COLUMNS), count)
    for extra in extras:
        if extra.sheet_title is None:
            continue
        ws = _sheet(wb, extra.sheet_title, [(name, 16) for name in extra.header])
        for row in extra.rows:
            ws.append(list(row))
        _filter(ws, max(len(extra.header), 1), len(extra.rows))


def report_end(scope: list[Span]) -> datetime:
    return max(s.end for s in scope)


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
