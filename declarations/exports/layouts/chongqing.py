"""重庆市沙坪坝区 special-fund project form (seed 000): 专项绩效目标申报表, 单位：万元."""

from declarations.exports.grid import Grid, NumberFormat, Style
from declarations.exports.layouts.common import (
    budget_amount,
    indicator_list,
    indicator_number_or_text,
    put_headers,
    put_money,
    put_text_row,
    put_title,
    unit_label,
)
from declarations.models import Declaration

# 绩效指标 label | 指标 | 指标权重 | 计量单位 | 指标性质 | 指标值
WIDTHS = [14, 34, 10, 10, 10, 12]
WEIGHT_TOTAL = 90


def build(declaration: Declaration) -> Grid:
    grid = Grid(title=f"{declaration.department_name}专项绩效目标申报表", widths=WIDTHS)
    grid.section()
    put_title(grid, grid.title)
    row = grid.add_row()
    grid.put(row, 0, f"编制单位：{declaration.display_short_name}", Style.NOTE, colspan=3)
    grid.put(row, 3, f"单位：{unit_label(declaration)}", Style.NOTE_RIGHT, colspan=3)

    row = grid.add_row()
    grid.put(row, 0, "专项资金名称", Style.LABEL)
    grid.put(row, 1, declaration.subject, Style.TEXT, colspan=2)
    grid.put(row, 3, "业务主管部门", Style.LABEL)
    grid.put(row, 4, declaration.division_name, Style.CENTER, colspan=2)

    first, second = grid.add_row(), grid.add_row()
    grid.put(first, 0, f"{declaration.fiscal_year}年预算", Style.LABEL, rowspan=2)
    put_money(
        grid, first, 1, declaration, budget_amount(declaration, "total"), colspan=2, rowspan=2
    )
    grid.put(first, 3, "区级支出", Style.LABEL)
    put_money(grid, first, 4, declaration, budget_amount(declaration, "own_level"), colspan=2)
    grid.put(second, 3, "补助街镇", Style.LABEL)
    put_money(
        grid,
        second,
        4,
        declaration,
        budget_amount(declaration, "transfers_down"),
        colspan=2,
    )

    put_text_row(grid, "项目概况", declaration.overview)
    put_text_row(grid, "立项依据", declaration.legal_basis)
    put_text_row(grid, "当年绩效目标", declaration.annual_target or declaration.overall_target)

    indicators = indicator_list(declaration)
    grid.section(repeat_rows=1)
    header = grid.add_row()
    grid.put(header, 0, "绩效指标", Style.LABEL, rowspan=len(indicators) + 1)
    put_headers(grid, header, 1, ["指标", "指标权重", "计量单位", "指标性质", "指标值"])
    for indicator in indicators:
        row = grid.add_row()
        grid.put(row, 1, indicator.name, Style.TEXT)
        weight = indicator.weight.normalize() if indicator.weight is not None else None
        grid.put(row, 2, weight, Style.CENTER, number_format=NumberFormat.PLAIN)
        grid.put(row, 3, indicator.unit, Style.CENTER)
        grid.put(row, 4, indicator.operator, Style.CENTER)
        value = indicator_number_or_text(indicator)
        grid.put(row, 5, value, Style.CENTER, number_format=NumberFormat.PLAIN)
    return grid.finish()
