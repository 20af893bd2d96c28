"""Every write of monitoring and self-evaluation, one function per action.

Like ``declarations.services`` for declarations: each function is atomic, checks who may do
it, validates every row with ``full_clean``, refuses to touch a submitted or approved report
and bumps its version. Moves (submit, return, approve) go through ``declarations.workflow``.
Reports attach to the approved version of a declaration: the original, or its latest approved
adjustment.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from declarations.domain import evaluation as scoring
from declarations.domain.choices import Status
from declarations.models import (
    Declaration,
    Department,
    EvaluationEntry,
    MonitoringEntry,
    MonitoringReport,
    MonitoringRound,
    SelfEvaluation,
    User,
)
from declarations.roles import (
    declarations_visible_to,
    is_administrator,
    is_own_declarant,
    is_reviewer,
)

FROZEN_REPORT = "该报告已提交或已通过，不能再修改。"
MONITORING_FIELDS = (
    "actual",
    "expected",
    "judgement",
    "expected_judgement",
    "likelihood",
    "cause",
    "note",
)
EVALUATION_FIELDS = ("actual", "actual_text", "band", "score", "cause", "points")


def current_approved(declarations):
    """The approved versions in force: approved declarations no approved adjustment replaces."""
    return declarations.filter(status=Status.APPROVED).exclude(adjustments__status=Status.APPROVED)


def _may_open(user: User, departments: list[Department]) -> None:
    if is_administrator(user):
        return
    if not is_reviewer(user):
        raise PermissionDenied("只有财政审核人员和管理员可以发起绩效监控和绩效自评。")
    outside = [d.name for d in departments if d.supervising_division_id != user.division_id]
    if outside:
        raise PermissionDenied(f"以下单位不归您审核：{'、'.join(outside)}。")


def _budget_total(declaration: Declaration) -> Decimal | None:
    budget = getattr(declaration, "budget", None)
    return budget.total if budget is not None else None


def _indicators(declaration: Declaration) -> list:
    return [i for i in declaration.indicators.all() if not i.is_placeholder]


@transaction.atomic
def open_round(
    *, by: User, fiscal_year: int, data_month: int, due_date: date, departments
) -> MonitoringRound:
    """Open a monitoring round and a report for every approved declaration in it."""
    departments = list(departments)
    if not departments:
        raise ValidationError({"departments": "请选择至少一个单位。"})
    _may_open(by, departments)
    round_ = MonitoringRound(
        fiscal_year=fiscal_year, data_month=data_month, due_date=due_date, opened_by=by
    )
    round_.full_clean()
    chosen = current_approved(
        declarations_visible_to(by).filter(fiscal_year=fiscal_year, department__in=departments)
    ).prefetch_related("indicators")
    chosen = list(chosen.select_related("budget"))
    if not chosen:
        raise ValidationError("所选单位在该年度没有审核通过的申报表，无法发起监控。")
    round_.save()
    round_.departments.set(departments)
    for declaration in chosen:
        report = MonitoringReport.objects.create(
            round=round_, declaration=declaration, budget=_budget_total(declaration)
        )
        MonitoringEntry.objects.bulk_create(
            MonitoringEntry(report=report, indicator=indicator)
            for indicator in _indicators(declaration)
        )
    return round_


def _editable(model, pk: int, by: User):
    """The report locked for writing, after checking it may be written by ``by``."""
    report = model.objects.select_for_update().select_related("declaration").get(pk=pk)
    if not is_own_declarant(by, report.declaration):
        raise PermissionDenied("只有本单位的申报人可以填写该报告。")
    if not report.is_editable:
        raise ValidationError(FROZEN_REPORT)
    return report


def _apply(rows: dict, entries, fields: tuple[str, ...]) -> list:
    """Copy the typed values of ``rows`` (by indicator pk) onto ``entries``; validate each."""
    by_indicator = {entry.indicator_id: entry for entry in entries}
    unknown = set(rows) - set(by_indicator)
    if unknown:
        raise ValidationError("提交的指标不属于该报告，请刷新页面后重新填写。")
    changed = []
    errors = {}
    for indicator_pk, values in rows.items():
        entry = by_indicator[indicator_pk]
        for name in fields:
            if name in values:
                setattr(entry, name, values[name])
        try:
            entry.full_clean(exclude=["report", "evaluation", "indicator"])
        except ValidationError as exc:
            errors[indicator_pk] = exc.messages
        changed.append(entry)
    if errors:
        raise ValidationError(
            [
                f"指标 {by_indicator[pk].indicator.order}：{m}"
                for pk, ms in errors.items()
                for m in ms
            ]
        )
    return changed


@transaction.atomic
def save_monitoring(
    report: MonitoringReport, *, by: User, values: dict, rows: dict[int, dict]
) -> MonitoringReport:
    """Save what the clerk typed in a monitoring report (a draft: nothing is required yet)."""
    report = _editable(MonitoringReport, report.pk, by)
    for name in ("executed", "expected_executed", "measures"):
        if name in values:
            setattr(report, name, values[name])
    report.full_clean()
    entries = _apply(rows, report.entries.select_related("indicator"), MONITORING_FIELDS)
    MonitoringEntry.objects.bulk_update(entries, MONITORING_FIELDS) if entries else None
    report.version += 1
    report.save()
    return report


def proposed_points(indicators) -> list[Decimal]:
    """Each indicator's points: from the weights, or the default split where there are none."""
    if scoring.has_weights([i.weight for i in indicators]):
        return scoring.points_by_weight([i.weight for i in indicators])
    return scoring.default_points([i.level1.code if i.level1_id else None for i in indicators])


