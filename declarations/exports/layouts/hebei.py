"""顺平县 (Hebei) county forms (seed 004): the project table 绩效目标表 (单位：元) with its
spending plan, and the department-wide narrative (总体绩效目标, 分项绩效目标, 保障措施)."""

from declarations.domain.choices import Kind
from declarations.exports.grid import Grid, NumberFormat, Style
from declarations.exports.layouts.common import (
    budget_amount,
    indicator_list,
    indicator_value,
    put_headers,
    put_level_columns,
    put_money,
    put_text_row,
    put_title,
    spread,
    unit_label,
)
from declarations.models import Declaration

# 一级 | 二级 | 三级 | 绩效指标描述 (2 columns) | 指标值 | 指标值确定依据
WIDTHS = [12, 11, 20, 12, 12, 13, 16]
DEFAULT_PLAN_MONTHS = (3, 6, 10, 12)


def _unit_line(grid: Grid, declaration: Declaration) -> None:
    row = grid.add_row()
    grid.put(
        row,
        0,
        f"{declaration.department_code}{declaration.department_name}（本级）",
        Style.NOTE,
        colspan=5,
    )
    grid.put(row, 5, f"单位：{unit_label(declaration)}", Style.NOTE_RIGHT, colspan=2)


def build(declaration: Declaration) -> Grid:
    if declaration.kind == Kind.DEPARTMENT:
        return _department(declaration)
    return _project(declaration)


def _department(declaration: Declaration) -> Grid:
    grid = Grid(title=f"{declaration.department_name}部门整体绩效目标", widths=WIDTHS)
    grid.section()
    put_title(grid, grid.title)
    _unit_line(grid, declaration)
    if _has_budget(declaration):
        # The department narrative of the seed has no budget; one that has a budget prints it
        # on the project form's line rather than dropping it.
        _budget_line(grid, grid.add_row(), "部门预算", declaration)
    # A declaration filed with an annual target only (a Beijing table) prints that.
    put_text_row(grid, "总体绩效目标", declaration.overall_target or declaration.annual_target)
    put_text_row(grid, "分项绩效目标", declaration.sub_targets)
    put_text_row(grid, "保障措施", declaration.safeguards)
    if declaration.indicators.all():
        _indicators(grid, declaration)
    return grid.finish()


def _project(declaration: Declaration) -> Grid:
    grid = Grid(title=f"{declaration.subject}绩效目标表", widths=WIDTHS)
    grid.section()
    put_title(grid, grid.title)
    _unit_line(grid, declaration)

    row = grid.add_row()
    grid.put(row, 0, "项目编码", Style.LABEL)
    grid.put(row, 1, declaration.project_code, Style.CENTER, colspan=2)
    grid.put(row, 3, "项目名称", Style.LABEL)
    grid.put(row, 4, declaration.subject, Style.CENTER, colspan=3)

    first, second = grid.add_row(), grid.add_row()
    _budget_line(grid, first, "预算规模及资金用途", declaration, rowspan=2)
    grid.put(second, 1, declaration.fund_use, Style.TEXT, colspan=6)

    points = list(declaration.spending_plan.all())
    months = [p.month for p in points] or list(DEFAULT_PLAN_MONTHS)
    shares = {p.month: p.cumulative_percent / 100 for p in points}
    labels, values = grid.add_row(), grid.add_row()
    grid.put(labels, 0, "资金支出计划（%）", Style.LABEL, rowspan=2)
    col = 1
    for month, span in zip(months, spread(len(months), 6), strict=True):
        grid.put(labels, col, f"{month}月底", Style.HEADER, colspan=span)
        share = shares.get(month)
        grid.put(
            values,
            col,
            share.normalize() if share is not None else None,
            Style.CENTER,
            colspan=span,
            number_format=NumberFormat.PERCENT,
        )
        col += span
    put_text_row(grid, "绩效目标", declaration.annual_target or declaration.overall_target)

    _indicators(grid, declaration)
    return grid.finish()


BUDGET_LINE = [
    ("预算数", "total"),
    ("其中：财政资金", "fiscal_appropriation"),
    ("其他资金", "other_funds"),
]


def _has_budget(declaration: Declaration) -> bool:
    return any(budget_amount(declaration, field) is not None for _, field in BUDGET_LINE)


def _budget_line(
    grid: Grid, row: int, label: str, declaration: Declaration, rowspan: int = 1
) -> None:
    """预算数 | 其中：财政资金 | 其他资金, each label followed by its amount."""
    grid.put(row, 0, label, Style.LABEL, rowspan=rowspan)
    for col, (name, field) in zip((1, 3, 5), BUDGET_LINE, strict=True):
        grid.put(row, col, name, Style.LABEL)
        put_money(grid, row, col + 1, declaration, budget_amount(declaration, field))


def _indicators(grid: Grid, declaration: Declaration) -> None:
    indicators = indicator_list(declaration)
    grid.section(repeat_rows=1)
    header = grid.add_row()
    put_headers(
        grid,
        header,
        0,
        ["一级指标", "二级指标", "三级指标", ("绩效指标描述", 2), "指标值", "指标值确定依据"],
    )
    first_indicator = grid.row_count
    for indicator in indicators:
        row = grid.add_row()
        grid.put(row, 2, indicator.name, Style.TEXT)
        grid.put(row, 3, indicator.description, Style.TEXT, colspan=2)
        grid.put(row, 5, indicator_value(indicator), Style.CENTER)
        grid.put(row, 6, indicator.basis, Style.TEXT)
    put_level_columns(grid, first_indicator, indicators, level1_col=0, level2_col=1)
