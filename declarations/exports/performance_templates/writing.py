"""Writing the templates: the report's current state on a protected sheet, targets in grey
locked cells, inputs in white open cells with drop-down lists of the Chinese labels, and the
hidden identity sheet an upload is matched by."""

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from declarations.domain.choices import Kind
from declarations.domain.evaluation import Band
from declarations.domain.money import MoneyUnit, to_unit
from declarations.domain.monitoring import DeviationCause, Judgement, Likelihood
from declarations.exports.filenames import safe_filename
from declarations.exports.grid import printable_text
from declarations.exports.layouts.common import indicator_value, level1_name, level2_name
from declarations.exports.performance_templates.shape import (
    E_ACTUAL,
    E_BAND,
    E_BUDGET_ROW,
    E_CAUSE,
    E_EXECUTED_ROW,
    E_FIRST_ROW,
    E_POINTS,
    E_RESULT_ROW,
    E_SCORE,
    EVALUATION,
    IDENTITY_SHEET,
    LAST_COL,
    LEVEL1,
    LEVEL2,
    M_ACTUAL,
    M_CAUSE,
    M_EXECUTED_ROW,
    M_EXPECTED,
    M_EXPECTED_ROW,
    M_FIRST_ROW,
    M_LIKELIHOOD,
    M_MEASURES_ROW,
    M_NOTE,
    MONITORING,
    NAME,
    ORDER,
    TARGET,
    VALUE_COL,
    WIDTHS,
    entries_of,
    has_weights,
)
from declarations.models import MonitoringReport, SelfEvaluation

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_FONT = Font(name="宋体", size=10.5)
_BOLD = Font(name="宋体", size=10.5, bold=True)
_WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")  # targets and system figures
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_UNUSED_FILL = PatternFill("solid", fgColor="BFBFBF")  # an input that does not apply
_INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
WAN_FORMAT = "0.00####"


def _choices_formula(choices) -> str:
    return '"' + ",".join(str(label) for label in choices.labels) + '"'


def _write(sheet, row: int, col: int, value, *, kind: str = "locked", span: int = 1, fmt=None):
    """Write a cell: ``kind`` is "locked" (grey), "input" (white, unlocked), "unused" (dark,
    locked), "header" or "title"/"note" (no border). Texts are written as texts, never as
    formulas, whatever they start with."""
    cell = sheet.cell(row=row, column=col)
    if isinstance(value, str):
        value = printable_text(value)
        cell.value = value
        if value.startswith("="):
            cell.data_type = "s"  # openpyxl took it for a formula; Excel shows it as typed text
            cell.quotePrefix = True
    elif value is not None:
        cell.value = value
    bordered = kind in ("locked", "input", "unused", "header", "label")
    cell.font = _BOLD if kind in ("header", "title", "label") else _FONT
    cell.alignment = _CENTER if kind in ("header", "label") else _WRAP
    if kind == "title":
        cell.font = Font(name="宋体", size=14, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    fill = {
        "locked": _LOCKED_FILL,
        "header": _HEADER_FILL,
        "label": _LOCKED_FILL,
        "unused": _UNUSED_FILL,
        "input": _INPUT_FILL,
    }.get(kind)
    if fill is not None:
        cell.fill = fill
    if kind == "input":
        cell.protection = Protection(locked=False)
    if fmt:
        cell.number_format = fmt
    if bordered:
        cell.border = _BORDER  # before merging: the range's edges take the top-left's border
    if span > 1:
        sheet.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + span - 1)
    return cell


def _label_row(sheet, row: int, label: str, value, *, kind: str, fmt=None, span: int = 1):
    _write(sheet, row, 1, label, kind="label", span=VALUE_COL - 1)
    _write(sheet, row, VALUE_COL, value, kind=kind, fmt=fmt, span=span)


def _wan(amount_yuan: Decimal | None) -> Decimal | None:
    return None if amount_yuan is None else to_unit(amount_yuan, MoneyUnit.WAN_YUAN).normalize()


