"""Security audit records, and log-in locks as the admin shows them."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db import models
from django.utils import timezone


class SecurityEvent(models.Model):
    """One log-in, failed log-in, lockout, log-out, refused request or purge of the records.

    Written by ``security.services.record_event`` only; nobody edits or deletes a row by hand
    (the admin shows them read-only) and ``purge_security_records`` removes them only after the
    retention period."""

    class Kind(models.TextChoices):
        LOGIN = "login", "登录成功"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKOUT = "lockout", "登录锁定"
        LOGOUT = "logout", "退出登录"
        DENIED = "denied", "拒绝访问"
        PURGE = "purge", "清理审计记录"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    # The user may be deleted later; the name they used stays in ``username``.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True, db_index=True)
    path = models.CharField("访问路径", max_length=255, blank=True)
    user_agent = models.CharField("浏览器标识", max_length=255, blank=True)
    detail = models.CharField("说明", max_length=255, blank=True)

    class Meta:
        verbose_name = "安全审计记录"
        verbose_name_plural = "安全审计记录"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"


class LoginLock(AccessAttempt):
    """django-axes' failure counter, under a Chinese name: deleting one unlocks the account
    and address it counts for."""

    class Meta:
        proxy = True
        verbose_name = "登录失败计数"
        verbose_name_plural = "登录失败计数（删除即解锁）"
