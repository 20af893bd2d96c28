"""The review checklist's indicator rules over many declarations at once: stored as facts of
each declaration for the finance bureau's dashboard, and as database conditions for the
declaration list's filters.

``refresh_quality`` stores what the checklist's own Python rules (``indicators.rules``,
``declarations.domain.rules``) say of one declaration's indicators in ``DeclarationQuality``;
every write of a declaration calls it in its transaction (``declarations.services._record``),
so the dashboard counts a year's declarations without reading their indicators.

The conditions restate each rule over the indicator table, for a list that filters by it:
the checklist reads one declaration's indicators in Python, these read a year's in one query.
``tests/declarations/test_quality_facts.py`` checks that both agree, and
``tests/declarations/test_dashboard.py`` that each figure counts what its list shows.
``prefix`` is the path from the queried model to the indicator ("" from
``PerformanceIndicator``; from ``Declaration``, "indicators__" or a filtered relation's name).
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from declarations.domain.choices import IndicatorKind
from declarations.domain.rules import REQUIRED_CATEGORIES
from declarations.models import Declaration, DeclarationQuality
from indicators.models import IndicatorCategory, PerformanceIndicator
from indicators.rules import COST_CODE, COST_WORD, VAGUE_TARGET, is_cost_indicator, is_vague_target

# ``vague_targets`` strips the text, then its trailing full stops, before it matches
# VAGUE_TARGET; the database is given the same pattern with that slack written into it. The
# pattern's own syntax is read alike by PostgreSQL and by Python (SQLite's REGEXP in Django).
VAGUE_TARGET_SQL = r"^\s*" + VAGUE_TARGET.pattern.removeprefix("^").removesuffix("$") + r"。*\s*$"

# What a declaration may lack, as the list's ``missing`` filter names it: the level-1
# categories the coverage rule requires, and a cost indicator.
MISSING = {**{code: f"缺少{name}" for code, name in REQUIRED_CATEGORIES}, "cost": "缺少成本指标"}


def _at(prefix: str, **lookups) -> Q:
    return Q(**{prefix + name: value for name, value in lookups.items()})


def counted(prefix: str = "") -> Q:
    """The indicators the checklist reads: not a level-2 row printed without a level-3
    indicator (``PerformanceIndicator.is_placeholder``)."""
    return ~_at(prefix, name="", target_value=None, target_text="")


def _categories(**lookups):
    # A subquery rather than a join: the database looks the few ids up once.
    return IndicatorCategory.objects.filter(**lookups).values("pk")


def covering(code: str, prefix: str = "") -> Q:
    """Filed under the level-1 category ``code`` (the coverage rule of the checklist)."""
    return _at(prefix, level1__in=_categories(code=code))


def cost(prefix: str = "") -> Q:
    """A cost indicator, as ``indicators.rules.is_cost_indicator`` tells one."""
    return (
        _at(prefix, level1__in=_categories(code=COST_CODE))
        | _at(prefix, level2__in=_categories(name__contains=COST_WORD))
        | _at(prefix, name__contains=COST_WORD)
    )


def vague(prefix: str = "") -> Q:
    """A target the checklist calls unmeasurable (``indicators.rules.vague_targets``). On
    PostgreSQL a partial index holds these rows (migration declarations 0011)."""
    return _at(prefix, target_text__regex=VAGUE_TARGET_SQL)


def qualitative(prefix: str = "") -> Q:
    return _at(prefix, kind=IndicatorKind.QUALITATIVE)


def quantitative(prefix: str = "") -> Q:
    return _at(prefix, kind=IndicatorKind.QUANTITATIVE)


def lacking(what: str, prefix: str = "") -> Q:
    """The indicators that would supply ``what`` (a key of ``MISSING``)."""
    return cost(prefix) if what == "cost" else covering(what, prefix)


def _having(declarations: QuerySet, condition: Q, present: bool = True) -> QuerySet:
    found = Exists(
        PerformanceIndicator.objects.filter(counted() & condition, declaration=OuterRef("pk"))
    )
    return declarations.filter(found if present else ~found)


def without(declarations: QuerySet, what: str) -> QuerySet:
    """The declarations that have no (counted) indicator supplying ``what``."""
    return _having(declarations, lacking(what), present=False)


def with_vague_targets(declarations: QuerySet) -> QuerySet:
    return _having(declarations, vague())


def with_qualitative(declarations: QuerySet) -> QuerySet:
    return _having(declarations, qualitative())


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
