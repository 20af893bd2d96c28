"""Narratives of a project, targets and key tasks of a department-wide declaration."""

from django import forms

from declarations.domain.limits import ROW_TEXT
from declarations.domain.money import from_unit
from declarations.models import Declaration
from declarations.wizards.composite import CompositeForm
from declarations.wizards.forms.base import SMALL_TEXTAREA, StepForm, StyledForm


class NarrativeForm(StepForm):
    """Narratives of a project declaration: the project's texts and the targets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.profile.narratives:
            label = Declaration.text_label(name)
            self.fields[name] = forms.CharField(
                label=label,
                required=name in self.profile.required_narratives,
                max_length=Declaration._meta.get_field(name).max_length,
                widget=forms.TextInput(attrs={"class": "form-control"})
                if name == "funding_source"
                else forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                error_messages={"required": f"所选表样需要填写{label}。"},
            )


class KeyTaskForm(StyledForm):
    name = forms.CharField(
        label="名称", max_length=200, error_messages={"required": "请填写任务名称。"}
    )
    content = forms.CharField(
        label="主要实施内容", widget=SMALL_TEXTAREA, required=False, max_length=ROW_TEXT
    )
    funds = forms.DecimalField(
        label="拟投入的资金",
        max_digits=15,
        decimal_places=6,
        min_value=0,
        required=False,
        error_messages={
            "invalid": "请填写金额数字。",
            "min_value": "金额不能为负数。",
            "max_decimal_places": "金额最多精确到分（万元小数点后 6 位）。",
            "max_whole_digits": "金额过大，请核对单位。",
        },
    )
    expected_result = forms.CharField(
        label="期望达到的目标", widget=SMALL_TEXTAREA, required=False, max_length=ROW_TEXT
    )


class BaseKeyTaskFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": "重点工作任务最多 %(num)d 项。",
        "missing_management_form": "页面数据不完整，请刷新后重新填写本页。",
    }


KeyTaskFormSet = forms.formset_factory(
    KeyTaskForm,
    formset=BaseKeyTaskFormSet,
    extra=0,
    can_delete=True,
    can_order=True,
    max_num=50,
    absolute_max=50,
    validate_max=True,
)


class TargetsForm(CompositeForm, NarrativeForm):
    """Targets of a department-wide declaration, with its key tasks where the layout has them."""

    def __init__(self, *args, **kwargs):
        initial_tasks = kwargs.pop("initial_tasks", None)
        super().__init__(*args, **kwargs)
        if self.profile.key_tasks:
            self.nest("tasks", KeyTaskFormSet, initial=initial_tasks or [])

    def clean(self):
        data = super().clean()
        if self.profile.key_tasks and self.nested["tasks"].is_valid():
            unit = self.profile.money_unit
            tasks = [
                f.cleaned_data
                for f in self.nested["tasks"].ordered_forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            for task in tasks:
                task["funds"] = None if task["funds"] is None else from_unit(task["funds"], unit)
            self.tasks = tasks
        return data