def _figure(number: Decimal | None) -> Decimal | int | None:
    """A stored figure as a spreadsheet number: 26.0000 → 26."""
    if number is None:
        return None
    number = number.normalize()
    return int(number) if number == number.to_integral_value() else number


def _put_targets(sheet, row: int, indicator) -> None:
    _write(sheet, row, ORDER, indicator.order, kind="locked")
    sheet.cell(row=row, column=ORDER).alignment = _CENTER
    _write(sheet, row, LEVEL1, level1_name(indicator))
    _write(sheet, row, LEVEL2, level2_name(indicator))
    _write(sheet, row, NAME, indicator.name or indicator.target_text)
    _write(sheet, row, TARGET, indicator_value(indicator))


def _identity(workbook, kind: str, report, indicators: list, first_row: int) -> None:
    sheet = workbook.create_sheet(IDENTITY_SHEET)
    declaration = report.declaration
    rows = [
        ("kind", kind),
        ("report", report.pk),
        ("version", report.version),
        ("declaration", declaration.pk),
        ("declaration_version", declaration.version),
        ("first_row", first_row),
    ]
    rows += [("indicator", indicator.pk, indicator.order) for indicator in indicators]
    for values in rows:
        sheet.append(values)
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def _new_sheet(title: str):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return workbook, sheet


