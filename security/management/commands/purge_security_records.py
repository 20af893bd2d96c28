"""``manage.py purge_security_records [--days N]``: deletes security records past retention."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localtime

from security.services import MINIMUM_RETENTION_DAYS, RetentionTooShort, purge_records


class Command(BaseCommand):
    help = (
        "删除超过保留期的安全审计记录及 django-axes 登录记录"
        f"（默认保留 SECURITY_RECORD_RETENTION_DAYS 天，不得少于 {MINIMUM_RETENTION_DAYS} 天）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"保留最近多少天的记录（不少于 {MINIMUM_RETENTION_DAYS}）。",
        )

    def handle(self, *args, days=None, **options):
        try:
            report = purge_records(days=days)
        except RetentionTooShort as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已删除 {localtime(report.cutoff):%Y-%m-%d %H:%M} 之前的记录：安全审计记录 {report.events} 条，"
                f"登录失败计数 {report.attempts} 条，登录日志 {report.access_logs} 条，"
                f"登录失败日志 {report.failure_logs} 条。"
            )
        )
