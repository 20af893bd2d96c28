"""Performance indicators (绩效指标), the level-1/level-2 taxonomy they are filed under, and
the history of each indicator across approved declarations (``IndicatorHistory``)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from declarations.domain import rules
from declarations.domain.choices import IndicatorKind, Operator
from declarations.domain.limits import ROW_TEXT
from declarations.domain.rules import UNCLASSIFIED, Finding, as_error_dict
from declarations.models.base import HISTORY_EXCLUDED


class IndicatorCategory(models.Model):
    """A level-1 or level-2 category of the national indicator framework.

    The list itself is data (``fixtures/taxonomy.json``), loaded by ``load_samples`` and managed
    by administrators; code refers to categories by their stable ``code``.
    """

    class Level(models.IntegerChoices):
        FIRST = 1, "一级指标"
        SECOND = 2, "二级指标"

    code = models.SlugField("代码", max_length=50, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级指标",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    legacy = models.BooleanField(
        "旧版用语", default=False, help_text="仅见于旧版表格（如“进度指标”），新申报不建议使用。"
    )
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "指标分类"
        verbose_name_plural = "指标分类"
        ordering = ["level", "parent__order", "order"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level=1) & Q(parent__isnull=True))
                | (Q(level=2) & Q(parent__isnull=False)),
                name="category_parent_matches_level",
                violation_error_message="一级指标不能有上级，二级指标必须有上级一级指标。",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(level=1),
                name="category_level1_name_unique",
                violation_error_message="已有同名的一级指标。",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="category_level2_name_unique_per_parent",
                violation_error_message="该一级指标下已有同名的二级指标。",
            ),
        ]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.name} / {self.name}"
        return self.name


WEIGHT_RANGE = [
    MinValueValidator(0, "指标权重应在 0 至 100 之间。"),
    MaxValueValidator(100, "指标权重应在 0 至 100 之间。"),
]
NUMERIC_VALUE_MESSAGES = {"invalid": "指标值必须是数字，“%(value)s”不是数字。"}


class PerformanceIndicator(models.Model):
    """One row of a declaration's indicator grid."""

    declaration = models.ForeignKey(
        "declarations.Declaration",
        verbose_name="申报表",
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    order = models.PositiveIntegerField("序号")
    level1 = models.ForeignKey(
        IndicatorCategory,
        verbose_name="一级指标",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 1},
    )
    level2 = models.ForeignKey(
        IndicatorCategory,
        verbose_name="二级指标",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 2},
    )
    name = models.CharField(
        "三级指标",
        max_length=300,
        blank=True,
        help_text="具体指标名称；留空表示表中列出但未设三级指标的二级指标行。",
    )
    weight = models.DecimalField(
        "指标权重", max_digits=5, decimal_places=2, null=True, blank=True, validators=WEIGHT_RANGE
    )
    unit = models.CharField("计量单位", max_length=20, blank=True)
    operator = models.CharField(
        "指标性质（运算符）", max_length=1, choices=Operator.choices, blank=True
    )
    kind = models.CharField(
        "指标属性", max_length=20, choices=IndicatorKind.choices, default=IndicatorKind.QUANTITATIVE
    )
    target_value = models.DecimalField(
        "年度指标值（数值）",
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        error_messages=NUMERIC_VALUE_MESSAGES,
    )
    target_text = models.TextField("年度指标值（文字）", blank=True, max_length=ROW_TEXT)
    period_value = models.DecimalField(
        "实施周期指标值（数值）",
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        error_messages=NUMERIC_VALUE_MESSAGES,
    )
    period_text = models.TextField("实施周期指标值（文字）", blank=True, max_length=ROW_TEXT)
    description = models.TextField("指标内容 / 绩效指标描述", blank=True, max_length=ROW_TEXT)
    basis = models.TextField("指标值设定依据及数据来源", blank=True, max_length=ROW_TEXT)
    scoring_rule = models.TextField("评（扣）分标准", blank=True, max_length=ROW_TEXT)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = "绩效指标"
        verbose_name_plural = "绩效指标"
        ordering = ["declaration", "order"]
        # ``indicators.history.refresh`` reads the indicators of a few names among a
        # province's million: by this index, not by a scan.
        indexes = [models.Index(fields=["name"], name="indicator_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "order"],
                name="indicator_order_unique",
                violation_error_message="同一申报表中指标序号不能重复。",
            ),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=0, weight__lte=100),
                name="indicator_weight_range",
                violation_error_message="指标权重应在 0 至 100 之间。",
            ),
            models.CheckConstraint(
                condition=Q(operator__in=["", *Operator.values]),
                name="indicator_operator_valid",
                violation_error_message="指标性质只能是 =、≥、≤、>、< 或不填。",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=IndicatorKind.values),
                name="indicator_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind=IndicatorKind.QUANTITATIVE) | Q(target_value__isnull=False),
                name="indicator_quantitative_has_number",
                violation_error_message="定量指标必须填写数字指标值。",
            ),
        ]

    def __str__(self):
        return self.name or (self.level2.name if self.level2_id else "")

    @property
    def is_placeholder(self) -> bool:
        """A level-2 row printed without a level-3 indicator (e.g. 经济效益指标 left empty)."""
        return not self.name and self.target_value is None and not self.target_text

    @property
    def is_measured(self) -> bool:
        """Quantitative with a numeric target: monitored and scored by formula (DOMAIN.md);
        every other indicator is judged by people (达成 / 部分达成 / 未达成)."""
        return self.kind == IndicatorKind.QUANTITATIVE and self.target_value is not None

    @property
    def level1_name(self) -> str:
        """The level-1 name as pages show it: an indicator without one is 未分类."""
        return self.level1.name if self.level1_id else UNCLASSIFIED

    def clean(self):
        findings: list[Finding] = []
        if self.level1_id and self.level1.level != IndicatorCategory.Level.FIRST:
            findings.append(Finding(f"“{self.level1.name}”不是一级指标。", "level1"))
        if self.level2_id:
            if self.level2.level != IndicatorCategory.Level.SECOND:
                findings.append(Finding(f"“{self.level2.name}”不是二级指标。", "level2"))
            elif not self.level1_id:
                findings.append(Finding("选择二级指标前请先选择一级指标。", "level1"))
            elif self.level2.parent_id != self.level1_id:
                findings.append(
                    Finding(
                        f"二级指标“{self.level2.name}”不属于一级指标“{self.level1.name}”。",
                        "level2",
                    )
                )
        findings += self.value_findings()
        if findings:
            raise ValidationError(as_error_dict(findings))

    def value_findings(self) -> list[Finding]:
        """What is wrong with the annual and the period value (see ``rules.value_findings``).
        A placeholder row (a level 2 printed without a level-3 indicator) has no value."""
        if self.is_placeholder and self.kind != IndicatorKind.QUANTITATIVE:
            return []
        return [
            *rules.value_findings(
                self.kind,
                self.target_value,
                self.target_text,
                field="target_value",
                text_field="target_text",
            ),
            *rules.value_findings(
                self.kind,
                self.period_value,
                self.period_text,
                field="period_value",
                text_field="period_text",
                label="实施周期指标值",
                required=False,
            ),
        ]


