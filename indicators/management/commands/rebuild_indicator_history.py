"""``manage.py rebuild_indicator_history``: recompute the whole indicator history (what the
indicator library shows of each indicator) from the approved declarations and self-evaluations.

Approvals keep the history up to date as they happen; rebuild after loading data by other
means (a bulk import, a restored backup, the scale benchmark's COPY) or after upgrading to the
version that introduced it. Safe while people work: it runs in short transactions, a few
hundred names each, and an approval touching one of them waits for that one only.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from indicators.history import REBUILD_CHUNK, rebuild


class Command(BaseCommand):
    help = "按已通过的申报表和绩效自评重新统计全部指标使用历史（指标库显示的使用次数、历年目标值和实际完成值）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk",
            type=int,
            default=REBUILD_CHUNK,
            help=f"每个事务统计的指标名称数（默认 {REBUILD_CHUNK}）。",
        )

    def handle(self, *args, chunk: int, **options):
        if chunk < 1:
            raise CommandError("--chunk 必须是正整数。")
        started = time.perf_counter()
        verbose = options["verbosity"] >= 2

        def progress(done: int, total: int) -> None:
            if verbose:
                self.stdout.write(f"  已统计 {done} / {total} 个指标名称")

        written = rebuild(chunk=chunk, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"指标使用历史已重建：{written} 行，用时 {time.perf_counter() - started:.1f} 秒。"
            )
        )
