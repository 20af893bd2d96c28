"""``manage.py load_samples``: the indicator taxonomy, the five sample tables and, only with
``--demo-accounts``, the demo accounts (whose passwords are public: never on a shared server)."""

import json

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from declarations.models import Department, SupervisingDivision, User
from declarations.roles import ROLE_GROUPS
from declarations.samples import (
    FIXTURES_DIR,
    TAXONOMY_FILE,
    SampleError,
    load_sample_files,
)
from indicators.taxonomy import load_taxonomy

DEMO_ACCOUNTS_FILE = FIXTURES_DIR / "demo_accounts.json"


class Command(BaseCommand):
    help = "导入指标分类和五份样表（加 --demo-accounts 时另建演示账号）；重复运行不会改变已有数据。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-accounts",
            action="store_true",
            help="同时创建演示账号（密码公开，仅限本地试用，切勿用于正式环境）。",
        )
        # Demo accounts used to be the default; the old opt-out is still accepted.
        parser.add_argument(
            "--no-demo-accounts", action="store_true", help="（已是默认，可省略。）"
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if options["demo_accounts"] and options["no_demo_accounts"]:
            raise CommandError("--demo-accounts 与 --no-demo-accounts 不能同时使用。")
        changed = load_taxonomy(TAXONOMY_FILE)
        try:
            report = load_sample_files()
        except SampleError as exc:
            raise CommandError(f"样表导入失败：{exc}") from exc
        changed += report.changed_rows
        self.stdout.write(
            f"样表 {report.files} 份，申报表 {report.declarations} 张，"
            f"绩效指标 {report.indicators} 条。"
        )
        if options["demo_accounts"]:
            accounts = self._load_demo_accounts()
            changed += accounts
        self.stdout.write(self.style.SUCCESS(f"完成：写入或更新 {changed} 行。"))

    def _load_demo_accounts(self) -> int:
        data = json.loads(DEMO_ACCOUNTS_FILE.read_text(encoding="utf-8"))
        changed = 0
        groups = {}
        for role, name in ROLE_GROUPS.items():
            groups[role], created = Group.objects.get_or_create(name=name)
            changed += created
        for account in data["accounts"]:
            user = User.objects.filter(username=account["username"]).first()
            if user is None:
                user = User(
                    username=account["username"],
                    last_name=account.get("last_name", ""),
                    email=account.get("email", ""),
                )
                user.set_password(account["password"])
                if account["role"] == "administrator":
                    user.is_staff = user.is_superuser = True
                if account.get("department"):
                    user.department = Department.objects.get(name=account["department"])
                if account.get("division"):
                    user.division = SupervisingDivision.objects.get(name=account["division"])
                user.save()
                changed += 1
                self.stdout.write(f"演示账号 {user.username}（{groups[account['role']].name}）")
            if not user.groups.filter(pk=groups[account["role"]].pk).exists():
                user.groups.add(groups[account["role"]])
                changed += 1
        return changed
