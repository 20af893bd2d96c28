"""The monitoring Excel template: downloaded, filled with openpyxl as a clerk fills it in
Excel, read back and saved through the service; and every kind of refused upload, with its
exact message, changing nothing."""

import zipfile
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from declarations import performance
from declarations.exports.performance_templates import (
    IDENTITY_SHEET,
    MAX_UPLOAD_BYTES,
    evaluation_template,
    monitoring_template,
    read_monitoring_upload,
    template_filename,
)
from declarations.models import MonitoringEntry, MonitoringReport
from declarations.scorecards import monitoring_card
from tests.declarations.exports.monitoring_evaluation_data import (
    MEASURES,
    MONITORING_LIGHTS,
    approve,
    by_order,
    clerk_of,
    open_report,
    reload,
    start_evaluation,
)

pytestmark = pytest.mark.django_db

FIRST = 11  # the first indicator row of the template
WHERE = {
    1: "第 11 行（指标 1“学术交流（创新）活动”）",
    2: "第 12 行（指标 2““科创中国”科技精准服务对接”）",
    3: "第 13 行（指标 3“成渝地区双城经济圈合作”）",
    4: "第 14 行（指标 4“开展智库调研课题”）",
}


@pytest.fixture
def declaration():
    return approve("000-2")


@pytest.fixture
def report(declaration):
    return open_report(declaration, data_month=6)


def workbook_of(data: bytes):
    return load_workbook(BytesIO(data))


def saved(workbook) -> BytesIO:
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def filled(report) -> BytesIO:
    """The template filled as seed 000-2's clerk would fill it (see monitoring_evaluation_data)."""
    workbook = workbook_of(monitoring_template(report))
    sheet = workbook.worksheets[0]
    sheet["E6"] = 4.4  # 1-6月执行数, 万元
    sheet["E7"] = "10.5万元"  # typed as text with its unit
    sheet["E8"] = MEASURES
    for row, (actual, expected, likelihood, cause, note) in enumerate(
        [
            (1, 2, "确定能", None, None),
            (2, "8个", "有可能", "人员保障", "人员调整"),
            (3, 4, "确定能", None, None),
            (26, None, "确定能", "经费保障", None),
        ],
        start=FIRST,
    ):
        sheet.cell(row=row, column=6, value=actual)
        sheet.cell(row=row, column=7, value=expected)
        sheet.cell(row=row, column=8, value=likelihood)
        sheet.cell(row=row, column=9, value=cause)
        sheet.cell(row=row, column=10, value=note)
    return saved(workbook)


def refused(report, fileobj) -> list[str]:
    """The messages of a refused upload, after checking that nothing was saved."""
    before = MonitoringReport.objects.get(pk=report.pk)
    with pytest.raises(ValidationError) as error:
        read_monitoring_upload(report, fileobj)
    after = MonitoringReport.objects.get(pk=report.pk)
    assert (after.version, after.executed, after.measures) == (
        before.version,
        before.executed,
        before.measures,
    )
    assert not MonitoringEntry.objects.filter(report=report, actual__isnull=False).exists()
    return error.value.messages


def edited(report, **cells) -> BytesIO:
    workbook = workbook_of(monitoring_template(report))
    for coordinate, value in cells.items():
        workbook.worksheets[0][coordinate] = value
    return saved(workbook)


# -- the template ---------------------------------------------------------------------------------


