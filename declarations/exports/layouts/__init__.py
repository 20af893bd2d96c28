"""The registry of official layouts: one module per layout, each with ``build(declaration)``.
What a layout asks of a declaration is its profile in ``declarations.domain.profiles``.

Adding a layout is one module here, one profile and one entry in ``Layout`` (domain).
A layout prints the declaration's own fields and child rows only, never the shared department
or project rows, so an approved table prints the same whatever happens to those.
"""

import copy

from django.utils import timezone

from declarations.domain.choices import Layout, Status
from declarations.domain.profiles import layouts_for, profile_of
from declarations.exports.grid import Grid, Style
from declarations.exports.layouts import beijing, chongqing, guangzhou, hebei, kunming
from declarations.models import Declaration

BUILDERS = {
    Layout.CHONGQING_SPECIAL: chongqing.build,
    Layout.GUANGZHOU_DEPARTMENT: guangzhou.build,
    Layout.BEIJING_DEPARTMENT: beijing.build,
    Layout.KUNMING_PROJECT: kunming.build,
    Layout.HEBEI_COUNTY: hebei.build,
}


__all__ = ["build_grid", "layouts_for", "profile_of", "status_line"]


def build_grid(declaration: Declaration, layout: str | None = None) -> Grid:
    """The declaration laid out in ``layout`` (by default the one it is filed in), with its
    review status under the table."""
    layout = Layout(layout or declaration.layout)
    grid = BUILDERS[layout](in_unit(declaration, profile_of(layout).money_unit))
    # Its own section: the status line never drags the last section's repeated column
    # headers onto a page of their own.
    grid.section()
    row = grid.add_row()
    grid.put(row, 0, status_line(declaration), Style.NOTE, colspan=grid.column_count)
    return grid.finish()


def in_unit(declaration: Declaration, unit: str) -> Declaration:
    """The declaration as a layout in ``unit`` prints it: amounts are stored in yuan and every
    table shows them in its own unit (a Hebei table in 元, the others in 万元), whichever
    table the declaration was filed in. The stored declaration is left as it is."""
    if declaration.money_unit == unit:
        return declaration
    shown = copy.copy(declaration)  # shares the fetched budget, indicators and tasks
    shown.money_unit = unit
    return shown


def status_line(declaration: Declaration) -> str:
    parts = [f"状态：{declaration.get_status_display()}"]
    if declaration.status == Status.APPROVED and declaration.reviewed_at:
        parts.append(f"审核通过日期：{timezone.localtime(declaration.reviewed_at):%Y-%m-%d}")
        parts.append(f"审核人：{declaration.reviewed_by}")
        if declaration.grade:
            parts.append(f"评级：{declaration.get_grade_display()}")
    elif declaration.status == Status.SUBMITTED and declaration.submitted_at:
        parts.append(f"提交日期：{timezone.localtime(declaration.submitted_at):%Y-%m-%d}")
    return "　".join(parts)
