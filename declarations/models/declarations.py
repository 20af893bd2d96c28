"""The declaration (绩效目标申报表): one table a department files for review."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from declarations.domain.choices import FROZEN_STATUSES, Grade, Kind, Layout, Status
from declarations.domain.limits import LONG_TEXT, ROW_TEXT
from declarations.domain.money import MoneyUnit
from declarations.domain.rules import Finding, as_error_dict, period_findings
from declarations.models.base import HISTORY_EXCLUDED
from declarations.models.projects import Project


def _text(label: str) -> models.TextField:
    return models.TextField(label, blank=True, max_length=LONG_TEXT)


class Declaration(models.Model):
    """A declaration owns everything it prints: the department's particulars as declared, the
    project's name, code, period and narratives, the budget, indicators and key tasks. The
    shared department and project rows only pre-fill the next declaration."""

    # The target texts of a declaration.
    TARGET_FIELDS = ("overall_target", "annual_target", "sub_targets", "safeguards", "other_tasks")
    # The project's narratives, in the order the forms show them.
    PROJECT_NARRATIVES = Project.NARRATIVE_FIELDS
    NARRATIVE_FIELDS = PROJECT_NARRATIVES + TARGET_FIELDS
    # The department's particulars as declared: declaration field -> Department field.
    DEPARTMENT_FIELDS = {
        "department_name": "name",
        "department_short_name": "short_name",
        "department_code": "code",
        "organisation_code": "organisation_code",
        "head": "head",
        "phone": "phone",
        "address": "address",
        "functions": "functions",
    }
    # The project's particulars as declared: declaration field -> Project field.
    PROJECT_FIELDS = {
        "project_name": "name",
        "project_code": "code",
        "period_start": "period_start",
        "period_end": "period_end",
        **{name: name for name in PROJECT_NARRATIVES},
    }

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
    department_name = models.CharField("单位名称", max_length=100, blank=True)
    department_short_name = models.CharField("单位简称", max_length=50, blank=True)
    department_code = models.CharField("单位编码", max_length=30, blank=True)
    organisation_code = models.CharField(
        "组织机构代码 / 统一社会信用代码", max_length=30, blank=True
    )
    head = models.CharField("负责人 / 法人代表", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    functions = _text("职能概述")
    division_name = models.CharField("业务主管部门", max_length=100, blank=True)
    project_name = models.CharField("项目名称", max_length=200, blank=True)
    project_code = models.CharField("项目编码", max_length=50, blank=True)
    period_start = models.PositiveSmallIntegerField("实施周期起始年度", null=True, blank=True)
    period_end = models.PositiveSmallIntegerField("实施周期结束年度", null=True, blank=True)
    overview = _text("项目概况")
    legal_basis = _text("立项依据")
    funding_source = models.CharField("经费来源", max_length=100, blank=True)
    content = _text("实施内容")
    funding_arrangement = _text("资金安排情况")
    fund_use = _text("资金用途")
    plan = _text("实施计划")
    expected_results = _text("预期成效")
    overall_target = _text("总体目标")
    annual_target = _text("年度目标")
    sub_targets = _text("分项绩效目标")
    safeguards = _text("保障措施")
    other_tasks = _text("其他需完成的任务（可选项）")
    adjusts = models.ForeignKey(
        "self",
        verbose_name="调整自",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
        help_text="审核通过后调整时，新版本指向被调整的已通过版本。",
    )
    adjustment_no = models.PositiveSmallIntegerField(
        "调整次序", default=0, editable=False, help_text="原申报表为 0，第 N 次调整为 N。"
    )
    adjustment_reason = models.TextField(
        "调整说明", blank=True, max_length=LONG_TEXT, help_text="调整版本必须说明调整的原因和内容。"
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
        indexes = [
            models.Index(fields=["department", "fiscal_year"]),
            # The dashboard's counts of a year (by department, status and time waited) read
            # this index alone, not the wide rows.
            models.Index(
                fields=["fiscal_year", "department", "status", "submitted_at", "reviewed_at", "id"],
                name="declaration_year_figures",
            ),
            # The lists read a page in the order of one of these indexes and stop (each sort
            # of the list has its own); the included columns give a page's keys, the scope's
            # department and the filters from the index alone, so a deep page costs index
            # entries, not rows. They order by the department name as declared, which the
            # lists show.
            models.Index(
                fields=["-fiscal_year", "department_name", "id"],
                include=[
                    "department",
                    "status",
                    "kind",
                    "project_name",
                    "project_code",
                    "department_short_name",
                ],
                name="declaration_list_idx",
            ),
            models.Index(
                fields=["fiscal_year", "department_name", "id"],
                include=["department", "status", "kind"],
                name="declaration_list_oldest_idx",
            ),
            models.Index(
                fields=["department_name", "-fiscal_year", "id"],
                include=["department", "status", "kind"],
                name="declaration_list_by_name_idx",
            ),
            models.Index(
                fields=["-updated_at", "id"],
                include=["department", "status", "kind"],
                name="declaration_recent_idx",
            ),
            # The review queue: one status in the order of submission, and the counts by status.
            models.Index(
                fields=["status", "submitted_at", "id"],
                include=["department"],
                name="declaration_queue_idx",
            ),
            models.Index(fields=["department", "status"], name="declaration_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=Kind.PROJECT) & Q(project__isnull=False))
                | (Q(kind=Kind.DEPARTMENT) & Q(project__isnull=True)),
                name="declaration_project_matches_kind",
                violation_error_message="项目支出申报表必须关联项目，部门整体申报表不能关联项目。",
            ),
            # One declaration of a project (or of the department as a whole) per year and
            # place in the adjustment chain: a double-click on 保存 cannot make two.
            models.UniqueConstraint(
                fields=["project", "fiscal_year", "adjustment_no"],
                condition=Q(kind=Kind.PROJECT),
                name="declaration_one_per_project_year",
                violation_error_message="该项目在该年度已有申报表。",
            ),
            models.UniqueConstraint(
                fields=["department", "fiscal_year", "adjustment_no"],
                condition=Q(kind=Kind.DEPARTMENT),
                name="declaration_one_department_wide_per_year",
                violation_error_message="本单位在该年度已有部门整体申报表。",
            ),
            models.CheckConstraint(
                condition=Q(adjustment_no=0, adjusts__isnull=True)
                | Q(adjustment_no__gt=0, adjusts__isnull=False),
                name="declaration_adjustment_numbered",
                violation_error_message="调整版本必须指向被调整的申报表。",
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
        return f"{self.fiscal_year}年 {self.department_name} {self.subject}"

    def text(self, name: str) -> str:
        """A narrative of the table: the project's (概况, 立项依据 …) or a target."""
        return getattr(self, name)

    @staticmethod
    def text_label(name: str) -> str:
        return str(Declaration._meta.get_field(name).verbose_name)

    @property
    def display_short_name(self) -> str:
        return self.department_short_name or self.department_name

    @property
    def period_label(self) -> str:
        if self.period_start and self.period_end and self.period_start != self.period_end:
            return f"{self.period_start}-{self.period_end}"
        return str(self.period_start or self.period_end or "")

    @property
    def is_editable(self) -> bool:
        """Staff may change a declaration only while it is a draft or has been returned."""
        return self.status not in FROZEN_STATUSES

    @property
    def is_adjustment(self) -> bool:
        return self.adjusts_id is not None

    @property
    def subject(self) -> str:
        """What the table is about: the project's name or the department as a whole."""
        return self.project_name if self.kind == Kind.PROJECT else "部门整体"

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
        findings = period_findings(self.period_start, self.period_end)
        if self.adjusts_id and not self.adjustment_reason.strip():
            findings.append(
                Finding("调整版本请填写调整说明：调整了什么、为什么调整。", "adjustment_reason")
            )
        if findings:
            raise ValidationError(as_error_dict(findings))


class KeyTask(models.Model):
    """A key task of the year (年度重点工作任务) in a department-wide declaration."""

    declaration = models.ForeignKey(
        Declaration, verbose_name="申报表", on_delete=models.CASCADE, related_name="key_tasks"
    )
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("名称", max_length=200)
    content = models.TextField("主要实施内容", blank=True, max_length=ROW_TEXT)
    funds = models.DecimalField(
        "拟投入的资金（元）",
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "金额不能为负数。")],
    )
    expected_result = models.TextField("期望达到的目标", blank=True, max_length=ROW_TEXT)

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
