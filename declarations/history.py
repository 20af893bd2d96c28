"""The change history of declarations (django-simple-history) read back for people.

Models that make up a declaration carry ``HistoricalRecords``; a request's user is recorded by
``HistoryRequestMiddleware``. ``timeline`` merges the records of a declaration and its parts
with its status moves into one list, newest first, each with the fields that changed.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import OuterRef, Subquery

from declarations.domain.workflow import MOVES
from declarations.models import Budget, KeyTask, SpendingPlanPoint
from indicators.models import PerformanceIndicator

# Bookkeeping fields that change with every save and mean nothing to a reader.
NOT_SHOWN = {"version", "review_round"}
ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}


@dataclass
class Entry:
    at: datetime
    who: str
    what: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _show(value) -> str:
    if value is None or value == "":
        return "（空）"
    text = str(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _describe(record, previous, subject: str) -> Entry | None:
    model = record.instance_type
    changes = []
    if record.history_type == "~" and previous is not None:
        delta = record.diff_against(previous)
        for change in delta.changes:
            if change.field in NOT_SHOWN:
                continue
            label = str(model._meta.get_field(change.field).verbose_name)
            changes.append((label, _show(change.old), _show(change.new)))
        if not changes:
            return None
    return Entry(
        at=record.history_date,
        who=str(record.history_user or "系统"),
        what=f"{ACTIONS[record.history_type]}{subject}",
        changes=changes,
    )


def timeline(declaration, limit: int = 100) -> list[Entry]:
    """Status moves and edits of ``declaration`` and its parts, newest first."""
    entries = [
        Entry(
            at=c.at,
            who=str(c.by),
            what=_move_label(c),
            changes=[("意见", "", c.comment)] if c.comment else [],
        )
        for c in declaration.status_changes.select_related("by")
    ]
    sources = [
        (declaration.history.all(), lambda r: "申报表"),
        (Budget.history.filter(declaration_id=declaration.pk), lambda r: "预算资金"),
        (
            KeyTask.history.filter(declaration_id=declaration.pk),
            lambda r: f"重点工作任务“{r.name}”",
        ),
        (
            SpendingPlanPoint.history.filter(declaration_id=declaration.pk),
            lambda r: f"支出计划（{r.month}月底）",
        ),
        (
            PerformanceIndicator.history.filter(declaration_id=declaration.pk),
            lambda r: f"指标 {r.order}“{r.name or r.target_text[:20]}”",
        ),
    ]
    for records, subject in sources:
        for record, previous in _newest_with_previous(records, limit):
            entry = _describe(record, previous, subject(record))
            if entry is not None:
                entries.append(entry)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def _newest_with_previous(records, limit: int):
    """The newest ``limit`` history records, each with the record before it of the same row,
    in two queries (``prev_record`` would cost one per record)."""
    model = records.model
    before = (
        model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    newest = list(
        records.select_related("history_user")
        .annotate(previous_id=Subquery(before))
        .order_by("-history_date", "-history_id")[:limit]
    )
    previous = model.objects.in_bulk([r.previous_id for r in newest if r.previous_id])
    return [(record, previous.get(record.previous_id)) for record in newest]


def _move_label(change) -> str:
    move = MOVES.get(change.action)
    return move.label if move else change.action
