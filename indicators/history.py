"""Keeping the indicator history (``IndicatorHistory``) up to date: what approved declarations
did with each indicator, summarised from the indicators themselves.

- ``refresh(names)`` recomputes the rows of these level-3 names, whatever they were before;
- ``refresh_for_declaration(pk)`` those of one declaration's names (and of the version it
  adjusts), for when it or its self-evaluation is approved; ``refresh_after_move(change)``
  says whether a workflow move is such an approval;
- ``rebuild()`` recomputes every row (``manage.py rebuild_indicator_history``).

What counts: indicators of approved declarations that no approved adjustment has replaced
(an adjustment's targets replace those of the version it adjusts), and the actuals of approved
self-evaluations. Drafts, submissions and returned tables never count, whoever's they are.

Every refresh deletes and writes whole names under a transaction-level advisory lock per name
(PostgreSQL), taken in one order: of two approvals sharing an indicator name, the second waits
for the first to commit and then counts it, instead of failing on the unique key or writing
over the first's numbers with its own, which would lack the first approval.
"""

import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from declarations.domain.choices import Status
from declarations.models import Declaration, EvaluationEntry, StatusChange
from indicators.models import IndicatorHistory, PerformanceIndicator, history_key

# What the history summarises: approved and not replaced by an approved adjustment.
COUNTED = Q(declaration__status=Status.APPROVED) & ~Q(
    declaration__adjustments__status=Status.APPROVED
)
# Names per transaction of a rebuild: a few hundred advisory locks and one ``IN`` list,
# short enough that an approval waiting for one of its names waits a moment only.
REBUILD_CHUNK = 500
# The advisory locks of this module, apart from any other user of advisory locks.
LOCK_NAMESPACE = 0x1D1C


def _lock_id(name: str) -> int:
    """A stable 32-bit signed id of ``name`` (Python's own hash differs between processes)."""
    value = zlib.crc32(name.encode())
    return value - 2**32 if value >= 2**31 else value


def _lock(names: list[str]) -> None:
    """Wait for, then hold until commit, the lock of each name: in ascending id order, so that
    two transactions locking overlapping names cannot each wait for the other."""
    if connection.vendor != "postgresql":
        return  # SQLite lets one writer in at a time anyway
    ids = sorted({_lock_id(name) for name in names})
    with connection.cursor() as cursor:
        # unnest yields the sorted array in order, so the locks are taken in that order.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, k) FROM unnest(%s::int[]) AS k",
            [LOCK_NAMESPACE, ids],
        )


