"""The change history of declarations (django-simple-history) read back for people.

Models that make up a declaration carry ``HistoricalRecords``; a request's user is recorded by
``HistoryRequestMiddleware``. ``timeline`` merges the records of a declaration and its parts
with its status moves into one list, newest first, each with the fields that changed.

Values are shown as the clerk wrote them and the tables print them, never as stored: a choice
by its label (定量, not quantitative), an amount in the declaration's unit (11.00 万元), a
number without the zeros of its column's precision (85, not 85.0000), an indicator's value
with its operator and unit (≥45场次), a related row by its name. A status move is one entry,
the ``StatusChange`` with its comment; the declaration's own record of that save would say
the same again.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from declarations.domain.choices import Status
from declarations.domain.money import MoneyUnit, format_amount, plain_decimal
from declarations.domain.values import format_value
from declarations.domain.workflow import MOVES
from declarations.models import Budget, Declaration, KeyTask, SpendingPlanPoint
from indicators.models import PerformanceIndicator

# Bookkeeping fields that change with every save and mean nothing to a reader.
NOT_SHOWN = {"version", "review_round"}
# What a workflow move changes on the declaration: shown by the move's own entry.
MOVE_FIELDS = {"status", "submitted_at", "reviewed_at", "reviewed_by", "grade"}
ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}
EMPTY = "（空）"
SHOWN_LENGTH = 60
YUAN_SUFFIX = "（元）"

# An indicator's value is stored in parts (operator, number or text, unit) and shown whole,
# as the tables print it: label -> (number field, text field).
INDICATOR_VALUES = {
    "年度指标值": ("target_value", "target_text"),
    "实施周期指标值": ("period_value", "period_text"),
}
INDICATOR_VALUE_PARTS = {"operator", "unit"} | {
    name for pair in INDICATOR_VALUES.values() for name in pair
}


@dataclass
class Entry:
    at: datetime
    who: str
    what: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _shorten(text: str) -> str:
    if text == "":
        return EMPTY
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "…"


def _is_amount(model_field) -> bool:
    """Amounts in yuan: the budget's and a key task's funds (their labels end in （元））."""
    return isinstance(model_field, models.DecimalField) and str(model_field.verbose_name).endswith(
        YUAN_SUFFIX
    )


class _Shower:
    """Turns stored values into what people read; knows the declaration's money unit and the
    names of the rows that foreign keys point to (looked up in one query per model)."""

    def __init__(self, declaration: Declaration):
        self.unit = MoneyUnit(declaration.money_unit)
        self.names: dict[tuple[type, object], str] = {}

    def label(self, model_field) -> str:
        label = str(model_field.verbose_name)
        if _is_amount(model_field):
            return label.removesuffix(YUAN_SUFFIX)
        return label

    def load_names(self, wanted: dict[type, set]) -> None:
        for model, pks in wanted.items():
            for pk, obj in model._default_manager.in_bulk(pks).items():
                self.names[model, pk] = getattr(obj, "name", "") or str(obj)

    def value(self, model_field, value) -> str:
        if value is None or value == "":
            return EMPTY
        if model_field.is_relation:
            return self.names.get((model_field.related_model, value), "（已删除）")
        if model_field.choices:
            return _shorten(str(dict(model_field.flatchoices).get(value, value)))
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.strftime("%Y-%m-%d")
        if isinstance(value, Decimal):
            if _is_amount(model_field):
                return f"{format_amount(value, self.unit)} {self.unit.label}"
            return plain_decimal(value)
        return _shorten(str(value))


def _delta(record, previous):
    if record.history_type != "~" or previous is None:
        return []
    hidden = NOT_SHOWN | (MOVE_FIELDS if record.instance_type is Declaration else set())
    return [c for c in record.diff_against(previous).changes if c.field not in hidden]


def _indicator_values(record, previous, changed: set[str]) -> list[tuple[str, str, str]]:
    """An indicator's annual and period value, each whole ("≥45场次"), where it changed."""
    if not changed & INDICATOR_VALUE_PARTS:
        return []
    shown = []
    for label, (number, text) in INDICATOR_VALUES.items():
        old, new = (
            format_value(r.operator, getattr(r, number), r.unit, getattr(r, text))
            for r in (previous, record)
        )
        if old != new:
            shown.append((label, _shorten(old), _shorten(new)))
    return shown


def _describe(record, previous, subject: str, shower: _Shower) -> Entry | None:
    model = record.instance_type
    changes = []
    delta = _delta(record, previous)
    if delta:
        changed = {c.field for c in delta}
        values = []
        if model is PerformanceIndicator:
            values = _indicator_values(record, previous, changed)
            if values:  # else an operator or unit changed where no value shows it
                delta = [c for c in delta if c.field not in INDICATOR_VALUE_PARTS]
        for change in delta:
            model_field = model._meta.get_field(change.field)
            changes.append(
                (
                    shower.label(model_field),
                    shower.value(model_field, change.old),
                    shower.value(model_field, change.new),
                )
            )
        changes += values
    if record.history_type == "~" and previous is not None and not changes:
        return None
    return Entry(
        at=record.history_date,
        who=str(record.history_user or "系统"),
        what=f"{ACTIONS[record.history_type]}{subject}",
        changes=changes,
    )


def _related_wanted(pairs) -> dict[type, set]:
    """The rows that changed foreign keys point to, by model."""
    wanted: dict[type, set] = {}
    for record, previous in pairs:
        for change in _delta(record, previous):
            model_field = record.instance_type._meta.get_field(change.field)
            if model_field.is_relation:
                pks = wanted.setdefault(model_field.related_model, set())
                pks.update(v for v in (change.old, change.new) if v is not None)
    return wanted


def timeline(declaration, limit: int = 100) -> list[Entry]:
    """Status moves and edits of ``declaration`` and its parts, newest first."""
    entries = [_move_entry(c) for c in declaration.status_changes.select_related("by")]
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
    read = [(list(_newest_with_previous(records, limit)), subject) for records, subject in sources]
    shower = _Shower(declaration)
    wanted: dict[type, set] = {}
    for pairs, _subject in read:
        for model, pks in _related_wanted(pairs).items():
            wanted.setdefault(model, set()).update(pks)
    shower.load_names(wanted)
    for pairs, subject in read:
        for record, previous in pairs:
            entry = _describe(record, previous, subject(record), shower)
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


def _move_entry(change) -> Entry:
    move = MOVES.get(change.action)
    changes = [("状态", _status_label(change.from_status), _status_label(change.to_status))]
    if change.comment:
        changes.append(("意见", "", change.comment))
    return Entry(
        at=change.at,
        who=str(change.by),
        what=(
            (move.label if move else change.action)
            if change.report_address is None
            else f"{change.subject_label}：{move.label if move else change.action}"
        ),
        changes=changes,
    )


def _status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value
