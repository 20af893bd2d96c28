"""The registry of official layouts: one module per layout, each with ``build(declaration)``
and a ``PROFILE`` of what the layout asks of a declaration.

Adding a layout is one module here and one entry in ``Layout`` (declarations.models).
"""

from django.utils import timezone

from declarations.exports.grid import Grid, Style
from declarations.exports.layouts import beijing, chongqing, guangzhou, hebei, kunming
from declarations.models import Declaration
from declarations.models.declarations import Layout, Status

BUILDERS = {
    Layout.CHONGQING_SPECIAL: chongqing.build,
    Layout.GUANGZHOU_DEPARTMENT: guangzhou.build,
    Layout.BEIJING_DEPARTMENT: beijing.build,
    Layout.KUNMING_PROJECT: kunming.build,
    Layout.HEBEI_COUNTY: hebei.build,
}


PROFILES = {
    Layout.CHONGQING_SPECIAL: chongqing.PROFILE,
    Layout.GUANGZHOU_DEPARTMENT: guangzhou.PROFILE,
    Layout.BEIJING_DEPARTMENT: beijing.PROFILE,
    Layout.KUNMING_PROJECT: kunming.PROFILE,
    Layout.HEBEI_COUNTY: hebei.PROFILE,
}


def profile_of(layout: str):
    """The rules of ``layout`` (see profile.py)."""
    return PROFILES[Layout(layout)]


def layouts_for(kind: str) -> list[Layout]:
    """The layouts a declaration of ``kind`` can be filed in."""
    return [layout for layout, profile in PROFILES.items() if profile.allows(kind)]


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
