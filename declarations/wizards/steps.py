"""The steps of the two wizards, in order, with their titles."""

from declarations.models.declarations import Kind
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
STEP_TITLES = {
    "basic": "基本信息",
    "budget": "预算资金",
    "narratives": "项目情况与目标",
    "targets": "绩效目标与重点任务",
    "indicators": "绩效指标",
    "review": "核对并保存",
}


def steps_for(kind: str):
    return PROJECT_STEPS if kind == Kind.PROJECT else DEPARTMENT_STEPS
