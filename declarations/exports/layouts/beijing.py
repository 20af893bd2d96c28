"""北京市西城区 department form (seed 002): 部门（单位）绩效目标申报表（年度）.

Its "一级指标" column holds what the national taxonomy calls level 2 (数量指标, 进度指标 …) or,
where there is none, level 1 (效益指标); the "二级指标" column numbers the rows of each group
(指标1：, 指标2： …); the value is a sentence.
"""

from declarations.exports.grid import Grid, Style
from declarations.exports.layouts.common import (
    budget_amount,
    indicator_list,
    indicator_value,
    level1_name,
    level2_name,
    put_headers,
    put_money,
    put_text_row,
    put_title,
    runs,
    unit_label,
)
from declarations.models import Declaration

# label | 一级指标 | 二级指标 | 指标值
WIDTHS = [18, 14, 10, 60]


def group_name(indicator) -> str:
    return level2_name(indicator) or level1_name(indicator)


def build(declaration: Declaration) -> Grid:
    grid = Grid(title="部门（单位）绩效目标申报表", widths=WIDTHS)
    grid.section()
    put_title(grid, grid.title)
    put_title(grid, f"（{declaration.fiscal_year}年度）", Style.SUBTITLE)
    put_text_row(grid, "部门（单位）名称", declaration.department_name)
    row = grid.add_row()
    grid.put(row, 0, "部门（单位）负责人", Style.LABEL)
    grid.put(row, 1, declaration.head, Style.CENTER)
    grid.put(row, 2, "联系电话", Style.LABEL)
    grid.put(row, 3, declaration.phone, Style.TEXT)

    amounts = [
        ("资金总额：", "total"),
        ("基本支出：", "basic_expenditure"),
        ("项目支出", "project_expenditure"),
        ("其他：", "other_expenditure"),
    ]
    first = grid.row_count
    for label, field in amounts:
        row = grid.add_row()
        grid.put(row, 1, label, Style.LABEL)
        put_money(
            grid,
            row,
            2,
            declaration,
            budget_amount(declaration, field),
            colspan=2,
            suffix=unit_label(declaration),
        )
    grid.put(
        first,
        0,
        f"部门（单位）总体资金情况（{unit_label(declaration)}）",
        Style.LABEL,
        rowspan=len(amounts),
    )
    put_text_row(grid, "部门（单位）职能概述", declaration.functions)
    put_text_row(
        grid, "部门（单位）绩效目标", declaration.annual_target or declaration.overall_target
    )

    indicators = indicator_list(declaration)
    grid.section(repeat_rows=1)
    header = grid.add_row()
    grid.put(header, 0, "绩效指标", Style.LABEL, rowspan=len(indicators) + 1)
    put_headers(grid, header, 1, ["一级指标", "二级指标", "指标值"])
    first = grid.row_count
    for start, length, members in runs(indicators, key=group_name):
        grid.put(first + start, 1, group_name(members[0]), Style.CENTER, rowspan=length)
        for number, indicator in enumerate(members, start=1):
            row = grid.add_row()
            grid.put(row, 2, f"指标{number}：", Style.CENTER)
            value = indicator_value(indicator)
            text = (
                f"{indicator.name}：{value}"
                if indicator.name and value
                else (indicator.name or value)
            )
            grid.put(row, 3, text, Style.TEXT)
    return grid.finish()
