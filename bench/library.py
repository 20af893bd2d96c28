"""Benchmark of the indicator library at province scale on PostgreSQL (run on demand).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_library \\
        .venv/bin/python bench/library.py [--declarations 50000] [--indicators 1000000]

Fills the database (once; a second run finds the rows there) with ``--declarations`` project
declarations of 2,000 departments over five years, mostly approved, ``--indicators``
indicators named like the sample tables' with variations and a long tail, and approved
self-evaluations with actuals for a fifth of the approved declarations; rebuilds the
indicator history and prints, for the library endpoint as a clerk calls it, the median and
95th percentile milliseconds and the SQL query count per typed text, the plans PostgreSQL
chooses, the time of a rebuild, of an approval's refresh and of the wizard's history lookup.
"""

import argparse
import os
import random
import statistics
import sys
import time
import zlib
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie_perf.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from declarations.models import (  # noqa: E402
    Declaration,
    Department,
    EvaluationEntry,
    Project,
    SelfEvaluation,
    SupervisingDivision,
    User,
)
from declarations.roles import STAFF_GROUP  # noqa: E402
from indicators import history, library  # noqa: E402
from indicators.models import (  # noqa: E402
    IndicatorCategory,
    IndicatorHistory,
    PerformanceIndicator,
)

YEARS = (2023, 2024, 2025, 2026, 2027)
DEPARTMENTS = 2000
CLERK = "library-bench-clerk"

ACTIONS = ("举办", "开展", "组织", "支持", "建设", "发布", "培训", "评选", "推广", "完成")
SUBJECTS = (
    "科普讲座 科技活动周活动 全国科普日系列活动 青少年科技创新大赛 科普志愿服务 院士专家报告会 "
    "科普大篷车巡展 学术年会 科技工作者座谈会 智库调研课题 科普教育基地 老科协活动 农村科普带头人培训 "
    "科普信息化平台 应急科普宣传 青少年机器人竞赛 科学素质大赛 科技馆流动展览 科普进社区活动 "
    "企业科协工作站 学会学术交流活动 科技成果转化对接会 人工智能科普体验 中小学科技节 科学家精神宣讲"
).split()
MEASURES = {
    "场次": ("output-quantity", "≥", "场次"),
    "参与人次": ("output-quantity", "≥", "人次"),
    "数量": ("output-quantity", "≥", "个"),
    "验收合格率": ("output-quality", "≥", "%"),
    "按期完成率": ("output-timeliness", "=", "%"),
    "成本控制率": ("cost-economic", "≤", "%"),
    "辖区覆盖率": ("benefit-social", "≥", "%"),
    "公众知晓率": ("benefit-social", "≥", "%"),
    "服务对象满意度": ("satisfaction-service", "≥", "%"),
}
PREFIXES = ("全区", "全县", "街道", "社区", "农村", "青少年", "老年人", "重点人群")
SUFFIXES = ("（线上）", "（线下）", "（第一批）", "（第二批）", "（年度）", "（试点）")
PLACES = "东西南北新长安平丰永兴和宁清河山阳城泉江华桥台林源德昌隆"
QUALITATIVE = ("提升", "有效提升", "及时", "按时完成", "有利推进", "逐步完善", "持续改善")
# What the clerk types: one and two characters, common words, whole names, rare texts.
QUERIES = (
    "科",
    "满",
    "科普",
    "满意",
    "活动",
    "满意度",
    "科普讲座",
    "覆盖率",
    "服务对象满意度",
    "举办科普讲座场次",
    "青少年科技创新大赛",
    "老年人开展",
    "（试点）",
    "东山",
    "科普讲座（线上）",
    "不存在的指标名称",
    "APP",
    "成本控制率",
)


