"""A company's record as one spreadsheet (opens in Excel and WPS): a profile sheet and the
timeline, with real dates, a frozen header, filters and readable column widths."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.context import Ctx
from bot.core.display import STAFF_LANG, bureau_zone, station_label, tier_label
from bot.core.replies import XLSX, FileOut, Reply
from bot.records.record import kind_label
from bot.texts import t
from storage.companies.dto import CompanyDTO
from storage.records.repo import STAFF

DATE_TIME = "yyyy-mm-dd hh:mm"


def _local(ctx: Ctx, moment: datetime) -> datetime:
    """Excel keeps no time zones: the bureau's local time, without one."""
    return moment.astimezone(bureau_zone(ctx)).replace(tzinfo=None)


def _header(sheet: Worksheet, titles: list[str], widths: list[int]) -> None:
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"


async def workbook(ctx: Ctx, company: CompanyDTO) -> bytes:
    lang = STAFF_LANG
    book = Workbook()
    profile = book.active
    assert profile is not None
    profile.title = t(lang, "gr_xlsx_profile")
    _header(profile, [t(lang, "gr_xlsx_field"), t(lang, "gr_xlsx_value")], [16, 48])
    tags = await ctx.records.tags(company.id)
    members = await ctx.users.members(company.id)
    received = await ctx.records.received(company.id, ctx.now)
    rows: list[tuple[str, object]] = [
        ("gr_xlsx_name", company.name), ("gr_xlsx_code", company.credit_code),
        ("gr_xlsx_station", station_label(ctx, company.station_id, lang)),
        ("gr_xlsx_tier", tier_label(company.tier, lang, ctx.cat)),
        ("gr_xlsx_tags", "、".join(tags)), ("gr_xlsx_contact", company.contact_name),
        ("gr_xlsx_phone", company.phone),
        ("gr_xlsx_members", "、".join(m.first_name or "—" for m in members)),
        ("gr_xlsx_since", _local(ctx, company.created_at)),
        ("gr_xlsx_resolved", received.resolved), ("gr_xlsx_attended", received.attended),
        ("gr_xlsx_open", received.open_requests),
    ]
    for key, value in rows:
        profile.append([t(lang, key), value])
        if isinstance(value, datetime):
            profile.cell(profile.max_row, 2).number_format = DATE_TIME
    profile.auto_filter.ref = profile.dimensions

    timeline = book.create_sheet(t(lang, "gr_xlsx_timeline"))
    _header(timeline, [t(lang, f"gr_xlsx_col_{c}") for c in
                       ("when", "what", "text", "who", "visibility")], [18, 16, 60, 14, 12])
    # Oldest first, as a ledger reads; the filter sorts it any other way.
    for entry in reversed(await ctx.timeline.all(company.id, staff=True)):
        timeline.append([
            _local(ctx, entry.at), kind_label(entry.kind, lang), entry.text,
            entry.actor_name, t(lang, "gr_xlsx_staff" if entry.visibility == STAFF
                                else "gr_xlsx_shared")])
        timeline.cell(timeline.max_row, 1).number_format = DATE_TIME
    timeline.auto_filter.ref = timeline.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def export_reply(ctx: Ctx, company: CompanyDTO) -> Reply:
    stamp = _local(ctx, ctx.now)
    name = f"{company.name}-{t(STAFF_LANG, 'gr_xlsx_file')}-{stamp:%Y%m%d}.xlsx"
    return Reply(ctx.t("gr_export_caption", company=company.name,
                       when=f"{stamp:%Y-%m-%d %H:%M}"),
                 document=FileOut(name, await workbook(ctx, company), XLSX))
