"""Render a layout grid as HTML tables: for the detail page and as the source of the PDF.

Every text is escaped, so whatever a user typed (including tags or URLs) is printed as text.
Each section is its own table; its header rows go into ``<thead>`` so that a PDF repeats them
on every page the section runs over.
"""

from django.utils.html import escape

from declarations.exports.grid import Cell, Grid, Section, display_text

# A row holding a text this long may break across pages; shorter rows are kept whole.
LONG_TEXT = 200


def _cell_html(cell: Cell, rowspan: int, extra_class: str = "", text: str | None = None) -> str:
    shown = display_text(cell) if text is None else text
    attrs = [f'class="s-{cell.style.value}{extra_class}"']
    if cell.colspan > 1:
        attrs.append(f'colspan="{cell.colspan}"')
    if rowspan > 1:
        attrs.append(f'rowspan="{rowspan}"')
    body = escape(shown).replace("\n", "<br>")
    return f"<td {' '.join(attrs)}>{body}</td>"


def _section_html(grid: Grid, section: Section, rows: list[list[Cell]]) -> str:
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
                out.append(_cell_html(cell, header_end - cell.row, " open-bottom"))
                rest = cell.row + cell.rowspan - header_end
                continued.setdefault(header_end, []).append(
                    _cell_html(cell, rest, " open-top", text="")
                )
            else:
                out.append(_cell_html(cell, cell.rowspan))
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


def render_html(grid: Grid) -> str:
    """The grid as HTML tables (already escaped; mark safe in templates)."""
    rows = grid.rows()
    orientation = "landscape" if grid.landscape else "portrait"
    sections = "".join(_section_html(grid, section, rows) for section in grid.sections)
    return f'<div class="official official-{orientation}">{sections}</div>'
