"""Every write of a declaration, one function per action.

The wizard, the sample loader and the admin all come through here (and the workflow's moves
through ``declarations.workflow``). Each function is atomic, validates each object with
``full_clean``, refuses to touch a submitted or approved declaration, bumps the version when
anything changed and records a ``DeclarationEvent`` (who, what, when, from which version).
A save that changes nothing writes nothing, so loading the same sample twice is a no-op.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from declarations.domain.budget import AMOUNT_FIELDS, total_from_parts
from declarations.domain.choices import Kind
from declarations.domain.profiles import profile_of
from declarations.jobs import prerender_later
from declarations.models import (
    Budget,
    Declaration,
    DeclarationEvent,
    Department,
    KeyTask,
    Project,
    SpendingPlanPoint,
    User,
)
from declarations.quality import refresh_quality
from indicators.models import PerformanceIndicator

FROZEN_MESSAGE = "该申报表已提交或已通过，不能再修改；审核通过后如需变更，请发起调整。"
# Indicator fields that are texts (blank when not given) and those that may be empty (None).
INDICATOR_TEXTS = (
    "name",
    "unit",
    "operator",
    "kind",
    "target_text",
    "period_text",
    "description",
    "basis",
    "scoring_rule",
)
INDICATOR_VALUES = ("level1", "level2", "weight", "target_value", "period_value")


class EditConflict(Exception):
    """Someone else saved the declaration after this draft was opened."""


class DuplicateDeclaration(Exception):
    """The declaration this input would create exists already (a second click on 保存, or a
    colleague who saved the same project and year first)."""

    def __init__(self, message: str, existing: Declaration | None):
        super().__init__(message)
        self.existing = existing


@dataclass
class DeclarationInput:
    """Everything a declaration holds, validated by its forms, amounts already in yuan.

    ``particulars`` overrides the department's particulars as declared (declaration field
    names, e.g. ``head``); the others are taken from the department row when saving.
    Indicator rows are dicts of model field names."""

    kind: str
    fiscal_year: int
    layout: str
    project: Project | None = None
    project_name: str = ""
    project_code: str = ""
    period_start: int | None = None
    period_end: int | None = None
    particulars: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    amounts: dict = field(default_factory=dict)
    spending_plan: list[tuple[int, Decimal]] = field(default_factory=list)
    key_tasks: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    adjustment_reason: str = ""


def plain_text(value):
    """Text as stored: line breaks as "\n" whatever the browser sent ("\r\n" from a
    textarea), so an untouched text never shows as changed."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _plain(values: dict) -> dict:
    return {name: plain_text(value) for name, value in values.items()}


def _lock_editable(declaration: Declaration) -> Declaration:
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if not declaration.is_editable:
        raise PermissionDenied(FROZEN_MESSAGE)
    return declaration


def _record(declaration, action, by, from_version, note="") -> DeclarationEvent:
    """The event of a write; and, once it is committed, the new content's files rendered in the
    background (the published sample tables are rendered when first asked for)."""
    if action != DeclarationEvent.Action.SAMPLE:
        prerender_later(declaration, by=by)
    refresh_quality(declaration)  # the dashboard's facts of its indicators, in this transaction
    return DeclarationEvent.objects.create(
        declaration=declaration,
        action=action,
        by=by,
        from_version=from_version,
        to_version=declaration.version,
        note=note[:200],
    )


def adjustment_number(adjusts: Declaration | None) -> int:
    return 0 if adjusts is None else adjusts.adjustment_no + 1


def existing_declaration(
    department: Department, kind: str, project, fiscal_year: int, adjustment_no: int
) -> Declaration | None:
    """The declaration that holds the place this one would take (the database's uniqueness
    rule, asked in advance)."""
    found = Declaration.objects.filter(
        department=department, kind=kind, fiscal_year=fiscal_year, adjustment_no=adjustment_no
    )
    if kind == Kind.PROJECT:
        if project is None or project.pk is None:
            return None
        found = found.filter(project=project)
    return found.first()


def _project(data: DeclarationInput, department: Department) -> tuple[Project, int]:
    """The shared project row (created for a new project), brought up to what was declared
    so that it pre-fills the next declaration. No declaration ever prints it."""
    project = data.project
    if project is None:
        name = data.project_name.strip()
        project = Project.objects.filter(department=department, name=name).first()
        project = project or Project(department=department, name=name)
    values = {
        "code": data.project_code,
        "period_start": data.period_start,
        "period_end": data.period_end,
        **{n: data.texts[n] for n in Project.NARRATIVE_FIELDS if n in data.texts},
    }
    if project.pk and all(getattr(project, k) == v for k, v in values.items()):
        return project, 0
    for name, value in values.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    return project, 1