def test_the_template_holds_the_targets_locked_and_the_inputs_open(report):
    assert template_filename(report) == "2025年_沙区科协_科创工作_绩效监控填报模板_1-6月.xlsx"
    workbook = workbook_of(monitoring_template(report))
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "2025年1-6月 沙区科协 科创工作 绩效监控填报模板"
    assert (
        sheet["A2"].value
        == f"模板标识：绩效监控报告 {report.pk} · 第 1 版（上传时据此核对，请勿修改）"
    )
    assert sheet["E4"].value == "科创工作"
    assert sheet["E5"].value == 11  # 年度预算数, 万元
    assert [sheet.cell(row=10, column=c).value for c in range(1, 11)] == [
        "序号",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "1-6月实际完成值",
        "全年预计完成值",
        "完成目标可能性",
        "偏差原因",
        "备注（偏差说明）",
    ]
    targets = [
        [sheet.cell(row=r, column=c).value for c in (1, 4, 5)] for r in range(FIRST, FIRST + 4)
    ]
    assert targets == [
        [1, "学术交流（创新）活动", "≥2次"],
        [2, "“科创中国”科技精准服务对接", "≥10个"],
        [3, "成渝地区双城经济圈合作", "≥2场次"],
        [4, "开展智库调研课题", "≥80个"],
    ]
    # Targets locked on a protected sheet, inputs open and empty.
    assert sheet.protection.sheet
    assert sheet["D11"].protection.locked and sheet["E11"].protection.locked
    for coordinate in ("E6", "E7", "E8", "F11", "G11", "H11", "I11", "J14"):
        assert not sheet[coordinate].protection.locked
        assert sheet[coordinate].value is None
    # Drop-down lists of the Chinese labels.
    lists = {
        dv.formula1: str(dv.sqref)
        for dv in sheet.data_validations.dataValidation
        if dv.type == "list"
    }
    assert lists['"确定能,有可能,完全不可能"'] == "H11 H12 H13 H14"
    assert lists['"经费保障,制度保障,人员保障,硬件条件保障,其他"'] == "I11 I12 I13 I14"
    # The identity an upload is matched by, in a hidden sheet.
    identity = workbook[IDENTITY_SHEET]
    assert identity.sheet_state == "hidden"
    values = [row for row in identity.iter_rows(values_only=True)]
    assert values[:3] == [
        ("kind", "monitoring", None),
        ("report", report.pk, None),
        ("version", 1, None),
    ]
    indicators = [row[1] for row in values if row[0] == "indicator"]
    assert indicators == [i.pk for i in report.declaration.indicators.order_by("order")]


def test_round_trip_fill_read_save_and_the_lights_follow(report, declaration):
    values, rows = read_monitoring_upload(report, filled(report))
    ind = by_order(declaration)
    assert values == {
        "executed": D("44000.00"),
        "expected_executed": D("105000.00"),
        "measures": MEASURES,
    }
    empty = {"judgement": "", "expected_judgement": "", "cause": "", "note": ""}
    assert rows == {
        ind[1].pk: {**empty, "actual": D(1), "expected": D(2), "likelihood": "certain"},
        ind[2].pk: {
            **empty,
            "actual": D(2),
            "expected": D(8),
            "likelihood": "possible",
            "cause": "staff",
            "note": "人员调整",
        },
        ind[3].pk: {**empty, "actual": D(3), "expected": D(4), "likelihood": "certain"},
        ind[4].pk: {
            **empty,
            "actual": D(26),
            "expected": None,
            "likelihood": "certain",
            "cause": "funding",
        },
    }
    performance.save_monitoring(report, by=clerk_of(declaration), values=values, rows=rows)
    report = reload(report)
    assert (report.executed, report.expected_executed) == (D(44000), D(105000))
    actuals = {e.indicator.order: e.actual for e in report.entries.select_related("indicator")}
    assert actuals == {1: D(1), 2: D(2), 3: D(3), 4: D(26)}
    card = monitoring_card(report)
    assert [row.signal.light for row in card.rows] == MONITORING_LIGHTS
    assert (card.budget.light, card.overall.light) == ("green", "red")

    # A template downloaded again holds what was saved, and uploads to the same.
    again = workbook_of(monitoring_template(report)).worksheets[0]
    assert [again["E6"].value, again["F12"].value, again["H12"].value, again["I12"].value] == [
        4.4,
        2,
        "有可能",
        "人员保障",
    ]
    assert read_monitoring_upload(report, BytesIO(monitoring_template(report))) == (values, rows)


