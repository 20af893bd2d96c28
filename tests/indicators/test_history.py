"""The indicator history (``indicators.history``) on hand-made data: what it counts (approved
declarations, not replaced by an approved adjustment; actuals of approved self-evaluations
only), its numbers, how approvals keep it current, and the rebuild."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from declarations import performance, workflow
from declarations.domain.choices import Status
from declarations.models import Declaration, EvaluationEntry, SelfEvaluation, User
from indicators import history
from indicators.models import IndicatorHistory
from tests.factories import DeclarationFactory, IndicatorFactory, category

pytestmark = pytest.mark.django_db

NAME = "举办历史测试讲座场次"


def indicator(value, *, status=Status.APPROVED, year=2024, name=NAME, **fields):
    """One indicator of its own declaration (a new department each time)."""
    declaration = DeclarationFactory(status=status, fiscal_year=year)
    return IndicatorFactory(declaration=declaration, name=name, target_value=value, **fields)


def row(**key) -> IndicatorHistory:
    return IndicatorHistory.objects.get(name=key.pop("name", NAME), **key)


def test_lowest_median_highest_uses_and_years_of_approved_targets():
    for year, value in [(2022, 12), (2023, 40), (2023, 20), (2024, 10), (2025, 30)]:
        indicator(Decimal(value), year=year)
    assert history.refresh([NAME]) == 1
    found = row()
    assert (found.uses, found.first_year, found.last_year) == (5, 2022, 2025)
    assert (found.target_count, found.target_min, found.target_median, found.target_max) == (
        5,
        10,
        20,
        40,
    )
    # Of an even count, the lower median: a target somebody set, not an average of two.
    indicator(Decimal(50))
    history.refresh([NAME])
    assert row().target_median == 20
    assert (row().level1.name, row().level2.name, row().unit, row().operator) == (
        "产出指标",
        "数量指标",
        "场次",
        "≥",
    )


def test_unapproved_declarations_never_count_whoever_they_belong_to():
    indicator(Decimal(10))
    indicator(Decimal(20))
    for status in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED):
        indicator(Decimal(9000), status=status, year=2026)
    history.refresh([NAME])
    found = row()
    assert (found.uses, found.target_max, found.last_year) == (2, 20, 2024)


def test_like_is_summarised_with_like():
    indicator(Decimal(10))
    indicator(Decimal(90), unit="%")
    indicator(Decimal(5), operator="=")
    indicator(
        None,
        kind="qualitative",
        operator="",
        unit="",
        target_text="及时",
        level1=category("效益指标"),
        level2=category("社会效益指标", "效益指标"),
    )
    indicator(None, kind="qualitative", operator="", unit="", target_text="有效提升")
    indicator(None, kind="qualitative", operator="", unit="", target_text="有效提升")
    indicator(None, kind="qualitative", operator="", unit="", target_text="及时")
    indicator(None, kind="qualitative", operator="", unit="", target_text="按时")
    assert history.refresh([NAME]) == 5
    assert row(unit="%").target_max == 90 and row(operator="=").target_max == 5
    qualitative = row(kind="qualitative", level2__name="数量指标")
    # No numbers; the most common wording stands for it (ties: the first in order).
    assert (qualitative.uses, qualitative.target_count, qualitative.target_median) == (4, 0, None)
    assert qualitative.example_text == "有效提升"
    assert row(kind="qualitative", level2__name="社会效益指标").uses == 1


def test_an_approved_adjustment_replaces_the_version_it_adjusts():
    original = indicator(Decimal(10)).declaration
    indicator(Decimal(12))
    adjustment = DeclarationFactory(
        department=original.department,
        project=original.project,
        fiscal_year=original.fiscal_year,
        adjusts=original,
        adjustment_no=1,
        adjustment_reason="调整目标。",
        status=Status.SUBMITTED,
    )
    IndicatorFactory(declaration=adjustment, name=NAME, target_value=Decimal(14))
    history.refresh_for_declaration(adjustment.pk)
    assert (row().uses, row().target_min, row().target_max) == (2, 10, 12)
    adjustment.status = Status.APPROVED
    adjustment.save()
    history.refresh_for_declaration(adjustment.pk)
    assert (row().uses, row().target_min, row().target_max) == (2, 12, 14)


def evaluated(target, actual, status):
    """An approved declaration whose self-evaluation (in ``status``) reports ``actual``."""
    item = indicator(Decimal(target))
    evaluation = SelfEvaluation.objects.create(declaration=item.declaration, status=status)
    EvaluationEntry.objects.create(
        evaluation=evaluation, indicator=item, points=Decimal(10), actual=actual
    )
    return item


def test_actuals_come_from_approved_self_evaluations_only():
    evaluated(10, Decimal(9), Status.APPROVED)
    evaluated(10, Decimal(15), Status.APPROVED)
    evaluated(10, Decimal(11), Status.APPROVED)
    evaluated(10, Decimal(900), Status.SUBMITTED)
    evaluated(10, Decimal(800), Status.RETURNED)
    evaluated(10, None, Status.APPROVED)  # judged in words only
    history.refresh([NAME])
    found = row()
    assert (found.actual_count, found.actual_min, found.actual_median, found.actual_max) == (
        3,
        9,
        11,
        15,
    )
    assert found.uses == 6


def test_approving_through_the_workflow_refreshes_the_history():
    """The hook in ``workflow.perform``: the declaration's approval, then its
    self-evaluation's, each bring their numbers in at once (sample 000-2: four indicators,
    targets ≥2, ≥10, ≥2, ≥80)."""
    clerk, reviewer = User.objects.get(username="shapingba"), User.objects.get(username="reviewer")
    declaration = Declaration.objects.get(sample_key="000-2")
    names = list(declaration.indicators.values_list("name", flat=True))
    workflow.perform(declaration, "submit", by=clerk)
    assert not IndicatorHistory.objects.filter(name__in=names).exists()
    workflow.perform(declaration, "approve", by=reviewer)
    rows = IndicatorHistory.objects.filter(name__in=names)
    assert sorted((r.uses, r.target_max, r.actual_count) for r in rows) == [
        (1, 2, 0),
        (1, 2, 0),
        (1, 10, 0),
        (1, 80, 0),
    ]
    (evaluation,) = performance.start_evaluations(
        by=reviewer,
        fiscal_year=declaration.fiscal_year,
        departments=[declaration.department],
        today=date(declaration.fiscal_year + 1, 1, 10),
    )
    actuals = {1: 2, 2: 10, 3: 2, 4: 80}
    performance.save_evaluation(
        evaluation,
        by=clerk,
        values={"executed": Decimal(110000)},
        rows={i.pk: {"actual": Decimal(actuals[i.order])} for i in declaration.indicators.all()},
    )
    workflow.perform(evaluation, "submit", by=clerk)
    assert not IndicatorHistory.objects.filter(name__in=names, actual_count__gt=0).exists()
    workflow.perform(evaluation, "approve", by=reviewer)
    rows = IndicatorHistory.objects.filter(name__in=names)
    assert sorted((r.actual_count, r.actual_max) for r in rows) == [
        (1, 2),
        (1, 2),
        (1, 10),
        (1, 80),
    ]


def test_a_rebuild_recomputes_everything_and_drops_what_is_no_longer_used():
    kept = indicator(Decimal(10))
    gone = indicator(Decimal(20), name="一个后来被删除的指标")
    history.rebuild()
    assert row().uses == 1 and row(name="一个后来被删除的指标").uses == 1
    # Written behind the history's back (as a bulk load would): stale until rebuilt.
    indicator(Decimal(30))
    gone.delete()
    kept.target_value = Decimal(5)
    kept.save()
    assert row().uses == 1
    out = StringIO()
    call_command("rebuild_indicator_history", stdout=out)
    assert "指标使用历史已重建" in out.getvalue()
    assert (row().uses, row().target_min, row().target_max) == (2, 5, 30)
    assert not IndicatorHistory.objects.filter(name="一个后来被删除的指标").exists()
    with pytest.raises(CommandError, match="正整数"):
        call_command("rebuild_indicator_history", "--chunk", "0", stdout=StringIO())


def test_refresh_ignores_empty_names_and_rewrites_a_name_whole():
    assert history.refresh(["", ""]) == 0
    indicator(Decimal(10))
    history.refresh([NAME])
    first = row().pk
    history.refresh([NAME])
    assert IndicatorHistory.objects.filter(name=NAME).count() == 1 and row().pk != first
