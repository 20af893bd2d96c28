"""Each seed declaration exported in its own layout reproduces the seed's table.

The Excel file is opened with openpyxl: labels, values, number formats and merged ranges are
checked, and every text it prints must stand in the seed document. The PDF's text is
extracted and every indicator must be found in it.
"""

import re
from pathlib import Path

import pytest

from declarations.domain.values import format_value
from declarations.exports.service import export_declaration, with_export_data
from declarations.models import Declaration
from tests.declarations.exports.readers import pdf_fonts, pdf_text, read_xlsx, squeeze

pytestmark = pytest.mark.django_db

SOURCE_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "seeds" / "source"
SAMPLE_KEYS = ["000-1", "000-2", "000-3", "000-4", "001-1", "002-1", "003-1", "004-1", "004-2"]

# Texts the layouts print that the extracted seed text lacks: titles the extraction dropped,
# and the derived lines of a layout (the Hebei unit line is printed as in the seed, though).
NOT_IN_SEED_TEXT = {
    "部门（单位）绩效目标申报表",  # the Beijing seed's title was lost in extraction
    "（2021年度）",
    "顺平县科学技术协会部门整体绩效目标",
    "科普专项绩效目标表",
    "分项绩效目标",
    "保障措施",
}


def seed_text(key: str) -> str:
    (path,) = SOURCE_DIR.glob(f"{key[:3]}_*.txt")
    return squeeze(
        path.read_text(encoding="utf-8").replace('"', "").replace("[bookmark: _GoBack]", "")
    )


def declaration(key: str) -> Declaration:
    return with_export_data(Declaration.objects.filter(sample_key=key)).get()


