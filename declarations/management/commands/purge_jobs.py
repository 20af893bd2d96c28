"""``manage.py purge_jobs``: delete finished exports past their keeping time (run it from cron,
e.g. hourly, beside django-tasks-db's ``prune_db_task_results``)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from declarations.jobs import purge_expired


class Command(BaseCommand):
    help = "删除超过保留时间的批量导出文件，把进行超过 6 小时（后台进程已中断）的任务标为失败，并清理一周前已结束的预生成、邮件任务记录。"

    def handle(self, *args, **options):
        deleted = purge_expired()
        self.stdout.write(
            f"已删除 {deleted} 个超过 {settings.JOB_FILES_KEEP_HOURS} 小时的导出文件。"
        )
