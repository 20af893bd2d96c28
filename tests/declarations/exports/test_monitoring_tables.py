"""The monitoring table (绩效目标执行监控表) exported to Excel and PDF and read back: header
lines, the budget block in 万元 with its light, each indicator's light (text and cell colour),
the correction measures and the declaration's overall light with its explanation."""

import re
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.cache import caches
from pypdf import PdfReader

from declarations import performance
from declarations.exports import pdf as pdf_module
from declarations.exports.grid import FILLS, Style
from declarations.exports.pdf import PdfUnavailable
from declarations.exports.performance_tables import export_report, monitoring_grid
from tests.declarations.exports.monitoring_evaluation_data import (
    MEASURES,
    approve,
    by_order,
    clerk_of,
    fill_monitoring,
    open_report,
    reload,
)
from tests.declarations.exports.readers import pdf_text, read_xlsx, squeeze

pytestmark = pytest.mark.django_db

OVERALL = "取最差的一项：红灯 1 项，黄灯 1 项，蓝灯 1 项，绿灯 2 项。"
LIGHT_FILLS = {
    "绿灯": FILLS[Style.LIGHT_GREEN],
    "黄灯": FILLS[Style.LIGHT_YELLOW],
    "红灯": FILLS[Style.LIGHT_RED],
    "蓝灯": FILLS[Style.LIGHT_BLUE],
}


@pytest.fixture(autouse=True)
def fresh_cache():
    caches["exports"].clear()


@pytest.fixture
def report():
    return fill_monitoring(open_report(approve("000-2"), data_month=6))


def fill_of(sheet, coordinate: str) -> str:
    return sheet.worksheet[coordinate].fill.fgColor.rgb[-6:]


def pdf_fills(data: bytes) -> set[str]:
    """The fill colours the PDF paints with, as RRGGBB."""
    colours = set()
    for page in PdfReader(BytesIO(data)).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg\b", stream):
            colours.add("".join(f"{round(float(x) * 255):02X}" for x in (r, g, b)))
    return colours


def test_excel_prints_the_header_budget_lights_and_measures(report):
    file = export_report(report, "xlsx")
    assert file.filename == "2025年_沙区科协_科创工作_绩效监控表_1-6月.xlsx"
    assert file.content_type.endswith("spreadsheetml.sheet")
    sheet = read_xlsx(file.data)
    texts = sheet.texts()
    assert texts[0] == "项目支出绩效目标执行监控表"
    for text in ("项目名称", "科创工作", "主管部门", "实施单位", "监控期间", "2025年1-6月"):
        assert text in texts
    assert "单位：万元" in texts

    # The budget block: amounts in 万元 as numbers, the rate, the light and why.
    head = sheet.row_of("年度预算数")
    assert sheet.row_values(head)[1:] == [
        "年度预算数",
        "1-6月执行数",
        "执行率",
        "预警",
        "全年预计执行数",
        "预警说明",
    ]
    values = sheet.row_values(head + 1)
    assert values[:5] == [11, 4.4, "40.0%", "绿灯", 10.5]
    assert values[5].startswith("执行率 40.0%（执行数 ÷ 年度预算数）÷ 时间进度 50.0%")
    light = next(
        c for c, v in sheet.cells.items() if v == "绿灯" and sheet.worksheet[c].row == head + 1
    )
    assert fill_of(sheet, light) == LIGHT_FILLS["绿灯"]

    # One row per indicator, with its light in text and colour.
    header = sheet.row_of("三级指标")
    assert sheet.row_values(header) == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "1-6月实际完成值",
        "预警",
        "全年预计完成值",
        "偏差原因",
        "完成目标可能性",
        "备注",
    ]
    rows = [sheet.row_values(header + n) for n in range(1, 5)]
    assert rows == [
        ["学术交流（创新）活动", "≥2次", "1次", "绿灯", "2次", "确定能"],
        [
            "“科创中国”科技精准服务对接",
            "≥10个",
            "2个",
            "红灯",
            "8个",
            "人员保障",
            "有可能",
            "人员调整",
        ],
        ["成渝地区双城经济圈合作", "≥2场次", "3场次", "蓝灯", "4场次", "确定能"],
        ["开展智库调研课题", "≥80个", "26个", "黄灯", "经费保障", "确定能"],
    ]
    for n, row in enumerate(rows, start=1):
        assert fill_of(sheet, f"F{header + n}") == LIGHT_FILLS[row[3]]

    measures = sheet.row_of("纠偏措施")
    assert sheet.row_values(measures) == ["纠偏措施", MEASURES]
    overall = sheet.row_of("综合预警")
    assert sheet.row_values(overall) == ["综合预警", "红灯", OVERALL]
    assert fill_of(sheet, f"C{overall}") == LIGHT_FILLS["红灯"]
    assert "状态：草稿　版本：2" in texts


