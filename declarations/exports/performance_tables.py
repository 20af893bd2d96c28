"""The official tables of what follows approval, laid out as grids for the shared renderers:
the monitoring table (项目支出 / 部门整体支出绩效目标执行监控表) and the self-evaluation table
(项目支出绩效自评表, the national format of 财预〔2020〕10号), and their export as files.

Lights and scores are not computed here: they come from ``declarations.scorecards``, as on the
pages, so a table never disagrees with the screen. Amounts are stored in yuan and printed in
万元 exactly; percentages are printed as the lights' explanations print them (one decimal,
rounded down, so a printed rate never crosses a band its light did not).
"""

from decimal import Decimal

from django.utils import timezone

from declarations.domain.choices import Kind, Status
from declarations.domain.evaluation import EXECUTION_POINTS, TOTAL_POINTS, Band
from declarations.domain.money import MoneyUnit, to_unit
from declarations.domain.monitoring import Judgement, Light, Signal, percent
from declarations.domain.values import format_value
from declarations.exports.filenames import safe_filename
from declarations.exports.grid import Grid, NumberFormat, Style
from declarations.exports.layouts.common import (
    indicator_value,
    put_headers,
    put_level_columns,
    put_title,
)
from declarations.exports.service import FORMATS, ExportFile, render_cached
from declarations.models import MonitoringReport, SelfEvaluation
from declarations.scorecards import evaluation_card, monitoring_card

LIGHT_STYLES = {
    Light.GREEN: Style.LIGHT_GREEN,
    Light.YELLOW: Style.LIGHT_YELLOW,
    Light.RED: Style.LIGHT_RED,
    Light.BLUE: Style.LIGHT_BLUE,
}

# 一级 | 二级 | 三级 | 年度指标值 | 1-N月实际完成值 | 预警 | 全年预计完成值 | 偏差原因 |
# 完成目标可能性 | 备注
MONITORING_WIDTHS = [10, 11, 24, 13, 13, 8, 14, 11, 10, 22]
# (label) | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
EVALUATION_WIDTHS = [8, 10, 11, 22, 12, 14, 8, 8, 30]


# -- shared pieces ------------------------------------------------------------------------------


def _wan(amount_yuan: Decimal | None) -> Decimal | None:
    """A yuan amount in 万元, every digit kept."""
    return None if amount_yuan is None else to_unit(amount_yuan, MoneyUnit.WAN_YUAN).normalize()


def _put_wan(grid: Grid, row: int, col: int, amount_yuan: Decimal | None, colspan: int = 1):
    grid.put(
        row,
        col,
        _wan(amount_yuan),
        Style.NUMBER,
        colspan=colspan,
        number_format=NumberFormat.WAN_YUAN,
    )


def _put_light(grid: Grid, row: int, col: int, signal: Signal, colspan: int = 1) -> None:
    style = LIGHT_STYLES[signal.light] if signal.light else Style.CENTER
    grid.put(row, col, signal.label, style, colspan=colspan)


def _put_score(grid: Grid, row: int, col: int, score: Decimal | None, colspan: int = 1):
    grid.put(row, col, score, Style.NUMBER, colspan=colspan, number_format=NumberFormat.SCORE)


def _rate(ratio: Decimal | None) -> str:
    return percent(ratio) if ratio is not None else ""


def _figure(number: Decimal | None, unit: str) -> str:
    """A figure a clerk reported, with the indicator's unit: "26个", "95%"."""
    return format_value("", number, unit) if number is not None else ""


def _label(choices, code: str) -> str:
    return choices(code).label if code else ""


def _status_line(report) -> str:
    parts = [f"状态：{report.get_status_display()}"]
    if report.reviewed_at and report.status == Status.APPROVED:
        parts.append(f"审核通过日期：{timezone.localtime(report.reviewed_at):%Y-%m-%d}")
    elif report.submitted_at and report.status == Status.SUBMITTED:
        parts.append(f"提交日期：{timezone.localtime(report.submitted_at):%Y-%m-%d}")
    parts.append(f"版本：{report.version}")
    return "　".join(parts)


def _subject_rows(grid: Grid, declaration, label_span: int) -> None:
    """项目名称 (or the department's name for a department-wide table), 主管部门 and 实施单位.
    A 科协 is its own 主管部门 and carries out its own projects, so both print its name."""
    width = grid.column_count - label_span
    row = grid.add_row()
    is_project = declaration.kind == Kind.PROJECT
    grid.put(row, 0, "项目名称" if is_project else "单位名称", Style.LABEL, colspan=label_span)
    subject = declaration.subject if is_project else declaration.department_name
    grid.put(row, label_span, subject, Style.TEXT, colspan=width)
    row = grid.add_row()
    half = width // 2
    grid.put(row, 0, "主管部门", Style.LABEL, colspan=label_span)
    grid.put(row, label_span, declaration.department_name, Style.TEXT, colspan=half - 1)
    grid.put(row, label_span + half - 1, "实施单位", Style.LABEL, colspan=2)
    grid.put(
        row,
        label_span + half + 1,
        declaration.department_name,
        Style.TEXT,
        colspan=width - half - 1,
    )