@transaction.atomic
def start_evaluations(*, by: User, fiscal_year: int, departments, today: date | None = None):
    """A self-evaluation for every approved declaration of a finished year (not twice)."""
    departments = list(departments)
    if not departments:
        raise ValidationError({"departments": "请选择至少一个单位。"})
    _may_open(by, departments)
    today = today or timezone.localdate()
    if fiscal_year >= today.year:
        raise ValidationError(f"{fiscal_year} 年度尚未结束，年度结束后才能开展绩效自评。")
    chosen = (
        current_approved(
            declarations_visible_to(by).filter(fiscal_year=fiscal_year, department__in=departments)
        )
        .filter(self_evaluation__isnull=True)
        .select_related("budget")
        .prefetch_related("indicators__level1")
    )
    created = []
    for declaration in chosen:
        total = _budget_total(declaration)
        evaluation = SelfEvaluation.objects.create(
            declaration=declaration, initial_budget=total, budget=total
        )
        indicators = _indicators(declaration)
        EvaluationEntry.objects.bulk_create(
            EvaluationEntry(evaluation=evaluation, indicator=indicator, points=points)
            for indicator, points in zip(indicators, proposed_points(indicators), strict=True)
        )
        created.append(evaluation)
    return created


@transaction.atomic
def save_evaluation(
    evaluation: SelfEvaluation, *, by: User, values: dict, rows: dict[int, dict]
) -> SelfEvaluation:
    """Save a self-evaluation draft. Points may be changed only where the declaration has no
    weights (the default split is a proposal); with weights they follow the weights."""
    evaluation = _editable(SelfEvaluation, evaluation.pk, by)
    for name in ("budget", "executed", "overall_result"):
        if name in values:
            setattr(evaluation, name, values[name])
    evaluation.full_clean()
    entries = list(evaluation.entries.select_related("indicator"))
    weighted = scoring.has_weights([e.indicator.weight for e in entries])
    if weighted and any("points" in row for row in rows.values()):
        by_pk = {e.indicator_id: e.points for e in entries}
        if any(row["points"] != by_pk.get(pk) for pk, row in rows.items() if "points" in row):
            raise ValidationError("该申报表设有指标权重，分值按权重折算，不能修改。")
    fields = EVALUATION_FIELDS
    entries = _apply(rows, entries, fields)
    EvaluationEntry.objects.bulk_update(entries, fields) if entries else None
    evaluation.version += 1
    evaluation.save()
    return evaluation
