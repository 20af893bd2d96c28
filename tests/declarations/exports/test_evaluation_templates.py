"""The self-evaluation Excel template: downloaded, filled with openpyxl, read back and saved
through the service, the scores computed; points editable only without weights; and the
refused uploads, with their exact messages, changing nothing."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from declarations import performance
from declarations.domain.choices import Grade
from declarations.exports.performance_templates import (
    IDENTITY_SHEET,
    evaluation_template,
    monitoring_template,
    read_evaluation_upload,
    template_filename,
)
from declarations.models import EvaluationEntry, SelfEvaluation
from declarations.scorecards import evaluation_card
from tests.declarations.exports.monitoring_evaluation_data import (
    EVALUATION_SCORES,
    approve,
    by_order,
    clerk_of,
    open_report,
    reload,
    start_evaluation,
)

pytestmark = pytest.mark.django_db

FIRST = 12  # the first indicator row of the template
WHERE = {
    1: "第 12 行（指标 1“学术交流（创新）活动”）",
    2: "第 13 行（指标 2““科创中国”科技精准服务对接”）",
    3: "第 14 行（指标 3“成渝地区双城经济圈合作”）",
    4: "第 15 行（指标 4“开展智库调研课题”）",
}
RESULT = "全年完成科技创新活动和智库调研。"


@pytest.fixture
def declaration():
    return approve("000-2")


@pytest.fixture
def evaluation(declaration):
    return start_evaluation(declaration)


def workbook_of(data: bytes):
    return load_workbook(BytesIO(data))


def saved(workbook) -> BytesIO:
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def edited(evaluation, **cells) -> BytesIO:
    workbook = workbook_of(evaluation_template(evaluation))
    for coordinate, value in cells.items():
        workbook.worksheets[0][coordinate] = value
    return saved(workbook)


def refused(evaluation, fileobj) -> list[str]:
    before = SelfEvaluation.objects.get(pk=evaluation.pk)
    with pytest.raises(ValidationError) as error:
        read_evaluation_upload(evaluation, fileobj)
    after = SelfEvaluation.objects.get(pk=evaluation.pk)
    assert (after.version, after.executed, after.budget) == (
        before.version,
        before.executed,
        before.budget,
    )
    assert not EvaluationEntry.objects.filter(evaluation=evaluation, actual__isnull=False).exists()
    return error.value.messages


def test_the_template_holds_targets_and_weighted_points_locked(evaluation):
    assert template_filename(evaluation) == "2025年_沙区科协_科创工作_绩效自评填报模板.xlsx"
    workbook = workbook_of(evaluation_template(evaluation))
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "2025年度 沙区科协 科创工作 绩效自评填报模板"
    assert (
        sheet["A2"].value
        == f"模板标识：绩效自评 {evaluation.pk} · 第 1 版（上传时据此核对，请勿修改）"
    )
    assert "分值按申报表的指标权重折算，不能修改。" in sheet["A3"].value
    # 年初预算数 locked; 全年预算数 prefilled (the approved budget) and open; 全年执行数 open.
    assert (sheet["E5"].value, sheet["E5"].protection.locked) == (11, True)
    assert (sheet["E6"].value, sheet["E6"].protection.locked) == (11, False)
    assert (sheet["E7"].value, sheet["E7"].protection.locked) == (None, False)
    assert sheet["E8"].value.startswith("通过举办科技创新活动")
    assert [sheet.cell(row=11, column=c).value for c in range(1, 11)] == [
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
    rows = [
        [sheet.cell(row=r, column=c).value for c in (1, 4, 5, 6)] for r in range(FIRST, FIRST + 4)
    ]
    assert rows == [
        [1, "学术交流（创新）活动", "≥2次", 30],
        [2, "“科创中国”科技精准服务对接", "≥10个", 20],
        [3, "成渝地区双城经济圈合作", "≥2场次", 20],
        [4, "开展智库调研课题", "≥80个", 20],
    ]
    assert sheet["F12"].protection.locked  # weighted points
    assert not sheet["G12"].protection.locked and not sheet["J12"].protection.locked
    assert sheet["H12"].protection.locked and sheet["I12"].protection.locked  # not for 定量
    assert workbook[IDENTITY_SHEET].sheet_state == "hidden"


def test_round_trip_fill_read_save_and_the_scores_follow(evaluation, declaration):
    workbook = workbook_of(evaluation_template(evaluation))
    sheet = workbook.worksheets[0]
    sheet["E7"] = 9.9
    sheet["E9"] = RESULT
    for row, actual, cause in [
        (12, 3, None),
        (13, "8个", "对接企业减少；明年提前对接。"),
        (14, 2, None),
        (15, 60, "课题立项延后；加强进度管理。"),
    ]:
        sheet.cell(row=row, column=7, value=actual)
        sheet.cell(row=row, column=10, value=cause)
    values, rows = read_evaluation_upload(evaluation, saved(workbook))
    assert values == {
        "budget": D("110000.00"),
        "executed": D("99000.00"),
        "overall_result": RESULT,
    }
    ind = by_order(declaration)
    blank = {"actual_text": "", "band": "", "score": None, "cause": ""}
    assert rows == {  # no points: they follow the weights
        ind[1].pk: {**blank, "actual": D(3)},
        ind[2].pk: {**blank, "actual": D(8), "cause": "对接企业减少；明年提前对接。"},
        ind[3].pk: {**blank, "actual": D(2)},
        ind[4].pk: {**blank, "actual": D(60), "cause": "课题立项延后；加强进度管理。"},
    }
    performance.save_evaluation(evaluation, by=clerk_of(declaration), values=values, rows=rows)
    evaluation = reload(evaluation)
    actuals = {e.indicator.order: e.actual for e in evaluation.entries.select_related("indicator")}
    assert actuals == {1: D(3), 2: D(8), 3: D(2), 4: D(60)}
    card = evaluation_card(evaluation)
    assert [row.score for row in card.rows] == EVALUATION_SCORES
    assert card.execution_score == D("9.00")
    assert (card.total, card.grade) == (D("90.00"), Grade.EXCELLENT)
    # Downloaded again, the template holds what was saved and reads back the same.
    assert read_evaluation_upload(evaluation, BytesIO(evaluation_template(evaluation))) == (
        values,
        rows,
    )


def test_points_without_weights_are_editable_and_qualitative_rows_are_scored():
    declaration = approve("001-1")
    evaluation = start_evaluation(declaration)
    entries = list(evaluation.entries.select_related("indicator").order_by("indicator__order"))
    row_of = {e.indicator.order: FIRST + i for i, e in enumerate(entries)}
    points = {e.indicator.order: e.points for e in entries}
    workbook = workbook_of(evaluation_template(evaluation))
    sheet = workbook.worksheets[0]
    assert "可以调整，合计应为 90 分" in sheet["A3"].value
    first, coverage = row_of[1], row_of[7]  # 7: 科普工作覆盖人群, qualitative
    assert not sheet[f"F{first}"].protection.locked
    sheet["E7"] = 500
    for entry in entries:
        row = row_of[entry.indicator.order]
        if entry.indicator.is_measured:
            sheet[f"G{row}"] = float(entry.indicator.target_value)
        else:
            sheet[f"G{row}"] = "已完成"
            sheet[f"H{row}"] = "达成年度指标"
            sheet[f"I{row}"] = float(entry.points)
    # Move one point from indicator 1 to indicator 7; score 7 in the lower band.
    sheet[f"F{first}"] = float(points[1] - 1)
    sheet[f"F{coverage}"] = float(points[7] + 1)
    sheet[f"G{coverage}"] = "覆盖青少年、农民，产业工人较少"
    sheet[f"H{coverage}"] = "部分达成并具有一定效果"
    sheet[f"I{coverage}"] = "2.1分"
    sheet[f"J{coverage}"] = "产业工人覆盖不足；明年进园区。"
    values, rows = read_evaluation_upload(evaluation, saved(workbook))
    ind = by_order(declaration)
    assert rows[ind[7].pk] == {
        "points": points[7] + 1,
        "actual": None,
        "actual_text": "覆盖青少年、农民，产业工人较少",
        "band": "partly",
        "score": D("2.1"),
        "cause": "产业工人覆盖不足；明年进园区。",
    }
    assert rows[ind[1].pk]["points"] == points[1] - 1
    performance.save_evaluation(evaluation, by=clerk_of(declaration), values=values, rows=rows)
    card = evaluation_card(reload(evaluation))
    assert card.points_total == D(90)
    by_name = {row.indicator.order: row for row in card.rows}
    assert by_name[1].entry.points == points[1] - 1
    assert (by_name[7].entry.points, by_name[7].score) == (points[7] + 1, D("2.10"))
    lost = points[7] + 1 - D("2.10")  # every other indicator scores its full points
    assert card.execution_score == D("8.80")  # 500 ÷ 567.97 = 88.03 %
    assert card.total == D("8.80") + 90 - lost and card.grade == Grade.EXCELLENT


def test_weighted_points_cannot_be_changed(evaluation):
    assert refused(evaluation, edited(evaluation, F12=31, F13=None)) == [
        f"{WHERE[1]}：该申报表设有指标权重，分值按权重折算，不能修改。",
        f"{WHERE[2]}：该申报表设有指标权重，分值按权重折算，不能修改。",
    ]


def test_bad_numbers_labels_and_inputs_that_do_not_apply(evaluation):
    upload = edited(
        evaluation,
        E6=-1,
        E7="九万九",
        G12="三次",
        H13="达成年度指标",
        I14=20,
        G15=80.00001,
    )
    assert refused(evaluation, upload) == [
        "第 6 行（全年预算数）：不能为负数。",
        "第 7 行（全年执行数）：应为数字（单位：万元）。",
        f"{WHERE[1]}：实际完成值应为数字（单位：次）。",
        f"{WHERE[2]}：完成程度不适用于定量指标（得分由系统按实际完成值计算），请清空。",
        f"{WHERE[3]}：得分不适用于定量指标（得分由系统按实际完成值计算），请清空。",
        f"{WHERE[4]}：实际完成值最多保留 4 位小数。",
    ]


def test_unknown_band_labels_and_bad_points_without_weights():
    declaration = approve("001-1")
    evaluation = start_evaluation(declaration)
    entries = list(evaluation.entries.select_related("indicator").order_by("indicator__order"))
    row_of = {e.indicator.order: FIRST + i for i, e in enumerate(entries)}
    first, coverage = row_of[1], row_of[7]
    upload = edited(
        evaluation,
        **{f"F{first}": 95, f"F{coverage}": None, f"H{coverage}": "基本达成", f"I{coverage}": "高"},
    )
    messages = refused(evaluation, upload)
    assert messages == [
        f"第 {first} 行（指标 1“举办全国科普日活动场次”）：分值不能超过 90 分。",
        f"第 {coverage} 行（指标 7“科普工作覆盖人群”）：请填写分值。",
        f"第 {coverage} 行（指标 7“科普工作覆盖人群”）：完成程度“基本达成”不是可选项，"
        "请从下拉列表中选择（达成年度指标 / 部分达成并具有一定效果 / 未达成且效果较差）。",
        f"第 {coverage} 行（指标 7“科普工作覆盖人群”）：得分应为数字（单位：分）。",
    ]


def test_another_kind_of_template_and_formulas(evaluation, declaration):
    report = open_report(declaration)
    assert refused(evaluation, BytesIO(monitoring_template(report))) == [
        "这是绩效监控的填报模板，不能上传到绩效自评，请下载本报告的填报模板。"
    ]
    upload = edited(evaluation, E7="=E6*0.9", J13="=A1")
    assert refused(evaluation, upload) == [
        "第 7 行（全年执行数）：不能填写公式（以“=”开头），请直接填写数值或文字。",
        f"{WHERE[2]}：偏差原因分析及改进措施不能填写公式（以“=”开头），请直接填写数值或文字。",
    ]


def test_changed_targets_and_added_rows(evaluation):
    upload = edited(evaluation, E12="≥1次", D16="新增", G16=1)
    assert refused(evaluation, upload) == [
        f"{WHERE[1]}：已批复的年度指标值被修改（应为“≥2次”，现为“≥1次”），请勿修改灰色单元格。",
        "第 16 行：模板的指标只到第 15 行，请勿在指标下方增加行或填写内容。",
    ]
