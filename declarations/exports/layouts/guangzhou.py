"""广州市南沙区 department-wide form (seed 001): 部门整体预算绩效目标申报表."""

from declarations.exports.grid import Grid, Style
from declarations.exports.layouts.common import (
    amount_in_unit,
    budget_amount,
    indicator_list,
    indicator_period_value,
    indicator_value,
    put_headers,
    put_level_columns,
    put_money,
    put_text_row,
    put_title,
    unit_label,
)
from declarations.models import Declaration
from indicators.models import IndicatorCategory, PerformanceIndicator

# label | 一级指标 | 二级指标 | 三级指标 | 实施周期指标值 (2 columns) | 年度指标值 (2 columns);
# the finer grid lets the key tasks give their long texts the room they need.
WIDTHS = [10, 12, 14, 28, 9, 9, 9, 9]


def build(declaration: Declaration) -> Grid:
    grid = Grid(title="部门整体预算绩效目标申报表", widths=WIDTHS)
    grid.section()
    put_title(grid, grid.title)
    put_text_row(grid, "部门名称", declaration.department_name)
    _budget_block(grid, declaration)
    # A declaration filed with an annual target only (a Beijing table) prints that.
    put_text_row(grid, "总体绩效目标", declaration.overall_target or declaration.annual_target)
    _key_tasks(grid, declaration)
    put_text_row(grid, "其他需完成的任务（可选项）", declaration.other_tasks)

    indicators = rows_by_category(indicator_list(declaration))
    grid.section(repeat_rows=1)
    header = grid.add_row()
    grid.put(header, 0, "绩效指标", Style.LABEL, rowspan=len(indicators) + 1)
    put_headers(
        grid,
        header,
        1,
        ["一级指标", "二级指标", "三级指标", ("实施周期指标值", 2), ("年度指标值", 2)],
    )
    first = grid.row_count
    for indicator in indicators:
        row = grid.add_row()
        grid.put(row, 3, indicator.name, Style.TEXT)
        grid.put(row, 4, indicator_period_value(indicator), Style.TEXT, colspan=2)
        grid.put(row, 6, indicator_value(indicator), Style.TEXT, colspan=2)
    put_level_columns(grid, first, indicators, level1_col=1, level2_col=2)
    return grid.finish()


# The form lists these level-1 categories with every level-2 category under them, printing an
# empty row for a category without indicators (经济效益指标 in seed 001).
FORM_LEVEL1 = ("output", "benefit", "satisfaction")


def rows_by_category(indicators: list[PerformanceIndicator]) -> list[PerformanceIndicator]:
    """The indicators grouped as the form prints them, with an empty row for each current
    level-2 category that has none. Empty rows are derived here, not stored, so a declaration
    edited in the wizard prints them as the sample does."""
    rows = [i for i in indicators if not i.is_placeholder]
    categories = list(IndicatorCategory.objects.order_by("level", "order"))
    used = {r.level1_id for r in rows}
    ordered: list[PerformanceIndicator] = []
    for level1 in (c for c in categories if c.level == 1):
        if level1.code not in FORM_LEVEL1 and level1.pk not in used:
            continue
        ordered += [r for r in rows if r.level1_id == level1.pk and r.level2_id is None]
        for level2 in (c for c in categories if c.parent_id == level1.pk):
            group = [r for r in rows if r.level2_id == level2.pk]
            if group:
                ordered += group
            elif not level2.legacy:
                ordered.append(PerformanceIndicator(level1=level1, level2=level2))
    ordered += [r for r in rows if r.level1_id is None]
    return ordered


def _budget_block(grid: Grid, declaration: Declaration) -> None:
    amount_header = f"预算金额（{unit_label(declaration)}）"
    lines = [
        ("部门预算支出", None, "收入来源", None),
        ("基本支出", "basic_expenditure", "财政拨款", "fiscal_appropriation"),
        ("项目支出", "project_expenditure", "其他资金", "other_funds"),
        ("事业发展性支出", None, "按预算级次划分", None),
        ("财政专项资金", "special_funds", "区本级使用资金", "own_level"),
        ("其他事业发展性支出", "other_development", "拟用于对下转移支付资金", "transfers_down"),
    ]
    if budget_amount(declaration, "other_expenditure"):
        # The form has no line for other expenditure; a declaration that has some prints
        # it rather than dropping it, so the parts still add up to the total.
        lines.insert(3, ("其他支出", "other_expenditure", "", None))
    first = grid.row_count
    for left_label, left_field, right_label, right_field in lines:
        row = grid.add_row()
        if left_field is None:
            grid.put(row, 1, left_label, Style.HEADER)
            grid.put(row, 2, amount_header, Style.HEADER)
            grid.put(row, 3, right_label, Style.HEADER)
            grid.put(row, 4, amount_header, Style.HEADER, colspan=4)
            continue
        grid.put(row, 1, left_label, Style.LABEL)
        put_money(grid, row, 2, declaration, budget_amount(declaration, left_field))
        grid.put(row, 3, right_label, Style.LABEL)
        amount = budget_amount(declaration, right_field) if right_field else None
        put_money(grid, row, 4, declaration, amount, colspan=4)
    grid.put(first, 0, "预算整体情况", Style.LABEL, rowspan=len(lines))


def _key_tasks(grid: Grid, declaration: Declaration) -> None:
    tasks = list(declaration.key_tasks.all())
    header = grid.add_row()
    grid.put(header, 0, "年度重点工作任务", Style.LABEL, rowspan=len(tasks) + 1)
    grid.put(header, 1, "名称", Style.HEADER)
    grid.put(header, 2, "主要实施内容", Style.HEADER, colspan=2)
    grid.put(header, 4, f"拟投入的资金（{unit_label(declaration)}）", Style.HEADER)
    grid.put(header, 5, "期望达到的目标（概述）", Style.HEADER, colspan=3)
    for task in tasks:
        row = grid.add_row()
        grid.put(row, 1, task.name, Style.TEXT)
        grid.put(row, 2, task.content, Style.TEXT, colspan=2)
        put_money(grid, row, 4, declaration, amount_in_unit(declaration, task.funds))
        grid.put(row, 5, task.expected_result, Style.TEXT, colspan=3)
