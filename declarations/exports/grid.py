"""The layout description shared by all renderers: a grid of positioned cells.

A layout module fills a ``Grid`` with cells at (row, column) positions, each with its spans, a
style name and a value. Renderers never know which layout they print; they only read the grid.
Rows are grouped into sections: a section's first ``repeat_rows`` rows are its column headers,
repeated on every printed page when the section breaks across pages.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from declarations.domain.money import plain_decimal


class Style(StrEnum):
    TITLE = "title"  # the table's title, large, centred, no border
    SUBTITLE = "subtitle"  # a line under the title (year), centred, no border
    NOTE = "note"  # 编制单位 / 单位：万元 lines above the table, no border
    NOTE_RIGHT = "note_right"
    LABEL = "label"  # a bordered row or column label, centred, bold
    HEADER = "header"  # a column header of a grid, centred, bold, shaded
    TEXT = "text"  # bordered, left-aligned, wrapping text
    CENTER = "center"  # bordered, centred short text (units, operators)
    NUMBER = "number"  # bordered number, right-aligned
    # A monitoring light (绿灯 / 黄灯 / 红灯 / 蓝灯): bordered, centred, filled with its colour.
    # The text names the colour too, so a black-and-white print still says it.
    LIGHT_GREEN = "light_green"
    LIGHT_YELLOW = "light_yellow"
    LIGHT_RED = "light_red"
    LIGHT_BLUE = "light_blue"


class NumberFormat(StrEnum):
    WAN_YUAN = "0.00####"  # 万元: two decimals or more, never fewer digits than stored
    YUAN = "#,##0.00"
    PERCENT = "0.00%"
    SCORE = "0.00"  # points and scores, kept to the cent
    PLAIN = "General"


UNBORDERED = {Style.TITLE, Style.SUBTITLE, Style.NOTE, Style.NOTE_RIGHT}
# The cell fill (RGB) of the styles that have one besides the header's shade, for every
# renderer: light enough to read black text on, distinct in a colour print.
FILLS = {
    Style.LIGHT_GREEN: "C6EFCE",
    Style.LIGHT_YELLOW: "FFEB9C",
    Style.LIGHT_RED: "FFC7CE",
    Style.LIGHT_BLUE: "BDD7EE",
}

# Word's soft line break (\v), a form feed, carriage returns and Unicode's line and paragraph
# separators are line breaks. Every other control character but the tab is dropped: it prints
# as nothing, an Excel cell cannot hold the C0 ones (openpyxl refuses them) and the PDF has no
# glyph for the others. U+FFFE, U+FFFF and lone surrogates are not XML and would leave an
# Excel file that no program opens.
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def printable_text(text: str) -> str:
    """``text`` as every renderer can print it: line breaks as "\\n", no other control
    characters (tabs kept), nothing that XML forbids. Nothing else is changed."""
    return _UNPRINTABLE.sub("", _LINE_BREAKS.sub("\n", text))


@dataclass
class Cell:
    row: int
    col: int
    value: str | Decimal | int | None
    style: Style = Style.TEXT
    rowspan: int = 1
    colspan: int = 1
    number_format: NumberFormat | None = None
    suffix: str = ""  # shown after a number in HTML and in the Excel number format ("万元")

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, Decimal | int) and not isinstance(self.value, bool)


@dataclass
class Section:
    first_row: int
    repeat_rows: int = 0
    last_row: int = -1


@dataclass
class Grid:
    """A layout filled with one declaration's data."""

    title: str
    widths: list[float]  # column widths in Excel character units
    landscape: bool = False
    cells: list[Cell] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    row_count: int = 0

    def __post_init__(self):
        self.title = printable_text(self.title)

    @property
    def column_count(self) -> int:
        return len(self.widths)

    def section(self, repeat_rows: int = 0) -> None:
        """Start a new section at the next row; its first ``repeat_rows`` rows are headers."""
        if self.sections:
            self.sections[-1].last_row = self.row_count - 1
        self.sections.append(Section(first_row=self.row_count, repeat_rows=repeat_rows))

    def add_row(self) -> int:
        """Open the next row and return its index; cells are then ``put`` into it."""
        self.row_count += 1
        return self.row_count - 1

    def put(
        self,
        row: int,
        col: int,
        value,
        style: Style = Style.TEXT,
        colspan: int = 1,
        rowspan: int = 1,
        number_format: NumberFormat | None = None,
        suffix: str = "",
    ) -> Cell:
        if col + colspan > self.column_count:
            raise ValueError(f"cell at column {col} with span {colspan} leaves the grid")
        if isinstance(value, str):
            value = printable_text(value)  # the one place a printed text is cleaned
        cell = Cell(row, col, value, style, rowspan, colspan, number_format, suffix)
        self.cells.append(cell)
        return cell

    def finish(self) -> "Grid":
        """Close the last section and check the cells; may be called again after adding rows."""
        if not self.sections:
            self.sections.append(Section(first_row=0))
        self.sections[-1].last_row = self.row_count - 1
        self._check_overlaps()
        return self

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, in column order."""
        by_row: list[list[Cell]] = [[] for _ in range(self.row_count)]
        for cell in self.cells:
            by_row[cell.row].append(cell)
        for cells in by_row:
            cells.sort(key=lambda c: c.col)
        return by_row

    def _check_overlaps(self) -> None:
        taken: dict[tuple[int, int], Cell] = {}
        for cell in self.cells:
            if cell.row + cell.rowspan > self.row_count:
                raise ValueError(f"cell at row {cell.row} spans past the last row")
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    if (r, c) in taken:
                        raise ValueError(f"cells overlap at row {r}, column {c}")
                    taken[(r, c)] = cell


def display_text(cell: Cell) -> str:
    """The text a reader sees in a cell, for HTML, PDF and tests."""
    value = cell.value
    if value is None:
        return ""
    if cell.is_number:
        number = Decimal(value)
        if cell.number_format == NumberFormat.PERCENT:
            return f"{plain_decimal(number * 100, 2)}%"
        two = (NumberFormat.WAN_YUAN, NumberFormat.YUAN, NumberFormat.SCORE)
        places = 2 if cell.number_format in two else 0
        return f"{plain_decimal(number, places)}{cell.suffix}"
    return str(value)
