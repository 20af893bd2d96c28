"""Reading a filled template back, trusting nothing in the file: see the package's docstring
for what is refused. Nothing is saved here."""

import math
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from declarations.domain.evaluation import INDICATOR_POINTS, Band
from declarations.domain.limits import LONG_TEXT, ROW_TEXT
from declarations.domain.money import MoneyUnit, from_unit, plain_decimal
from declarations.domain.monitoring import DeviationCause, Judgement, Likelihood
from declarations.domain.values import parse_value
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
    FIGURE_PLACES,
    IDENTITY_SHEET,
    KIND_LABELS,
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
    MAX_FIGURE,
    MAX_MESSAGES,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_WAN,
    MONEY_PLACES,
    MONITORING,
    NAME,
    ORDER,
    SCORE_PLACES,
    TARGET,
    TARGET_COLUMNS,
    VALUE_COL,
    entries_of,
    has_weights,
    indicator_label,
    short,
)
from declarations.models import MonitoringReport, SelfEvaluation


class _Problems:
    """The problems found, in the order of the sheet, as the Chinese messages to show."""

    def __init__(self):
        self.messages: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.messages.append(f"{where}：{problem}")

    def raise_any(self) -> None:
        if not self.messages:
            return
        messages = self.messages[:MAX_MESSAGES]
        if len(self.messages) > MAX_MESSAGES:
            messages.append(
                f"另有 {len(self.messages) - MAX_MESSAGES} 处问题未列出，请先改正以上问题。"
            )
        raise ValidationError(messages)


class _Bad(Exception):
    """A cell's value cannot be used; the message says why."""


CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: .xls, or encrypted
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


def _refuse(message: str):
    raise ValidationError([message])


def _read_workbook(fileobj):
    """The uploaded workbook, loaded without evaluating anything, or a refusal."""
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)  # a form may have looked at the upload already
    data = fileobj.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        _refuse(f"文件过大（超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB），请上传下载的填报模板。")
    if data.startswith(CFB_MAGIC):
        if ENCRYPTED_MARK in data:
            _refuse("文件设有打开密码，无法读取。请在 Excel 中取消密码后另存为 .xlsx 再上传。")
        _refuse("这是旧版 Excel（.xls）文件，请另存为 .xlsx 格式后上传。")
    if not data.startswith(b"PK"):
        _refuse("不是 Excel（.xlsx）文件，请上传下载的填报模板。")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            parts = archive.infolist()
            if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
                _refuse("文件解压后过大，不是本系统的填报模板。")
            names = {part.filename for part in parts}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                _refuse("不是 Excel（.xlsx）文件，请上传下载的填报模板。")
            types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        _refuse("文件已损坏，无法读取，请重新下载填报模板填写后上传。")
    if b"macroEnabled" in types or any(name.endswith("vbaProject.bin") for name in names):
        _refuse("含宏的工作簿（.xlsm）不能上传，请另存为“Excel 工作簿（.xlsx）”后上传。")
    try:
        return load_workbook(BytesIO(data), data_only=False)
    except Exception:  # noqa: BLE001 - whatever openpyxl fails on, the file is unreadable
        _refuse("文件无法读取（可能已损坏），请重新下载填报模板填写后上传。")


FOREIGN = "不是本系统下载的填报模板（缺少模板标识），请下载本报告的填报模板后填写。"


