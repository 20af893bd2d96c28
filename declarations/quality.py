"""The review checklist's indicator rules over many declarations at once, as facts stored
with each declaration.

``refresh_quality`` stores what the checklist's own Python rules (``indicators.rules``,
``declarations.domain.rules``) say of one declaration's indicators in ``DeclarationQuality``;
every write of a declaration calls it in its transaction (``declarations.services._record``).
The finance bureau's dashboard counts a year's declarations by these facts, and the
declaration list filters by them, so a figure and the list it links to read the same thing
and no rule is written a second time as a database condition.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from declarations.domain.choices import IndicatorKind
from declarations.domain.rules import REQUIRED_CATEGORIES
from declarations.models import Declaration, DeclarationQuality
from indicators.models import IndicatorCategory, PerformanceIndicator
from indicators.rules import is_cost_indicator, is_vague_target

# What a declaration may lack, as the list's ``missing`` filter names it: the level-1
# categories the coverage rule requires, and a cost indicator.
MISSING = {**{code: f"缺少{name}" for code, name in REQUIRED_CATEGORIES}, "cost": "缺少成本指标"}


# -- the list's filters, over the stored facts ------------------------------------------------------
# A declaration without facts has no indicators (one made before any was written): it lacks
# every category, and has no vague or qualitative target, as the dashboard counts it.


def without(declarations: QuerySet, what: str) -> QuerySet:
    """The declarations with no indicator that supplies ``what`` (a key of ``MISSING``)."""
    return declarations.filter(Q(quality__isnull=True) | Q(**{f"quality__has_{what}": False}))


def with_vague_targets(declarations: QuerySet) -> QuerySet:
    return declarations.filter(quality__has_vague=True)


def with_qualitative(declarations: QuerySet) -> QuerySet:
    return declarations.filter(quality__qualitative__gt=0)


# -- the stored facts -----------------------------------------------------------------------------

# The fields of ``DeclarationQuality`` that ``facts_of`` computes.
FACTS = [field.name for field in DeclarationQuality._meta.concrete_fields if not field.primary_key]
# Declarations refreshed together: one read of their indicators and one write of their facts
# (an ``IN`` list short enough for SQLite's parameter limit).
REFRESH_BATCH = 500


def facts_of(indicators: Iterable[PerformanceIndicator]) -> dict:
    """What the checklist says of a declaration with ``indicators`` (their level 1 and level 2
    loaded), as ``DeclarationQuality`` stores it: the counted indicators by kind, whether they
    cover each required level-1 category, whether one is a cost indicator and whether one
    has a target that cannot be measured."""
    read = [indicator for indicator in indicators if not indicator.is_placeholder]
    codes = {indicator.level1.code for indicator in read if indicator.level1_id}
    return {
        "indicators": len(read),
        "quantitative": sum(i.kind == IndicatorKind.QUANTITATIVE for i in read),
        "qualitative": sum(i.kind == IndicatorKind.QUALITATIVE for i in read),
        **{f"has_{code}": code in codes for code, _ in REQUIRED_CATEGORIES},
        "has_cost": any(is_cost_indicator(i) for i in read),
        "has_vague": any(is_vague_target(i.target_text) for i in read),
    }


def refresh_quality(declaration: Declaration) -> None:
    """Store the facts of ``declaration``'s indicators as they are now (two queries)."""
    refresh_qualities([declaration.pk])


def refresh_qualities(declaration_ids: Iterable[int]) -> int:
    """Store the facts of each of these (existing) declarations, ``REFRESH_BATCH`` at a time.
    Returns how many were stored."""
    ids = list(declaration_ids)
    for start in range(0, len(ids), REFRESH_BATCH):
        batch = ids[start : start + REFRESH_BATCH]
        found: dict[int, list] = {pk: [] for pk in batch}
        indicators = (
            PerformanceIndicator.objects.filter(declaration_id__in=batch)
            .select_related("level1", "level2")
            # What the rules read, and no more: a million rows are loaded for a province.
            .only(
                *("declaration_id", "name", "kind", "target_value", "target_text"),
                *("level1__code", "level2__name"),
            )
            .order_by()
        )
        for indicator in indicators:
            found[indicator.declaration_id].append(indicator)
        DeclarationQuality.objects.bulk_create(
            [DeclarationQuality(declaration_id=pk, **facts_of(rows)) for pk, rows in found.items()],
            update_conflicts=True,
            unique_fields=["declaration"],
            update_fields=FACTS,
        )
    return len(ids)


def refresh_filed_under(category: IndicatorCategory) -> int:
    """Store again the facts of every declaration with an indicator filed under ``category``,
    whose code or name the rules read (after the category was changed)."""
    filed = PerformanceIndicator.objects.filter(Q(level1=category) | Q(level2=category))
    return refresh_qualities(filed.order_by().values_list("declaration_id", flat=True).distinct())
