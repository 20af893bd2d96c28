"""``manage.py demo_performance``: an example of what follows approval, on the Chongqing samples,
so a new user sees the monitoring and self-evaluation pages filled.

The three Chongqing (沙坪坝) project declarations of 2025 are submitted and approved by the demo
accounts, a monitoring round to 7月 is opened with one report filled and submitted, and the
2025 self-evaluations are started with one filled. Everything goes through the services and the
workflow, as a clerk and a reviewer would. Needs ``load_samples --demo-accounts`` first; a second
run changes nothing.
"""

from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from declarations import performance, workflow
from declarations.domain.choices import Status
from declarations.models import Declaration, MonitoringRound, User

SAMPLE_KEYS = ("000-1", "000-2", "000-3")
YEAR = 2025


class Command(BaseCommand):
    help = "为重庆样表生成绩效监控与绩效自评的示例数据（需先运行 load_samples --demo-accounts）。"

    @transaction.atomic
    def handle(self, *args, **options):
        try:
            clerk = User.objects.get(username="shapingba")
            reviewer = User.objects.get(username="reviewer")
        except User.DoesNotExist as exc:
            raise CommandError("请先运行 load_samples --demo-accounts 创建演示账号。") from exc
        declarations = list(Declaration.objects.filter(sample_key__in=SAMPLE_KEYS))
        if len(declarations) != len(SAMPLE_KEYS):
            raise CommandError("未找到重庆样表，请先运行 load_samples。")
        if MonitoringRound.objects.filter(fiscal_year=YEAR).exists():
            self.stdout.write("示例数据已存在，未做改动。")
            return
        for declaration in declarations:
            if declaration.status in (Status.DRAFT, Status.RETURNED):
                workflow.perform(declaration, "submit", by=clerk)
                declaration.refresh_from_db()
            if declaration.status == Status.SUBMITTED:
                workflow.perform(declaration, "approve", by=reviewer)
        department = declarations[0].department
        round_ = performance.open_round(
            by=reviewer,
            fiscal_year=YEAR,
            data_month=7,
            due_date=date(YEAR, 8, 31),
            departments=[department],
        )
        report = round_.reports.select_related("declaration").order_by("pk").first()
        entries = list(report.entries.select_related("indicator"))
        rows = {}
        for n, entry in enumerate(entries):
            target = entry.indicator.target_value or Decimal(1)
            # 7/12 of the year: the first on track, the second behind, the rest ahead.
            share = (Decimal("0.6"), Decimal("0.3"), Decimal("0.8"))[min(n, 2)]
            rows[entry.indicator_id] = {
                "actual": (target * share).quantize(Decimal("0.01")),
                "expected": target,
                "likelihood": "certain" if n != 1 else "possible",
                "cause": "" if n != 1 else "staff",
                "note": "" if n != 1 else "上半年人员调整，活动推迟。",
            }
        performance.save_monitoring(
            report,
            by=clerk,
            values={
                "executed": ((report.budget or Decimal(0)) / 2).quantize(Decimal("0.01")),
                "measures": "下半年集中开展活动，9 月底前完成进度。",
            },
            rows=rows,
        )
        workflow.perform(report, "submit", by=clerk)
        evaluations = performance.start_evaluations(
            by=reviewer, fiscal_year=YEAR, departments=[department], today=date(YEAR + 1, 1, 15)
        )
        evaluation = evaluations[0]
        rows = {}
        for entry in evaluation.entries.select_related("indicator"):
            indicator = entry.indicator
            if indicator.target_value is not None:
                rows[indicator.pk] = {"actual": indicator.target_value}
            else:
                rows[indicator.pk] = {"band": "achieved", "score": entry.points}
        performance.save_evaluation(
            evaluation,
            by=clerk,
            values={
                "executed": ((evaluation.budget or Decimal(0)) * Decimal("0.95")).quantize(
                    Decimal("0.01")
                ),
                "overall_result": "年度目标基本完成。",
            },
            rows=rows,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成示例：{round_}（{round_.reports.count()} 份报告，1 份已提交），"
                f"{YEAR} 年度绩效自评 {len(evaluations)} 份（1 份已填写）。"
            )
        )