@pytest.fixture(scope="module")
def exports(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return {
            key: {fmt: export_declaration(declaration(key), fmt).data for fmt in ("xlsx", "pdf")}
            for key in SAMPLE_KEYS
        }


@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_every_text_in_the_excel_file_stands_in_the_seed(exports, key):
    sheet = read_xlsx(exports[key]["xlsx"])
    source = seed_text(key)
    for text in sheet.texts():
        if text in NOT_IN_SEED_TEXT or text.startswith("状态："):
            continue
        for line in text.split("\n"):
            if line.strip():
                assert squeeze(line) in source, line[:60]


@pytest.mark.parametrize("key", [k for k in SAMPLE_KEYS if k != "004-1"])
def test_every_indicator_is_in_the_excel_file_in_order(exports, key):
    sheet = read_xlsx(exports[key]["xlsx"])
    last_row = 0
    for indicator in declaration(key).indicators.all():
        if indicator.is_placeholder:
            continue
        wanted = indicator.name or format_value(
            indicator.operator, indicator.target_value, indicator.unit, indicator.target_text
        )
        rows = [sheet.worksheet[c].row for c, v in sheet.cells.items() if v == wanted]
        assert rows, wanted
        row = min(r for r in rows if r > last_row)
        values = sheet.row_values(row)
        if indicator.weight is not None:
            assert indicator.weight in values
        if declaration(key).layout in ("cq_special", "km_project"):
            assert indicator.target_value in values
            assert indicator.unit in values and indicator.operator in values
        last_row = row


def test_chongqing_table_cell_for_cell(exports):
    sheet = read_xlsx(exports["000-1"]["xlsx"])
    assert sheet.cells["A1"] == "重庆市沙坪坝区科学技术协会专项绩效目标申报表"
    assert (sheet.cells["A2"], sheet.cells["D2"]) == ("编制单位：沙区科协", "单位：万元")
    assert [sheet.cells[c] for c in ("A3", "B3", "D3", "E3")] == [
        "专项资金名称",
        "科普工作",
        "业务主管部门",
        "教科文科",
    ]
    assert [sheet.cells[c] for c in ("A4", "B4", "D4", "E4", "D5")] == [
        "2025年预算",
        31,
        "区级支出",
        31,
        "补助街镇",
    ]
    assert "E5" not in sheet.cells  # 补助街镇 is empty in the seed
    assert sheet.worksheet["B4"].number_format == "0.00####"
    assert [sheet.cells[c] for c in ("A6", "A7", "A8", "A9")] == [
        "项目概况",
        "立项依据",
        "当年绩效目标",
        "绩效指标",
    ]
    assert sheet.row_values(9) == ["绩效指标", "指标", "指标权重", "计量单位", "指标性质", "指标值"]
    assert sheet.row_values(10) == ["全国科技工作者日系列活动", 20, "场", "=", 2]
    assert sheet.row_values(14) == ["重庆市科普文化云平台维护", 15, "年", "=", 1]
    assert sheet.merged == {
        "A1:F1",
        "A2:C2",
        "D2:F2",
        "B3:C3",
        "E3:F3",
        "A4:A5",
        "B4:C5",
        "E4:F4",
        "E5:F5",
        "B6:F6",
        "B7:F7",
        "B8:F8",
        "A9:A14",
        "A15:F15",
    }
    assert sheet.cells["A15"] == "状态：草稿"  # the review status, under the table
    assert sum(sheet.cells[f"C{r}"] for r in range(10, 15)) == 90


def test_guangzhou_budget_block_and_levels(exports):
    sheet = read_xlsx(exports["001-1"]["xlsx"])
    budget_row = sheet.row_of("基本支出")
    assert sheet.row_values(budget_row) == ["基本支出", 238.97, "财政拨款", 567.97]
    assert "<v>238.97</v>" in sheet.xml  # written as the exact decimal, not a binary float
    assert sheet.row_values(budget_row + 1) == ["项目支出", 329, "其他资金", 0]
    assert "预算整体情况" in sheet.texts() and "年度重点工作任务" in sheet.texts()
    tasks = sheet.row_of("科普综合工作经费")
    assert 176.7 in sheet.row_values(tasks)
    header = sheet.row_of("一级指标")
    assert sheet.row_values(header) == [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "实施周期指标值",
        "年度指标值",
    ]
    first = header + 1
    # 产出指标 is merged over its 31 rows, 数量指标 over 23, as in the seed.
    assert f"B{first}:B{first + 30}" in sheet.merged
    assert f"C{first}:C{first + 22}" in sheet.merged
    assert sheet.row_values(first) == [
        "产出指标",
        "数量指标",
        "举办全国科普日活动场次",
        "≥45场次",
        "≥45场次",
    ]
    economic = sheet.row_of("经济效益指标")
    assert sheet.row_values(economic)[-1] == "经济效益指标"  # printed although it has no rows


def test_beijing_numbers_each_group(exports):
    sheet = read_xlsx(exports["002-1"]["xlsx"])
    assert sheet.cells["A1"] == "部门（单位）绩效目标申报表" and sheet.cells["A2"] == "（2021年度）"
    assert sheet.row_values(sheet.row_of("资金总额：")) == [
        "部门（单位）总体资金情况（万元）",
        "资金总额：",
        540.41,
    ]
    total = sheet.worksheet.cell(sheet.row_of("资金总额："), 3)
    assert total.number_format == '0.00####"万元"'
    numbered = [v for v in sheet.texts() if v.startswith("指标") and v.endswith("：")]
    assert len(numbered) == 40 and numbered.count("指标1：") == 6
    assert "进度指标" in sheet.texts() and "服务对象满意度指标" in sheet.texts()


def test_kunming_ten_columns(exports):
    sheet = read_xlsx(exports["003-1"]["xlsx"])
    assert sheet.worksheet.page_setup.orientation == "landscape"
    header = sheet.row_of("一级指标")
    assert sheet.row_values(header) == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "指标属性",
    ]
    assert sheet.row_values(header - 1) == [
        "绩效指标",
        "评（扣）分标准",
        "指标内容",
        "绩效指标值设定依据及数据来源",
    ]
    row = sheet.row_values(header + 1)
    assert row[:8] == [
        "产出指标",
        "数量指标",
        "完成10次科普宣传、科普培训活动，服务群众1万余人次",
        "=",
        10000,
        "人次",
        "定性指标",
        "是否达到10次科普宣传、科普培训活动，服务群众是否达到1万余人次",
    ]
    assert "总体目标(2023年-2025年)" in sheet.texts()
    unit = next(t for t in sheet.texts() if t.startswith("单位名称："))
    assert "组织机构代码：1353012158739356XA" in unit and "法人代表：梁学伟" in unit


