"""Render a layout grid as an Excel workbook (openpyxl), ready to print on A4.

Numbers stay numbers with the table's number format; text stays text: a text that starts like a
formula (=, +, -, @) is written as a string with Excel's quote prefix, never as a formula.
Control characters, which a cell cannot hold, were already turned into line breaks or dropped
by the grid (``grid.printable_text``), the same for every renderer.
"""

import math
from copy import copy
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins

from declarations.exports.grid import FILLS, Cell, Grid, NumberFormat, Style

FONT_NAME = "宋体"  # the Song typeface of printed official forms; Excel on Windows has it
FONT_SIZE = 10.5  # 五号
LINE_HEIGHT_PT = 14.5
MIN_ROW_HEIGHT_PT = 20
MAX_ROW_HEIGHT_PT = 409  # Excel's limit
FORMULA_PREFIXES = ("=", "+", "-", "@")
SHEET_NAME_FORBIDDEN = str.maketrans({**{c: "_" for c in "[]:*?/\\"}, "\n": " ", "\t": " "})

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


_BODY = Font(name=FONT_NAME, size=FONT_SIZE)
_RIGHT = Alignment(horizontal="right", vertical="center")
# style -> (font, alignment, border, fill)
_STYLES = {
    Style.TITLE: (Font(name=FONT_NAME, size=16), _WRAP_CENTER, None, None),
    Style.SUBTITLE: (Font(name=FONT_NAME, size=12), _WRAP_CENTER, None, None),
    Style.NOTE: (_BODY, Alignment(horizontal="left", vertical="center"), None, None),
    Style.NOTE_RIGHT: (_BODY, _RIGHT, None, None),
    Style.LABEL: (_BODY, _WRAP_CENTER, _BORDER, None),
    Style.HEADER: (_BODY, _WRAP_CENTER, _BORDER, PatternFill("solid", fgColor="F2F2F2")),
    Style.TEXT: (_BODY, _WRAP_LEFT, _BORDER, None),
    Style.CENTER: (_BODY, _WRAP_CENTER, _BORDER, None),
    Style.NUMBER: (_BODY, _RIGHT, _BORDER, None),
    **{
        style: (_BODY, _WRAP_CENTER, _BORDER, PatternFill("solid", fgColor=rgb))
        for style, rgb in FILLS.items()
    },
}


class _Styler:
    """Gives cells their style; each distinct style is built once and then copied, because
    openpyxl hashes every style object on each assignment and that dominates small sheets."""

    def __init__(self):
        self._arrays: dict[tuple[Style, str], object] = {}

    def apply(self, target, style: Style, number_format: str) -> None:
        key = (style, number_format)
        array = self._arrays.get(key)
        if array is not None:
            target._style = copy(array)
            return
        font, alignment, border, fill = _STYLES[style]
        target.font, target.alignment = font, alignment
        if border is not None:
            target.border = border
        if fill is not None:
            target.fill = fill
        target.number_format = number_format
        self._arrays[key] = copy(target._style)


def _text_width(text: str) -> float:
    """Width in Excel character units: CJK and full-width characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _lines_needed(text: str, width_chars: float) -> int:
    usable = max(width_chars - 1.5, 1)
    return sum(max(1, math.ceil(_text_width(line) / usable)) for line in text.split("\n"))


def _needed_height(cell: Cell, text: str, grid: Grid) -> float:
    if cell.style == Style.TITLE:
        return 30
    width = sum(grid.widths[cell.col : cell.col + cell.colspan])
    return _lines_needed(text, width) * LINE_HEIGHT_PT + 6


def render_xlsx(grid: Grid) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = grid.title.translate(SHEET_NAME_FORBIDDEN)[:31] or "绩效目标申报表"
    styler = _Styler()

    for index, width in enumerate(grid.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    heights = [MIN_ROW_HEIGHT_PT] * grid.row_count
    spanning: list[tuple[Cell, float]] = []
    for cell in grid.cells:
        number_format = _number_format(cell)
        target = sheet.cell(row=cell.row + 1, column=cell.col + 1)
        styler.apply(target, cell.style, number_format)
        _write_value(target, cell)  # after the style, which would reset the quote prefix
        if cell.rowspan > 1 or cell.colspan > 1:
            # Register the range without ``merge_cells``: its edge-only re-formatting of every
            # range costs most of the export and strips the inner sides that spreadsheet
            # programs draw from. Each cell of the range gets the full style instead. The grid
            # has already refused overlapping cells, so the range set is filled directly.
            sheet.merged_cells.ranges.add(
                MergedCellRange(
                    sheet,
                    f"{get_column_letter(cell.col + 1)}{cell.row + 1}:"
                    f"{get_column_letter(cell.col + cell.colspan)}{cell.row + cell.rowspan}",
                )
            )
            for r in range(cell.row + 1, cell.row + cell.rowspan + 1):
                for c in range(cell.col + 1, cell.col + cell.colspan + 1):
                    if (r, c) != (cell.row + 1, cell.col + 1):
                        styler.apply(sheet.cell(row=r, column=c), cell.style, number_format)
        text = "" if cell.value is None else str(cell.value)
        needed = _needed_height(cell, text, grid) if text else MIN_ROW_HEIGHT_PT
        if cell.rowspan == 1:
            heights[cell.row] = max(heights[cell.row], needed)
        else:
            spanning.append((cell, needed))
    for cell, needed in spanning:
        rows = range(cell.row, cell.row + cell.rowspan)
        missing = needed - sum(heights[r] for r in rows)
        if missing > 0:
            heights[rows[-1]] += missing
    for index, height in enumerate(heights, start=1):
        sheet.row_dimensions[index].height = min(height, MAX_ROW_HEIGHT_PT)

    _page_setup(sheet, grid)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number_format(cell: Cell) -> str:
    if not cell.is_number or cell.number_format in (None, NumberFormat.PLAIN):
        return "General"
    if cell.suffix:
        return f'{cell.number_format.value}"{cell.suffix}"'
    return cell.number_format.value


def _write_value(target, cell: Cell) -> None:
    value = cell.value
    if value is None or value == "":
        return
    if cell.is_number:
        target.value = value
        return
    text = str(value)
    target.value = text
    if text.startswith(FORMULA_PREFIXES):
        # openpyxl turns "=…" into a formula; keep it a string and mark it as typed text.
        target.data_type = "s"
        target.quotePrefix = True


def _page_setup(sheet, grid: Grid) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if grid.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    sheet.oddFooter.center.text = "第 &P 页 共 &N 页"
    repeated = [s for s in grid.sections if s.repeat_rows]
    if repeated:
        section = repeated[-1]
        first = section.first_row + 1
        sheet.print_title_rows = f"{first}:{first + section.repeat_rows - 1}"
    sheet.sheet_view.showGridLines = False
