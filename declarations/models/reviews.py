"""The review trail: every status move with who, when and why, and reviewers' comments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from declarations.domain.choices import Grade  # noqa: F401  (re-exported)
from declarations.domain.workflow import MOVES

# A comment, an answer or a move's reason is read by people, on the detail page and in mails:
# a few paragraphs at most, and a bounded number per indicator in each round of review.
COMMENT_MAX_LENGTH = 2000
COMMENTS_PER_TARGET = 20


def comment_length_validator(what: str = "意见") -> MaxLengthValidator:
    return MaxLengthValidator(
        COMMENT_MAX_LENGTH, f"{what}不能超过 {COMMENT_MAX_LENGTH} 字（现有 %(show_value)d 字）。"
    )


class StatusChange(models.Model):
    """One move of the workflow (提交、取消送审、退回、通过), written by ``workflow.perform``."""

    declaration = models.ForeignKey(
        "declarations.Declaration",
        verbose_name="申报表",
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    # A move of a monitoring report or a self-evaluation is recorded on its declaration too,
    # so the declaration's history tells its whole year.
    monitoring_report = models.ForeignKey(
        "declarations.MonitoringReport",
        verbose_name="监控报告",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="status_changes",
    )
    self_evaluation = models.ForeignKey(
        "declarations.SelfEvaluation",
        verbose_name="绩效自评",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="status_changes",
    )
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=20)
    to_status = models.CharField("新状态", max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    comment = models.TextField(
        "意见", blank=True, max_length=COMMENT_MAX_LENGTH, validators=[comment_length_validator()]
    )

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.declaration} {self.from_status}→{self.to_status}"

    @property
    def subject_label(self) -> str:
        """What moved: the declaration itself, or one of its reports."""
        if self.monitoring_report_id:
            return "绩效监控报告"
        if self.self_evaluation_id:
            return "绩效自评"
        return "申报表"

    @property
    def report_address(self) -> tuple[str, int] | None:
        """(kind, pk) of the report page when a report moved, else None."""
        if self.monitoring_report_id:
            return "monitoring", self.monitoring_report_id
        if self.self_evaluation_id:
            return "evaluation", self.self_evaluation_id
        return None

    @property
    def action_label(self) -> str:
        move = MOVES.get(self.action)
        return move.label if move else self.action


class ReviewComment(models.Model):
    """A reviewer's comment on the declaration or on one indicator, and the clerk's answer.

    The indicator is also remembered by its order and name, because a comment must outlive an
    indicator that the clerk rewrites or removes in answer to it.
    """

    declaration = models.ForeignKey(
        "declarations.Declaration",
        verbose_name="申报表",
        on_delete=models.CASCADE,
        related_name="review_comments",
    )
    indicator = models.ForeignKey(
        "indicators.PerformanceIndicator",
        verbose_name="绩效指标",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
    )
    indicator_order = models.PositiveIntegerField("指标序号", null=True, blank=True)
    indicator_name = models.CharField("指标名称", max_length=300, blank=True)
    review_round = models.PositiveIntegerField("审核轮次")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(
        "审核意见", max_length=COMMENT_MAX_LENGTH, validators=[comment_length_validator()]
    )
    created_at = models.DateTimeField("时间", default=timezone.now)
    reply = models.TextField(
        "申报人回复",
        blank=True,
        max_length=COMMENT_MAX_LENGTH,
        validators=[comment_length_validator("回复")],
    )
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        # The latest round first; in a round the overall comments, then by indicator.
        ordering = [
            "-review_round",
            models.F("indicator_order").asc(nulls_first=True),
            "created_at",
            "pk",
        ]

    def __str__(self):
        return self.text[:40]

    def clean(self):
        if self.pk is None and self.declaration_id is not None:
            earlier = ReviewComment.objects.filter(
                declaration_id=self.declaration_id,
                review_round=self.review_round,
                indicator_order=self.indicator_order,  # None: the overall comments
            )
            if earlier.count() >= COMMENTS_PER_TARGET:
                raise ValidationError(
                    f"{self.target}：本轮审核的意见已有 {COMMENTS_PER_TARGET} 条，"
                    "不能再添加，请合并到已有意见中。"
                )

    @property
    def target(self) -> str:
        if self.indicator_order is None:
            return "整体意见"
        return f"指标 {self.indicator_order}：{self.indicator_name}"
