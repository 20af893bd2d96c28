"""Render a layout grid as HTML tables: for the detail page and as the source of the PDF.

Every text is escaped, so whatever a user typed (including tags or URLs) is printed as text.
Each section is its own table; its header rows go into ``<thead>`` so that a PDF repeats them
on every page the section runs over.

For print, a long text is cut into pieces of at most ``PRINT_PIECE`` characters joined by
``<wbr>``: WeasyPrint lays out the whole rest of a text again for each line it breaks off,
so one unbroken run of 140,000 characters took minutes; pieces keep each line's work small.
The pieces are cut where a line may break anyway (after a space, between two Chinese
characters) when there is such a place, so the printed lines stay as they were.
"""

import re
import unicodedata

from django.utils.html import escape

from declarations.exports.grid import Cell, Grid, Section, display_text

# A row holding a text this long may break across pages; shorter rows are kept whole.
LONG_TEXT = 200
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
    attrs = [f'class="s-{cell.style.value}{extra_class}"']
    if cell.colspan > 1:
        attrs.append(f'colspan="{cell.colspan}"')
    if rowspan > 1:
        attrs.append(f'rowspan="{rowspan}"')
    return f"<td {' '.join(attrs)}>{_text_html(shown, for_print)}</td>"


def _section_html(grid: Grid, section: Section, rows: list[list[Cell]], for_print: bool) -> str:
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
    colgroup = "".join(
        f'<col style="width:{width / sum(grid.widths) * 100:.2f}%">' for width in grid.widths
    )
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
    sections = "".join(_section_html(grid, section, rows, for_print) for section in grid.sections)
    return f'<div class="official official-{orientation}">{sections}</div>'
