"""An overview as one Excel sheet: a title, column headers and rows, for the bureau's lists
(monitoring lights per declaration, self-evaluation scores per declaration)."""

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from declarations.exports.grid import printable_text

HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")


def overview_sheet(title: str, headers: list[str], rows: list[list]) -> bytes:
    """The sheet as xlsx bytes. Decimals stay numbers (two decimals shown), texts stay texts."""
    book = Workbook()
    sheet = book.active
    sheet.title = "总览"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append([printable_text(v) if isinstance(v, str) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal | float | int):
                cell.number_format = "0.00"
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, header in enumerate(headers, start=1):
        width = max(
            [len(str(header)) * 2 + 2] + [min(len(str(r[index - 1] or "")) * 2, 60) for r in rows]
        )
        sheet.column_dimensions[get_column_letter(index)].width = max(width, 8)
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