def _names(rng: random.Random, categories: dict[str, int]):
    """An endless supply of indicator rows: a few hundred names everybody uses, their
    variations, and a long tail that only one department ever writes."""
    combos = [
        (f"{action}{subject}{measure}", MEASURES[measure])
        for action in ACTIONS
        for subject in SUBJECTS
        for measure in MEASURES
    ]
    popular = rng.sample(combos, 300)
    while True:
        draw = rng.random()
        name, (code, operator, unit) = rng.choice(popular if draw < 0.5 else combos)
        if draw > 0.7:
            name = rng.choice(PREFIXES) + name if draw < 0.8 else name + rng.choice(SUFFIXES)
        if draw > 0.9:
            name = f"{name}（{rng.choice(PLACES)}{rng.choice(PLACES)}片区）"
        level2 = categories[code]
        level1 = categories[code.split("-")[0]]
        if rng.random() < 0.15:
            yield dict(
                name=name,
                level1_id=level1,
                level2_id=level2,
                kind="qualitative",
                operator="",
                unit="",
                target_text=rng.choice(QUALITATIVE),
            )
            continue
        if unit == "%":
            value = Decimal(rng.choice((80, 85, 90, 95, 100)))
        else:
            base = 5 + (zlib.crc32(name.encode()) % 60)
            value = Decimal(max(1, round(base * rng.uniform(0.6, 1.6))))
            if rng.random() < 0.01:
                value *= 10  # a digit too many: what the warning is for
        yield dict(
            name=name,
            level1_id=level1,
            level2_id=level2,
            kind="quantitative",
            operator=operator,
            unit=unit,
            target_value=value,
        )


def _status(rng: random.Random, year: int) -> str:
    if year == YEARS[-1]:
        return rng.choice(("draft", "submitted", "returned", "approved"))
    if year == YEARS[-2]:
        return "approved" if rng.random() < 0.8 else rng.choice(("submitted", "returned"))
    return "approved" if rng.random() < 0.97 else "returned"