def test_qualitative_judgements_and_percentages():
    declaration = approve("001-1")
    report = open_report(declaration, data_month=7)
    ind = by_order(declaration)
    entries = list(report.entries.select_related("indicator").order_by("indicator__order"))
    row_of = {e.indicator.order: FIRST + i for i, e in enumerate(entries)}
    workbook = workbook_of(monitoring_template(report))
    sheet = workbook.worksheets[0]
    assert (sheet["A4"].value, sheet["E4"].value) == ("单位名称", "广州市南沙区科学技术协会")
    coverage, timely = row_of[7], row_of[25]  # 科普工作覆盖人群 (qualitative); 及时率 100 %
    lists = {dv.formula1: str(dv.sqref).split() for dv in sheet.data_validations.dataValidation}
    assert f"F{coverage}" in lists['"达成,部分达成,未达成"']
    sheet[f"F{coverage}"], sheet[f"G{coverage}"] = "部分达成", "达成"
    sheet[f"F{timely}"] = 0.95  # typed "95%" in Excel
    sheet[f"F{timely}"].number_format = "0%"
    sheet[f"G{timely}"] = 100
    values, rows = read_monitoring_upload(report, saved(workbook))
    assert rows[ind[7].pk]["judgement"] == "partly"
    assert rows[ind[7].pk]["expected_judgement"] == "achieved"
    assert rows[ind[7].pk]["actual"] is None
    assert (rows[ind[25].pk]["actual"], rows[ind[25].pk]["expected"]) == (D(95), D(100))
    performance.save_monitoring(report, by=clerk_of(declaration), values=values, rows=rows)
    card = monitoring_card(reload(report))
    lights = {row.indicator.order: row.signal.light for row in card.rows}
    assert lights[7] == "yellow"


# -- refusals -------------------------------------------------------------------------------------


def test_not_an_excel_file(report):
    assert refused(report, BytesIO(b"order,name\n1,x\n")) == [
        "不是 Excel（.xlsx）文件，请上传下载的填报模板。"
    ]
    archive = BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    archive.seek(0)
    assert refused(report, archive) == ["不是 Excel（.xlsx）文件，请上传下载的填报模板。"]


def test_an_unreadable_file(report):
    assert refused(report, BytesIO(b"PK\x03\x04" + b"\x00" * 200)) == [
        "文件已损坏，无法读取，请重新下载填报模板填写后上传。"
    ]
    broken = BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "not xml at all")
    broken.seek(0)
    assert refused(report, broken) == ["文件无法读取（可能已损坏），请重新下载填报模板填写后上传。"]


def test_a_password_protected_or_old_format_file(report):
    # Excel saves a workbook with an opening password as an OLE compound file holding an
    # "EncryptionInfo" stream; an old .xls is an OLE compound file without one. No tool to
    # encrypt is installed here, so the test builds the compound file's telling bytes.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    encrypted = header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512
    assert refused(report, BytesIO(encrypted)) == [
        "文件设有打开密码，无法读取。请在 Excel 中取消密码后另存为 .xlsx 再上传。"
    ]
    assert refused(report, BytesIO(header + "Workbook".encode("utf-16-le"))) == [
        "这是旧版 Excel（.xls）文件，请另存为 .xlsx 格式后上传。"
    ]