def _identity_of(workbook, kind: str, report, entries: list) -> int:
    """Check that the workbook is this report's template; return its first indicator row."""
    other = "绩效自评" if kind == MONITORING else "绩效监控"
    if IDENTITY_SHEET not in workbook.sheetnames:
        _refuse(FOREIGN)
    values = {}
    indicators = []
    for row in workbook[IDENTITY_SHEET].iter_rows(max_col=3, values_only=True):
        if row and row[0] == "indicator":
            indicators.append(row[1])
        elif row and row[0]:
            values[row[0]] = row[1]
    if values.get("kind") in KIND_LABELS and values["kind"] != kind:
        _refuse(f"这是{other}的填报模板，不能上传到{KIND_LABELS[kind]}，请下载本报告的填报模板。")
    if values.get("kind") != kind:
        _refuse(FOREIGN)
    if values.get("report") != report.pk or values.get("declaration") != report.declaration_id:
        _refuse("这是另一份报告的填报模板，请在本报告页面下载填报模板后填写。")
    if indicators != [entry.indicator_id for entry in entries]:
        _refuse("模板中的指标与本报告不一致，请重新下载填报模板。")
    expected_first = M_FIRST_ROW if kind == MONITORING else E_FIRST_ROW
    if values.get("first_row") != expected_first:
        _refuse("模板标识已被修改，请重新下载填报模板。")
    return expected_first


def _data_sheet(workbook):
    for sheet in workbook.worksheets:
        if sheet.title != IDENTITY_SHEET:
            return sheet
    _refuse("模板中没有填报表，请重新下载填报模板。")


def _is_formula(cell) -> bool:
    value = cell.value
    return (
        cell.data_type == "f"
        or isinstance(value, ArrayFormula | DataTableFormula)
        or (isinstance(value, str) and value.lstrip().startswith("="))
    )


def _raw(cell):
    """A cell's value for an input: refused when it is a formula."""
    if _is_formula(cell):
        raise _Bad("不能填写公式（以“=”开头），请直接填写数值或文字。")
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _decimal(cell, *, unit: str, places: int, maximum: Decimal, percent_ok: bool) -> Decimal | None:
    """A number typed in ``cell``: a number, or a text the value grammar reads as a number
    with no comparison and at most ``unit`` after it. Nothing is rounded: too many decimals
    is a refusal."""
    value = _raw(cell)
    if value is None:
        return None
    unit_hint = f"（单位：{unit}）" if unit else ""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Bad(f"应为数字{unit_hint}。")
    if isinstance(value, str):
        parsed = parse_value(unicodedata.normalize("NFKC", value))
        if not parsed.is_numeric or parsed.operator or parsed.unit not in ("", unit):
            raise _Bad(f"应为数字{unit_hint}。")
        number = parsed.number
    else:
        if isinstance(value, float) and not math.isfinite(value):
            raise _Bad(f"应为数字{unit_hint}。")
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise _Bad(f"应为数字{unit_hint}。") from None
        if "%" in (cell.number_format or ""):
            if not percent_ok:
                raise _Bad(f"应为数字{unit_hint}，不是百分比。")
            number *= 100  # 95% typed in Excel is stored as 0.95
    if number < 0:
        raise _Bad("不能为负数。")
    if number >= maximum:
        raise _Bad("数值过大。")
    if -number.normalize().as_tuple().exponent > places:
        raise _Bad(f"最多保留 {places} 位小数。")
    return number


def _amount(cell) -> Decimal | None:
    """An amount typed in 万元, in yuan exactly."""
    wan = _decimal(cell, unit="万元", places=MONEY_PLACES, maximum=MAX_WAN, percent_ok=False)
    if wan is None:
        return None
    return from_unit(wan, MoneyUnit.WAN_YUAN).quantize(Decimal("0.01"))


def _choice(cell, choices) -> str:
    value = _raw(cell)
    if value is None:
        return ""
    text = str(value)
    for code, label in choices.choices:
        if text == label:
            return code
    allowed = " / ".join(choices.labels)
    raise _Bad(f"“{short(text)}”不是可选项，请从下拉列表中选择（{allowed}）。")


def _text(cell, limit: int) -> str:
    value = _raw(cell)
    if value is None:
        return ""
    if not isinstance(value, str):
        value = plain_decimal(Decimal(repr(value))) if isinstance(value, float) else str(value)
    if len(value) > limit:
        raise _Bad(f"文字过长（{len(value)} 字，最多 {limit} 字）。")
    return value


