"""One seed declaration through its whole year: approved, monitored in July, self-evaluated
after the year, each report reviewed; the lights, scores and grade read back from the Excel
and PDF tables (figures worked out by hand in the comments)."""

from datetime import date
from decimal import Decimal as D

import pytest

from declarations import performance, workflow
from declarations.domain.choices import Status
from declarations.exports.performance_tables import export_report
from declarations.models import Declaration, MonitoringReport, SelfEvaluation, User
from tests.declarations.exports.readers import pdf_text, read_xlsx, squeeze

pytestmark = pytest.mark.django_db


def user(name):
    return User.objects.get(username=name)


def test_approval_monitoring_and_self_evaluation_of_one_declaration():
    declaration = Declaration.objects.get(sample_key="000-1")  # 科普工作, 31 万元
    clerk, reviewer = user("shapingba"), user("reviewer")
    workflow.perform(declaration, "submit", by=clerk)
    workflow.perform(declaration, "approve", by=reviewer)
    indicators = list(declaration.indicators.all())
    assert all(i.is_measured and i.operator in ("≥", "=") for i in indicators)

    # July: 12.4 万 of 31 万 spent = 40 %, ÷ 7/12 = 68.5 %: yellow. Each indicator at half its
    # target: 50 % ÷ 58.3 % = 85.7 %: green. The declaration: yellow.
    round_ = performance.open_round(
        by=reviewer,
        fiscal_year=2025,
        data_month=7,
        due_date=date(2025, 8, 31),
        departments=[declaration.department],
    )
    report = round_.reports.get(declaration=declaration)
    performance.save_monitoring(
        report,
        by=clerk,
        values={"executed": D(124000)},
        rows={i.pk: {"actual": i.target_value / 2, "likelihood": "certain"} for i in indicators},
    )
    # Green indicators need no cause, a yellow (not red) budget no measures: it goes through.
    workflow.perform(report, "submit", by=clerk)
    workflow.perform(report, "approve", by=reviewer)
    report = MonitoringReport.objects.get(pk=report.pk)
    assert report.status == Status.APPROVED

    table = read_xlsx(export_report(report, "xlsx").data)
    texts = " ".join(table.texts())
    assert "执行率 40.0%" in texts and "= 68.5%" in texts
    assert texts.count("绿灯") >= len(indicators) and "黄灯" in texts
    pdf = squeeze(pdf_text(export_report(report, "pdf").data))
    assert "项目支出绩效目标执行监控表" in pdf and "黄灯" in pdf

    # After the year: 31 万 budgeted, 27.9 万 spent = 90 % → 9.00. Every indicator at its
    # target → 90.00. Total 99.00, 优.
    (evaluation,) = performance.start_evaluations(
        by=reviewer,
        fiscal_year=2025,
        departments=[declaration.department],
        today=date(2026, 1, 20),
    )
    performance.save_evaluation(
        evaluation,
        by=clerk,
        values={"executed": D(279000)},
        rows={i.pk: {"actual": i.target_value} for i in indicators},
    )
    workflow.perform(evaluation, "submit", by=clerk)
    workflow.perform(evaluation, "approve", by=reviewer)
    evaluation = SelfEvaluation.objects.get(pk=evaluation.pk)
    assert (evaluation.total_score, evaluation.grade, evaluation.status) == (
        D("99.00"),
        "excellent",
        Status.APPROVED,
    )
    sheet = read_xlsx(export_report(evaluation, "xlsx").data)
    assert "优" in sheet.texts()
    assert D("99") in [v for v in sheet.cells.values() if not isinstance(v, str)]
    pdf = squeeze(pdf_text(export_report(evaluation, "pdf").data))
    assert "总分" in pdf and "99.00" in pdf and "9.00" in pdf and "优" in pdf