def test_pdf_prints_the_same_with_the_lights_coloured(report):
    file = export_report(report, "pdf")
    assert file.filename == "2025年_沙区科协_科创工作_绩效监控表_1-6月.pdf"
    assert file.data.startswith(b"%PDF")
    text = squeeze(pdf_text(file.data))
    for expected in (
        "项目支出绩效目标执行监控表",
        "监控期间2025年1-6月",
        "11.004.4040.0%绿灯10.50",  # 年度预算数, 执行数, 执行率, 预警, 全年预计执行数
        "学术交流（创新）活动≥2次1次绿灯2次确定能",
        "≥10个2个红灯8个人员保障有可能人员调整",
        "≥2场次3场次蓝灯4场次确定能",
        "≥80个26个黄灯经费保障确定能",
        f"纠偏措施{MEASURES}",
        f"综合预警红灯{squeeze(OVERALL)}",
    ):
        assert expected in text
    assert set(LIGHT_FILLS.values()) <= pdf_fills(file.data)


def test_unjudged_figures_print_without_a_colour(report):
    performance.save_monitoring(
        report, by=clerk_of(report.declaration), values={"executed": None}, rows={}
    )
    grid = monitoring_grid(reload(report))
    budget_light = next(c for c in grid.cells if c.value == "未评价")
    assert budget_light.style == Style.CENTER
    sheet = read_xlsx(export_report(reload(report), "xlsx").data)
    assert sheet.row_values(sheet.row_of("年度预算数") + 1)[:3] == [11, "未评价", 10.5]


def test_a_department_wide_report_has_its_own_title_levels_and_judgements():
    declaration = approve("001-1")
    report = open_report(declaration, data_month=7)
    ind = by_order(declaration)
    coverage = ind[7]  # 科普工作覆盖人群: qualitative
    assert coverage.target_value is None
    performance.save_monitoring(
        report,
        by=clerk_of(declaration),
        values={"executed": D("3000000.01")},
        rows={
            coverage.pk: {"judgement": "partly", "expected_judgement": "achieved"},
            ind[1].pk: {"actual": D(30)},  # 30 ÷ (45 × 7/12) = 114 %
        },
    )
    file = export_report(reload(report), "xlsx")
    assert file.filename == "2024年_广州市南沙区科学技术协会_部门整体_绩效监控表_1-7月.xlsx"
    sheet = read_xlsx(file.data)
    assert sheet.texts()[0] == "部门整体支出绩效目标执行监控表"
    assert "单位名称" in sheet.texts() and "2024年1-7月" in sheet.texts()
    values = sheet.row_values(sheet.row_of("年度预算数") + 1)
    # 567.97 万元 and 300.000001 万元: every digit of the yuan amount kept.
    assert values[:2] == [567.97, 300.000001]
    header = sheet.row_of("三级指标")
    first = sheet.row_values(header + 1)
    assert first[:6] == [
        "产出指标",
        "数量指标",
        "举办全国科普日活动场次",
        "≥45场次",
        "30场次",
        "绿灯",
    ]
    row = sheet.row_of("科普工作覆盖人群")
    assert sheet.row_values(row)[2:5] == ["部分达成", "黄灯", "达成"]


def test_the_export_is_cached_until_the_report_changes(report):
    first = export_report(report, "xlsx").data
    assert export_report(reload(report), "xlsx").data == first
    performance.save_monitoring(
        report, by=clerk_of(report.declaration), values={"measures": "另行安排。"}, rows={}
    )
    changed = read_xlsx(export_report(reload(report), "xlsx").data)
    assert changed.row_values(changed.row_of("纠偏措施")) == ["纠偏措施", "另行安排。"]


def test_a_pdf_that_cannot_be_made_is_refused_as_for_declarations(report, monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PRINTED_CHARS", 100)
    with pytest.raises(PdfUnavailable, match="表格文字过长"):
        export_report(report, "pdf")