def _empty(cell) -> None:
    if _raw(cell) is not None:
        raise _Bad("不适用于定量指标（得分由系统按实际完成值计算），请清空。")


@dataclass
class _Reader:
    """Reads one cell at a time; a cell it cannot read gives None and its problem is recorded,
    so that one upload reports every problem at once."""

    sheet: object
    problems: _Problems

    def take(self, where: str, label: str, row: int, col: int, read, *args, **kwargs):
        try:
            return read(self.sheet.cell(row=row, column=col), *args, **kwargs)
        except _Bad as bad:
            self.problems.add(where, f"{label}{bad}")
            return None


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return plain_decimal(Decimal(repr(value)))
    return str(value).strip()


def _check_targets(reader: _Reader, where: str, row: int, indicator) -> None:
    expected = {
        ORDER: str(indicator.order),
        LEVEL1: level1_name(indicator),
        LEVEL2: level2_name(indicator),
        NAME: indicator.name or indicator.target_text,
        TARGET: indicator_value(indicator),
    }
    for col, text in expected.items():
        found = _as_text(reader.sheet.cell(row=row, column=col).value)
        if found != printable_text(text).strip():
            reader.problems.add(
                where,
                f"已批复的{TARGET_COLUMNS[col]}被修改（应为“{short(text)}”，现为“{short(found)}”），"
                "请勿修改灰色单元格。",
            )


def _check_extra_rows(reader: _Reader, last_row: int) -> None:
    for index, values in enumerate(
        reader.sheet.iter_rows(min_row=last_row + 1, values_only=True), start=last_row + 1
    ):
        if any(value not in (None, "") for value in values):
            reader.problems.add(
                f"第 {index} 行",
                f"模板的指标只到第 {last_row} 行，请勿在指标下方增加行或填写内容。",
            )
            return


def _open(fileobj, kind: str, report):
    workbook = _read_workbook(fileobj)
    entries = entries_of(report)
    first_row = _identity_of(workbook, kind, report, entries)
    sheet = _data_sheet(workbook)
    problems = _Problems()
    reader = _Reader(sheet, problems)
    return entries, first_row, reader, problems


def read_monitoring_upload(report: MonitoringReport, fileobj) -> tuple[dict, dict[int, dict]]:
    """The ``values`` and ``rows`` for ``performance.save_monitoring`` from a filled template
    of ``report``, or a ``ValidationError`` listing each problem with its row."""
    entries, first_row, reader, problems = _open(fileobj, MONITORING, report)
    months = report.round.period_label
    values = {
        "executed": reader.take(
            f"第 {M_EXECUTED_ROW} 行（{months}执行数）", "", M_EXECUTED_ROW, VALUE_COL, _amount
        ),
        "expected_executed": reader.take(
            f"第 {M_EXPECTED_ROW} 行（全年预计执行数）", "", M_EXPECTED_ROW, VALUE_COL, _amount
        ),
        "measures": reader.take(
            f"第 {M_MEASURES_ROW} 行（纠偏措施）", "", M_MEASURES_ROW, VALUE_COL, _text, LONG_TEXT
        ),
    }
    rows = {}
    for index, entry in enumerate(entries):
        row = first_row + index
        indicator = entry.indicator
        where = f"第 {row} 行（{indicator_label(indicator)}）"
        _check_targets(reader, where, row, indicator)
        take = reader.take
        if indicator.is_measured:
            figure = {
                "unit": indicator.unit,
                "places": FIGURE_PLACES,
                "maximum": MAX_FIGURE,
                "percent_ok": indicator.unit == "%",
            }
            fields = {
                "actual": take(where, "实际完成值", row, M_ACTUAL, _decimal, **figure),
                "expected": take(where, "全年预计完成值", row, M_EXPECTED, _decimal, **figure),
                "judgement": "",
                "expected_judgement": "",
            }
        else:
            fields = {
                "actual": None,
                "expected": None,
                "judgement": take(where, "实际完成值", row, M_ACTUAL, _choice, Judgement),
                "expected_judgement": take(
                    where, "全年预计完成值", row, M_EXPECTED, _choice, Judgement
                ),
            }
        fields["likelihood"] = take(where, "完成目标可能性", row, M_LIKELIHOOD, _choice, Likelihood)
        fields["cause"] = take(where, "偏差原因", row, M_CAUSE, _choice, DeviationCause)
        fields["note"] = take(where, "备注", row, M_NOTE, _text, ROW_TEXT)
        rows[indicator.pk] = fields
    _check_extra_rows(reader, first_row + len(entries) - 1)
    problems.raise_any()
    return values, rows


