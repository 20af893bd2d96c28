"""What the review checklist's indicator rules say of each declaration, stored with it.

The finance bureau's dashboard counts a year's declarations by these facts instead of reading
the year's indicators (a province's year has some 200,000). They are derived data: written by
``declarations.quality.refresh_quality`` in the same transaction as every write of a
declaration's indicators, never edited by hand.
"""

from django.db import models


class DeclarationQuality(models.Model):
    """The counted indicators of one declaration (not the level-2 rows printed without a
    level-3 indicator) by kind, and which of the checklist's questions they answer."""

    declaration = models.OneToOneField(
        "declarations.Declaration",
        verbose_name="申报表",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="quality",
    )
    indicators = models.PositiveIntegerField("指标数", default=0)
    quantitative = models.PositiveIntegerField("定量指标数", default=0)
    qualitative = models.PositiveIntegerField("定性指标数", default=0)
    has_output = models.BooleanField("有产出指标", default=False)
    has_benefit = models.BooleanField("有效益指标", default=False)
    has_satisfaction = models.BooleanField("有满意度指标", default=False)
    has_cost = models.BooleanField("有成本指标", default=False)
    has_vague = models.BooleanField("有无法衡量的目标", default=False)

    class Meta:
        verbose_name = "申报表指标质量"
        verbose_name_plural = "申报表指标质量"

    def __str__(self):
        return f"{self.declaration_id}：{self.indicators} 项指标"