def _note(grid: Grid, text: str) -> None:
    row = grid.add_row()
    grid.put(row, 0, text, Style.NOTE, colspan=grid.column_count)


# -- monitoring ---------------------------------------------------------------------------------


def monitoring_title(declaration) -> str:
    kind = "项目支出" if declaration.kind == Kind.PROJECT else "部门整体支出"
    return f"{kind}绩效目标执行监控表"


def monitoring_grid(report: MonitoringReport) -> Grid:
    """The monitoring table of ``report``: its budget's execution, each indicator's progress
    with its light, the correction measures and the declaration's overall light."""
    declaration = report.declaration
    round_ = report.round
    months = f"1-{round_.data_month}月"
    card = monitoring_card(report)
    grid = Grid(title=monitoring_title(declaration), widths=MONITORING_WIDTHS, landscape=True)
    grid.section()
    put_title(grid, grid.title)
    row = grid.add_row()
    grid.put(row, 0, "单位：万元", Style.NOTE_RIGHT, colspan=grid.column_count)
    _subject_rows(grid, declaration, label_span=2)
    row = grid.add_row()
    grid.put(row, 0, "监控期间", Style.LABEL, colspan=2)
    grid.put(row, 2, f"{round_.fiscal_year}年{months}", Style.TEXT, colspan=8)

    head, values = grid.add_row(), grid.add_row()
    grid.put(head, 0, "预算执行情况", Style.LABEL, colspan=2, rowspan=2)
    put_headers(
        grid,
        head,
        2,
        ["年度预算数", f"{months}执行数", "执行率", "预警", "全年预计执行数", ("预警说明", 3)],
    )
    _put_wan(grid, values, 2, report.budget)
    _put_wan(grid, values, 3, report.executed)
    grid.put(values, 4, _rate(card.execution_rate), Style.CENTER)
    _put_light(grid, values, 5, card.budget)
    _put_wan(grid, values, 6, report.expected_executed)
    grid.put(values, 7, card.budget.explanation, Style.TEXT, colspan=3)

    grid.section(repeat_rows=1)
    head = grid.add_row()
    put_headers(
        grid,
        head,
        0,
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            f"{months}实际完成值",
            "预警",
            "全年预计完成值",
            "偏差原因",
            "完成目标可能性",
            "备注",
        ],
    )
    indicators = [r.indicator for r in card.rows]
    first = grid.row_count
    for monitoring_row in card.rows:
        entry, indicator = monitoring_row.entry, monitoring_row.indicator
        row = grid.add_row()
        grid.put(row, 2, indicator.name or indicator.target_text, Style.TEXT)
        grid.put(row, 3, indicator_value(indicator), Style.CENTER)
        if indicator.is_measured:
            actual = _figure(entry.actual, indicator.unit)
            expected = _figure(entry.expected, indicator.unit)
        else:
            actual = _label(Judgement, entry.judgement)
            expected = _label(Judgement, entry.expected_judgement)
        grid.put(row, 4, actual, Style.CENTER)
        _put_light(grid, row, 5, monitoring_row.signal)
        grid.put(row, 6, expected, Style.CENTER)
        grid.put(row, 7, entry.get_cause_display(), Style.CENTER)
        grid.put(row, 8, entry.get_likelihood_display(), Style.CENTER)
        grid.put(row, 9, entry.note, Style.TEXT)
    if indicators:
        put_level_columns(grid, first, indicators, 0, 1)

    grid.section()
    row = grid.add_row()
    grid.put(row, 0, "纠偏措施", Style.LABEL, colspan=2)
    grid.put(row, 2, report.measures, Style.TEXT, colspan=8)
    row = grid.add_row()
    grid.put(row, 0, "综合预警", Style.LABEL, colspan=2)
    _put_light(grid, row, 2, card.overall)
    grid.put(row, 3, card.overall.explanation, Style.TEXT, colspan=7)
    _note(
        grid,
        f"说明：时间进度 = {round_.data_month}/12；绿灯进展正常，黄灯轻度偏离，红灯严重偏离，"
        "蓝灯超前较多（目标值可能偏低）。",
    )
    _note(grid, _status_line(report))
    return grid.finish()


# -- self-evaluation ----------------------------------------------------------------------------


def evaluation_title(declaration) -> str:
    kind = "项目支出" if declaration.kind == Kind.PROJECT else "部门整体支出"
    return f"{kind}绩效自评表"


def _actual_text(entry) -> str:
    indicator = entry.indicator
    if indicator.is_measured:
        return _figure(entry.actual, indicator.unit)
    parts = [entry.actual_text.strip()] if entry.actual_text.strip() else []
    if entry.band:
        parts.append(f"（{Band(entry.band).label}）")
    return "\n".join(parts)