def _protect(sheet) -> None:
    """Locked cells stay locked in Excel and WPS; columns and rows may still be resized."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False


def _validation(sheet, formula: str, cells: list[str], *, prompt: str, kind="list") -> None:
    if not cells:
        return
    if kind == "list":
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.error = "请从下拉列表中选择。"
    else:
        validation = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        validation.error = "请填写不小于 0 的数字。"
    validation.errorTitle = "输入有误"
    validation.prompt = prompt
    validation.showErrorMessage = True
    validation.showInputMessage = True
    for cell in cells:
        validation.add(cell)
    sheet.add_data_validation(validation)


def _header(sheet, declaration, title: str, identity: str, notes: str) -> None:
    _write(sheet, 1, 1, title, kind="title", span=LAST_COL)
    sheet.row_dimensions[1].height = 28
    _write(sheet, 2, 1, identity, kind="note", span=LAST_COL)
    _write(sheet, 3, 1, notes, kind="note", span=LAST_COL)
    sheet.row_dimensions[3].height = 58
    if declaration.kind == Kind.PROJECT:
        label, subject = "项目名称", declaration.subject
    else:
        label, subject = "单位名称", declaration.department_name
    _label_row(sheet, 4, label, subject, kind="locked", span=LAST_COL - VALUE_COL + 1)


def _save(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- monitoring template -----------------------------------------------------------------------


def monitoring_template(report: MonitoringReport) -> bytes:
    """The report's template: targets locked, inputs prefilled with what is saved."""
    declaration = report.declaration
    months = report.round.period_label
    entries = entries_of(report)
    workbook, sheet = _new_sheet("绩效监控填报")
    _header(
        sheet,
        declaration,
        f"{report.round.fiscal_year}年{months} {declaration.display_short_name} "
        f"{declaration.subject} 绩效监控填报模板",
        f"模板标识：绩效监控报告 {report.pk} · 第 {report.version} 版（上传时据此核对，请勿修改）",
        "填写说明：灰色单元格为已批复的绩效目标和系统数据，请勿修改；请在白色单元格填写。"
        "金额单位：万元。定量指标填数值；定性指标在下拉列表中选择 达成 / 部分达成 / 未达成。"
        "完成目标可能性、偏差原因请从下拉列表中选择。"
        "请不要增删行，不要填写公式。",
    )
    _label_row(sheet, 5, "年度预算数（万元）", _wan(report.budget), kind="locked", fmt=WAN_FORMAT)
    _label_row(
        sheet,
        M_EXECUTED_ROW,
        f"{months}执行数（万元）",
        _wan(report.executed),
        kind="input",
        fmt=WAN_FORMAT,
    )
    _label_row(
        sheet,
        M_EXPECTED_ROW,
        "全年预计执行数（万元）",
        _wan(report.expected_executed),
        kind="input",
        fmt=WAN_FORMAT,
    )
    _label_row(
        sheet,
        M_MEASURES_ROW,
        "纠偏措施",
        report.measures,
        kind="input",
        span=LAST_COL - VALUE_COL + 1,
    )
    sheet.row_dimensions[M_MEASURES_ROW].height = 48
    header_row = M_FIRST_ROW - 1
    headers = [
        "序号",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        f"{months}实际完成值",
        "全年预计完成值",
        "完成目标可能性",
        "偏差原因",
        "备注（偏差说明）",
    ]
    for col, text in enumerate(headers, start=1):
        _write(sheet, header_row, col, text, kind="header")
    numbers, judgements = [], []
    for index, entry in enumerate(entries):
        row = M_FIRST_ROW + index
        indicator = entry.indicator
        _put_targets(sheet, row, indicator)
        if indicator.is_measured:
            _write(sheet, row, M_ACTUAL, _figure(entry.actual), kind="input")
            _write(sheet, row, M_EXPECTED, _figure(entry.expected), kind="input")
            numbers += [f"F{row}", f"G{row}"]
        else:
            _write(sheet, row, M_ACTUAL, _choice_label(Judgement, entry.judgement), kind="input")
            expected = _choice_label(Judgement, entry.expected_judgement)
            _write(sheet, row, M_EXPECTED, expected, kind="input")
            judgements += [f"F{row}", f"G{row}"]
        _write(sheet, row, M_LIKELIHOOD, _choice_label(Likelihood, entry.likelihood), kind="input")
        _write(sheet, row, M_CAUSE, _choice_label(DeviationCause, entry.cause), kind="input")
        _write(sheet, row, M_NOTE, entry.note, kind="input")
    rows = range(M_FIRST_ROW, M_FIRST_ROW + len(entries))
    _validation(sheet, "", numbers, prompt="定量指标：填写数值。", kind="decimal")
    _validation(
        sheet,
        "",
        [f"E{M_EXECUTED_ROW}", f"E{M_EXPECTED_ROW}"],
        prompt="金额，单位：万元。",
        kind="decimal",
    )
    _validation(sheet, _choices_formula(Judgement), judgements, prompt="定性指标：选择完成情况。")
    _validation(
        sheet, _choices_formula(Likelihood), [f"H{r}" for r in rows], prompt="完成目标可能性"
    )
    _validation(sheet, _choices_formula(DeviationCause), [f"I{r}" for r in rows], prompt="偏差原因")
    sheet.freeze_panes = f"F{M_FIRST_ROW}"
    _protect(sheet)
    _identity(workbook, MONITORING, report, [e.indicator for e in entries], M_FIRST_ROW)
    return _save(workbook)


def _choice_label(choices, code: str) -> str:
    return choices(code).label if code else ""


# -- self-evaluation template ------------------------------------------------------------------


