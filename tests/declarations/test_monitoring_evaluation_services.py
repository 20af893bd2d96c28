"""Monitoring and self-evaluation through the services and the workflow, on a seed declaration
(000-2 科创工作: 11 万元, four indicators weighted 30/20/20/20, all "≥")."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from declarations import performance, workflow
from declarations.domain.choices import Grade, Status
from declarations.models import (
    Declaration,
    Department,
    MonitoringReport,
    SelfEvaluation,
    StatusChange,
    User,
)
from declarations.scorecards import evaluation_card, monitoring_card

pytestmark = pytest.mark.django_db


def user(name):
    return User.objects.get(username=name)


@pytest.fixture
def approved():
    declaration = Declaration.objects.get(sample_key="000-2")
    workflow.perform(declaration, "submit", by=user("shapingba"))
    workflow.perform(declaration, "approve", by=user("reviewer"))
    declaration.refresh_from_db()
    return declaration


@pytest.fixture
def report(approved):
    round_ = performance.open_round(
        by=user("reviewer"),
        fiscal_year=2025,
        data_month=6,
        due_date=date(2025, 8, 31),
        departments=[approved.department],
    )
    return round_.reports.get(declaration=approved)


def indicators(declaration):
    return {i.order: i for i in declaration.indicators.all()}


def test_a_round_makes_a_report_for_each_approved_declaration_only(approved, report):
    assert list(report.round.reports.values_list("declaration__sample_key", flat=True)) == ["000-2"]
    assert report.budget == D(110000)
    assert report.entries.count() == 4


def test_only_the_supervising_reviewer_opens_a_round():
    nansha = Department.objects.get(name__contains="南沙")
    with pytest.raises(PermissionDenied):
        performance.open_round(
            by=user("shapingba"),
            fiscal_year=2025,
            data_month=6,
            due_date=date(2025, 8, 31),
            departments=[nansha],
        )
    reviewer = user("reviewer")
    if nansha.supervising_division_id != reviewer.division_id:
        with pytest.raises(PermissionDenied, match="不归您审核"):
            performance.open_round(
                by=reviewer,
                fiscal_year=2025,
                data_month=6,
                due_date=date(2025, 8, 31),
                departments=[nansha],
            )


def test_a_round_without_approved_declarations_is_refused():
    department = Department.objects.get(name__contains="沙坪坝")
    with pytest.raises(ValidationError, match="没有审核通过的申报表"):
        performance.open_round(
            by=user("reviewer"),
            fiscal_year=2025,
            data_month=6,
            due_date=date(2025, 8, 31),
            departments=[department],
        )


def test_monitoring_lights_computed_and_the_report_reviewed(approved, report):
    by_order = indicators(approved)
    clerk = user("shapingba")
    # Data to 6月: time progress 50 %. Executed 4.4 万 of 11 万 = 40 % → 80 % of time: green.
    rows = {
        by_order[1].pk: {"actual": D(1), "likelihood": "certain"},  # 1 ÷ (2 × .5) = 100 % green
        by_order[2].pk: {"actual": D(2), "likelihood": "possible"},  # 2 ÷ 5 = 40 % red
        by_order[3].pk: {"actual": D(3), "likelihood": "certain"},  # 3 ÷ 1 = 300 % blue
        by_order[4].pk: {"actual": D(26), "likelihood": "certain"},  # 26 ÷ 40 = 65 % yellow
    }
    performance.save_monitoring(report, by=clerk, values={"executed": D(44000)}, rows=rows)
    card = monitoring_card(MonitoringReport.objects.get(pk=report.pk))
    assert card.budget.light == "green"
    assert [row.signal.light for row in card.rows] == ["green", "red", "blue", "yellow"]
    assert card.overall.light == "red"

    # A deviation without its cause, and a red light without measures, stop the submission.
    with pytest.raises(ValidationError) as refused:
        workflow.perform(report, "submit", by=clerk)
    text = " ".join(refused.value.messages)
    assert "指标 2" in text and "请选择偏差原因" in text and "指标 4" in text
    assert "请填写纠偏措施" in text
    assert MonitoringReport.objects.get(pk=report.pk).status == Status.DRAFT

    performance.save_monitoring(
        report,
        by=clerk,
        values={"measures": "下半年集中开展对接活动。"},
        rows={
            by_order[2].pk: {"cause": "staff", "note": "人员调整"},
            by_order[4].pk: {"cause": "funding"},
        },
    )
    workflow.perform(report, "submit", by=clerk)
    with pytest.raises(ValidationError, match="不能再修改"):
        performance.save_monitoring(report, by=clerk, values={"executed": D(1)}, rows={})
    with pytest.raises(ValidationError, match="请填写整体意见"):
        workflow.perform(report, "return", by=user("reviewer"))
    workflow.perform(report, "return", by=user("reviewer"), comment="执行数请附明细。")
    workflow.perform(report, "submit", by=clerk)
    workflow.perform(report, "approve", by=user("reviewer"))
    report.refresh_from_db()
    assert report.status == Status.APPROVED and report.version > 1
    moves = StatusChange.objects.filter(monitoring_report=report).values_list("action", flat=True)
    assert list(moves) == ["submit", "return", "submit", "approve"]
    assert all(
        c.declaration_id == approved.pk
        for c in StatusChange.objects.filter(monitoring_report=report)
    )


def test_only_the_own_clerk_fills_a_report(report):
    with pytest.raises(PermissionDenied):
        performance.save_monitoring(report, by=user("nansha"), values={"executed": D(1)}, rows={})
    with pytest.raises(PermissionDenied):
        performance.save_monitoring(report, by=user("reviewer"), values={"executed": D(1)}, rows={})


def test_self_evaluation_scores_total_grade_and_causes(approved):
    (evaluation,) = performance.start_evaluations(
        by=user("reviewer"),
        fiscal_year=2025,
        departments=[approved.department],
        today=date(2026, 1, 10),
    )
    assert (
        performance.start_evaluations(
            by=user("reviewer"),
            fiscal_year=2025,
            departments=[approved.department],
            today=date(2026, 1, 10),
        )
        == []
    )  # not twice
    by_order = indicators(approved)
    points = {e.indicator.order: e.points for e in evaluation.entries.select_related("indicator")}
    assert points == {1: D(30), 2: D(20), 3: D(20), 4: D(20)}  # weights already sum to 90
    clerk = user("shapingba")
    # 执行 9.9 万 of 11 万 = 90 % → 9.00. Targets ≥2, ≥10, ≥2, ≥80.
    performance.save_evaluation(
        evaluation,
        by=clerk,
        values={"executed": D(99000)},
        rows={
            by_order[1].pk: {"actual": D(3)},  # 150 %: full, flagged
            by_order[2].pk: {"actual": D(8)},  # 80 % of its points
            by_order[3].pk: {"actual": D(2)},
            by_order[4].pk: {"actual": D(60)},  # 75 %
        },
    )
    card = evaluation_card(SelfEvaluation.objects.get(pk=evaluation.pk))
    # 30 × 1, 20 × 8/10, 20 × 1, 20 × 60/80.
    assert [row.score for row in card.rows] == [D(30), D(16), D(20), D(15)]
    assert card.execution_score == D("9.00")
    assert card.total == D("90.00") and card.grade == Grade.EXCELLENT
    assert card.rows[0].flags == ["实际值达到目标的 120% 以上，目标值可能设定偏低。"]

    with pytest.raises(ValidationError) as refused:
        workflow.perform(evaluation, "submit", by=clerk)
    assert "指标 2" in " ".join(refused.value.messages)
    assert "请填写偏差原因分析及改进措施" in " ".join(refused.value.messages)

    performance.save_evaluation(
        evaluation,
        by=clerk,
        values={},
        rows={
            by_order[2].pk: {"cause": "对接企业减少；明年提前对接。"},
            by_order[4].pk: {"cause": "课题立项延后；加强进度管理。"},
        },
    )
    workflow.perform(evaluation, "submit", by=clerk)
    evaluation.refresh_from_db()
    assert (evaluation.total_score, evaluation.grade) == (D("90.00"), Grade.EXCELLENT)
    workflow.perform(evaluation, "approve", by=user("reviewer"))
    with pytest.raises(ValidationError):
        performance.save_evaluation(evaluation, by=clerk, values={"executed": D(1)}, rows={})


def test_self_evaluation_waits_for_the_end_of_the_year(approved):
    with pytest.raises(ValidationError, match="尚未结束"):
        performance.start_evaluations(
            by=user("reviewer"),
            fiscal_year=2025,
            departments=[approved.department],
            today=date(2025, 12, 31),
        )


def test_weighted_points_cannot_be_edited(approved):
    (evaluation,) = performance.start_evaluations(
        by=user("reviewer"),
        fiscal_year=2025,
        departments=[approved.department],
        today=date(2026, 1, 10),
    )
    first = evaluation.entries.select_related("indicator").first()
    with pytest.raises(ValidationError, match="分值按权重折算"):
        performance.save_evaluation(
            evaluation,
            by=user("shapingba"),
            values={},
            rows={first.indicator_id: {"points": first.points + 1}},
        )


def test_report_moves_are_in_the_declarations_history_and_mails(approved, report, mailoutbox):
    from django.test import TestCase

    from declarations.history import timeline

    clerk = user("shapingba")
    mailoutbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        performance.save_monitoring(
            report,
            by=clerk,
            values={"executed": D(55000), "measures": "按计划推进。"},
            rows={
                entry.indicator_id: {
                    "actual": entry.indicator.target_value,
                    "likelihood": "certain",
                }
                for entry in report.entries.select_related("indicator")
            },
        )
        workflow.perform(report, "submit", by=clerk)
    whats = [entry.what for entry in timeline(approved)]
    assert "绩效监控报告：提交审核" in whats and "审核通过" in whats
    (mail,) = [m for m in mailoutbox if "绩效监控报告" in m.subject]
    assert mail.subject.endswith("：绩效监控报告已提交审核")
    assert f"/performance/monitoring/{report.pk}/" in mail.body
