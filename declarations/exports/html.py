"""Render a layout grid as HTML tables: for the detail page and as the source of the PDF.

Every text is escaped, so whatever a user typed (including tags or URLs) is printed as text.
Each section is its own table; its header rows go into ``<thead>`` so that a PDF repeats them
on every page the section runs over.

For print, a long text is cut into pieces of at most ``PRINT_PIECE`` characters joined by
``<wbr>``: WeasyPrint lays out the whole rest of a text again for each line it breaks off,
so one unbroken run of 140,000 characters took minutes; pieces keep each line's work small.
The pieces are cut where a line may break anyway (after a space, between two Chinese
characters) when there is such a place, so the printed lines stay as they were.

Short values (有效提升, 定性指标, the header 度量单位) are not broken inside the word: a column
is made at least as wide as the longest one-line text of ``SHORT_TEXT`` characters or fewer in
its own cells, the room taken from the columns of long texts, and such a cell is marked
``short`` (app.css keeps it whole on screen; WeasyPrint has no ``word-break: keep-all``, so in
the PDF the width alone does it). A value too long for that still wraps.
"""

import re
import unicodedata

from django.utils.html import escape

from declarations.exports.grid import FILLS, UNBORDERED, Cell, Grid, Section, display_text

# A row holding a text this long may break across pages; shorter rows are kept whole.
LONG_TEXT = 200
# A one-line text of at most this many characters is a short value, printed unbroken.
SHORT_TEXT = 6
# The printed table's width in em of its 10.5 pt text: A4 less the 12 mm side margins of the
# PDF (exports/pdf.py), portrait and landscape; about the detail page's width too.
_PT_PER_MM = 72 / 25.4
TABLE_WIDTH_EM = {False: 186 * _PT_PER_MM / 10.5, True: 273 * _PT_PER_MM / 10.5}
# A cell's padding (4 pt each side) and border, with a little to spare for the font.
CELL_PADDING_EM = 1.0
PRINT_PIECE = 500
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_JOINING = {"Mn", "Mc", "Me", "Sk", "Cf"}  # marks, modifiers, joiners: part of what precedes


def _cut_at(text: str, start: int) -> int:
    """Where the piece starting at ``start`` ends: at a place a line may break anyway if the
    last half of the piece has one, else before the last character that is not a mark or a
    joiner, so that no character is split from its accents."""
    end = start + PRINT_PIECE
    for index in range(end, start + PRINT_PIECE // 2, -1):
        before, ch = text[index - 1], text[index]
        if before == " " or (_IDEOGRAPH.match(before) and _IDEOGRAPH.match(ch)):
            return index
    for index in range(end, start, -1):
        if unicodedata.category(text[index]) not in _JOINING and text[index - 1] != "\u200d":
            return index
    return end


def print_pieces(text: str) -> list[str]:
    """``text`` cut into pieces of at most ``PRINT_PIECE`` characters, in order."""
    pieces = []
    start = 0
    while len(text) - start > PRINT_PIECE:
        end = _cut_at(text, start)
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def is_short(cell: Cell, text: str) -> bool:
    """Whether ``cell`` holds a short value, to print unbroken in its own column."""
    return (
        cell.colspan == 1
        and cell.style not in UNBORDERED
        and 0 < len(text) <= SHORT_TEXT
        and "\n" not in text
    )


def _text_em(text: str) -> float:
    """About how wide ``text`` prints, in em: a Chinese character is one, a digit or a Latin
    letter about half."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def column_percents(grid: Grid) -> list[float]:
    """The columns' widths in percent of the table: the layout's widths, with each column
    widened where needed to hold its short values whole (see the module's docstring)."""
    percents = [width / sum(grid.widths) * 100 for width in grid.widths]
    table_em = TABLE_WIDTH_EM[grid.landscape]
    needs = [0.0] * len(percents)
    for cell in grid.cells:
        text = display_text(cell)
        if is_short(cell, text):
            need = (_text_em(text) + CELL_PADDING_EM) / table_em * 100
            needs[cell.col] = max(needs[cell.col], need)
    missing = sum(max(need - percent, 0) for percent, need in zip(percents, needs, strict=True))
    spare = [max(percent - need, 0) for percent, need in zip(percents, needs, strict=True)]
    if not missing or sum(spare) < missing:
        return percents  # nothing to widen, or no room to do it: the layout's widths
    share = missing / sum(spare)
    return [
        max(percent, need) - room * share
        for percent, need, room in zip(percents, needs, spare, strict=True)
    ]


def _text_html(text: str, for_print: bool) -> str:
    pieces = print_pieces(text) if for_print else [text]
    return "<wbr>".join(escape(piece).replace("\n", "<br>") for piece in pieces)


def _cell_html(
    cell: Cell,
    rowspan: int,
    extra_class: str = "",
    text: str | None = None,
    *,
    for_print: bool = False,
) -> str:
    shown = display_text(cell) if text is None else text
    if is_short(cell, shown):
        extra_class += " short"
    attrs = [f'class="s-{cell.style.value}{extra_class}"']
    if cell.colspan > 1:
        attrs.append(f'colspan="{cell.colspan}"')
    if rowspan > 1:
        attrs.append(f'rowspan="{rowspan}"')
    if cell.style in FILLS:  # a light: its colour inline, for the page and the PDF alike
        attrs.append(f'style="background:#{FILLS[cell.style]};text-align:center"')
    return f"<td {' '.join(attrs)}>{_text_html(shown, for_print)}</td>"


def _section_html(section: Section, rows: list[list[Cell]], colgroup: str, for_print: bool) -> str:
    header_end = section.first_row + section.repeat_rows  # first body row
    head: list[str] = []
    body: list[str] = []
    continued: dict[int, list[str]] = {}
    for index in range(section.first_row, section.last_row + 1):
        in_head = index < header_end
        out = [] if index not in continued else continued.pop(index)
        for cell in rows[index]:
            if in_head and cell.row + cell.rowspan > header_end:
                # A label merged down into the body: thead may not span into tbody, so the
                # head keeps the label and the body continues the merged cell without text.
                out.append(
                    _cell_html(cell, header_end - cell.row, " open-bottom", for_print=for_print)
                )
                rest = cell.row + cell.rowspan - header_end
                continued.setdefault(header_end, []).append(
                    _cell_html(cell, rest, " open-top", text="")
                )
            else:
                out.append(_cell_html(cell, cell.rowspan, for_print=for_print))
        long = any(len(display_text(c)) > LONG_TEXT for c in rows[index])
        tr = '<tr class="long">' if long else "<tr>"
        (head if in_head else body).append(f"{tr}{''.join(out)}</tr>")
    html = [f'<table class="official-table"><colgroup>{colgroup}</colgroup>']
    if head:
        html.append(f"<thead>{''.join(head)}</thead>")
    html.append(f"<tbody>{''.join(body)}</tbody>")
    html.append("</table>")
    return "".join(html)


def render_html(grid: Grid, *, for_print: bool = False) -> str:
    """The grid as HTML tables (already escaped; mark safe in templates). ``for_print`` cuts
    long texts into pieces that WeasyPrint lays out quickly (see the module's docstring)."""
    rows = grid.rows()
    orientation = "landscape" if grid.landscape else "portrait"
    colgroup = "".join(f'<col style="width:{percent:.2f}%">' for percent in column_percents(grid))
    sections = "".join(
        _section_html(section, rows, colgroup, for_print) for section in grid.sections
    )
    return f'<div class="official official-{orientation}">{sections}</div>'
