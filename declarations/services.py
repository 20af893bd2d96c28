"""Writes of the declarations app. Views and forms call these and stay thin.

Every function that changes state is atomic and validates each object with ``full_clean``
before saving it: a declaration is saved whole or not at all.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from declarations.exports.layouts import profile_of
from declarations.models import (
    Budget,
    Declaration,
    Department,
    KeyTask,
    Project,
    SpendingPlanPoint,
    User,
)
from declarations.models.declarations import Kind
from indicators.models import PerformanceIndicator

# Indicator fields that are texts (blank when not given) and those that may be empty (None).
INDICATOR_TEXTS = (
    "name",
    "unit",
    "operator",
    "kind",
    "target_text",
    "description",
    "basis",
    "scoring_rule",
)
INDICATOR_VALUES = ("level1", "level2", "weight", "target_value")


class EditConflict(Exception):
    """Someone else saved the declaration after this draft was opened."""


@dataclass
class DeclarationInput:
    """Everything the wizard collected, validated by its forms, amounts already in yuan."""

    kind: str
    fiscal_year: int
    layout: str
    project: Project | None = None
    project_name: str = ""
    project_code: str = ""
    period_start: int | None = None
    period_end: int | None = None
    department_fields: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    amounts: dict = field(default_factory=dict)
    spending_plan: list[tuple[int, Decimal]] = field(default_factory=list)
    key_tasks: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)


@transaction.atomic
def save_declaration(
    data: DeclarationInput,
    *,
    department: Department,
    by: User,
    declaration: Declaration | None = None,
    expected_version: int | None = None,
    adjusts: Declaration | None = None,
) -> Declaration:
    """Create or replace a whole declaration from the wizard's input. ``adjusts`` makes the
    new declaration an adjustment (调整) of an approved one."""
    profile = profile_of(data.layout)
    if declaration is not None:
        declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if not declaration.is_editable:
            raise PermissionDenied("该申报表已提交或已通过，不能再修改。")
        if expected_version is not None and declaration.version != expected_version:
            raise EditConflict(
                "该申报表在您打开后已被他人修改并保存。为免覆盖他人的修改，本次未保存；"
                "您填写的内容仍保留在草稿中，请核对后重新打开申报表再修改。"
            )
    if data.department_fields:
        for name, value in data.department_fields.items():
            setattr(department, name, value)
        department.full_clean()
        department.save()

    project = None
    if data.kind == Kind.PROJECT:
        project = data.project or Project(department=department, name=data.project_name)
        project.code = data.project_code
        project.period_start, project.period_end = data.period_start, data.period_end
        for name in Project.NARRATIVE_FIELDS:
            if name in data.texts:
                setattr(project, name, data.texts[name])
        project.full_clean()
        project.save()

    if declaration is None:
        declaration = Declaration(
            department=department, kind=data.kind, created_by=by, adjusts=adjusts
        )
    else:
        declaration.version += 1
    declaration.project = project
    declaration.fiscal_year = data.fiscal_year
    declaration.layout = data.layout
    declaration.money_unit = profile.money_unit
    for name in Declaration.TARGET_FIELDS:
        if name in data.texts:
            setattr(declaration, name, data.texts[name])
    declaration.full_clean()
    declaration.save()

    budget = Budget.objects.filter(declaration=declaration).first() or Budget(
        declaration=declaration
    )
    for name, value in data.amounts.items():
        setattr(budget, name, value)
    budget.full_clean()
    budget.save()

    if profile.spending_plan:
        _replace(
            declaration.spending_plan,
            [
                SpendingPlanPoint(declaration=declaration, month=month, cumulative_percent=percent)
                for month, percent in data.spending_plan
            ],
        )
    if profile.key_tasks:
        _replace(
            declaration.key_tasks,
            [
                KeyTask(
                    declaration=declaration,
                    order=order,
                    name=task["name"],
                    content=task.get("content", ""),
                    funds=task.get("funds"),
                    expected_result=task.get("expected_result", ""),
                )
                for order, task in enumerate(data.key_tasks, start=1)
            ],
        )
    _replace(
        declaration.indicators,
        [_indicator(declaration, order, row) for order, row in enumerate(data.indicators, start=1)],
    )
    return declaration


def _indicator(declaration: Declaration, order: int, row: dict) -> PerformanceIndicator:
    """An indicator from a cleaned row of the wizard's indicator formset."""
    return PerformanceIndicator(
        declaration=declaration,
        order=order,
        period_value=row.get("period_number"),
        period_text=row.get("period_text", ""),
        **{name: row.get(name) or "" for name in INDICATOR_TEXTS},
        **{name: row.get(name) for name in INDICATOR_VALUES},
    )


def _replace(manager, objects) -> None:
    """Make the related rows equal ``objects`` (matched by ``order`` or ``month``): rows that
    stay are updated in place and unchanged ones not touched, so the history shows what
    really changed; rows no longer wanted are deleted one by one, which the history records."""
    key = "month" if manager.model is SpendingPlanPoint else "order"
    existing = {getattr(obj, key): obj for obj in manager.all()}
    fields = [f.attname for f in manager.model._meta.concrete_fields if not f.primary_key]
    wanted = {getattr(obj, key) for obj in objects}
    for leftover in [obj for k, obj in existing.items() if k not in wanted]:
        leftover.delete()
    for obj in objects:
        current = existing.get(getattr(obj, key))
        if current is not None:
            if all(getattr(current, f) == getattr(obj, f) for f in fields):
                continue
            obj.pk = current.pk
            obj._state.adding = False
        obj.full_clean()
        obj.save()


class _Rollback(Exception):
    pass


@dataclass
class Preview:
    html: str = ""
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def preview(data: DeclarationInput, **kwargs) -> Preview:
    """Save inside a transaction that is rolled back, and render what would be saved: the
    official table as HTML and the warnings, or the errors saving would raise. Nothing is
    written."""
    from declarations.exports.html import render_html
    from declarations.exports.layouts import build_grid
    from declarations.exports.service import with_export_data
    from indicators.rules import warnings_for

    result = Preview()
    try:
        with transaction.atomic():
            declaration = save_declaration(data, **kwargs)
            declaration = with_export_data(Declaration.objects.filter(pk=declaration.pk)).get()
            result.html = render_html(build_grid(declaration))
            result.warnings = warnings_for(declaration)
            raise _Rollback
    except _Rollback:
        pass
    except ValidationError as exc:
        result.errors = exc.messages
    except (EditConflict, PermissionDenied) as exc:
        result.errors = [str(exc)]
    return result
