"""Projects (项目 / 专项资金): a line of spending with its own budget and narratives."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from declarations.domain.rules import as_error_dict, period_findings
from declarations.models.base import HISTORY_EXCLUDED


class Project(models.Model):
    # The narrative texts of a project, in the order the forms show them.
    NARRATIVE_FIELDS = (
        "overview",
        "legal_basis",
        "funding_source",
        "content",
        "funding_arrangement",
        "fund_use",
        "plan",
        "expected_results",
    )

    department = models.ForeignKey(
        "declarations.Department",
        verbose_name="单位",
        on_delete=models.PROTECT,
        related_name="projects",
    )
    name = models.CharField("项目名称", max_length=200)
    code = models.CharField("项目编码", max_length=50, blank=True)
    period_start = models.PositiveSmallIntegerField("实施周期起始年度", null=True, blank=True)
    period_end = models.PositiveSmallIntegerField("实施周期结束年度", null=True, blank=True)
    overview = models.TextField("项目概况", blank=True)
    legal_basis = models.TextField("立项依据", blank=True)
    funding_source = models.CharField("经费来源", max_length=100, blank=True)
    content = models.TextField("实施内容", blank=True)
    funding_arrangement = models.TextField("资金安排情况", blank=True)
    fund_use = models.TextField("资金用途", blank=True)
    plan = models.TextField("实施计划", blank=True)
    expected_results = models.TextField("预期成效", blank=True)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"],
                name="project_name_unique_per_department",
                violation_error_message="本单位已有同名项目。",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="project_period_ordered",
                violation_error_message="实施周期的结束年度不能早于起始年度。",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def period_label(self) -> str:
        if self.period_start and self.period_end and self.period_start != self.period_end:
            return f"{self.period_start}-{self.period_end}"
        return str(self.period_start or self.period_end or "")

    def clean(self):
        findings = period_findings(self.period_start, self.period_end)
        if findings:
            raise ValidationError(as_error_dict(findings))
