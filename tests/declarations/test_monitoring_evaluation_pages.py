"""The monitoring and self-evaluation pages with a real client: a reviewer opens a round, the
clerk fills the report (lights recomputed on the fly, a missing cause refused with nothing
lost), the reviewer returns and approves; a year's self-evaluations scored and overviewed."""

import json
from decimal import Decimal as D
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from declarations import workflow
from declarations.domain.choices import Status
from declarations.models import Declaration, MonitoringReport, SelfEvaluation, User
from tests.jobs import exported_zip

pytestmark = pytest.mark.django_db


def user(name):
    return User.objects.get(username=name)


@pytest.fixture
def approved():
    declaration = Declaration.objects.get(sample_key="000-2")
    workflow.perform(declaration, "submit", by=user("shapingba"))
    workflow.perform(declaration, "approve", by=user("reviewer"))
    return declaration


def open_round(client, approved):
    client.force_login(user("reviewer"))
    response = client.post(
        reverse("open_round"),
        {
            "fiscal_year": 2025,
            "data_month": 6,
            "due_date": "2025-08-31",
            "departments": [approved.department_id],
        },
    )
    report = MonitoringReport.objects.get(declaration=approved)
    assert response.status_code == 302
    assert response.url == reverse("round_overview", args=[report.round_id])
    return report


def indicator_pks(declaration):
    return {i.order: i.pk for i in declaration.indicators.all()}


