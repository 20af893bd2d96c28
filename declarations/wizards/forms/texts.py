"""Narratives of a project, targets and key tasks of a department-wide declaration, and the
particulars of the implementing unit where a project table prints them (Kunming)."""

from decimal import Decimal

from django import forms

from declarations.domain.choices import Kind
from declarations.domain.limits import ROW_TEXT
from declarations.domain.money import MoneyUnit, format_amount, from_unit
from declarations.domain.plausibility import (
    amount_findings,
    key_task_funds_findings,
    old_year_findings,
)
from declarations.domain.rules import Finding
from declarations.models import Declaration
from declarations.wizards.composite import CompositeForm
from declarations.wizards.forms.base import SMALL_TEXTAREA, StepForm, StyledForm

# Narratives the Kunming table prints inside its 项目实施单位 block, asked with the unit.
UNIT_NARRATIVES = ("funding_source",)


def old_year_warnings(step: StepForm, form, fields, label) -> list[Finding]:
    """Where ``step`` belongs to a copied declaration: the old-year warnings about the text
    ``fields`` of ``form`` (the step itself or one of its rows), each field named by
    ``label(field)``."""
    if step.copied_from is None or not step.fiscal_year:
        return []
    texts = {name: form.cleaned_data.get(name) for name in fields}
    return old_year_findings(
        {name: text for name, text in texts.items() if isinstance(text, str)},
        {name: label(name) for name in fields},
        copied_year=step.copied_from.fiscal_year,
        fiscal_year=step.fiscal_year,
    )


class NarrativeForm(StepForm):
    """Narratives of a project declaration: the project's texts and the targets; and where
    the layout prints the implementing unit's particulars in a project table (Kunming's
    项目实施单位: 组织机构代码, 地址, 联系电话, 法人代表, 单位概况), those particulars.

    The particulars are the declaration's own (``DeclarationInput.particulars``), as in the
    department-wide wizard: pre-filled from the department's current ones for a new
    declaration, from the declaration when editing it, and saved as typed; the department
    row stays the administrators'. Input stored before the layout asked them (the clerk
    chose another layout first) lacks them: they are pre-filled then too, not left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.particular_names: tuple[str, ...] = ()
        if self.kind == Kind.PROJECT:
            self.particular_names = self.profile.department_fields
        for name in self.particular_names:
            label = self.profile.department_labels.get(name) or Declaration.text_label(name)
            self.fields[name] = forms.CharField(
                label=label,
                max_length=Declaration._meta.get_field(name).max_length,
                widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"})
                if name == "functions"
                else forms.TextInput(attrs={"class": "form-control"}),
                error_messages={"required": f"所选表样需要填写{label}。"},
            )
        missing = [
            name
            for name in self.particular_names
            if self.is_bound and self.add_prefix(name) not in self.data
        ]
        if missing:
            data = self.data.copy()
            for name in missing:
                data[self.add_prefix(name)] = self.initial.get(name) or ""
            self.data = data
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

    @property
    def unit_fields(self) -> list:
        """The fields of the 项目实施单位 block, in the table's order (empty where the
        layout prints none)."""
        if not self.particular_names:
            return []
        names = [*self.particular_names, *(n for n in UNIT_NARRATIVES if n in self.fields)]
        return [self[name] for name in names]

    @property
    def text_fields(self) -> list:
        """The other fields: the narratives and targets."""
        unit = {field.name for field in self.unit_fields}
        return [self[name] for name in self.fields if name not in unit]

    @property
    def texts(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(name, "")
            for name in self.fields
            if name not in self.particular_names
        }

    @property
    def particulars(self) -> dict[str, str]:
        """The implementing unit's particulars as typed (department field names)."""
        return {name: self.cleaned_data.get(name, "") for name in self.particular_names}

    def plausibility(self) -> list[Finding]:
        return old_year_warnings(
            self, self, list(self.fields), lambda name: self.fields[name].label
        )


