"""The steps of the two wizards, in order, with their titles."""

from declarations.domain.choices import Kind
from declarations.domain.steps import STEP_TITLES  # noqa: F401  (the wizard reads it here)
from declarations.wizards.forms import (
    BudgetForm,
    DepartmentBasicForm,
    IndicatorsForm,
    NarrativeForm,
    ProjectBasicForm,
    ReviewForm,
    TargetsForm,
)

PROJECT_STEPS = [
    ("basic", ProjectBasicForm),
    ("budget", BudgetForm),
    ("narratives", NarrativeForm),
    ("indicators", IndicatorsForm),
    ("review", ReviewForm),
]
DEPARTMENT_STEPS = [
    ("basic", DepartmentBasicForm),
    ("budget", BudgetForm),
    ("targets", TargetsForm),
    ("indicators", IndicatorsForm),
    ("review", ReviewForm),
]


def steps_for(kind: str):
    return PROJECT_STEPS if kind == Kind.PROJECT else DEPARTMENT_STEPS
