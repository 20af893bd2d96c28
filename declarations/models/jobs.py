"""Background jobs as their starters see them: what was asked, how far it got, how it ended.

The queue itself is django-tasks' (rows of ``django_tasks_db``, taken by ``db_worker``); a
``Job`` is the application's record of one piece of work a person started -- a bulk export, the
pre-rendering of a declaration's files, an e-mail -- with its progress, the number of attempts
and, when it failed, the reason in Chinese, shown to the person who started it.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Job(models.Model):
    class Kind(models.TextChoices):
        EXPORT = "export", "批量导出"
        PRERENDER = "prerender", "预生成申报表文件"
        MAIL = "mail", "发送通知邮件"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        RETRYING = "retrying", "出错，等待重试"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        EXPIRED = "expired", "文件已过期删除"

    FINISHED = (State.DONE, State.FAILED, State.EXPIRED)

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    label = models.CharField("内容", max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
    )
    # What the job works on: ids and options, checked again against the starter's scope when
    # the job runs (declarations/jobs.py).
    params = models.JSONField("参数", default=dict)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.TextField("错误", blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    # The stored file's own name: never that of an earlier job, even after ids start again
    # (a database restored from a backup, a test database).
    file_key = models.UUIDField("文件标识", default=uuid.uuid4, editable=False)
    file_size = models.PositiveBigIntegerField("文件大小", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    expires_at = models.DateTimeField("文件保留至", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["started_by", "-created_at"], name="job_by_starter"),
            models.Index(fields=["state", "expires_at"], name="job_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.label}"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    def seconds_left(self, now=None) -> int | None:
        """The time still needed at the pace so far, or None before the first file is done."""
        if self.finished or not self.started_at or not self.done or self.done >= self.total:
            return None
        elapsed = ((now or timezone.now()) - self.started_at).total_seconds()
        return max(1, round(elapsed / self.done * (self.total - self.done)))

    def file_path(self):
        return settings.JOB_FILES_DIR / f"job-{self.pk}-{self.file_key.hex}.zip"

    @staticmethod
    def keep_for() -> timedelta:
        return timedelta(hours=settings.JOB_FILES_KEEP_HOURS)
