"""What monitoring reports and self-evaluations compute from what was typed: the lights with
their explanations, the scores, the total and the grade, and what stops a submission.

Reads only; the rules themselves are in ``declarations.domain.monitoring`` and
``declarations.domain.evaluation``. Pages, tables and the workflow all ask here, so a light or
a score is computed in one place.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from declarations.domain import evaluation as scoring
from declarations.domain.choices import Grade
from declarations.domain.money import plain_decimal
from declarations.domain.monitoring import (
    Signal,
    budget_signal,
    qualitative_signal,
    quantitative_signal,
    worst,
)
from declarations.models import EvaluationEntry, MonitoringEntry, MonitoringReport, SelfEvaluation

# -- monitoring ---------------------------------------------------------------------------------


@dataclass
class MonitoringRow:
    entry: MonitoringEntry
    signal: Signal

    @property
    def indicator(self):
        return self.entry.indicator


@dataclass
class MonitoringCard:
    report: MonitoringReport
    budget: Signal
    rows: list[MonitoringRow]
    overall: Signal
    execution_rate: Decimal | None


def entry_signal(entry: MonitoringEntry, months: int) -> Signal:
    indicator = entry.indicator
    if indicator.is_measured:
        return quantitative_signal(indicator.operator, indicator.target_value, entry.actual, months)
    return qualitative_signal(entry.judgement)


def _entries(subject) -> list:
    """The report's entries with their indicators: prefetched ones when a list of reports
    was fetched with them (one query for the list, not one per report)."""
    if "entries" in getattr(subject, "_prefetched_objects_cache", {}):
        return list(subject.entries.all())
    return list(subject.entries.select_related("indicator", "indicator__level1"))


ENTRIES_WITH_INDICATORS = ("entries__indicator", "entries__indicator__level1")


def monitoring_card(report: MonitoringReport, entries: list | None = None) -> MonitoringCard:
    """The report's lights; ``entries`` (with unsaved values) instead of the stored ones when
    a page asks what the typed figures would give."""
    months = report.round.data_month
    rows = [
        MonitoringRow(entry, entry_signal(entry, months))
        for entry in (entries if entries is not None else _entries(report))
    ]
    budget = budget_signal(report.budget, report.executed, months)
    rate = (
        report.executed / report.budget if report.budget and report.executed is not None else None
    )
    return MonitoringCard(
        report=report,
        budget=budget,
        rows=rows,
        overall=worst([budget, *(row.signal for row in rows)]),
        execution_rate=rate,
    )


def monitoring_problems(report: MonitoringReport) -> list[str]:
    """What must be filled before a monitoring report can be submitted."""
    problems = []
    if report.executed is None:
        problems.append("请填写预算执行数。")
    card = monitoring_card(report)
    for row in card.rows:
        indicator, entry = row.indicator, row.entry
        name = f"指标 {indicator.order}“{indicator.name or indicator.target_text[:20]}”"
        if indicator.is_measured and entry.actual is None:
            problems.append(f"{name}：请填写截至目前实际完成值。")
        if not indicator.is_measured and not entry.judgement:
            problems.append(f"{name}：请选择目前完成情况。")
        if not entry.likelihood:
            problems.append(f"{name}：请选择完成目标可能性。")
        off_track = row.signal.light in ("red", "yellow") or entry.likelihood in (
            "possible",
            "impossible",
        )
        if off_track and not entry.cause:
            problems.append(f"{name}：存在偏差，请选择偏差原因。")
    if card.overall.light == "red" and not report.measures.strip():
        problems.append("有红灯项目，请填写纠偏措施。")
    return problems


# -- self-evaluation ----------------------------------------------------------------------------


@dataclass
class EvaluationRow:
    entry: EvaluationEntry
    score: Decimal | None
    problem: str = ""
    flags: list[str] = field(default_factory=list)

    @property
    def indicator(self):
        return self.entry.indicator

    @property
    def lost_points(self) -> bool:
        return self.score is not None and self.score < self.entry.points


@dataclass
class EvaluationCard:
    evaluation: SelfEvaluation
    execution_score: Decimal | None
    execution_rate: Decimal | None
    rows: list[EvaluationRow]
    total: Decimal | None
    grade: str
    points_total: Decimal

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label if self.grade else ""


def entry_score(entry: EvaluationEntry) -> EvaluationRow:
    indicator = entry.indicator
    if indicator.is_measured:
        if entry.actual is None:
            return EvaluationRow(entry, None, "请填写全年实际完成值。")
        try:
            score = scoring.quantitative_score(
                entry.points, indicator.operator or "≥", indicator.target_value, entry.actual
            )
        except ValueError:
            return EvaluationRow(entry, None, "实际完成值不能为负数。")
        flags = []
        if scoring.too_easy(indicator.operator, indicator.target_value, entry.actual):
            flags.append("实际值达到目标的 120% 以上，目标值可能设定偏低。")
        return EvaluationRow(entry, score, "", flags)
    check = scoring.check_qualitative(entry.points, entry.band, entry.score)
    return EvaluationRow(entry, None if check else entry.score, check.message)


def evaluation_card(evaluation: SelfEvaluation, entries: list | None = None) -> EvaluationCard:
    """The scores, total and grade; ``entries`` as for ``monitoring_card``."""
    rows = [
        entry_score(entry) for entry in (entries if entries is not None else _entries(evaluation))
    ]
    execution = rate = None
    if evaluation.budget is not None and evaluation.executed is not None:
        execution = scoring.execution_score(evaluation.budget, evaluation.executed)
        rate = scoring.execution_rate(evaluation.budget, evaluation.executed)
    scores = [row.score for row in rows]
    total = None
    if execution is not None and all(score is not None for score in scores):
        total = execution + sum(scores, Decimal(0))
    return EvaluationCard(
        evaluation=evaluation,
        execution_score=execution,
        execution_rate=rate,
        rows=rows,
        total=total,
        grade=scoring.grade_of(total) if total is not None else "",
        points_total=sum((row.entry.points for row in rows), Decimal(0)),
    )


def evaluation_problems(evaluation: SelfEvaluation) -> list[str]:
    """What stops a self-evaluation from being submitted."""
    card = evaluation_card(evaluation)
    problems = []
    if evaluation.budget is None:
        problems.append("请填写全年预算数。")
    if evaluation.executed is None:
        problems.append("请填写全年执行数。")
    if card.points_total != scoring.INDICATOR_POINTS:
        problems.append(
            f"指标分值合计为 {plain_decimal(card.points_total)} 分，应为 90 分"
            "（另 10 分为预算执行率）。"
        )
    for row in card.rows:
        indicator = row.indicator
        name = f"指标 {indicator.order}“{indicator.name or indicator.target_text[:20]}”"
        if row.problem:
            problems.append(f"{name}：{row.problem}")
        elif row.lost_points and not row.entry.cause.strip():
            problems.append(f"{name}：得分低于分值，请填写偏差原因分析及改进措施。")
    return problems
