"""The fixed vocabularies of the domain, as Django choices."""

from django.db import models


class Kind(models.TextChoices):
    PROJECT = "project", "项目支出"
    DEPARTMENT = "department", "部门整体支出"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


# Statuses in which nothing of a declaration may change except by a workflow move.
FROZEN_STATUSES = (Status.SUBMITTED, Status.APPROVED)


class Layout(models.TextChoices):
    """The official table layouts a declaration can be filed in (see DOMAIN.md)."""

    CHONGQING_SPECIAL = "cq_special", "重庆·专项资金绩效目标申报表"
    GUANGZHOU_DEPARTMENT = "gz_department", "广州·部门整体预算绩效目标申报表"
    BEIJING_DEPARTMENT = "bj_department", "北京·部门（单位）绩效目标申报表"
    KUNMING_PROJECT = "km_project", "昆明·项目绩效目标表"
    HEBEI_COUNTY = "hb_county", "河北·县级预算项目绩效目标表"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优"
    GOOD = "good", "良"
    FAIR = "fair", "中"
    POOR = "poor", "差"


class Operator(models.TextChoices):
    EQ = "=", "="
    GE = "≥", "≥"
    LE = "≤", "≤"
    GT = ">", ">"
    LT = "<", "<"


class IndicatorKind(models.TextChoices):
    QUANTITATIVE = "quantitative", "定量"
    QUALITATIVE = "qualitative", "定性"
