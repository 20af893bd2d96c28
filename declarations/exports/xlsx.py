"""Render a layout grid as an Excel workbook (openpyxl), ready to print on A4.

Numbers stay numbers with the table's number format; text stays text: a text that starts like a
formula (=, +, -, @) is written as a string with Excel's quote prefix, never as a formula.
"""

import math
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from declarations.exports.grid import Cell, Grid, NumberFormat, Style

FONT_NAME = "宋体"  # the Song typeface of printed official forms; Excel on Windows has it
FONT_SIZE = 10.5  # 五号
LINE_HEIGHT_PT = 14.5
MIN_ROW_HEIGHT_PT = 20
MAX_ROW_HEIGHT_PT = 409  # Excel's limit
FORMULA_PREFIXES = ("=", "+", "-", "@")
SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _named_styles() -> dict[tuple[Style, str | None], NamedStyle]:
    body = Font(name=FONT_NAME, size=FONT_SIZE)
    bold = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    specs = {
        Style.TITLE: (Font(name=FONT_NAME, size=16, bold=True), _WRAP_CENTER, None, None),
        Style.SUBTITLE: (Font(name=FONT_NAME, size=12), _WRAP_CENTER, None, None),
        Style.NOTE: (body, Alignment(horizontal="left", vertical="center"), None, None),
        Style.NOTE_RIGHT: (body, Alignment(horizontal="right", vertical="center"), None, None),
        Style.LABEL: (bold, _WRAP_CENTER, _BORDER, None),
        Style.HEADER: (bold, _WRAP_CENTER, _BORDER, PatternFill("solid", fgColor="F2F2F2")),
        Style.TEXT: (body, _WRAP_LEFT, _BORDER, None),
        Style.CENTER: (body, _WRAP_CENTER, _BORDER, None),
        Style.NUMBER: (body, Alignment(horizontal="right", vertical="center"), _BORDER, None),
    }
    styles = {}
    for style, (font, alignment, border, fill) in specs.items():
        named = NamedStyle(name=f"kexie_{style.value}", font=font, alignment=alignment)
        if border is not None:
            named.border = border
        if fill is not None:
            named.fill = fill
        styles[(style, None)] = named
    return styles


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
    styles = _named_styles()
    for named in styles.values():
        workbook.add_named_style(named)
    number_styles: dict[tuple[Style, str], str] = {}

    for index, width in enumerate(grid.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    heights = [MIN_ROW_HEIGHT_PT] * grid.row_count
    spanning: list[tuple[Cell, float]] = []
    for cell in grid.cells:
        style_name = _style_for(cell, workbook, styles, number_styles)
        target = sheet.cell(row=cell.row + 1, column=cell.col + 1)
        target.style = style_name
        _write_value(target, cell)  # after the style, which would reset the quote prefix
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=cell.row + 1,
                start_column=cell.col + 1,
                end_row=cell.row + cell.rowspan,
                end_column=cell.col + cell.colspan,
            )
            # After merging, so that openpyxl's edge-only formatting does not strip inner
            # sides: spreadsheet programs draw a merged range's border from all its cells.
            for r in range(cell.row + 1, cell.row + cell.rowspan + 1):
                for c in range(cell.col + 1, cell.col + cell.colspan + 1):
                    if (r, c) != (cell.row + 1, cell.col + 1):
                        sheet.cell(row=r, column=c).style = style_name
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


def _style_for(cell: Cell, workbook, styles, number_styles) -> str:
    base = styles[(cell.style, None)]
    if not cell.is_number or cell.number_format in (None, NumberFormat.PLAIN):
        return base.name
    number_format = cell.number_format.value
    if cell.suffix:
        number_format = f'{number_format}"{cell.suffix}"'
    key = (cell.style, number_format)
    if key not in number_styles:
        named = NamedStyle(
            name=f"{base.name}_{len(number_styles)}",
            font=base.font,
            alignment=base.alignment,
            border=base.border,
            fill=base.fill,
            number_format=number_format,
        )
        workbook.add_named_style(named)
        number_styles[key] = named.name
    return number_styles[key]


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
