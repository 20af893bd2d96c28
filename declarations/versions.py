"""Versions of a declaration (an approved one and its adjustments) and what changed between
two of them, indicator by indicator."""

from dataclasses import dataclass, field

from declarations.domain.money import MoneyUnit, format_amount, plain_decimal
from declarations.domain.values import format_value
from declarations.models import Budget, Declaration


def version_chain(declaration: Declaration) -> list[Declaration]:
    """The approved original and every adjustment of it, oldest first."""
    root = declaration
    while root.adjusts_id:
        root = root.adjusts
    chain, frontier = [root], [root]
    while frontier:
        children = list(Declaration.objects.filter(adjusts__in=frontier).select_related("project"))
        chain.extend(children)
        frontier = children
    return sorted(chain, key=lambda d: (d.created_at, d.pk))


@dataclass
class IndicatorChange:
    name: str
    kind: str  # "added", "removed", "changed"
    changes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Comparison:
    budget: list[tuple[str, str, str]]
    texts: list[tuple[str, str, str]]
    indicators: list[IndicatorChange]


INDICATOR_FIELDS = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("weight", "权重"),
    ("kind", "指标属性"),
    ("value", "指标值"),
    ("period", "实施周期指标值"),
    ("description", "指标内容"),
    ("basis", "设定依据"),
    ("scoring_rule", "评（扣）分标准"),
)


def _indicator_view(indicator) -> dict[str, str]:
    return {
        "level1": indicator.level1_name,
        "level2": indicator.level2.name if indicator.level2_id else "",
        "weight": plain_decimal(indicator.weight) if indicator.weight is not None else "",
        "kind": indicator.get_kind_display(),
        "value": format_value(
            indicator.operator, indicator.target_value, indicator.unit, indicator.target_text
        ),
        "period": format_value(
            indicator.operator, indicator.period_value, indicator.unit, indicator.period_text
        ),
        "description": indicator.description,
        "basis": indicator.basis,
        "scoring_rule": indicator.scoring_rule,
    }


def compare(old: Declaration, new: Declaration) -> Comparison:
    """What changed from ``old`` to ``new``; indicators are matched by name, then position."""
    unit = MoneyUnit(new.money_unit)
    budget = []
    old_budget = getattr(old, "budget", None)
    new_budget = getattr(new, "budget", None)
    for name in Budget.AMOUNT_FIELDS:
        before = getattr(old_budget, name, None) if old_budget else None
        after = getattr(new_budget, name, None) if new_budget else None
        if before != after:
            label = Budget.label(name)
            budget.append(
                (
                    f"{label}（{unit.label}）",
                    format_amount(before, unit),
                    format_amount(after, unit),
                )
            )
    # Everything else the tables print: the particulars as declared and the narratives.
    printed = (
        *Declaration.DEPARTMENT_FIELDS,
        "division_name",
        "project_name",
        "project_code",
        "period_start",
        "period_end",
        *Declaration.NARRATIVE_FIELDS,
    )
    texts = [
        (
            str(Declaration._meta.get_field(name).verbose_name),
            "" if getattr(old, name) is None else str(getattr(old, name)),
            "" if getattr(new, name) is None else str(getattr(new, name)),
        )
        for name in printed
        if getattr(old, name) != getattr(new, name)
    ]
    old_rows = list(old.indicators.select_related("level1", "level2"))
    new_rows = list(new.indicators.select_related("level1", "level2"))
    changes = []
    unmatched_old = list(old_rows)
    for indicator in new_rows:
        match = next((o for o in unmatched_old if o.name and o.name == indicator.name), None)
        if match is None:
            match = next(
                (
                    o
                    for o in unmatched_old
                    if o.order == indicator.order and not o.name and not indicator.name
                ),
                None,
            )
        label = indicator.name or indicator.target_text[:30]
        if match is None:
            changes.append(IndicatorChange(label, "added"))
            continue
        unmatched_old.remove(match)
        before, after = _indicator_view(match), _indicator_view(indicator)
        diffs = [
            (title, before[key], after[key])
            for key, title in INDICATOR_FIELDS
            if before[key] != after[key]
        ]
        if diffs:
            changes.append(IndicatorChange(label, "changed", diffs))
    changes.extend(IndicatorChange(o.name or o.target_text[:30], "removed") for o in unmatched_old)
    return Comparison(budget=budget, texts=texts, indicators=changes)
