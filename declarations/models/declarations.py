"""The declaration (绩效目标申报表): one table a department files for review."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from declarations.history import HISTORY_EXCLUDED
from declarations.models.projects import Project
from declarations.models.reviews import Grade
from declarations.money import MoneyUnit


class Kind(models.TextChoices):
    PROJECT = "project", "项目支出"
    DEPARTMENT = "department", "部门整体支出"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


class Layout(models.TextChoices):
    """The official table layouts a declaration can be filed in (see DOMAIN.md)."""

    CHONGQING_SPECIAL = "cq_special", "重庆·专项资金绩效目标申报表"
    GUANGZHOU_DEPARTMENT = "gz_department", "广州·部门整体预算绩效目标申报表"
    BEIJING_DEPARTMENT = "bj_department", "北京·部门（单位）绩效目标申报表"
    KUNMING_PROJECT = "km_project", "昆明·项目绩效目标表"
    HEBEI_COUNTY = "hb_county", "河北·县级预算项目绩效目标表"


class Declaration(models.Model):
    # The target texts of a declaration.
    TARGET_FIELDS = ("overall_target", "annual_target", "sub_targets", "safeguards", "other_tasks")

    department = models.ForeignKey(
        "declarations.Department",
        verbose_name="单位",
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        "预算年度",
        validators=[
            MinValueValidator(2000, "预算年度不能早于 2000 年。"),
            MaxValueValidator(2100, "预算年度不能晚于 2100 年。"),
        ],
    )
    kind = models.CharField("申报类型", max_length=20, choices=Kind.choices)
    layout = models.CharField("表样", max_length=20, choices=Layout.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    money_unit = models.CharField(
        "金额单位", max_length=10, choices=MoneyUnit.choices, default=MoneyUnit.WAN_YUAN
    )
    project = models.ForeignKey(
        "declarations.Project",
        verbose_name="项目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declarations",
    )
    overall_target = models.TextField("总体目标", blank=True)
    annual_target = models.TextField("年度目标", blank=True)
    sub_targets = models.TextField("分项绩效目标", blank=True)
    safeguards = models.TextField("保障措施", blank=True)
    other_tasks = models.TextField("其他需完成的任务（可选项）", blank=True)
    adjusts = models.ForeignKey(
        "self",
        verbose_name="调整自",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
        help_text="审核通过后调整时，新版本指向被调整的已通过版本。",
    )
    review_round = models.PositiveIntegerField("送审次数", default=0, editable=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    grade = models.CharField(
        "审核评级", max_length=20, choices=Grade.choices, blank=True, editable=False
    )
    version = models.PositiveIntegerField(
        "版本号", default=1, editable=False, help_text="每次保存加一，用于发现同时修改。"
    )
    sample_key = models.CharField(
        "样表标识",
        max_length=40,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="由样表导入的申报表的来源标识，如 000-1。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = "绩效目标申报表"
        verbose_name_plural = "绩效目标申报表"
        ordering = ["-fiscal_year", "department__name", "pk"]
        indexes = [models.Index(fields=["department", "fiscal_year"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=Kind.PROJECT) & Q(project__isnull=False))
                | (Q(kind=Kind.DEPARTMENT) & Q(project__isnull=True)),
                name="declaration_project_matches_kind",
                violation_error_message="项目支出申报表必须关联项目，部门整体申报表不能关联项目。",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values),
                name="declaration_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="declaration_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.fiscal_year}年 {self.department} {self.subject}"

    def text(self, name: str) -> str:
        """A narrative of the table: the project's own (概况, 立项依据 …) or a target."""
        if name in Project.NARRATIVE_FIELDS:
            return getattr(self.project, name) if self.project_id else ""
        return getattr(self, name)

    @staticmethod
    def text_label(name: str) -> str:
        model = Project if name in Project.NARRATIVE_FIELDS else Declaration
        return str(model._meta.get_field(name).verbose_name)

    @property
    def is_editable(self) -> bool:
        """Staff may change a declaration only while it is a draft or has been returned."""
        return self.status in (Status.DRAFT, Status.RETURNED)

    @property
    def subject(self) -> str:
        """What the table is about: the project's name or the department as a whole."""
        return self.project.name if self.project_id else "部门整体"

    def clean(self):
        if self.kind == Kind.PROJECT and not self.project_id:
            raise ValidationError({"project": "项目支出申报表必须选择项目。"})
        if self.kind == Kind.DEPARTMENT and self.project_id:
            raise ValidationError({"project": "部门整体申报表不能选择项目。"})
        if (
            self.project_id
            and self.department_id
            and self.project.department_id != self.department_id
        ):
            raise ValidationError({"project": "所选项目不属于本单位。"})


class KeyTask(models.Model):
    """A key task of the year (年度重点工作任务) in a department-wide declaration."""

    declaration = models.ForeignKey(
        Declaration, verbose_name="申报表", on_delete=models.CASCADE, related_name="key_tasks"
    )
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("名称", max_length=200)
    content = models.TextField("主要实施内容", blank=True)
    funds = models.DecimalField(
        "拟投入的资金（元）",
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "金额不能为负数。")],
    )
    expected_result = models.TextField("期望达到的目标", blank=True)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = "年度重点工作任务"
        verbose_name_plural = "年度重点工作任务"
        ordering = ["declaration", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "order"],
                name="key_task_order_unique",
                violation_error_message="同一申报表中重点工作任务的序号不能重复。",
            ),
        ]

    def __str__(self):
        return self.name
