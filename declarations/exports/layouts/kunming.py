"""昆明市呈贡区 project form (seed 003): the project description, then 项目绩效目标表 with a
ten-column indicator grid (operator, value, unit and 指标属性 in columns of their own)."""

from declarations.domain.money import plain_decimal
from declarations.exports.grid import Grid, NumberFormat, Style
from declarations.exports.layouts.common import (
    budget_amount,
    indicator_list,
    indicator_number_or_text,
    put_headers,
    put_level_columns,
    put_text_row,
    put_title,
    unit_label,
)
from declarations.models import Declaration

# 一级 | 二级 | 三级 | 指标性质 | 指标值 | 度量单位 | 指标属性 | 评（扣）分标准 | 指标内容 | 依据
WIDTHS = [9, 10, 24, 6, 8, 7, 9, 26, 22, 14]
LABEL_SPAN = 2


def _unit_block(declaration: Declaration) -> str:
    lines = [
        f"单位名称：{declaration.department_name}",
        f"组织机构代码：{declaration.organisation_code}",
        f"地址：{declaration.address}",
        f"联系电话：{declaration.phone}",
        f"法人代表：{declaration.head}",
        f"经费来源：{declaration.funding_source}",
        "单位概况：",
        declaration.functions,
    ]
    return "\n".join(line for line in lines if line)


def funding_arrangement(declaration: Declaration) -> str:
    """资金安排情况 opens with the year's total (全年安排资金) and, where given, its sources
    (财政拨付数, 其他资金), which the table has no other cells for; the clerk's own text
    follows unless it says just that."""
    unit = unit_label(declaration)
    amounts = [
        (label, budget_amount(declaration, field))
        for label, field in (
            ("全年安排资金", "total"),
            ("财政拨付数", "fiscal_appropriation"),
            ("其他资金", "other_funds"),
        )
    ]
    parts = [
        f"{label}{plain_decimal(amount)}{unit}" for label, amount in amounts if amount is not None
    ]
    if not parts:
        return declaration.funding_arrangement
    line = "，".join(parts)
    text = declaration.funding_arrangement.strip()
    if not text or text == line:
        return line
    return f"{line}\n{text}"


def build(declaration: Declaration) -> Grid:
    subject = declaration.subject
    grid = Grid(
        title=f"{declaration.department_name}部门{declaration.fiscal_year}年{subject}项目",
        widths=WIDTHS,
        landscape=True,
    )
    grid.section()
    put_title(grid, grid.title)
    for label, text in [
        ("项目名称", subject),
        ("立项依据", declaration.legal_basis),
        ("项目实施单位", _unit_block(declaration)),
        ("项目基本概况", declaration.overview),
        ("项目实施内容", declaration.content),
        ("资金安排情况", funding_arrangement(declaration)),
        ("项目实施计划", declaration.plan),
        ("项目实施成效", declaration.expected_results),
    ]:
        put_text_row(grid, label, text, label_span=LABEL_SPAN)

    put_title(grid, "项目绩效目标表", Style.SUBTITLE)
    first, second = grid.add_row(), grid.add_row()
    grid.put(first, 0, "项目目标", Style.LABEL, rowspan=2)
    period = declaration.period_label
    overall_label = "总体目标"
    if declaration.period_start and declaration.period_end:
        overall_label = f"总体目标({declaration.period_start}年-{declaration.period_end}年)"
    elif period:
        overall_label = f"总体目标({period}年)"
    grid.put(first, 1, overall_label, Style.LABEL, colspan=2)
    grid.put(first, 3, declaration.overall_target, Style.TEXT, colspan=7)
    grid.put(second, 1, f"预算年度({declaration.fiscal_year}年)目标", Style.LABEL, colspan=2)
    grid.put(second, 3, declaration.annual_target, Style.TEXT, colspan=7)

    indicators = indicator_list(declaration)
    grid.section(repeat_rows=2)
    top, bottom = grid.add_row(), grid.add_row()
    grid.put(top, 0, "绩效指标", Style.HEADER, colspan=7)
    for col, label in [(7, "评（扣）分标准"), (8, "指标内容"), (9, "绩效指标值设定依据及数据来源")]:
        grid.put(top, col, label, Style.HEADER, rowspan=2)
    put_headers(
        grid,
        bottom,
        0,
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "指标属性"],
    )
    first_indicator = grid.row_count
    for indicator in indicators:
        row = grid.add_row()
        grid.put(row, 2, indicator.name, Style.TEXT)
        grid.put(row, 3, indicator.operator, Style.CENTER)
        value = indicator_number_or_text(indicator)
        grid.put(row, 4, value, Style.CENTER, number_format=NumberFormat.PLAIN)
        grid.put(row, 5, indicator.unit, Style.CENTER)
        grid.put(row, 6, f"{indicator.get_kind_display()}指标", Style.CENTER)
        grid.put(row, 7, indicator.scoring_rule, Style.TEXT)
        grid.put(row, 8, indicator.description, Style.TEXT)
        grid.put(row, 9, indicator.basis, Style.TEXT)
    put_level_columns(grid, first_indicator, indicators, level1_col=0, level2_col=1)
    return grid.finish()
