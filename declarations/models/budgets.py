"""The money of a declaration: amounts in yuan and the spending plan.

Every amount is a Decimal in yuan (元). Blank means "not stated in the table", which is not the
same as zero: a form that prints 0.00 stores 0, a form that leaves the cell empty stores nothing.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from declarations.domain.budget import AMOUNT_FIELDS, CONCEPTS
from declarations.domain.money import MoneyUnit, format_amount
from declarations.domain.rules import (
    as_error_dict,
    budget_findings,
    messages,
    spending_plan_findings,
)
from declarations.models.base import HISTORY_EXCLUDED

NON_NEGATIVE = MinValueValidator(0, "金额不能为负数。")


def amount_field(label: str) -> models.DecimalField:
    return models.DecimalField(
        f"{label}（元）",
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NON_NEGATIVE],
        error_messages={"invalid": "请输入金额数字，如 37500.00。"},
    )


class Budget(models.Model):
    declaration = models.OneToOneField(
        "declarations.Declaration",
        verbose_name="申报表",
        on_delete=models.CASCADE,
        related_name="budget",
    )
    total = amount_field(CONCEPTS["total"])
    fiscal_appropriation = amount_field(CONCEPTS["fiscal_appropriation"])
    other_funds = amount_field(CONCEPTS["other_funds"])
    basic_expenditure = amount_field(CONCEPTS["basic_expenditure"])
    project_expenditure = amount_field(CONCEPTS["project_expenditure"])
    other_expenditure = amount_field(CONCEPTS["other_expenditure"])
    own_level = amount_field(CONCEPTS["own_level"])
    transfers_down = amount_field(CONCEPTS["transfers_down"])
    special_funds = amount_field(CONCEPTS["special_funds"])
    other_development = amount_field(CONCEPTS["other_development"])

    AMOUNT_FIELDS = AMOUNT_FIELDS

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = "预算资金"
        verbose_name_plural = "预算资金"
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 0}) | Q(**{f"{name}__isnull": True}),
                name=f"budget_{name}_non_negative",
                violation_error_message="金额不能为负数。",
            )
            for name in AMOUNT_FIELDS
        ]

    def __str__(self):
        return f"{self.declaration} 预算"

    @staticmethod
    def label(name: str) -> str:
        """An amount's neutral name without its unit (the unit is the table's): 预算总额."""
        return CONCEPTS[name]

    def _unit(self) -> str:
        try:
            return self.declaration.money_unit
        except Budget.declaration.RelatedObjectDoesNotExist:
            return MoneyUnit.YUAN

    def _show(self, amount: Decimal) -> str:
        unit = self._unit()
        return f"{format_amount(amount, unit)} {MoneyUnit(unit).label}"

    def amounts(self) -> dict[str, Decimal | None]:
        return {name: getattr(self, name) for name in AMOUNT_FIELDS}

    def clean(self):
        findings = budget_findings(self.amounts(), self._show)
        if findings:
            raise ValidationError(as_error_dict(findings))


class SpendingPlanPoint(models.Model):
    """One point of the spending plan: the cumulative share spent by a date (e.g. 6月底 50%)."""

    declaration = models.ForeignKey(
        "declarations.Declaration",
        verbose_name="申报表",
        on_delete=models.CASCADE,
        related_name="spending_plan",
    )
    month = models.PositiveSmallIntegerField(
        "截至月份",
        validators=[
            MinValueValidator(1, "月份应在 1 至 12 之间。"),
            MaxValueValidator(12, "月份应在 1 至 12 之间。"),
        ],
    )
    cumulative_percent = models.DecimalField(
        "累计支出比例（%）",
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(0, "支出比例应在 0%% 至 100%% 之间。"),
            MaxValueValidator(100, "支出比例应在 0%% 至 100%% 之间。"),
        ],
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = "资金支出计划"
        verbose_name_plural = "资金支出计划"
        ordering = ["declaration", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "month"],
                name="spending_plan_month_unique",
                violation_error_message="同一月份只能有一个支出计划节点。",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="spending_plan_month_range",
                violation_error_message="月份应在 1 至 12 之间。",
            ),
            models.CheckConstraint(
                condition=Q(cumulative_percent__gte=0, cumulative_percent__lte=100),
                name="spending_plan_percent_range",
                violation_error_message="支出比例应在 0%% 至 100%% 之间。",
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.cumulative_percent}%"

    @property
    def label(self) -> str:
        return f"{self.month}月底"


def validate_spending_plan(points) -> None:
    """Check a whole plan (see ``rules.spending_plan_findings``); ``points`` are (month,
    cumulative_percent) pairs or SpendingPlanPoint objects in any order."""
    pairs = [
        (p.month, p.cumulative_percent) if isinstance(p, SpendingPlanPoint) else tuple(p)
        for p in points
    ]
    findings = spending_plan_findings(pairs)
    if findings:
        raise ValidationError(messages(findings))