class IndicatorHistory(models.Model):
    """What approved declarations did with one indicator: how often it was used, in which
    years, the numeric targets set for it and the actuals reached (approved self-evaluations).

    One row per (name, kind, unit, operator, level 1, level 2): only like is summarised with
    like, since 90 % and 90 人次 are different targets. Derived data, never typed: kept by
    ``indicators.history`` (``refresh`` on approval, ``rebuild`` in full), so that the
    indicator library reads one small indexed table instead of aggregating every indicator
    of the province per keystroke. Medians are the lower median: a target somebody set.
    """

    name = models.CharField("三级指标", max_length=300)
    kind = models.CharField("指标属性", max_length=20, choices=IndicatorKind.choices)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    operator = models.CharField(
        "指标性质（运算符）", max_length=1, choices=Operator.choices, blank=True
    )
    # Derived rows go with their category; a category in use is protected by its indicators.
    level1 = models.ForeignKey(
        IndicatorCategory,
        verbose_name="一级指标",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    level2 = models.ForeignKey(
        IndicatorCategory,
        verbose_name="二级指标",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    uses = models.PositiveIntegerField("使用次数")
    first_year = models.PositiveSmallIntegerField("最早年度")
    last_year = models.PositiveSmallIntegerField("最近年度")
    target_count = models.PositiveIntegerField("数值目标个数", default=0)
    target_min = models.DecimalField(
        "目标值最低", max_digits=18, decimal_places=4, null=True, blank=True
    )
    target_median = models.DecimalField(
        "目标值中位数", max_digits=18, decimal_places=4, null=True, blank=True
    )
    target_max = models.DecimalField(
        "目标值最高", max_digits=18, decimal_places=4, null=True, blank=True
    )
    example_text = models.TextField(
        "常见文字目标", blank=True, max_length=ROW_TEXT, help_text="定性指标最常见的目标表述。"
    )
    actual_count = models.PositiveIntegerField("实际完成值个数", default=0)
    actual_min = models.DecimalField(
        "实际完成最低", max_digits=18, decimal_places=4, null=True, blank=True
    )
    actual_median = models.DecimalField(
        "实际完成中位数", max_digits=18, decimal_places=4, null=True, blank=True
    )
    actual_max = models.DecimalField(
        "实际完成最高", max_digits=18, decimal_places=4, null=True, blank=True
    )
    refreshed_at = models.DateTimeField("统计时间")

    class Meta:
        verbose_name = "指标使用历史"
        verbose_name_plural = "指标使用历史"
        ordering = ["-uses", "name"]
        indexes = [
            # The most used first: the library's popular window reads this index in order.
            models.Index(models.F("uses").desc(), "id", name="indicator_history_uses_idx"),
        ]
        constraints = [
            # Also the index by name that ``refresh`` deletes and the wizard looks up by.
            models.UniqueConstraint(
                "name",
                "kind",
                "unit",
                "operator",
                Coalesce("level1", 0),
                Coalesce("level2", 0),
                name="indicator_history_key_unique",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.uses} 次）"

    @property
    def key(self) -> tuple:
        return history_key(
            self.name, self.kind, self.unit, self.operator, self.level1_id, self.level2_id
        )


def history_key(name, kind, unit, operator, level1_id, level2_id) -> tuple:
    """What makes two indicators the same for their history: like is compared with like."""
    return (name, kind, unit, operator, level1_id or None, level2_id or None)
