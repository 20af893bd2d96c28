"""The audit trail of writes: one row for every change of a declaration, on every path."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class DeclarationEvent(models.Model):
    """Who changed which declaration how, when, and from which version to which.

    Written by the services (``declarations.services``, ``declarations.workflow``) in the
    same transaction as the change itself, so there is no change without its event."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        EDIT = "edit", "修改"
        ADMIN_EDIT = "admin_edit", "管理员修改"
        SAMPLE = "sample", "导入样表"
        MOVE = "move", "状态变更"

    declaration = models.ForeignKey(
        "declarations.Declaration",
        verbose_name="申报表",
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    from_version = models.PositiveIntegerField("原版本号", null=True, blank=True)
    to_version = models.PositiveIntegerField("新版本号")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.declaration_id} {self.get_action_display()} v{self.to_version}"