class KeyTaskForm(StyledForm):
    name = forms.CharField(
        label="名称", max_length=200, error_messages={"required": "请填写任务名称。"}
    )
    content = forms.CharField(
        label="主要实施内容", widget=SMALL_TEXTAREA, required=False, max_length=ROW_TEXT
    )
    funds = forms.DecimalField(label="拟投入的资金", required=False)  # see __init__
    expected_result = forms.CharField(
        label="期望达到的目标", widget=SMALL_TEXTAREA, required=False, max_length=ROW_TEXT
    )

    def __init__(self, *args, money_unit: str = MoneyUnit.WAN_YUAN, **kwargs):
        super().__init__(*args, **kwargs)
        # In the layout's unit, named with it as the table prints it: 拟投入的资金（万元）.
        unit = MoneyUnit(money_unit).label
        places = 6 if money_unit == MoneyUnit.WAN_YUAN else 2
        self.fields["funds"] = forms.DecimalField(
            label=f"拟投入的资金（{unit}）",
            max_digits=15,
            decimal_places=places,
            min_value=0,
            required=False,
            error_messages={
                "invalid": f"请填写金额数字（单位：{unit}）。",
                "min_value": "金额不能为负数。",
                "max_decimal_places": f"金额最多精确到分（{unit}小数点后 {places} 位）。",
                "max_whole_digits": f"金额过大，请核对单位（{unit}）。",
            },
            widget=forms.TextInput(
                attrs={"class": "form-control text-end", "inputmode": "decimal"}
            ),
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
    """Targets of a department-wide declaration, with its key tasks where the layout has them.

    ``budget``: the amounts of the budget step (yuan), to compare the tasks' funds with."""

    def __init__(self, *args, **kwargs):
        initial_tasks = kwargs.pop("initial_tasks", None)
        self.budget = kwargs.pop("budget_amounts", None) or {}
        super().__init__(*args, **kwargs)
        self.section_warnings: list[str] = []
        if self.profile.key_tasks:
            self.nest(
                "tasks",
                KeyTaskFormSet,
                initial=initial_tasks or [],
                form_kwargs={"money_unit": self.profile.money_unit},
            )

    def _task_forms(self) -> list:
        """The task rows the clerk kept (not deleted), in the clerk's order, cleaned."""
        formset = self.nested["tasks"]
        formset.is_valid()
        return [
            form
            for form in self.rows_in_order("tasks")
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        data = super().clean()
        if self.profile.key_tasks and self.nested["tasks"].is_valid():
            unit = self.profile.money_unit
            tasks = [dict(form.cleaned_data) for form in self._task_forms()]
            for task in tasks:
                task["funds"] = None if task["funds"] is None else from_unit(task["funds"], unit)
            self.tasks = tasks
        return data

    def plausibility(self) -> list[Finding]:
        found = super().plausibility()
        self.section_warnings = []
        if not self.profile.key_tasks:
            return found
        unit = self.profile.money_unit
        labels = {name: str(field.label) for name, field in KeyTaskForm.base_fields.items()}
        funds: dict[str, Decimal | None] = {}
        rows = {}
        for number, row in enumerate(self._task_forms(), start=1):
            amount = row.cleaned_data.get("funds")
            funds[str(number)] = None if amount is None else from_unit(amount, unit)
            rows[str(number)] = row
            row_found = old_year_warnings(
                self,
                row,
                ("name", "content", "expected_result"),
                lambda name, n=number: f"第 {n} 项重点工作任务的{labels[name]}",
            )
            for finding in row_found:
                row.add_warning(finding)
            found += row_found
        # Tasks typed in 元 are one warning; their sum is then beside the point.
        slips = amount_findings(
            funds, unit, {number: f"第 {number} 项重点工作任务的资金" for number in funds}
        )
        within = self.profile.key_tasks_within
        for finding in slips or key_task_funds_findings(
            list(funds.values()),
            self.budget.get(within),
            self.profile.amount_label(within),
            lambda amount: f"{format_amount(amount, unit)} {MoneyUnit(unit).label}",
            where="“预算资金”一步填写的",
        ):
            self.section_warnings.append(finding.message)
            concerned = (finding.field, *finding.related) if slips else tuple(funds)
            for number in concerned:
                if funds.get(number) is not None:
                    rows[number].warned.add("funds")
            found.append(finding)
        return found
