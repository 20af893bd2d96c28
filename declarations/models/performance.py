"""After approval: monitoring rounds and their reports (绩效运行监控), and self-evaluations
(绩效自评). Both attach to the approved version of a declaration and are reviewed (复核) through
the same workflow as declarations. The rules that compute lights and scores live in
``declarations.domain.monitoring`` and ``declarations.domain.evaluation``; the rows here hold
only what people typed (and, for a submitted self-evaluation, the scores it was submitted with).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from declarations.domain.choices import FROZEN_STATUSES, Status
from declarations.domain.evaluation import Band
from declarations.domain.limits import LONG_TEXT, ROW_TEXT
from declarations.domain.monitoring import DeviationCause, Judgement, Likelihood


def _amount(label: str) -> models.DecimalField:
    """An amount in yuan, to the cent (as the budget's amounts)."""
    return models.DecimalField(
        label,
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "金额不能为负数。")],
        error_messages={
            "invalid": "请填写金额数字。",
            "max_digits": "金额过大，请核对单位。",
            "max_whole_digits": "金额过大，请核对单位。",
            "max_decimal_places": "金额最多精确到分。",
        },
    )


def _value(label: str) -> models.DecimalField:
    """An indicator's figure, as precise as its target (``target_value``)."""
    return models.DecimalField(
        label,
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        error_messages={
            "invalid": "请填写数字。",
            "max_digits": "数字过大。",
            "max_whole_digits": "数字过大。",
            "max_decimal_places": "最多保留 4 位小数。",
        },
    )


class Reviewed(models.Model):
    """What a report shares with a declaration for the review workflow (复核)."""

    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("版本号", default=1)
    review_round = models.PositiveIntegerField("送审次数", default=0)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    grade = models.CharField("评级", max_length=20, blank=True)
    updated_at = models.DateTimeField("最后修改", auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status not in FROZEN_STATUSES

    @property
    def department(self):
        return self.declaration.department


class MonitoringRound(models.Model):
    """A round of monitoring a bureau opens: the year, the month the data runs to, the due
    date and the departments it covers."""

    fiscal_year = models.PositiveSmallIntegerField(
        "预算年度",
        validators=[
            MinValueValidator(2000, "预算年度不能早于 2000 年。"),
            MaxValueValidator(2100, "预算年度不能晚于 2100 年。"),
        ],
    )
    data_month = models.PositiveSmallIntegerField(
        "数据截至月份",
        validators=[
            MinValueValidator(1, "数据截至月份应在 1 至 12 月之间。"),
            MaxValueValidator(12, "数据截至月份应在 1 至 12 月之间。"),
        ],
        help_text="例如 7 表示数据截至 7 月 31 日（1-7 月）。",
    )
    due_date = models.DateField("填报截止日期")
    departments = models.ManyToManyField(
        "declarations.Department", verbose_name="监控单位", related_name="monitoring_rounds"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("发起时间", default=timezone.now)

    class Meta:
        verbose_name = "绩效监控批次"
        verbose_name_plural = "绩效监控批次"
        ordering = ["-fiscal_year", "-data_month", "-pk"]

    def __str__(self):
        return f"{self.fiscal_year}年 1-{self.data_month}月 绩效运行监控"

    @property
    def period_label(self) -> str:
        return f"1-{self.data_month}月"


class MonitoringReport(Reviewed):
    """One approved declaration's monitoring in a round, filled by its department's clerk."""

    round = models.ForeignKey(
        MonitoringRound, verbose_name="监控批次", on_delete=models.CASCADE, related_name="reports"
    )
    declaration = models.ForeignKey(
        "declarations.Declaration",
        verbose_name="申报表（已通过版本）",
        on_delete=models.PROTECT,
        related_name="monitoring_reports",
    )
    budget = _amount("年度预算数（元）")
    executed = _amount("执行数（元）")
    expected_executed = _amount("全年预计执行数（元）")
    measures = models.TextField("纠偏措施", blank=True, max_length=LONG_TEXT)

    class Meta:
        verbose_name = "绩效监控报告"
        verbose_name_plural = "绩效监控报告"
        ordering = ["round", "declaration__department_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "declaration"],
                name="monitoring_report_unique",
                violation_error_message="该申报表在本批次中已有监控报告。",
            )
        ]

    def __str__(self):
        return f"{self.round} · {self.declaration.department_name} {self.declaration.subject}"


class MonitoringEntry(models.Model):
    """One indicator's progress in a monitoring report."""

    report = models.ForeignKey(
        MonitoringReport, verbose_name="监控报告", on_delete=models.CASCADE, related_name="entries"
    )
    indicator = models.ForeignKey(
        "indicators.PerformanceIndicator",
        verbose_name="绩效指标",
        on_delete=models.PROTECT,
        related_name="+",
    )
    actual = _value("截至目前实际完成值")
    expected = _value("全年预计完成值")
    judgement = models.CharField(
        "目前完成情况（定性）", max_length=20, choices=Judgement.choices, blank=True
    )
    expected_judgement = models.CharField(
        "全年预计完成情况（定性）", max_length=20, choices=Judgement.choices, blank=True
    )
    likelihood = models.CharField(
        "完成目标可能性", max_length=20, choices=Likelihood.choices, blank=True
    )
    cause = models.CharField("偏差原因", max_length=20, choices=DeviationCause.choices, blank=True)
    note = models.TextField("偏差说明 / 备注", blank=True, max_length=ROW_TEXT)

    class Meta:
        verbose_name = "指标监控情况"
        verbose_name_plural = "指标监控情况"
        ordering = ["report", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="monitoring_entry_unique")
        ]

    def __str__(self):
        return f"{self.report_id} · 指标 {self.indicator_id}"


