"""Who a notice did not reach, and why, as a spreadsheet (opens in Excel and WPS)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from bot.texts import t
from storage.notices.repo import Miss

COLUMNS = (("nt_xlsx_user", 14), ("nt_xlsx_name", 20), ("nt_xlsx_company", 36),
           ("nt_xlsx_reason", 18), ("nt_xlsx_error", 48))


def misses_workbook(misses: list[Miss], lang: str) -> bytes:
    """One sheet, a row per person; written row by row (write-only), so 10,000 rows are cheap."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(t(lang, "nt_xlsx_sheet"))
    for index, (_, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for key, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=t(lang, key))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for miss in misses:
        sheet.append([miss.user_id, miss.name, miss.company,
                      t(lang, f"nt_reason_{miss.reason}"), miss.error])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
