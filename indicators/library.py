"""Reading the indicator history: the indicator library's suggestions while a clerk types a
level-3 name, and the earlier targets the plausibility checks compare a new one with.

The library searches ``IndicatorHistory`` (one row per indicator of the approved declarations,
see ``indicators.history``), not the million indicators themselves, by queries whose cost does
not grow with the province:

- the popular window: among the ``POPULAR_WINDOW`` most used rows (a range of the uses index
  whose bound a first, one-row query reads), those whose name contains the text, the best
  ``LIBRARY_SIZE``. A common word (满意度) matches a hundred thousand rows; the clerk wants
  the few that everybody uses, and finding them costs the window, not the matches;
- the long tail: any row that contains the text (three characters or more) or starts with it
  (one or two), ``TAIL_SIZE`` of them in no order, found by the trigram index on PostgreSQL.
  Without an order the database stops at the first ``TAIL_SIZE``; a trigram needs three
  characters, except at the start of a name, where pg_trgm pads it;
- the rows shown, read whole by id.

Then the indicators that the history does not hold and the user may borrow (the sample
tables, the user's own department's unapproved declarations: a few hundred rows at most,
found by the declaration indexes), and the history of those: six queries at most.
"""

from collections.abc import Iterable

from django.db.models import Case, IntegerField, Q, Value, When

from declarations.domain.money import plain_decimal
from declarations.domain.plausibility import TargetHistory
from declarations.domain.values import format_value
from indicators.models import IndicatorHistory, PerformanceIndicator, history_key

LIBRARY_SIZE = 10
POPULAR_WINDOW = 2000
TAIL_SIZE = 50
# Unreviewed indicators read per keystroke: a department's own tables and the samples hold a
# few hundred, so this bounds a pathological department rather than trimming a real one.
UNREVIEWED_SIZE = 500
# A name is at most 300 characters; a longer query cannot match and would only make a LIKE
# pattern that SQLite refuses.
QUERY_LENGTH = 300
# pg_trgm reads trigrams: a shorter text inside a name cannot use the index.
TRIGRAM = 3

# The sources of a suggestion, in the order a tie is broken.
HISTORY, OWN, SAMPLE = "history", "own", "sample"
SOURCE_ORDER = {HISTORY: 0, OWN: 1, SAMPLE: 2}