def test_a_monitoring_report_from_round_to_approval(client, approved):
    report = open_round(client, approved)
    pks = indicator_pks(approved)
    url = reverse("report_page", args=["monitoring", report.pk])

    client.force_login(user("shapingba"))
    assert "科创工作" in client.get(reverse("performance_index")).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert url in home and "截止 2025-08-31" in home
    page = client.get(url)
    assert page.status_code == 200 and "绩效指标完成情况" in page.content.decode()

    # As the clerk types: 2 of ≥10 by June is 40 % of the time's share: red.
    typed = {
        "executed": "4.4",
        f"i{pks[1]}-actual": "1",
        f"i{pks[2]}-actual": "2",
        f"i{pks[3]}-actual": "1",
        f"i{pks[4]}-actual": "40",
        **{f"i{pk}-likelihood": "certain" for pk in pks.values()},
    }
    preview = json.loads(
        client.post(reverse("report_preview", args=["monitoring", report.pk]), typed).content
    )
    assert preview["rows"][str(pks[2])]["light"] == "red"
    assert (
        "实际值 2 ÷（目标 10 × 时间进度 50.0%）= 40.0%"
        in preview["rows"][str(pks[2])]["explanation"]
    )
    assert preview["budget"]["light"] == "green" and preview["overall"]["light"] == "red"
    assert MonitoringReport.objects.get(pk=report.pk).executed is None  # nothing saved

    # Submitting with a red light and no cause nor measures: saved as a draft, not submitted.
    refused = client.post(url, {**typed, "action": "submit"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "存在偏差，请选择偏差原因" in html and "请填写纠偏措施" in html
    assert 'value="4.4"' in html  # nothing typed is lost
    report.refresh_from_db()
    assert report.status == Status.DRAFT and report.executed == D(44000)

    # A bad number is refused at its field.
    bad = client.post(url, {**typed, f"i{pks[1]}-actual": "五百", "action": "save"})
    assert bad.status_code == 200
    assert bad.context["form"].errors[f"i{pks[1]}-actual"] == ["请填写数字。"]
    assert 'value="五百"' in bad.content.decode()

    done = client.post(
        url,
        {
            **typed,
            f"i{pks[2]}-cause": "staff",
            "measures": "下半年补开对接会。",
            "action": "submit",
        },
    )
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED

    # Another department's clerk does not see it.
    client.force_login(user("nansha"))
    assert client.get(url).status_code == 404

    client.force_login(user("reviewer"))
    returned = client.post(
        reverse("report_move", args=["monitoring", report.pk, "return"]),
        {"comment": ""},
        follow=True,
    )
    assert "请填写整体意见" in returned.content.decode()
    client.post(reverse("report_move", args=["monitoring", report.pk, "approve"]))
    report.refresh_from_db()
    assert report.status == Status.APPROVED

    overview = client.get(reverse("round_overview", args=[report.round_id]), {"download": "sheet"})
    sheet = openpyxl.load_workbook(BytesIO(overview.content)).active
    assert [c.value for c in sheet[3]][:6] == [
        approved.department_name,
        "科创工作",
        "已通过",
        "40.0%",
        "绿灯",
        "红灯",
    ]


def test_clerks_cannot_open_rounds(client, approved):
    client.force_login(user("shapingba"))
    response = client.post(
        reverse("open_round"),
        {
            "fiscal_year": 2025,
            "data_month": 6,
            "due_date": "2025-08-31",
            "departments": [approved.department_id],
        },
    )
    assert response.status_code == 403
    assert not MonitoringReport.objects.exists()


def test_a_self_evaluation_scored_submitted_and_overviewed(client, approved):
    client.force_login(user("reviewer"))
    client.post(
        reverse("start_evaluations"),
        {"fiscal_year": 2025, "departments": [approved.department_id]},
    )
    evaluation = SelfEvaluation.objects.get(declaration=approved)
    pks = indicator_pks(approved)
    url = reverse("report_page", args=["evaluation", evaluation.pk])
    client.force_login(user("shapingba"))
    typed = {
        "budget": "11",
        "executed": "9.9",
        f"i{pks[1]}-actual": "3",
        f"i{pks[2]}-actual": "8",
        f"i{pks[3]}-actual": "2",
        f"i{pks[4]}-actual": "60",
    }
    preview = json.loads(
        client.post(reverse("report_preview", args=["evaluation", evaluation.pk]), typed).content
    )
    assert (preview["execution"], preview["total"], preview["grade"]) == ("9.00", "90.00", "优")
    assert preview["rows"][str(pks[2])]["score"] == "16.00" and preview["rows"][str(pks[2])]["lost"]
    assert preview["rows"][str(pks[1])]["flags"] == [
        "实际值达到目标的 120% 以上，目标值可能设定偏低。"
    ]

    refused = client.post(url, {**typed, "action": "submit"})
    assert "得分低于分值，请填写偏差原因分析及改进措施" in refused.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == Status.DRAFT

    client.post(
        url,
        {
            **typed,
            f"i{pks[2]}-cause": "对接企业减少；明年提前对接。",
            f"i{pks[4]}-cause": "课题立项延后；加强进度管理。",
            "action": "submit",
        },
    )
    evaluation.refresh_from_db()
    assert evaluation.status == Status.SUBMITTED and evaluation.total_score == D("90.00")

    client.force_login(user("reviewer"))
    client.post(reverse("report_move", args=["evaluation", evaluation.pk, "approve"]))
    overview = client.get(reverse("evaluation_overview"), {"year": 2025})
    assert "90.00" in overview.content.decode()
    sheet = openpyxl.load_workbook(
        BytesIO(
            client.get(reverse("evaluation_overview"), {"year": 2025, "download": "sheet"}).content
        )
    ).active
    assert [c.value for c in sheet[3]] == [
        approved.department_name,
        "科创工作",
        "已通过",
        9,
        90,
        "优",
    ]


def test_tables_templates_and_uploads_through_the_pages(client, approved):

    report = open_round(client, approved)
    pks = indicator_pks(approved)
    client.force_login(user("shapingba"))
    page = reverse("report_page", args=["monitoring", report.pk])

    # The template, filled in Excel and uploaded back, becomes the draft.
    template = client.get(reverse("report_template", args=["monitoring", report.pk]))
    assert template.status_code == 200
    assert "attachment" in template["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(template.content))
    sheet = book.worksheets[0]
    labels = {
        str(cell.value): cell for row in sheet.iter_rows() for cell in row if cell.value is not None
    }
    assert any("执行数" in label for label in labels)
    # Fill every blank input cell of the indicator rows that asks for a figure: find the
    # indicator rows by their names, and the columns by the header row.
    header = next(
        row
        for row in sheet.iter_rows()
        if any(c.value and "实际完成值" in str(c.value) for c in row)
    )
    actual_col = next(c.column for c in header if c.value and "实际完成值" in str(c.value))
    names = {i.name: i.pk for i in approved.indicators.all()}
    filled = {}
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        for cell in row:
            if cell.value in names:
                sheet.cell(row=cell.row, column=actual_col, value=3)
                filled[names[cell.value]] = cell.row
    assert len(filled) == 4
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "filled.xlsx"
    response = client.post(
        reverse("report_upload", args=["monitoring", report.pk]), {"file": buffer}, follow=True
    )
    assert "已从 Excel 导入并保存为草稿" in response.content.decode()
    report.refresh_from_db()
    assert {e.indicator_id: e.actual for e in report.entries.all()} == {
        pk: D(3) for pk in pks.values()
    }

    # A file that is not Excel changes nothing and says why.
    version = report.version
    bad = BytesIO(b"not a workbook")
    bad.name = "x.xlsx"
    refused = client.post(
        reverse("report_upload", args=["monitoring", report.pk]), {"file": bad}, follow=True
    )
    assert "未导入，文件中有以下问题（报告未作任何修改）" in refused.content.decode()
    report.refresh_from_db()
    assert report.version == version

    # The official table as Excel and PDF, and the reviewer's ZIP of a round.
    table = client.get(reverse("report_export", args=["monitoring", report.pk, "xlsx"]))
    text = " ".join(
        str(c.value)
        for row in openpyxl.load_workbook(BytesIO(table.content)).active.iter_rows()
        for c in row
        if c.value is not None
    )
    assert "绩效目标执行监控表" in text and "绿灯" in text
    pdf = client.get(reverse("report_export", args=["monitoring", report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "绩效目标执行监控表" in client.get(page).content.decode()

    client.force_login(user("reviewer"))
    names = exported_zip(
        client, reverse("round_overview", args=[report.round_id]), data={"download": "xlsx"}
    ).namelist()
    assert names == ["2025年_沙区科协_科创工作_绩效监控表_1-6月.xlsx"]
    # Uploads are the clerk's.
    assert (
        client.post(reverse("report_upload", args=["monitoring", report.pk]), {}).status_code == 403
    )
