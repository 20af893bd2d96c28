"""The forms of the wizard steps. Each validates everything it can on its own, in Chinese, at
the field that is wrong; rules that depend on the layout come from its ``LayoutProfile``."""

from declarations.wizards.forms.base import ReviewForm
from declarations.wizards.forms.basic import DepartmentBasicForm, ProjectBasicForm
from declarations.wizards.forms.budget import BudgetForm, SpendingPlanFormSet
from declarations.wizards.forms.indicators import IndicatorFormSet, IndicatorsForm
from declarations.wizards.forms.texts import KeyTaskFormSet, NarrativeForm, TargetsForm

__all__ = [
    "BudgetForm",
    "DepartmentBasicForm",
    "IndicatorFormSet",
    "IndicatorsForm",
    "KeyTaskFormSet",
    "NarrativeForm",
    "ProjectBasicForm",
    "ReviewForm",
    "SpendingPlanFormSet",
    "TargetsForm",
]