def particulars_of(department: Department) -> dict:
    """The department's current particulars, as a declaration stores them."""
    values = {
        name: getattr(department, source) for name, source in Declaration.DEPARTMENT_FIELDS.items()
    }
    division = department.supervising_division
    values["division_name"] = division.name if division else ""
    return values


@transaction.atomic
def save_declaration(
    data: DeclarationInput,
    *,
    department: Department,
    by: User | None,
    declaration: Declaration | None = None,
    expected_version: int | None = None,
    adjusts: Declaration | None = None,
    sample_key: str | None = None,
) -> Declaration:
    """Create or replace a whole declaration. ``adjusts`` makes the new declaration an
    adjustment (调整) of an approved one. Sets ``declaration.changed_rows`` to the number of
    rows written (0: it was already so)."""
    profile = profile_of(data.layout)
    data.texts, data.particulars = _plain(data.texts), _plain(data.particulars)
    data.adjustment_reason = plain_text(data.adjustment_reason)
    data.key_tasks = [_plain(task) for task in data.key_tasks]
    data.indicators = [_plain(row) for row in data.indicators]
    if declaration is not None:
        declaration = _lock_editable(declaration)
        if expected_version is not None and declaration.version != expected_version:
            raise EditConflict(
                "该申报表在您打开后已被他人修改并保存。为免覆盖他人的修改，本次未保存；"
                "您填写的内容仍保留在草稿中，请核对后重新打开申报表再修改。"
            )
        adjusts = declaration.adjusts
    changed = 0
    project = None
    if data.kind == Kind.PROJECT:
        project, changed = _project(data, department)

    creating = declaration is None
    if creating:
        adjustment_no = adjustment_number(adjusts)
        existing = existing_declaration(
            department, data.kind, project, data.fiscal_year, adjustment_no
        )
        if existing is not None:
            raise _duplicate(existing)
        declaration = Declaration(
            department=department,
            kind=data.kind,
            created_by=by,
            adjusts=adjusts,
            adjustment_no=adjustment_no,
            sample_key=sample_key,
        )
    values = {
        "project": project,
        "fiscal_year": data.fiscal_year,
        "layout": data.layout,
        "money_unit": profile.money_unit,
        "adjustment_reason": data.adjustment_reason,
        **particulars_of(department),
        **data.particulars,
        **{name: data.texts[name] for name in Declaration.NARRATIVE_FIELDS if name in data.texts},
    }
    if project is not None:
        values.update(
            project_name=project.name,
            project_code=data.project_code,
            period_start=data.period_start,
            period_end=data.period_end,
        )
    own_changed = creating or any(getattr(declaration, k) != v for k, v in values.items())
    for name, value in values.items():
        setattr(declaration, name, value)
    declaration.full_clean()
    if own_changed:
        try:
            with transaction.atomic():
                declaration.save()
        except IntegrityError as exc:
            raise _duplicate(
                existing_declaration(
                    department, data.kind, project, data.fiscal_year, declaration.adjustment_no
                )
            ) from exc
        changed += 1

    amounts = {name: data.amounts.get(name) for name in AMOUNT_FIELDS if name in data.amounts}
    if amounts.get("total") is None and not profile.prints_total:
        amounts["total"] = total_from_parts(amounts)
    changed += _budget(declaration, amounts)
    if profile.spending_plan:
        changed += _replace(
            declaration.spending_plan,
            [
                SpendingPlanPoint(declaration=declaration, month=month, cumulative_percent=percent)
                for month, percent in data.spending_plan
            ],
        )
    if profile.key_tasks:
        changed += _replace(
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
    changed += _replace(
        declaration.indicators,
        [_indicator(declaration, order, row) for order, row in enumerate(data.indicators, start=1)],
    )
    if changed and not creating:
        from_version = declaration.version
        declaration.version += 1
        declaration.save(update_fields=["version", "updated_at"])
        action = DeclarationEvent.Action.SAMPLE if sample_key else DeclarationEvent.Action.EDIT
        _record(declaration, action, by, from_version)
    elif creating:
        action = DeclarationEvent.Action.SAMPLE if sample_key else DeclarationEvent.Action.CREATE
        _record(declaration, action, by, None)
    declaration.changed_rows = changed
    return declaration


def duplicate_message(existing: Declaration) -> str:
    if existing.adjustment_no:
        return f"{existing.subject}（{existing.fiscal_year} 年度）已有调整版本，请修改该调整版本。"
    if existing.kind == Kind.PROJECT:
        return f"项目“{existing.subject}”已有 {existing.fiscal_year} 年度的申报表。"
    return f"本单位已有 {existing.fiscal_year} 年度的部门整体申报表。"


def _duplicate(existing: Declaration | None) -> DuplicateDeclaration:
    if existing is None:
        return DuplicateDeclaration("该申报表已存在。", None)
    return DuplicateDeclaration(duplicate_message(existing), existing)


def _budget(declaration: Declaration, amounts: dict) -> int:
    budget = Budget.objects.filter(declaration=declaration).first()
    if budget is None and all(value is None for value in amounts.values()):
        return 0  # a table without a budget (Hebei's department narrative)
    if budget is not None and all(getattr(budget, k) == v for k, v in amounts.items()):
        return 0
    budget = budget or Budget(declaration=declaration)
    for name, value in amounts.items():
        setattr(budget, name, value)
    budget.full_clean()
    budget.save()
    return 1


def _indicator(declaration: Declaration, order: int, row: dict) -> PerformanceIndicator:
    """An indicator from a row of model field values."""
    return PerformanceIndicator(
        declaration=declaration,
        order=order,
        **{name: row.get(name) or "" for name in INDICATOR_TEXTS},
        **{name: row.get(name) for name in INDICATOR_VALUES},
    )


def _replace(manager, objects) -> int:
    """Make the related rows equal ``objects`` (matched by ``order`` or ``month``): rows that
    stay are updated in place and unchanged ones not touched, so the history shows what
    really changed; rows no longer wanted are deleted one by one, which the history records.
    Returns how many rows were written or deleted."""
    key = "month" if manager.model is SpendingPlanPoint else "order"
    existing = {getattr(obj, key): obj for obj in manager.all()}
    fields = [f.attname for f in manager.model._meta.concrete_fields if not f.primary_key]
    wanted = {getattr(obj, key) for obj in objects}
    written = 0
    for leftover in [obj for k, obj in existing.items() if k not in wanted]:
        leftover.delete()
        written += 1
    for obj in objects:
        current = existing.get(getattr(obj, key))
        if current is not None:
            if all(getattr(current, f) == getattr(obj, f) for f in fields):
                continue
            obj.pk = current.pk
            obj._state.adding = False
        obj.full_clean()
        obj.save()
        written += 1
    return written


@transaction.atomic
def declaration_admin_save(declaration: Declaration, *, by: User, creating: bool) -> Declaration:
    """An administrator's edit in the admin site: refused on a frozen declaration, and
    versioned and recorded like any other edit. The admin form has set the fields; this
    saves them (its inlines are saved by the admin after this, in the same transaction)."""
    if creating:
        if declaration.kind == Kind.PROJECT and declaration.project_id:
            declaration.project_name = declaration.project_name or declaration.project.name
        for name, value in particulars_of(declaration.department).items():
            if not getattr(declaration, name):
                setattr(declaration, name, value)
        declaration.full_clean()
        declaration.save()
        _record(declaration, DeclarationEvent.Action.ADMIN_EDIT, by, None, "管理员新建")
        return declaration
    stored = _lock_editable(declaration)
    if stored.version != declaration.version:
        raise EditConflict("该申报表在您打开后已被修改，请重新打开后再保存。")
    declaration.version = stored.version + 1
    declaration.full_clean()
    declaration.save()
    _record(declaration, DeclarationEvent.Action.ADMIN_EDIT, by, stored.version)
    return declaration


def refuse_if_frozen(declaration_id: int) -> None:
    """For writes of a declaration's parts outside a service (an admin inline or the
    admin's own page of indicators): lock the declaration and refuse a frozen one."""
    _lock_editable(Declaration(pk=declaration_id))


@transaction.atomic
def declaration_part_edited(declaration_id: int, *, by: User, what: str) -> Declaration:
    """An admin edit of one part of a declaration (an indicator on its own page): versioned
    and recorded on the declaration."""
    declaration = _lock_editable(Declaration(pk=declaration_id))
    from_version = declaration.version
    declaration.version += 1
    declaration.save(update_fields=["version", "updated_at"])
    _record(declaration, DeclarationEvent.Action.ADMIN_EDIT, by, from_version, what)
    return declaration
