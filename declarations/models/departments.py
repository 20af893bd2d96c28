"""Declaring bodies (部门) and the finance-bureau divisions that supervise them."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from declarations.models.base import HISTORY_EXCLUDED


class SupervisingDivision(models.Model):
    """A finance-bureau division that reviews declarations (业务主管部门, e.g. 教科文科)."""

    name = models.CharField("名称", max_length=100, unique=True)
    finance_bureau = models.CharField("所属财政部门", max_length=100, blank=True)

    class Meta:
        verbose_name = "业务主管部门"
        verbose_name_plural = "业务主管部门"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(models.Model):
    """A science and technology association that files declarations (部门 / 单位)."""

    # The particulars the department-wide wizard asks for. Typed there, they are the
    # declaration's own copy: the Department row is the administrators' and only pre-fills.
    STAFF_FIELDS = ("head", "phone", "address", "functions")

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.CharField("单位编码", max_length=30, blank=True)
    region = models.CharField("所在地区", max_length=100, blank=True)
    organisation_code = models.CharField(
        "组织机构代码 / 统一社会信用代码", max_length=30, blank=True
    )
    head = models.CharField("负责人 / 法人代表", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    functions = models.TextField("职能概述", blank=True)
    supervising_division = models.ForeignKey(
        SupervisingDivision,
        verbose_name="业务主管部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = "部门（单位）"
        verbose_name_plural = "部门（单位）"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="department_code_unique_when_set",
                violation_error_message="该单位编码已被其他单位使用。",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name