class SelfEvaluation(Reviewed):
    """The year-end self-evaluation of one approved declaration."""

    declaration = models.OneToOneField(
        "declarations.Declaration",
        verbose_name="申报表（已通过版本）",
        on_delete=models.PROTECT,
        related_name="self_evaluation",
    )
    initial_budget = _amount("年初预算数（元）")
    budget = _amount("全年预算数（元）")
    executed = _amount("全年执行数（元）")
    overall_result = models.TextField("年度总体目标实际完成情况", blank=True, max_length=LONG_TEXT)
    total_score = models.DecimalField("总分", max_digits=5, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "绩效自评"
        verbose_name_plural = "绩效自评"
        ordering = ["-declaration__fiscal_year", "declaration__department_name", "pk"]

    def __str__(self):
        return f"{self.declaration} 绩效自评"


class EvaluationEntry(models.Model):
    """One indicator in a self-evaluation: its points, the actual and the score."""

    evaluation = models.ForeignKey(
        SelfEvaluation, verbose_name="绩效自评", on_delete=models.CASCADE, related_name="entries"
    )
    indicator = models.ForeignKey(
        "indicators.PerformanceIndicator",
        verbose_name="绩效指标",
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.DecimalField(
        "分值",
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(0, "分值不能为负数。"),
            MaxValueValidator(90, "指标分值合计为 90 分，单项不能超过 90 分。"),
        ],
    )
    actual = _value("全年实际完成值")
    actual_text = models.TextField("实际完成情况（文字）", blank=True, max_length=ROW_TEXT)
    band = models.CharField("完成程度（定性）", max_length=20, choices=Band.choices, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=2, null=True, blank=True)
    cause = models.TextField("偏差原因分析及改进措施", blank=True, max_length=ROW_TEXT)

    class Meta:
        verbose_name = "指标自评情况"
        verbose_name_plural = "指标自评情况"
        ordering = ["evaluation", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "indicator"], name="evaluation_entry_unique"
            )
        ]

    def __str__(self):
        return f"{self.evaluation_id} · 指标 {self.indicator_id}"