def _lower_median(values: list[Decimal]) -> Decimal:
    """The lower median of sorted ``values``: a target somebody actually set, never an average
    of two that would need a decimal place more than either."""
    return values[(len(values) - 1) // 2]


@dataclass
class _Summary:
    """The indicators of one history key, gathered row by row."""

    uses: int = 0
    years: set[int] = field(default_factory=set)
    targets: list[Decimal] = field(default_factory=list)
    texts: Counter = field(default_factory=Counter)
    actuals: list[Decimal] = field(default_factory=list)

    def row(self, key: tuple, now) -> IndicatorHistory:
        name, kind, unit, operator, level1, level2 = key
        targets, actuals = sorted(self.targets), sorted(self.actuals)
        # The most common wording; among equals the first in order, so a refresh is stable.
        example = (
            min(self.texts.items(), key=lambda item: (-item[1], item[0]))[0] if self.texts else ""
        )
        return IndicatorHistory(
            name=name,
            kind=kind,
            unit=unit,
            operator=operator,
            level1_id=level1,
            level2_id=level2,
            uses=self.uses,
            first_year=min(self.years),
            last_year=max(self.years),
            target_count=len(targets),
            target_min=targets[0] if targets else None,
            target_median=_lower_median(targets) if targets else None,
            target_max=targets[-1] if targets else None,
            example_text=example,
            actual_count=len(actuals),
            actual_min=actuals[0] if actuals else None,
            actual_median=_lower_median(actuals) if actuals else None,
            actual_max=actuals[-1] if actuals else None,
            refreshed_at=now,
        )


def _summaries(names: list[str]) -> dict[tuple, _Summary]:
    """The summaries of every key of ``names``: two queries, one row per indicator (and per
    actual), whatever the number of keys."""
    summaries: dict[tuple, _Summary] = {}
    # No ordering: the model's would join departments to sort rows that are only counted.
    indicators = (
        PerformanceIndicator.objects.filter(COUNTED, name__in=names)
        .order_by()
        .values_list(
            "name",
            "kind",
            "unit",
            "operator",
            "level1_id",
            "level2_id",
            "declaration__fiscal_year",
            "target_value",
            "target_text",
        )
    )
    for *key, year, value, text in indicators:
        key = history_key(*key)
        summary = summaries.get(key)
        if summary is None:
            summary = summaries[key] = _Summary()
        summary.uses += 1
        summary.years.add(year)
        if value is not None:
            summary.targets.append(value)
        elif text.strip():
            summary.texts[text.strip()] += 1
    actuals = (
        EvaluationEntry.objects.filter(
            evaluation__status=Status.APPROVED,
            actual__isnull=False,
            indicator__name__in=names,
        ).order_by()
    ).values_list(
        "indicator__name",
        "indicator__kind",
        "indicator__unit",
        "indicator__operator",
        "indicator__level1_id",
        "indicator__level2_id",
        "actual",
    )
    for *key, actual in actuals:
        # An actual of an indicator no longer counted (its version was adjusted since) has
        # no targets to stand beside.
        summary = summaries.get(history_key(*key))
        if summary is not None:
            summary.actuals.append(actual)
    return summaries


def refresh(names: Iterable[str]) -> int:
    """Recompute the history rows of the level-3 ``names``; return how many rows they have."""
    names = sorted({name for name in names if name})
    if not names:
        return 0
    with transaction.atomic():
        _lock(names)
        IndicatorHistory.objects.filter(name__in=names).delete()
        now = timezone.now()
        rows = [summary.row(key, now) for key, summary in _summaries(names).items()]
        IndicatorHistory.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def declaration_names(declaration_ids: Iterable[int]) -> set[str]:
    """The level-3 names of these declarations and of the versions they adjust (an approved
    adjustment takes the adjusted version's indicators out of the history)."""
    ids = set(declaration_ids)
    # Read first, so that the indicators are found by the declaration index, not by a scan.
    ids |= set(
        Declaration.objects.filter(pk__in=ids, adjusts__isnull=False).values_list(
            "adjusts_id", flat=True
        )
    )
    return set(
        PerformanceIndicator.objects.filter(declaration_id__in=ids)
        .exclude(name="")
        .values_list("name", flat=True)
        .order_by()  # DISTINCT on the names alone, not on the model's ordering too
        .distinct()
    )


def refresh_for_declaration(declaration_id: int) -> int:
    """Recompute the history of one declaration's indicators: call it when the declaration or
    its self-evaluation is approved (a background job may call it instead, later)."""
    return refresh(declaration_names([declaration_id]))


def refresh_after_move(change: StatusChange) -> int:
    """After a workflow move (``declarations.workflow.perform``): an approved declaration or
    an approved self-evaluation changes the history of its indicators; nothing else does
    (approval is final, and monitoring reports hold no actuals of the year)."""
    if change.to_status != Status.APPROVED or change.monitoring_report_id is not None:
        return 0
    return refresh_for_declaration(change.declaration_id)


def rebuild(chunk: int = REBUILD_CHUNK, progress=None) -> int:
    """Recompute every history row, ``chunk`` names a transaction; names no longer used by
    any approved declaration lose their rows. Returns the number of rows written."""
    names = set(
        PerformanceIndicator.objects.filter(COUNTED)
        .exclude(name="")
        .values_list("name", flat=True)
        .order_by()  # DISTINCT on the names alone, not on the model's ordering too
        .distinct()
    )
    names |= set(IndicatorHistory.objects.values_list("name", flat=True).order_by().distinct())
    ordered = sorted(names)
    written = 0
    for start in range(0, len(ordered), chunk):
        written += refresh(ordered[start : start + chunk])
        if progress is not None:
            progress(min(start + chunk, len(ordered)), len(ordered))
    return written