def test_a_macro_enabled_workbook(report):
    source = zipfile.ZipFile(filled(report))
    macro = BytesIO()
    with zipfile.ZipFile(macro, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
                assert b"macroEnabled" in data
            target.writestr(item, data)
    macro.seek(0)
    assert refused(report, macro) == [
        "含宏的工作簿（.xlsm）不能上传，请另存为“Excel 工作簿（.xlsx）”后上传。"
    ]


def test_a_file_above_the_size_limit(report):
    assert MAX_UPLOAD_BYTES == 2 * 1024 * 1024
    assert refused(report, BytesIO(b"PK" + b"\x00" * MAX_UPLOAD_BYTES)) == [
        "文件过大（超过 2 MB），请上传下载的填报模板。"
    ]
    bomb = BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", b"\x20" * (25 * 1024 * 1024))
    assert bomb.tell() < MAX_UPLOAD_BYTES
    bomb.seek(0)
    assert refused(report, bomb) == ["文件解压后过大，不是本系统的填报模板。"]


def test_another_reports_template(report, declaration):
    later = open_report(declaration, data_month=9)
    assert refused(report, BytesIO(monitoring_template(later))) == [
        "这是另一份报告的填报模板，请在本报告页面下载填报模板后填写。"
    ]
    evaluation = start_evaluation(declaration)
    assert refused(report, BytesIO(evaluation_template(evaluation))) == [
        "这是绩效自评的填报模板，不能上传到绩效监控，请下载本报告的填报模板。"
    ]
    plain = Workbook()
    plain.active["A1"] = "序号"
    assert refused(report, saved(plain)) == [
        "不是本系统下载的填报模板（缺少模板标识），请下载本报告的填报模板后填写。"
    ]


def test_changed_targets(report):
    upload = edited(report, D12="科技对接服务", E13="≥1场次", A14=5)
    assert refused(report, upload) == [
        f"{WHERE[2]}：已批复的三级指标被修改（应为““科创中国”科技精准服务对接”，现为“科技对接服务”），"
        "请勿修改灰色单元格。",
        f"{WHERE[3]}：已批复的年度指标值被修改（应为“≥2场次”，现为“≥1场次”），请勿修改灰色单元格。",
        f"{WHERE[4]}：已批复的序号被修改（应为“4”，现为“5”），请勿修改灰色单元格。",
    ]


def test_bad_numbers(report):
    upload = edited(report, E6="四万", F11="很多", G11=-1, F12="≥2个", F13=1.23456, F14="26场")
    assert refused(report, upload) == [
        "第 6 行（1-6月执行数）：应为数字（单位：万元）。",
        f"{WHERE[1]}：实际完成值应为数字（单位：次）。",
        f"{WHERE[1]}：全年预计完成值不能为负数。",
        f"{WHERE[2]}：实际完成值应为数字（单位：个）。",
        f"{WHERE[3]}：实际完成值最多保留 4 位小数。",
        f"{WHERE[4]}：实际完成值应为数字（单位：个）。",
    ]
    percent = workbook_of(monitoring_template(report))
    percent.worksheets[0]["F11"] = 0.5
    percent.worksheets[0]["F11"].number_format = "0%"
    percent.worksheets[0]["E7"] = 12.3456789
    assert refused(report, saved(percent)) == [
        "第 7 行（全年预计执行数）：最多保留 6 位小数。",
        f"{WHERE[1]}：实际完成值应为数字（单位：次），不是百分比。",
    ]


def test_unknown_choice_labels(report):
    upload = edited(report, H11="肯定能", I12="经费不足", F13=None)
    assert refused(report, upload) == [
        f"{WHERE[1]}：完成目标可能性“肯定能”不是可选项，请从下拉列表中选择（确定能 / 有可能 / 完全不可能）。",
        f"{WHERE[2]}：偏差原因“经费不足”不是可选项，请从下拉列表中选择"
        "（经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他）。",
    ]


def test_too_many_rows(report):
    upload = edited(report, D15="新增指标", F15=3)
    assert refused(report, upload) == [
        "第 15 行：模板的指标只到第 14 行，请勿在指标下方增加行或填写内容。"
    ]


def test_formulas_are_refused_never_evaluated(report):
    upload = edited(report, E6="=4+0.4", F11="=SUM(1,1)", J12='=HYPERLINK("http://x")')
    assert refused(report, upload) == [
        "第 6 行（1-6月执行数）：不能填写公式（以“=”开头），请直接填写数值或文字。",
        f"{WHERE[1]}：实际完成值不能填写公式（以“=”开头），请直接填写数值或文字。",
        f"{WHERE[2]}：备注不能填写公式（以“=”开头），请直接填写数值或文字。",
    ]


def test_problems_are_all_listed_at_once(report):
    upload = edited(report, D11="改名", F12="很多", H13="也许")
    messages = refused(report, upload)
    assert len(messages) == 3
    assert [m.split("：")[0] for m in messages] == [WHERE[1], WHERE[2], WHERE[3]]