def evaluation_template(evaluation: SelfEvaluation) -> bytes:
    """The self-evaluation's template: targets (and weighted points) locked, inputs prefilled."""
    declaration = evaluation.declaration
    entries = entries_of(evaluation)
    weighted = has_weights([entry.indicator for entry in entries])
    workbook, sheet = _new_sheet("绩效自评填报")
    points_note = (
        "分值按申报表的指标权重折算，不能修改。"
        if weighted
        else "分值为系统按一级指标建议的分配，可以调整，合计应为 90 分。"
    )
    _header(
        sheet,
        declaration,
        f"{declaration.fiscal_year}年度 {declaration.display_short_name} "
        f"{declaration.subject} 绩效自评填报模板",
        f"模板标识：绩效自评 {evaluation.pk} · 第 {evaluation.version} 版（上传时据此核对，请勿修改）",
        "填写说明：灰色单元格为已批复的绩效目标和系统数据，请勿修改；请在白色单元格填写。"
        f"金额单位：万元。{points_note}定量指标填写全年实际完成值（数值），得分由系统计算；"
        "定性指标填写实际完成情况（文字），选择完成程度并填写该档内的得分。"
        "得分低于分值的指标请填写偏差原因分析及改进措施。请不要增删行，不要填写公式。",
    )
    _label_row(
        sheet,
        5,
        "年初预算数（万元）",
        _wan(evaluation.initial_budget),
        kind="locked",
        fmt=WAN_FORMAT,
    )
    _label_row(
        sheet,
        E_BUDGET_ROW,
        "全年预算数（万元）",
        _wan(evaluation.budget),
        kind="input",
        fmt=WAN_FORMAT,
    )
    _label_row(
        sheet,
        E_EXECUTED_ROW,
        "全年执行数（万元）",
        _wan(evaluation.executed),
        kind="input",
        fmt=WAN_FORMAT,
    )
    span = LAST_COL - VALUE_COL + 1
    target = declaration.annual_target or declaration.overall_target
    _label_row(sheet, 8, "年度总体目标（预期目标）", target, kind="locked", span=span)
    _label_row(
        sheet,
        E_RESULT_ROW,
        "年度总体目标实际完成情况",
        evaluation.overall_result,
        kind="input",
        span=span,
    )
    sheet.row_dimensions[8].height = 60
    sheet.row_dimensions[E_RESULT_ROW].height = 60
    headers = [
        "序号",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "分值",
        "全年实际完成值",
        "完成程度（定性指标）",
        "得分（定性指标）",
        "偏差原因分析及改进措施",
    ]
    for col, text in enumerate(headers, start=1):
        _write(sheet, E_FIRST_ROW - 1, col, text, kind="header")
    numbers, bands = [], []
    for index, entry in enumerate(entries):
        row = E_FIRST_ROW + index
        indicator = entry.indicator
        _put_targets(sheet, row, indicator)
        points = _figure(entry.points)
        _write(sheet, row, E_POINTS, points, kind="locked" if weighted else "input", fmt="0.00")
        if not weighted:
            numbers.append(f"F{row}")
        if indicator.is_measured:
            _write(sheet, row, E_ACTUAL, _figure(entry.actual), kind="input")
            _write(sheet, row, E_BAND, None, kind="unused")
            _write(sheet, row, E_SCORE, None, kind="unused")
            numbers.append(f"G{row}")
        else:
            _write(sheet, row, E_ACTUAL, entry.actual_text, kind="input")
            _write(sheet, row, E_BAND, _choice_label(Band, entry.band), kind="input")
            _write(sheet, row, E_SCORE, _figure(entry.score), kind="input", fmt="0.00")
            bands.append(f"H{row}")
            numbers.append(f"I{row}")
        _write(sheet, row, E_CAUSE, entry.cause, kind="input")
    _validation(sheet, "", numbers, prompt="填写数值。", kind="decimal")
    _validation(
        sheet,
        "",
        [f"E{E_BUDGET_ROW}", f"E{E_EXECUTED_ROW}"],
        prompt="金额，单位：万元。",
        kind="decimal",
    )
    _validation(sheet, _choices_formula(Band), bands, prompt="定性指标：选择完成程度。")
    sheet.freeze_panes = f"F{E_FIRST_ROW}"
    _protect(sheet)
    _identity(workbook, EVALUATION, evaluation, [e.indicator for e in entries], E_FIRST_ROW)
    return _save(workbook)


def template_filename(report_or_evaluation) -> str:
    """``2025年_沙区科协_科创工作_绩效监控填报模板_1-6月.xlsx`` or ``…_绩效自评填报模板.xlsx``."""
    declaration = report_or_evaluation.declaration
    stem = f"{declaration.fiscal_year}年_{declaration.display_short_name}_{declaration.subject}"
    if isinstance(report_or_evaluation, MonitoringReport):
        stem += f"_绩效监控填报模板_{report_or_evaluation.round.period_label}"
    else:
        stem += "_绩效自评填报模板"
    return safe_filename(stem, "xlsx")
