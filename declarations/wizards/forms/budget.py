"""The budget step: the amounts the layout prints, in its unit, and the spending plan."""

from decimal import Decimal

from django import forms

from declarations.domain.budget import total_from_parts
from declarations.domain.money import MoneyUnit, format_amount, from_unit
from declarations.domain.plausibility import amount_findings
from declarations.domain.rules import Finding, budget_findings, contradicted_amounts
from declarations.models import Budget
from declarations.models.budgets import validate_spending_plan
from declarations.wizards.composite import CompositeForm
from declarations.wizards.forms.base import StepForm, StyledForm


class SpendingPointForm(StyledForm):
    month = forms.TypedChoiceField(
        label="截至", coerce=int, choices=[(m, f"{m}月底") for m in range(1, 13)]
    )
    percent = forms.DecimalField(
        label="累计支出比例（%）",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        error_messages={
            "min_value": "支出比例应在 0%% 至 100%% 之间。",
            "max_value": "支出比例应在 0%% 至 100%% 之间。",
            "invalid": "请填写百分比数字，如 50。",
        },
    )


class BaseSpendingPlanFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": "支出计划最多 %(num)d 个节点（每月一个）。",
        "missing_management_form": "页面数据不完整，请刷新后重新填写本页。",
    }

    def clean(self):
        if any(self.errors):
            return
        points = [
            (form.cleaned_data["month"], form.cleaned_data["percent"])
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("percent") is not None
            and not form.cleaned_data.get("DELETE")
        ]
        validate_spending_plan(points)
        self.points = sorted(points)


SpendingPlanFormSet = forms.formset_factory(
    SpendingPointForm,
    formset=BaseSpendingPlanFormSet,
    extra=0,
    can_delete=True,
    max_num=12,
    absolute_max=12,
    validate_max=True,
)


class BudgetForm(CompositeForm, StepForm):
    """The amounts the chosen layout prints, in its unit, and the spending plan."""

    def __init__(self, *args, budget: Budget | None = None, **kwargs):
        initial_plan = kwargs.pop("initial_plan", None)
        super().__init__(*args, **kwargs)
        self.existing = budget
        unit = self.profile.money_unit
        places = 6 if unit == MoneyUnit.WAN_YUAN else 2
        unit_label = MoneyUnit(unit).label
        for name, label in self.profile.budget_labels.items():
            self.fields[name] = forms.DecimalField(
                label=f"{label}（{unit_label}）",
                # 15 digits either way: 万元 with 6 decimals is at most 13 digits of yuan,
                # which is what the database column holds.
                max_digits=15,
                decimal_places=places,
                min_value=0,
                required=name in self.profile.required_budget,
                error_messages={
                    "required": f"所选表样需要填写{label}。",
                    "invalid": f"请填写金额数字（单位：{unit_label}）。",
                    "min_value": "金额不能为负数。",
                    "max_decimal_places": f"金额最多精确到分（{unit_label}小数点后 {places} 位）。",
                    "max_whole_digits": f"金额过大，请核对单位（{unit_label}）。",
                },
                widget=forms.TextInput(
                    attrs={"class": "form-control text-end", "inputmode": "decimal"}
                ),
            )
        if self.profile.spending_plan:
            self.nest(
                "plan",
                SpendingPlanFormSet,
                initial=initial_plan or [{"month": m} for m in (3, 6, 10, 12)],
            )

    def typed_in_yuan(self) -> dict[str, Decimal | None]:
        """The amounts of the form, in yuan, with the total of a table that prints none
        (the sum of its parts)."""
        unit = self.profile.money_unit
        amounts = {}
        for name in self.profile.budget_fields:
            value = self.cleaned_data.get(name)
            amounts[name] = None if value is None else from_unit(value, unit)
        if not self.profile.prints_total:
            amounts["total"] = total_from_parts(amounts)
        return amounts

    def amounts_in_yuan(self) -> dict[str, Decimal | None]:
        """What saving writes: the typed amounts, and ``None`` for those kept from another
        layout that no longer add up with them (see ``rules.contradicted_amounts``)."""
        amounts = self.typed_in_yuan()
        if self.existing is not None:
            for name in contradicted_amounts(self.existing.amounts(), amounts):
                amounts[name] = None
        return amounts

    def show(self, amount: Decimal) -> str:
        unit = self.profile.money_unit
        return f"{format_amount(amount, unit)} {MoneyUnit(unit).label}"

    def clean(self):
        data = super().clean()
        # Every amount that is a number, before a rule's error takes it out of cleaned_data:
        # the plausibility warnings read them all.
        unit = self.profile.money_unit
        self.parsed = {
            name: from_unit(data[name], unit)
            for name in self.profile.budget_fields
            if data.get(name) is not None
        }
        if self.errors:
            return data
        # Only the amounts of this form: each message names what the clerk sees here.
        for finding in budget_findings(self.typed_in_yuan(), self.show, self.profile):
            self.add_finding(finding)
        return data

    def plausibility(self) -> list[Finding]:
        """Amounts that look typed in 元 in a 万元 table (of those that are numbers)."""
        parsed = getattr(self, "parsed", {})
        return amount_findings(parsed, self.profile.money_unit, self.profile.budget_labels)
