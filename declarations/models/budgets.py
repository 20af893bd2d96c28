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

from declarations.history import HISTORY_EXCLUDED
from declarations.money import MoneyUnit, format_amount

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


# Parts that must add up to the total where a table states them. Each entry: the parts, and how
# the message names them. A blank part counts as zero once any part of its group is filled in.
TOTAL_IDENTITIES = (
    (
        ("basic_expenditure", "project_expenditure", "other_expenditure"),
        "基本支出、项目支出与其他支出",
    ),
    (("fiscal_appropriation", "other_funds"), "财政拨款（财政资金）与其他资金"),
    (
        ("district_level", "subsidies_to_subdistricts", "transfers_down"),
        "区级（本级）支出、补助街镇与对下转移支付资金",
    ),
)


AMOUNT_FIELDS = (
    "total",
    "fiscal_appropriation",
    "other_funds",
    "basic_expenditure",
    "project_expenditure",
    "other_expenditure",
    "district_level",
    "subsidies_to_subdistricts",
    "transfers_down",
    "special_funds",
    "other_development",
)


class Budget(models.Model):
    declaration = models.OneToOneField(
        "declarations.Declaration",
        verbose_name="申报表",
        on_delete=models.CASCADE,
        related_name="budget",
    )
    total = amount_field("预算总额")
    fiscal_appropriation = amount_field("财政拨款")
    other_funds = amount_field("其他资金")
    basic_expenditure = amount_field("基本支出")
    project_expenditure = amount_field("项目支出")
    other_expenditure = amount_field("其他支出")
    district_level = amount_field("区级（区本级）支出")
    subsidies_to_subdistricts = amount_field("补助街镇")
    transfers_down = amount_field("拟用于对下转移支付资金")
    special_funds = amount_field("财政专项资金")
    other_development = amount_field("其他事业发展性支出")

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
        """An amount's name without its unit (the unit is the table's): 预算总额."""
        return str(Budget._meta.get_field(name).verbose_name).replace("（元）", "")

    def _unit(self) -> str:
        try:
            return self.declaration.money_unit
        except Budget.declaration.RelatedObjectDoesNotExist:
            return MoneyUnit.YUAN

    def _show(self, amount: Decimal) -> str:
        unit = self._unit()
        return f"{format_amount(amount, unit)} {MoneyUnit(unit).label}"

    def clean(self):
        errors: dict[str, list[str]] = {}
        for parts, label in TOTAL_IDENTITIES:
            values = [getattr(self, name) for name in parts]
            if all(value is None for value in values):
                continue
            first_filled = next(n for n, v in zip(parts, values, strict=True) if v is not None)
            if self.total is None:
                errors.setdefault("total", []).append(f"已填写{label}，请同时填写预算总额。")
                continue
            parts_sum = sum((value for value in values if value is not None), Decimal(0))
            if parts_sum != self.total:
                errors.setdefault(first_filled, []).append(
                    f"{label}之和为 {self._show(parts_sum)}，"
                    f"与预算总额 {self._show(self.total)} 不一致。"
                )
        development = [
            value for value in (self.special_funds, self.other_development) if value is not None
        ]
        if development and self.project_expenditure is not None:
            development_sum = sum(development, Decimal(0))
            if development_sum > self.project_expenditure:
                errors.setdefault("special_funds", []).append(
                    f"财政专项资金与其他事业发展性支出之和为 {self._show(development_sum)}，"
                    f"超过项目支出 {self._show(self.project_expenditure)}。"
                )
        if errors:
            raise ValidationError(errors)


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
            MinValueValidator(0, "支出比例应在 0% 至 100% 之间。"),
            MaxValueValidator(100, "支出比例应在 0% 至 100% 之间。"),
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
                violation_error_message="支出比例应在 0% 至 100% 之间。",
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.cumulative_percent}%"

    @property
    def label(self) -> str:
        return f"{self.month}月底"


def validate_spending_plan(points) -> None:
    """Check a whole plan: cumulative shares never fall and the last one is 100 %.

    ``points`` are (month, cumulative_percent) pairs or SpendingPlanPoint objects in any order.
    """
    pairs = sorted(
        (p.month, p.cumulative_percent) if isinstance(p, SpendingPlanPoint) else tuple(p)
        for p in points
    )
    if not pairs:
        return
    errors = []
    months = [month for month, _ in pairs]
    if len(set(months)) != len(months):
        errors.append("同一月份只能有一个支出计划节点。")
    for (month_a, share_a), (month_b, share_b) in zip(pairs, pairs[1:], strict=False):
        if share_b < share_a:
            errors.append(
                f"累计支出比例不能下降：{month_a}月底为 {share_a}%，{month_b}月底却为 {share_b}%。"
            )
    last_month, last_share = pairs[-1]
    if last_share != 100:
        errors.append(
            f"支出计划最后一个节点（{last_month}月底）应达到 100%，目前为 {last_share}%。"
        )
    if errors:
        raise ValidationError(errors)