def build(declarations: int, indicators: int, log=print) -> None:
    rng = random.Random(20261125)
    started = time.perf_counter()
    categories = dict(IndicatorCategory.objects.values_list("code", "pk"))
    division = SupervisingDivision.objects.get_or_create(name="基准测试科")[0]
    Department.objects.bulk_create(
        Department(name=f"基准测试区{n:04d}科学技术协会", supervising_division=division)
        for n in range(DEPARTMENTS)
    )
    departments = list(Department.objects.filter(name__startswith="基准测试区").order_by("pk"))
    per_department = max(1, declarations // (len(departments) * len(YEARS)))
    Project.objects.bulk_create(
        Project(department=d, name=f"科普项目{n}")
        for d in departments
        for n in range(per_department)
    )
    projects = list(Project.objects.filter(department__in=departments).order_by("pk"))
    Declaration.objects.bulk_create(
        (
            Declaration(
                department_id=p.department_id,
                project=p,
                fiscal_year=year,
                kind="project",
                layout="km_project",
                status=_status(rng, year),
                project_name=p.name,
            )
            for p in projects
            for year in YEARS
        ),
        batch_size=5000,
    )
    rows = list(
        Declaration.objects.filter(project__in=projects).values_list("pk", "status", "fiscal_year")
    )
    log(f"  {len(rows)} 张申报表：{time.perf_counter() - started:.1f} s")
    per = max(1, indicators // len(rows))
    supply = _names(rng, categories)
    batch: list[PerformanceIndicator] = []
    evaluated = []
    for pk, status, year in rows:
        for order in range(1, per + 1):
            batch.append(PerformanceIndicator(declaration_id=pk, order=order, **next(supply)))
        if status == "approved" and year <= 2025 and rng.random() < 0.2:
            evaluated.append(pk)
        if len(batch) >= 20000:
            PerformanceIndicator.objects.bulk_create(batch)
            batch = []
    PerformanceIndicator.objects.bulk_create(batch)
    log(f"  {PerformanceIndicator.objects.count()} 条指标：{time.perf_counter() - started:.1f} s")
    SelfEvaluation.objects.bulk_create(
        (
            SelfEvaluation(declaration_id=pk, status="approved" if n % 5 else "submitted")
            for n, pk in enumerate(evaluated)
        ),
        batch_size=5000,
    )
    evaluations = dict(
        SelfEvaluation.objects.filter(declaration_id__in=evaluated).values_list(
            "declaration_id", "pk"
        )
    )
    entries = []
    measured = PerformanceIndicator.objects.filter(
        declaration_id__in=evaluated, target_value__isnull=False
    ).values_list("pk", "declaration_id", "target_value")
    for pk, declaration_id, target in measured.iterator(chunk_size=20000):
        actual = (target * Decimal(rng.uniform(0.7, 1.2))).quantize(Decimal(1))
        entries.append(
            EvaluationEntry(
                evaluation_id=evaluations[declaration_id],
                indicator_id=pk,
                points=Decimal(5),
                actual=actual,
            )
        )
        if len(entries) >= 20000:
            EvaluationEntry.objects.bulk_create(entries)
            entries = []
    EvaluationEntry.objects.bulk_create(entries)
    log(f"  自评 {len(evaluations)} 份：{time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def clerk() -> User:
    """A clerk of a generated department, with its drafts in the library's live part."""
    user = User.objects.filter(username=CLERK).first()
    if user is None:
        department = Department.objects.filter(name__startswith="基准测试区").first()
        user = User.objects.create_user(CLERK, password="x", department=department)
        user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_library(client: Client, runs: int) -> None:
    print(f"\n{'typed':<22}{'p50 ms':>8}{'p95 ms':>8}{'queries':>9}{'results':>9}")
    every = []
    for query in QUERIES:
        client.get("/indicators/library/", {"q": query})  # warm
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get("/indicators/library/", {"q": query})
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response
        every += times
        with CaptureQueriesContext(connection) as captured:
            results = client.get("/indicators/library/", {"q": query}).json()["results"]
        print(
            f"{query:<22}{statistics.median(times):8.1f}{percentile(times, 0.95):8.1f}"
            f"{len(captured):>9}{len(results):>9}"
        )
    print(
        f"{'all texts':<22}{statistics.median(every):8.1f}{percentile(every, 0.95):8.1f}"
        f"   ({len(every)} requests)"
    )


def explain() -> None:
    """The plans of the two history queries for a common and a rare text."""
    for query in ("满意度", "科普讲座（线上）", "东山", "不存在的指标名称"):
        captured = []
        with CaptureQueriesContext(connection) as queries:
            library.search_history(query)
        captured = [q["sql"] for q in queries.captured_queries]
        for sql in captured:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
            used = sorted(
                {
                    word
                    for line in plan
                    for word in line.split()
                    if "idx" in word or "trgm" in word or "pkey" in word
                }
            )
            print(f"\n{query}: {plan[-1].strip()}  indexes: {', '.join(used) or '(none)'}")
            print("  " + "\n  ".join(line for line in plan[:6]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=50_000)
    parser.add_argument("--indicators", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-rebuild", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("请用 DATABASE_URL 指定一个 PostgreSQL 数据库。")
    call_command("migrate", verbosity=0)
    call_command("load_samples", "--demo-accounts", verbosity=0)
    if PerformanceIndicator.objects.count() < args.indicators // 2:
        print("生成数据：")
        build(args.declarations, args.indicators)
    print(
        f"申报表 {Declaration.objects.count()} 张，指标 {PerformanceIndicator.objects.count()} 条，"
        f"自评实际值 {EvaluationEntry.objects.count()} 条"
    )
    if not args.skip_rebuild or not IndicatorHistory.objects.exists():
        start = time.perf_counter()
        written = history.rebuild()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE indicators_indicatorhistory")
        print(f"重建指标使用历史：{written} 行，{time.perf_counter() - start:.1f} s")
    client = Client()
    client.force_login(clerk())
    measure_library(client, args.runs)
    explain()

    approved = list(
        Declaration.objects.filter(status="approved", project__isnull=False)
        .order_by("?")
        .values_list("pk", flat=True)[:20]
    )
    times = []
    for pk in approved:
        start = time.perf_counter()
        with transaction.atomic():
            history.refresh_for_declaration(pk)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"\n一张申报表审核通过时的刷新（{len(times)} 次）：中位 {statistics.median(times):.0f} ms，"
        f"最长 {max(times):.0f} ms"
    )
    names = list(
        PerformanceIndicator.objects.filter(declaration_id=approved[0]).values_list(
            "name", flat=True
        )
    )
    start = time.perf_counter()
    for _ in range(20):
        library.histories_of(names)
    print(
        f"向导核对历年目标（{len(names)} 项指标，一次查询）："
        f"{(time.perf_counter() - start) * 1000 / 20:.1f} ms"
    )


if __name__ == "__main__":
    main()