def read_evaluation_upload(evaluation: SelfEvaluation, fileobj) -> tuple[dict, dict[int, dict]]:
    """The ``values`` and ``rows`` for ``performance.save_evaluation`` from a filled template
    of ``evaluation`` (``points`` only where the declaration has no weights), or a
    ``ValidationError`` listing each problem with its row."""
    entries, first_row, reader, problems = _open(fileobj, EVALUATION, evaluation)
    sheet = reader.sheet
    weighted = has_weights([entry.indicator for entry in entries])
    values = {
        "budget": reader.take(
            f"第 {E_BUDGET_ROW} 行（全年预算数）", "", E_BUDGET_ROW, VALUE_COL, _amount
        ),
        "executed": reader.take(
            f"第 {E_EXECUTED_ROW} 行（全年执行数）", "", E_EXECUTED_ROW, VALUE_COL, _amount
        ),
        "overall_result": reader.take(
            f"第 {E_RESULT_ROW} 行（实际完成情况）", "", E_RESULT_ROW, VALUE_COL, _text, LONG_TEXT
        ),
    }
    score = {"unit": "分", "places": SCORE_PLACES, "maximum": Decimal(1000), "percent_ok": False}
    rows = {}
    for index, entry in enumerate(entries):
        row = first_row + index
        indicator = entry.indicator
        where = f"第 {row} 行（{indicator_label(indicator)}）"
        _check_targets(reader, where, row, indicator)
        take = reader.take
        fields = {}
        try:
            points = _decimal(sheet.cell(row=row, column=E_POINTS), **score)
        except _Bad as bad:
            problems.add(where, f"分值{bad}")
        else:
            if weighted and points != entry.points:
                problems.add(where, "该申报表设有指标权重，分值按权重折算，不能修改。")
            elif not weighted and points is None:
                problems.add(where, "请填写分值。")
            elif not weighted and points > INDICATOR_POINTS:
                problems.add(where, f"分值不能超过 {INDICATOR_POINTS} 分。")
            elif not weighted:
                fields["points"] = points
        if indicator.is_measured:
            fields["actual"] = take(
                where,
                "实际完成值",
                row,
                E_ACTUAL,
                _decimal,
                unit=indicator.unit,
                places=FIGURE_PLACES,
                maximum=MAX_FIGURE,
                percent_ok=indicator.unit == "%",
            )
            fields["actual_text"] = ""
            take(where, "完成程度", row, E_BAND, _empty)
            take(where, "得分", row, E_SCORE, _empty)
            fields["band"], fields["score"] = "", None
        else:
            fields["actual"] = None
            fields["actual_text"] = take(where, "实际完成情况", row, E_ACTUAL, _text, ROW_TEXT)
            fields["band"] = take(where, "完成程度", row, E_BAND, _choice, Band)
            fields["score"] = take(where, "得分", row, E_SCORE, _decimal, **score)
        fields["cause"] = take(where, "偏差原因分析及改进措施", row, E_CAUSE, _text, ROW_TEXT)
        rows[indicator.pk] = fields
    _check_extra_rows(reader, first_row + len(entries) - 1)
    problems.raise_any()
    return values, rows
