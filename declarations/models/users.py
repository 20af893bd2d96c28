"""Users: department staff belong to a department, reviewers to a supervising division."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    department = models.ForeignKey(
        "declarations.Department",
        verbose_name="所属单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="申报人所属的科协；审核人员留空。",
    )
    division = models.ForeignKey(
        "declarations.SupervisingDivision",
        verbose_name="所属业务主管部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewers",
        help_text="财政审核人员所属的科室；申报人留空。",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        full_name = f"{self.last_name}{self.first_name}".strip()
        return full_name or self.username
