"""Opening an existing declaration in the wizard: every step filled in from the database."""

from declarations.domain.choices import Kind
from declarations.domain.money import plain_decimal, to_unit
from declarations.exports.layouts import profile_of
from declarations.models import Declaration, Department
from declarations.wizards.composite import initial_data
from declarations.wizards.steps import steps_for


def _amount(value, unit):
    return None if value is None else plain_decimal(to_unit(value, unit))


def _indicator_row(indicator) -> dict:
    def number(value):
        return None if value is None else plain_decimal(value)

    return {
        "level1": indicator.level1_id,
        "level2": indicator.level2_id,
        "name": indicator.name,
        "kind": indicator.kind,
        "operator": indicator.operator,
        "value": number(indicator.target_value)
        if indicator.target_value is not None
        else indicator.target_text,
        "unit": indicator.unit,
        "weight": number(indicator.weight),
        "period_value": number(indicator.period_value)
        if indicator.period_value is not None
        else indicator.period_text,
        "description": indicator.description,
        "basis": indicator.basis,
        "scoring_rule": indicator.scoring_rule,
    }


# The department particulars a layout may ask the clerk for (``LayoutProfile.
# department_fields`` are among them): a declaration's own copy, pre-filled from the
# department.
PARTICULARS = ("organisation_code", "head", "phone", "address", "functions")


def particulars_initial(
    department: Department, declaration: Declaration | None = None, *, editing: bool = False
) -> dict:
    """The particulars as the wizard pre-fills them. Editing a declaration: what it prints
    (the clerk's entry, kept as the declaration's own). A new declaration, a copy or an
    adjustment: the department's current particulars, and where the department has none,
    what the declaration it starts from printed."""
    values = {}
    for name in PARTICULARS:
        value = getattr(department, name)
        if declaration is not None and (editing or not value):
            value = getattr(declaration, name)
        values[name] = value
    return values


def step_initials(
    declaration: Declaration, fiscal_year: int, adjusting: bool = False, editing: bool = False
) -> dict[str, dict]:
    """Initial values of each step's form, and the extra keyword arguments they take."""
    profile = profile_of(declaration.layout)
    unit = profile.money_unit
    texts = {name: declaration.text(name) for name in profile.narratives}
    particulars = particulars_initial(declaration.department, declaration, editing=editing)
    if declaration.kind == Kind.PROJECT:
        basic = {
            "project": declaration.project_id,
            "project_code": declaration.project_code,
            "period_start": declaration.period_start,
            "period_end": declaration.period_end,
            "fiscal_year": fiscal_year,
            "layout": declaration.layout,
        }
    else:
        basic = {
            "fiscal_year": fiscal_year,
            "layout": declaration.layout,
            **{n: getattr(declaration, n) for n in Department.STAFF_FIELDS},
        }
    if adjusting or declaration.adjusts_id:
        basic["adjustment_reason"] = "" if adjusting else declaration.adjustment_reason
    budget = getattr(declaration, "budget", None)
    amounts = (
        {name: _amount(getattr(budget, name), unit) for name in profile.budget_fields}
        if budget
        else {}
    )
    return {
        "basic": {"initial": basic},
        "budget": {
            "initial": amounts,
            "initial_plan": [
                {"month": p.month, "percent": plain_decimal(p.cumulative_percent)}
                for p in declaration.spending_plan.all()
            ]
            or None,
        },
        "narratives": {"initial": {**particulars, **texts}},
        "targets": {
            "initial": texts,
            "initial_tasks": [
                {
                    "name": t.name,
                    "content": t.content,
                    "funds": _amount(t.funds, unit),
                    "expected_result": t.expected_result,
                }
                for t in declaration.key_tasks.all()
            ],
        },
        "indicators": {
            "initial": {},
            "initial_rows": [
                _indicator_row(i) for i in declaration.indicators.all() if not i.is_placeholder
            ],
        },
        "review": {"initial": {}},
    }


def draft_data(
    declaration: Declaration, *, fiscal_year: int, editing: bool, adjusting: bool = False
) -> dict:
    """The wizard storage of a draft that starts from ``declaration``."""
    profile = profile_of(declaration.layout)
    initials = step_initials(declaration, fiscal_year, adjusting, editing)
    step_data = {}
    for step, form_class in steps_for(declaration.kind):
        extra = dict(initials[step])
        initial = extra.pop("initial")
        form = form_class(
            prefix=step,
            initial=initial,
            department=declaration.department,
            kind=declaration.kind,
            profile=profile,
            declaration=declaration if editing else None,
            adjusts=declaration if adjusting else None,
            **extra,
        )
        step_data[step] = initial_data(form)
    first = steps_for(declaration.kind)[0][0]
    return {
        "step": first,
        "step_data": step_data,
        "step_files": {},
        "extra_data": {"version": declaration.version} if editing else {},
    }
