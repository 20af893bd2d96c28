"""``manage.py backup [--output FILE]``: a consistent copy of the whole database."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from security.backups import BackupError, backup, default_path


class Command(BaseCommand):
    help = (
        "备份整个数据库（含历史记录和审计记录）：SQLite 用其在线备份接口复制，"
        "PostgreSQL 用 pg_dump --format=custom。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="备份文件路径（默认：BACKUP_DIR 下按时间命名的文件）。",
        )
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）。")

    def handle(self, *args, output=None, database="default", **options):
        path = output or default_path(settings.BACKUP_DIR, using=database)
        try:
            written = backup(path, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = written.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"已备份到 {written}（{size / 1024:,.0f} KB）。"))
