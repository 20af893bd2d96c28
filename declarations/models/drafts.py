"""Unfinished wizard runs (填报草稿): what a clerk has typed so far, kept in the database.

A draft is the wizard's storage: the raw data of every step the clerk has passed, and the step
they stopped at. Nothing of it reaches the declaration tables until the last step saves the
whole declaration at once, so a half-filled wizard never leaves a half-written declaration.
"""

from django.conf import settings
from django.db import models

from declarations.domain.choices import Kind
from declarations.domain.steps import STEP_TITLES
from declarations.models.projects import Project


class DeclarationDraft(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        on_delete=models.CASCADE,
        related_name="declaration_drafts",
    )
    department = models.ForeignKey(
        "declarations.Department",
        verbose_name="单位",
        on_delete=models.CASCADE,
        related_name="drafts",
    )
    kind = models.CharField("申报类型", max_length=20, choices=Kind.choices)
    declaration = models.ForeignKey(
        "declarations.Declaration",
        verbose_name="正在修改的申报表",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
    )
    copied_from = models.ForeignKey(
        "declarations.Declaration",
        verbose_name="复制自",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    adjusts = models.ForeignKey(
        "declarations.Declaration",
        verbose_name="调整的已通过申报表",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField("标题", max_length=200, blank=True)
    data = models.JSONField("填报内容", default=dict, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后保存", auto_now=True)

    class Meta:
        verbose_name = "填报草稿"
        verbose_name_plural = "填报草稿"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "declaration"],
                name="one_open_draft_per_declaration_and_user",
                violation_error_message="您已有该申报表的未完成修改。",
            ),
        ]

    def __str__(self):
        return self.title or f"未命名{self.get_kind_display()}申报"

    @property
    def current_step(self) -> str | None:
        return (self.data or {}).get("step")

    def refresh_title(self) -> None:
        """Set the title the home page lists, from the basic step as typed so far and from
        what the draft is for (修改 / 调整 / 复制)."""
        basic = (self.data or {}).get("step_data", {}).get("basic") or {}

        def typed(name: str) -> str:
            return (basic.get(f"basic-{name}") or [""])[0].strip()

        subject = "部门整体"
        if self.kind == Kind.PROJECT:
            subject = typed("project_name")
            # As typed, not yet validated: str.isdigit() holds for "²", which int() refuses.
            # Ask int(), as the form's project field does.
            try:
                project = int(typed("project"))
            except ValueError:
                project = None
            if project is not None:
                chosen = Project.objects.filter(pk=project, department=self.department_id)
                subject = chosen.values_list("name", flat=True).first() or subject
            subject = subject or "新项目"
        year = typed("fiscal_year")
        title = f"{year}年 {subject}" if year else subject
        if self.declaration_id:
            title = f"修改：{title}"
        elif self.adjusts_id:
            title = f"调整：{title}"
        elif self.copied_from_id:
            title = f"{title}（复制）"
        # Typed input is kept before it is validated, so it may be of any length; the
        # column is not (PostgreSQL refuses a longer value).
        limit = self._meta.get_field("title").max_length
        self.title = title if len(title) <= limit else title[: limit - 1] + "…"

    @property
    def step_title(self) -> str:
        return STEP_TITLES.get(self.current_step or "basic", "基本信息")
