"""``manage.py restore FILE [--yes]``: replaces the whole database by a backup."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from security.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "用 backup 生成的备份文件覆盖整个数据库。恢复前请先停止网站服务；"
        "备份须来自同一版本的程序（相同的数据库迁移）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup 生成的备份文件。")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接恢复。")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）。")

    def handle(self, *args, path, yes=False, database="default", **options):
        name = connections[database].settings_dict["NAME"]
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("恢复会覆盖数据库中的全部数据：请加 --yes 确认。")
            answer = input(f"恢复将用 {path} 覆盖数据库 {name} 中的全部数据。确认请输入 yes：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，数据库未改动。")
        try:
            restore(path, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已从 {path} 恢复数据库 {name}。"))
