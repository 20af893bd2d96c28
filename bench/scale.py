"""The pages at province scale on PostgreSQL (issue 12): run on demand, prints numbers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kexie_scale \\
        .venv/bin/python bench/scale.py [--declarations 50000] [--indicators 1000000]
        [--rebuild] [--runs 30] [--small 1000:20000 | --no-small] [--json] [--build-only]

Builds the province (bench/province.py) into the database of DATABASE_URL (default
kexie_scale on the local server; made if missing, dropped and made again with --rebuild or
when it holds another size), or finds it built at that size and only measures; either way it
is migrated first, so others' new indexes are in. Each page is then requested as its user
sees it, in-process through Django's test client with the production settings (DEBUG off): a
warm-up, then ``--runs`` timed requests (p50/p95 in ms, every answer must be a 200) and one
more counting the SQL queries. The same pages are counted on a small province too (database ``<name>_small``,
in a child process) to show that the counts do not depend on the size. With ``--json`` the
last line printed is one JSON object:
``{"declarations": N, "indicators": N, "pages": {"<name>": {"p50_ms": x, "p95_ms": x,
"queries": n}}, ...}``. A page whose URL does not exist yet is printed as "not yet built".
"""

import argparse
import json
import math
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kexie_scale"
PAGE_TARGET_MS = 50
DASHBOARD_TARGET_MS = 200
# The pages held to the dashboard's target rather than a page's.
DASHBOARDS = ("dashboard", "dashboard_admin")


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def production_environment(url: str) -> None:
    """The production settings on this machine: DEBUG off, plain HTTP, static files from a
    collected manifest, one long-lived database connection (as a warm worker has)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie_perf.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["SECURE_HSTS_SECONDS"] = "0"
    os.environ.setdefault("CONN_MAX_AGE", "3600")
    os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "kexie-bench-static"))


production_environment(database_url())

import django  # noqa: E402

django.setup()

import province  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from declarations.domain.choices import Status  # noqa: E402
from declarations.models import Declaration, Department, User  # noqa: E402
from indicators.models import PerformanceIndicator  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=50_000)
    parser.add_argument("--indicators", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true", help="drop and build again")
    parser.add_argument(
        "--small",
        default="1000:20000",
        help="declarations:indicators of the small province whose query counts are compared",
    )
    parser.add_argument("--no-small", action="store_true", help="skip the small province")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    parser.add_argument(
        "--build-only", action="store_true", help="make the province ready, measure nothing"
    )
    return parser.parse_args(argv)


def small_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_small"))


def main() -> None:
    args = parse_args()
    url = database_url()
    small = None
    if not (args.no_small or args.build_only):
        # Counted first, in a child process of its own (another database, other settings).
        declarations, indicators = (int(n) for n in args.small.split(":"))
        small = small_counts(url, declarations, indicators, args.rebuild)
    size = province.Size.for_declarations(args.declarations, args.indicators)
    must_build = province.prepare_database(url, size, args.rebuild)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    built = None
    if must_build:
        print(f"构建省级数据（{size.label}）…", flush=True)
        built = province.build(size)
        province.mark_built(size)
        print(f"构建完成：{built.seconds:.1f} s", flush=True)
    else:
        print(f"数据库已是该规模（{size.label}），只做测量。", flush=True)
    if args.build_only:
        return
    results, totals = measure_pages(args.runs)
    report(results, totals, small, built, args)


def small_counts(url: str, declarations: int, indicators: int, rebuild: bool) -> dict:
    """The query counts of the same pages on a small province, from a child process."""
    command = [
        sys.executable,
        __file__,
        "--declarations",
        str(declarations),
        "--indicators",
        str(indicators),
        "--runs",
        "3",
        "--no-small",
        "--json",
        *(["--rebuild"] if rebuild else []),
    ]
    env = {**os.environ, "DATABASE_URL": small_url(url)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("小规模数据库的测量失败。")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_pages(runs: int) -> tuple[list[dict], dict]:
    admin = User.objects.get(username="admin")
    reviewer = User.objects.get(username="reviewer")
    clerk = User.objects.get(username="clerk00000")
    owner = User.objects.get(username="shapingba")
    synthetic = Declaration.objects.get(project__name="基准测试项目")
    total = Declaration.objects.count()
    deep = max(1, math.ceil(total / 20) // 2)
    department = (
        Department.objects.filter(supervising_division=reviewer.division)
        .exclude(declarations__isnull=True)
        .order_by("pk")
        .first()
    )
    newest = Declaration.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True)[0]
    pages = [
        ("home", "申报人首页", clerk, "/"),
        ("home_reviewer", "审核人首页（500 个单位）", reviewer, "/"),
        ("home_admin", "管理员首页（全部）", admin, "/"),
        ("list", "申报表列表第 1 页（管理员）", admin, "/declarations/"),
        ("list_deep", f"申报表列表第 {deep} 页", admin, f"/declarations/?page={deep}"),
        (
            "list_filtered",
            "列表筛选（年度、状态、类型）",
            admin,
            f"/declarations/?fiscal_year={newest - 1}&status=approved&kind=project",
        ),
        ("list_reviewer", "申报表列表（审核人）", reviewer, "/declarations/"),
        ("search", "搜索“机器人竞赛”", admin, "/declarations/?q=" + quote("机器人竞赛")),
        ("search_common", "搜索“科普”", admin, "/declarations/?q=" + quote("科普")),
        (
            "search_words",
            "搜索“科普 满意度”",
            reviewer,
            "/declarations/?q=" + quote("科普 满意度"),
        ),
        ("queue", "审核队列（500 个单位）", reviewer, "/reviews/"),
        (
            "queue_department",
            "审核队列按单位筛选",
            reviewer,
            f"/reviews/?department={department.pk}&status={Status.APPROVED}",
        ),
        ("detail", "详情页，60 项指标", owner, f"/declarations/{synthetic.pk}/"),
        ("detail_reviewer", "详情页（审核人）", reviewer, f"/declarations/{synthetic.pk}/"),
        ("library", "指标库搜索（申报人）", clerk, "/indicators/library/?q=" + quote("科普日")),
        ("dashboard", "统计看板（审核人）", reviewer, "/dashboard/"),
        ("dashboard_admin", "统计看板（管理员，全省）", admin, "/dashboard/"),
    ]
    clients = {}
    results = []
    for name, label, user, url in pages:
        try:
            resolve(url.split("?")[0])
        except Resolver404:
            results.append({"name": name, "label": label, "missing": True})
            continue
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        client = clients[user.pk]
        for _ in range(3):  # warm the caches, the templates and the connection
            check(client.get(url), url)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            check(response, url)
        with CaptureQueriesContext(connection) as queries:
            check(client.get(url), url)
        times.sort()
        results.append(
            {
                "name": name,
                "label": label,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[math.ceil(0.95 * len(times)) - 1], 1),
                "queries": len(queries),
                "target_ms": DASHBOARD_TARGET_MS if name in DASHBOARDS else PAGE_TARGET_MS,
            }
        )
    totals = {"declarations": total, "indicators": PerformanceIndicator.objects.count()}
    return results, totals


def check(response, url: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{url} 返回 {response.status_code}，不是 200。")


def report(results: list[dict], totals: dict, small: dict | None, built, args) -> None:
    small_pages = (small or {}).get("pages", {})
    print()
    print(
        f"申报表 {totals['declarations']} 张，绩效指标 {totals['indicators']} 条；"
        f"每页 {args.runs} 次（预热后）。"
    )
    if small:
        print(f"小规模对照：申报表 {small['declarations']} 张，绩效指标 {small['indicators']} 条。")
    header = f"{'page':<18}{'p50 ms':>8}{'p95 ms':>8}{'target':>8}{'queries':>9}{'small':>7}  "
    print(header + "who / what")
    for row in results:
        if row.get("missing"):
            print(f"{row['name']:<18}{'not yet built':>40}  {row['label']}")
            continue
        counted = small_pages.get(row["name"], {}).get("queries", "-")
        verdict = "" if row["p95_ms"] <= row["target_ms"] else "  ✗ 超过目标"
        if counted not in ("-", row["queries"]):
            verdict += "  ✗ 查询数随规模变化"
        print(
            f"{row['name']:<18}{row['p50_ms']:>8}{row['p95_ms']:>8}{row['target_ms']:>8}"
            f"{row['queries']:>9}{counted:>7}  {row['label']}{verdict}"
        )
    if args.json:
        document = {
            **totals,
            "build_seconds": round(built.seconds, 1) if built else None,
            "pages": {
                row["name"]: {k: row[k] for k in ("p50_ms", "p95_ms", "queries")}
                for row in results
                if not row.get("missing")
            },
            "not_built": [row["name"] for row in results if row.get("missing")],
        }
        if small:
            document["small"] = {
                "declarations": small["declarations"],
                "indicators": small["indicators"],
                "queries": {name: page["queries"] for name, page in small_pages.items()},
            }
        print(json.dumps(document, ensure_ascii=False))


if __name__ == "__main__":
    main()