def test_hebei_money_in_yuan_and_spending_plan_in_percent(exports):
    sheet = read_xlsx(exports["004-2"]["xlsx"])
    assert "731001顺平县科学技术协会（本级）" in sheet.texts() and "单位：元" in sheet.texts()
    budget = sheet.row_values(sheet.row_of("预算数"))
    assert budget == ["预算规模及资金用途", "预算数", 37500, "其中：财政资金", 37500, "其他资金", 0]
    assert sheet.worksheet.cell(sheet.row_of("预算数"), 3).number_format == "#,##0.00"
    months = sheet.row_of("3月底")
    assert sheet.row_values(months) == ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"]
    shares = sheet.row_values(months + 1)
    assert shares == [0.2, 0.5, 0.8, 1]
    assert sheet.worksheet.cell(months + 1, 2).number_format == "0.00%"
    header = sheet.row_of("绩效指标描述")
    assert sheet.row_values(header + 1) == [
        "产出指标",
        "数量指标",
        "培训参加人次（人次）",
        "参加培训人次",
        "≥2000人次",
        "科协科普专项经费实施计划",
    ]


@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_excel_page_setup(exports, key):
    sheet = read_xlsx(exports[key]["xlsx"]).worksheet
    assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4) == "9"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet["A1"].font.name == "宋体"
    if key != "004-1":
        assert sheet.print_title_rows  # the indicator header repeats on every page
    # openpyxl re-formats merged ranges when it loads a file, so read the cells' styles from
    # the sheet's XML: every cell of a bordered merged range must carry the bordered style.
    xml = read_xlsx(exports[key]["xlsx"]).xml
    style_of = dict(re.findall(r'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"', xml))
    for merged in sheet.merged_cells.ranges:
        first = sheet.cell(merged.min_row, merged.min_col)
        if first.border.left is not None and first.border.left.style == "thin":
            for row in sheet.iter_rows(
                min_row=merged.min_row,
                max_row=merged.max_row,
                min_col=merged.min_col,
                max_col=merged.max_col,
            ):
                assert all(style_of[c.coordinate] == style_of[first.coordinate] for c in row)


@pytest.mark.parametrize("key", [k for k in SAMPLE_KEYS if k != "004-1"])
def test_pdf_text_holds_every_indicator(exports, key):
    text = squeeze(pdf_text(exports[key]["pdf"]))
    for indicator in declaration(key).indicators.all():
        for part in (indicator.name, indicator.target_text, indicator.description):
            if part:
                assert squeeze(part) in text, part[:60]
        if indicator.target_value is not None:
            assert format(indicator.target_value.normalize(), "f") in text


@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_pdf_embeds_a_cjk_font_and_numbers_pages(exports, key):
    data = exports[key]["pdf"]
    fonts = pdf_fonts(data)
    assert all(font["embedded"] for font in fonts)
    assert any("UMing" in font["name"] for font in fonts)
    text = pdf_text(data)
    assert "第 1 页 共" in text
    assert "\ufffd" not in text  # no character fell back to the replacement glyph
    assert data.startswith(b"%PDF")


def _font_coverage() -> set[int]:
    """Code points that the PDF's font (AR PL UMing CN) or fontconfig's fallback for it has."""
    import subprocess

    from fontTools.ttLib import TTCollection, TTFont

    from declarations.exports.pdf import font_family

    family = font_family()

    covered: set[int] = set()
    fallback = subprocess.run(
        ["fc-match", "-s", "-f", "%{file}\n", family],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[:3]
    for path in fallback:
        if path.endswith(".ttc"):
            fonts = TTCollection(path).fonts
            fonts = [f for f in fonts if f["name"].getDebugName(1) == family] or fonts[:1]
        else:
            fonts = [TTFont(path, lazy=True)]
        for font in fonts:
            covered |= set(font.getBestCmap())
    return covered


def test_every_character_printed_has_a_glyph():
    """No missing-glyph boxes: each character of every sample table, with its layout's labels
    and page numbers, is in the PDF font or its first fallbacks."""
    import re as regex

    from declarations.exports.layouts import build_grid
    from declarations.exports.pdf import html_document

    covered = _font_coverage()
    missing = set()
    for key in SAMPLE_KEYS:
        text = regex.sub(r"<[^>]+>", "", html_document(build_grid(declaration(key))))
        missing |= {ch for ch in text + "第页共" if not ch.isspace() and ord(ch) not in covered}
    assert not missing, sorted(missing)