def evaluation_grid(evaluation: SelfEvaluation) -> Grid:
    """The self-evaluation table of ``evaluation`` in the national format: the funds with the
    execution score, the year's target and what was achieved, each indicator's points and
    score, the total and the grade."""
    declaration = evaluation.declaration
    card = evaluation_card(evaluation)
    grid = Grid(title=evaluation_title(declaration), widths=EVALUATION_WIDTHS, landscape=True)
    grid.section()
    put_title(grid, grid.title)
    put_title(grid, f"（{declaration.fiscal_year}年度）", Style.SUBTITLE)
    row = grid.add_row()
    grid.put(row, 0, "单位：万元", Style.NOTE_RIGHT, colspan=grid.column_count)
    _subject_rows(grid, declaration, label_span=2)

    head, values = grid.add_row(), grid.add_row()
    grid.put(head, 0, "项目资金", Style.LABEL, colspan=2, rowspan=2)
    put_headers(
        grid, head, 2, ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    )
    grid.put(values, 2, "年度资金总额", Style.CENTER)
    _put_wan(grid, values, 3, evaluation.initial_budget)
    _put_wan(grid, values, 4, evaluation.budget)
    _put_wan(grid, values, 5, evaluation.executed)
    _put_score(grid, values, 6, EXECUTION_POINTS)
    grid.put(values, 7, _rate(card.execution_rate), Style.CENTER)
    _put_score(grid, values, 8, card.execution_score)

    head, text = grid.add_row(), grid.add_row()
    grid.put(head, 0, "年度总体目标", Style.LABEL, colspan=2, rowspan=2)
    grid.put(head, 2, "预期目标", Style.HEADER, colspan=3)
    grid.put(head, 5, "实际完成情况", Style.HEADER, colspan=4)
    target = declaration.annual_target or declaration.overall_target
    grid.put(text, 2, target, Style.TEXT, colspan=3)
    grid.put(text, 5, evaluation.overall_result, Style.TEXT, colspan=4)

    grid.section(repeat_rows=1)
    head = grid.add_row()
    grid.put(head, 0, "绩效指标", Style.LABEL, rowspan=len(card.rows) + 1)
    put_headers(
        grid,
        head,
        1,
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
    )
    first = grid.row_count
    for evaluation_row in card.rows:
        entry, indicator = evaluation_row.entry, evaluation_row.indicator
        row = grid.add_row()
        grid.put(row, 3, indicator.name or indicator.target_text, Style.TEXT)
        grid.put(row, 4, indicator_value(indicator), Style.CENTER)
        grid.put(row, 5, _actual_text(entry), Style.CENTER)
        _put_score(grid, row, 6, entry.points)
        _put_score(grid, row, 7, evaluation_row.score)
        cause = [entry.cause.strip()] if entry.cause.strip() else []
        cause += [f"提示：{flag}" for flag in evaluation_row.flags]
        grid.put(row, 8, "\n".join(cause), Style.TEXT)
    if card.rows:
        put_level_columns(grid, first, [r.indicator for r in card.rows], 1, 2)

    grid.section()
    row = grid.add_row()
    grid.put(row, 0, "总分", Style.LABEL, colspan=6)
    _put_score(grid, row, 6, TOTAL_POINTS)
    _put_score(grid, row, 7, card.total)
    grid.put(row, 8, "", Style.TEXT)
    row = grid.add_row()
    grid.put(row, 0, "等级", Style.LABEL, colspan=6)
    grid.put(row, 6, card.grade_label, Style.CENTER, colspan=3)
    _note(
        grid, "说明：预算执行率 10 分，绩效指标 90 分；等级 优 ≥ 90，良 80–90，中 60–80，差 < 60。"
    )
    _note(grid, _status_line(evaluation))
    return grid.finish()


# -- files --------------------------------------------------------------------------------------


def _stem(declaration) -> str:
    return f"{declaration.fiscal_year}年_{declaration.display_short_name}_{declaration.subject}"


def report_filename(report_or_evaluation, fmt: str) -> str:
    """``2025年_沙区科协_科创工作_绩效监控表_1-6月.xlsx`` or ``…_绩效自评表.pdf``."""
    declaration = report_or_evaluation.declaration
    if isinstance(report_or_evaluation, MonitoringReport):
        stem = f"{_stem(declaration)}_绩效监控表_{report_or_evaluation.round.period_label}"
    else:
        stem = f"{_stem(declaration)}_绩效自评表"
    return safe_filename(stem, FORMATS[fmt].extension)


def report_grid(report_or_evaluation) -> Grid:
    if isinstance(report_or_evaluation, MonitoringReport):
        return monitoring_grid(report_or_evaluation)
    if isinstance(report_or_evaluation, SelfEvaluation):
        return evaluation_grid(report_or_evaluation)
    raise TypeError(f"not a monitoring report or a self-evaluation: {report_or_evaluation!r}")


def export_report(report_or_evaluation, fmt: str) -> ExportFile:
    """A monitoring report or a self-evaluation as an Excel or PDF file, rendered as the
    declarations are (the same renderers, cache and ``PdfUnavailable`` refusals)."""
    return render_cached(
        report_grid(report_or_evaluation), fmt, report_filename(report_or_evaluation, fmt)
    )