def _prefix_first(query: str) -> Case:
    return Case(
        When(name__startswith=query, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


def _popular_window() -> Q:
    """The ``POPULAR_WINDOW`` most used rows (ties by id), as a range of the uses index: at
    or above the last of them, read first. A literal range, unlike ``id IN (SELECT ... LIMIT)``,
    is one the planner can estimate, so it reads the window by the index instead of matching
    the text against every row and keeping those in the window."""
    last = IndicatorHistory.objects.order_by("-uses", "id").values_list("uses", "id")
    last = next(iter(last[POPULAR_WINDOW - 1 : POPULAR_WINDOW]), None)
    if last is None:
        return Q()  # fewer rows than the window: all of them
    uses, pk = last
    return Q(uses__gt=uses) | Q(uses=uses, id__lte=pk)


def search_history(query: str, limit: int = LIBRARY_SIZE) -> list[IndicatorHistory]:
    """The history rows whose name contains ``query``: names that start with it first, then
    the most used; four queries (see the module's docstring). The searches read ids, names
    and uses only; the rows shown are read whole at the end, ``limit`` of them."""
    light = ("id", "name", "uses")
    popular = list(
        IndicatorHistory.objects.filter(_popular_window(), name__icontains=query)
        .annotate(prefix=_prefix_first(query))
        .order_by("prefix", "-uses", "name")
        .values_list(*light)[:limit]
    )
    lookup = "name__icontains" if len(query) >= TRIGRAM else "name__istartswith"
    tail = list(
        IndicatorHistory.objects.filter(**{lookup: query})
        .exclude(id__in=[pk for pk, _, _ in popular])
        .order_by()
        .values_list(*light)[:TAIL_SIZE]
    )
    found = sorted(
        popular + tail,
        key=lambda row: (not row[1].startswith(query), -row[2], row[1], row[0]),
    )[:limit]
    if not found:
        return []
    rows = IndicatorHistory.objects.select_related("level1", "level2").in_bulk(
        [pk for pk, _, _ in found]
    )
    # A row refreshed in between (a name's rows are rewritten whole) is left out this once.
    return [rows[pk] for pk, _, _ in found if pk in rows]


def row_key(values: dict) -> tuple:
    """The history key of an indicator given as field values (a form row's cleaned data:
    levels as categories or ids, blanks as None or "")."""
    return history_key(
        values.get("name") or "",
        values.get("kind") or "",
        values.get("unit") or "",
        values.get("operator") or "",
        getattr(values.get("level1"), "pk", values.get("level1")),
        getattr(values.get("level2"), "pk", values.get("level2")),
    )


def histories_of(names: Iterable[str]) -> dict[tuple, IndicatorHistory]:
    """The history rows of ``names``, by key (``history_key``); one query."""
    names = {name for name in names if name}
    if not names:
        return {}
    rows = IndicatorHistory.objects.filter(name__in=names).select_related("level1", "level2")
    return {row.key: row for row in rows}


def target_history(row: IndicatorHistory | None) -> TargetHistory | None:
    """A history row's numeric targets as the plausibility check reads them."""
    if row is None or not row.target_count:
        return None
    return TargetHistory(
        count=row.target_count,
        low=row.target_min,
        median=row.target_median,
        high=row.target_max,
        operator=row.operator,
        unit=row.unit,
    )


def _figures(count: int, low, median, high) -> dict | None:
    if not count:
        return None
    return {
        "count": count,
        "min": plain_decimal(low),
        "median": plain_decimal(median),
        "max": plain_decimal(high),
    }


def history_json(row: IndicatorHistory | None) -> dict | None:
    """What the library shows of a row's history: uses, years, targets and actuals (numbers
    as exact decimal strings, in the row's unit and operator)."""
    if row is None:
        return None
    return {
        "uses": row.uses,
        "first_year": row.first_year,
        "last_year": row.last_year,
        "targets": _figures(row.target_count, row.target_min, row.target_median, row.target_max),
        "actuals": _figures(row.actual_count, row.actual_min, row.actual_median, row.actual_max),
    }


def _history_suggestion(row: IndicatorHistory) -> dict:
    return {
        "name": row.name,
        "level1": row.level1_id,
        "level1_name": row.level1.name if row.level1_id else "",
        "level2": row.level2_id,
        "level2_name": row.level2.name if row.level2_id else "",
        "unit": row.unit,
        "operator": row.operator,
        "kind": row.kind,
        # The median: what most would set; a qualitative one's most common wording.
        "example": format_value(row.operator, row.target_median, row.unit, row.example_text),
        "source": HISTORY,
        "history": history_json(row),
    }


def _unreviewed(query: str, scope: Q) -> dict[tuple, dict]:
    """The indicators within ``scope`` (what the history does not hold) whose name contains
    ``query``, one suggestion per key."""
    rows = (
        PerformanceIndicator.objects.filter(scope, name__icontains=query)
        .values(
            "name",
            "kind",
            "unit",
            "operator",
            "level1",
            "level1__name",
            "level2",
            "level2__name",
            "target_value",
            "target_text",
            "declaration__sample_key",
        )
        .order_by("-declaration__fiscal_year", "name", "pk")[:UNREVIEWED_SIZE]
    )
    found: dict[tuple, dict] = {}
    for row in rows:
        key = history_key(
            row["name"], row["kind"], row["unit"], row["operator"], row["level1"], row["level2"]
        )
        # The newest declaration's row stands for the key (rows come newest first).
        found.setdefault(
            key,
            {
                "name": row["name"],
                "level1": row["level1"],
                "level1_name": row["level1__name"] or "",
                "level2": row["level2"],
                "level2_name": row["level2__name"] or "",
                "unit": row["unit"],
                "operator": row["operator"],
                "kind": row["kind"],
                "example": format_value(
                    row["operator"], row["target_value"], row["unit"], row["target_text"]
                ),
                "source": SAMPLE if row["declaration__sample_key"] else OWN,
                "history": None,
            },
        )
    return found


def _rank(query: str):
    """Names that start with the text first, then the most used, then history before the
    clerk's own tables before the samples."""
    return lambda s: (
        not s["name"].startswith(query),
        -(s["history"]["uses"] if s["history"] else 0),
        SOURCE_ORDER[s["source"]],
        s["name"],
    )


def suggestions(query: str, unreviewed: Q, limit: int = LIBRARY_SIZE) -> list[dict]:
    """What the library offers for ``query``: history rows, and the indicators of
    ``unreviewed`` (a scope the history does not hold: samples, the user's own department's
    unapproved declarations) with their history where they have one. Six queries at most."""
    query = query.strip()[:QUERY_LENGTH]
    if not query:
        return []
    found = {row.key: _history_suggestion(row) for row in search_history(query, limit)}
    live = [s for key, s in _unreviewed(query, unreviewed).items() if key not in found]
    # Only ``limit`` of them can be shown: their history is read, not that of hundreds.
    live = sorted(live, key=_rank(query))[:limit]
    histories = histories_of(s["name"] for s in live)
    for suggestion in live:
        suggestion["history"] = history_json(histories.get(row_key(suggestion)))
    return sorted([*found.values(), *live], key=_rank(query))[:limit]
