"""The registry of official layouts: one module per layout, each with ``build(declaration)``.
What a layout asks of a declaration is its profile in ``declarations.domain.profiles``.

Adding a layout is one module here, one profile and one entry in ``Layout`` (domain).
A layout prints the declaration's own fields and child rows only, never the shared department
or project rows, so an approved table prints the same whatever happens to those.
"""

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
    grid = BUILDERS[Layout(layout or declaration.layout)](declaration)
    row = grid.add_row()
    grid.put(row, 0, status_line(declaration), Style.NOTE, colspan=grid.column_count)
    return grid.finish()


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
