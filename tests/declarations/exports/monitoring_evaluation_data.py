"""Monitoring reports and self-evaluations of seed declarations, made through the services and
the workflow as a clerk and a reviewer would, for the tests of their tables and templates.

Seed 000-2 (沙区科协 科创工作, 11 万元): four quantitative indicators weighted 30/20/20/20,
targets ≥2 次, ≥10 个, ≥2 场次, ≥80 个. Seed 001-1 (南沙区科协, department-wide, 2024): levels,
qualitative indicators, a "%" indicator and no weights.
"""

from datetime import date
from decimal import Decimal as D

from declarations import performance, workflow
from declarations.domain.choices import Status
from declarations.models import (
    Declaration,
    Department,
    MonitoringReport,
    SelfEvaluation,
    User,
)

STAFF_OF = {"000-2": "shapingba", "001-1": "nansha"}


def user(name: str) -> User:
    return User.objects.get(username=name)


def clerk_of(declaration: Declaration) -> User:
    return user(STAFF_OF[declaration.sample_key])


def approve(key: str) -> Declaration:
    """Submit the seed as its clerk and approve it as the demo reviewer, who is made to
    supervise the department first (only Chongqing's seed names the reviewer's division)."""
    reviewer = user("reviewer")
    declaration = Declaration.objects.get(sample_key=key)
    Department.objects.filter(pk=declaration.department_id).update(
        supervising_division=reviewer.division
    )
    workflow.perform(declaration, "submit", by=user(STAFF_OF[key]))
    workflow.perform(declaration, "approve", by=reviewer)
    declaration.refresh_from_db()
    assert declaration.status == Status.APPROVED
    return declaration


def open_report(declaration: Declaration, data_month: int = 6) -> MonitoringReport:
    round_ = performance.open_round(
        by=user("reviewer"),
        fiscal_year=declaration.fiscal_year,
        data_month=data_month,
        due_date=date(declaration.fiscal_year, 12, 31),
        departments=[declaration.department],
    )
    return round_.reports.get(declaration=declaration)


def start_evaluation(declaration: Declaration) -> SelfEvaluation:
    (evaluation,) = performance.start_evaluations(
        by=user("reviewer"),
        fiscal_year=declaration.fiscal_year,
        departments=[declaration.department],
        today=date(declaration.fiscal_year + 1, 1, 10),
    )
    return evaluation


def by_order(declaration: Declaration) -> dict:
    return {i.order: i for i in declaration.indicators.all()}


def reload(report):
    """The report as a page would fetch it for an export."""
    return type(report).objects.get(pk=report.pk)


# Data to 6月 (time progress 50 %): executed 4.4 万 of 11 万 = 40 % → 80 % of time: green;
# indicators 1 ÷ (2 × .5) = 100 % green, 2 ÷ 5 = 40 % red, 3 ÷ 1 = 300 % blue, 26 ÷ 40 = 65 %
# yellow; the declaration: red.
MONITORING_LIGHTS = ["green", "red", "blue", "yellow"]
MEASURES = "下半年集中开展对接活动。"


def fill_monitoring(report: MonitoringReport) -> MonitoringReport:
    """Seed 000-2's report filled as described above."""
    declaration = report.declaration
    ind = by_order(declaration)
    performance.save_monitoring(
        report,
        by=clerk_of(declaration),
        values={"executed": D(44000), "expected_executed": D(105000), "measures": MEASURES},
        rows={
            ind[1].pk: {"actual": D(1), "expected": D(2), "likelihood": "certain"},
            ind[2].pk: {
                "actual": D(2),
                "expected": D(8),
                "likelihood": "possible",
                "cause": "staff",
                "note": "人员调整",
            },
            ind[3].pk: {"actual": D(3), "expected": D(4), "likelihood": "certain"},
            ind[4].pk: {"actual": D(26), "likelihood": "certain", "cause": "funding"},
        },
    )
    return reload(report)


# 执行 9.9 万 of 11 万 = 90 % → 9.00; 30 × 1, 20 × 8/10, 20 × 1, 20 × 60/80: 90.00, 优.
EVALUATION_SCORES = [D(30), D(16), D(20), D(15)]


def fill_evaluation(evaluation: SelfEvaluation) -> SelfEvaluation:
    """Seed 000-2's self-evaluation filled as described above."""
    declaration = evaluation.declaration
    ind = by_order(declaration)
    performance.save_evaluation(
        evaluation,
        by=clerk_of(declaration),
        values={"executed": D(99000), "overall_result": "全年完成科技创新活动和智库调研。"},
        rows={
            ind[1].pk: {"actual": D(3)},
            ind[2].pk: {"actual": D(8), "cause": "对接企业减少；明年提前对接。"},
            ind[3].pk: {"actual": D(2)},
            ind[4].pk: {"actual": D(60), "cause": "课题立项延后；加强进度管理。"},
        },
    )
    return reload(evaluation)
