"""The self-evaluation table (项目支出绩效自评表, national format) exported to Excel and PDF
and read back: the funds with the execution score, the year's target and result, each
indicator's points and score to the cent, the causes, the total and the grade."""

from decimal import Decimal as D

import pytest
from django.core.cache import caches

from declarations import performance
from declarations.domain.evaluation import cents
from declarations.exports.performance_tables import export_report
from declarations.scorecards import evaluation_card
from tests.declarations.exports.monitoring_evaluation_data import (
    approve,
    clerk_of,
    fill_evaluation,
    reload,
    start_evaluation,
)
from tests.declarations.exports.readers import pdf_text, read_xlsx, squeeze

pytestmark = pytest.mark.django_db

TOO_EASY = "提示：实际值达到目标的 120% 以上，目标值可能设定偏低。"


@pytest.fixture(autouse=True)
def fresh_cache():
    caches["exports"].clear()


@pytest.fixture
def evaluation():
    return fill_evaluation(start_evaluation(approve("000-2")))


def test_excel_prints_funds_scores_total_and_grade(evaluation):
    file = export_report(evaluation, "xlsx")
    assert file.filename == "2025年_沙区科协_科创工作_绩效自评表.xlsx"
    sheet = read_xlsx(file.data)
    texts = sheet.texts()
    assert texts[:2] == ["项目支出绩效自评表", "（2025年度）"]
    for text in ("项目名称", "科创工作", "主管部门", "实施单位", "重庆市沙坪坝区科学技术协会"):
        assert text in texts

    funds = sheet.row_of("年初预算数")
    assert sheet.row_values(funds) == [
        "项目资金",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    assert sheet.row_values(funds + 1) == ["年度资金总额", 11, 11, 9.9, 10, "90.0%", 9]
    score_cell = sheet.worksheet.cell(row=funds + 1, column=9)
    assert score_cell.number_format == "0.00"  # scores print to the cent

    goal = sheet.row_of("预期目标")
    assert sheet.row_values(goal) == ["年度总体目标", "预期目标", "实际完成情况"]
    assert sheet.row_values(goal + 1)[1] == "全年完成科技创新活动和智库调研。"

    header = sheet.row_of("三级指标")
    assert sheet.row_values(header) == [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    rows = [sheet.row_values(header + n) for n in range(1, 5)]
    assert rows == [
        ["学术交流（创新）活动", "≥2次", "3次", 30, 30, TOO_EASY],
        ["“科创中国”科技精准服务对接", "≥10个", "8个", 20, 16, "对接企业减少；明年提前对接。"],
        ["成渝地区双城经济圈合作", "≥2场次", "2场次", 20, 20],
        ["开展智库调研课题", "≥80个", "60个", 20, 15, "课题立项延后；加强进度管理。"],
    ]
    total = sheet.row_of("总分")
    assert sheet.row_values(total) == ["总分", 100, 90]
    assert sheet.worksheet.cell(row=total, column=8).number_format == "0.00"
    assert sheet.row_values(sheet.row_of("等级")) == ["等级", "优"]


def test_pdf_prints_scores_to_the_cent_total_and_grade(evaluation):
    file = export_report(evaluation, "pdf")
    assert file.filename == "2025年_沙区科协_科创工作_绩效自评表.pdf"
    text = squeeze(pdf_text(file.data))
    for expected in (
        "项目支出绩效自评表",
        "（2025年度）",
        "年度资金总额11.0011.009.9010.0090.0%9.00",
        "学术交流（创新）活动≥2次3次30.0030.00",
        squeeze(TOO_EASY),
        "≥10个8个20.0016.00对接企业减少；明年提前对接。",
        "≥2场次2场次20.0020.00",
        "≥80个60个20.0015.00课题立项延后；加强进度管理。",
        "总分100.0090.00",
        "等级优",
    ):
        assert expected in text


def test_an_unfinished_evaluation_prints_no_total_nor_grade():
    evaluation = start_evaluation(approve("000-2"))
    sheet = read_xlsx(export_report(evaluation, "xlsx").data)
    assert sheet.row_values(sheet.row_of("总分")) == ["总分", 100]
    assert sheet.row_values(sheet.row_of("等级")) == ["等级"]
    funds = sheet.row_of("年初预算数")
    assert sheet.row_values(funds + 1) == ["年度资金总额", 11, 11, 10]


def test_a_department_wide_evaluation_with_qualitative_scores_and_a_lower_grade():
    """Seed 001-1: no weights (the default split), qualitative indicators scored in their band."""
    declaration = approve("001-1")
    evaluation = start_evaluation(declaration)
    rows = {}
    for entry in evaluation.entries.select_related("indicator"):
        indicator = entry.indicator
        if indicator.is_measured:
            rows[indicator.pk] = {"actual": indicator.target_value / 2, "cause": "进度滞后。"}
        else:
            rows[indicator.pk] = {
                "actual_text": "部分完成",
                "band": "partly",
                "score": cents(entry.points * D("0.7")),
                "cause": "效果一般。",
            }
    performance.save_evaluation(
        evaluation,
        by=clerk_of(declaration),
        values={"executed": D("5111730.00")},  # 90 % of 567.97 万元
        rows=rows,
    )
    evaluation = reload(evaluation)
    card = evaluation_card(evaluation)
    assert card.total is not None and card.grade_label in ("良", "中", "差")

    file = export_report(evaluation, "xlsx")
    assert file.filename == "2024年_广州市南沙区科学技术协会_部门整体_绩效自评表.xlsx"
    sheet = read_xlsx(file.data)
    assert sheet.texts()[0] == "部门整体支出绩效自评表"
    assert "单位名称" in sheet.texts()
    assert sheet.row_values(sheet.row_of("总分")) == ["总分", 100, float(card.total)]
    assert sheet.row_values(sheet.row_of("等级")) == ["等级", card.grade_label]
    coverage = sheet.row_of("科普工作覆盖人群")
    row = next(r for r in card.rows if r.indicator.name == "科普工作覆盖人群")
    assert sheet.row_values(coverage)[-4:] == [
        "部分完成\n（部分达成并具有一定效果）",
        float(row.entry.points),
        float(row.score),
        "效果一般。",
    ]
    text = squeeze(pdf_text(export_report(evaluation, "pdf").data))
    assert f"总分100.00{card.total}" in text
    assert f"等级{card.grade_label}" in text
