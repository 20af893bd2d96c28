"""Benchmark: the click on 下载 PDF / 下载 Excel of a pre-rendered declaration (run on demand).

    .venv/bin/python bench/downloads.py [--runs 30]

Builds a throw-away SQLite database with the nine sample tables and an on-disk export cache
(as the web server and the worker share it), pre-renders each sample as the background job
does after a save, then times the download requests as a logged-in user makes them (Django's
test client, the whole view: log-in check, query, grid, cache read, response). The baseline, in
the same process: the same downloads with the cache emptied before each, i.e. what the click
cost before pre-rendering.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="kexie-bench-downloads-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ["EXPORT_CACHE_DIR"] = str(WORKDIR / "exports")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie_perf.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from declarations import jobs  # noqa: E402
from declarations.models import Declaration, Job, User  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="downloads per file, warm")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_samples", "--demo-accounts", verbosity=0)
    admin = User.objects.get(username="admin")
    client = Client()
    client.force_login(admin)
    declarations = list(Declaration.objects.order_by("sample_key"))
    cache = caches["exports"]

    cold = {"pdf": [], "xlsx": []}
    for declaration in declarations:
        for fmt in cold:
            cache.clear()
            cold[fmt].append(
                timed(client, reverse("declaration_export", args=[declaration.pk, fmt]))
            )

    cache.clear()
    start = time.perf_counter()
    for declaration in declarations:  # what the worker does after each save
        job = Job.objects.create(
            kind=Job.Kind.PRERENDER, label="bench", params={"declaration": declaration.pk}, total=2
        )
        jobs.run_job.call(job.pk)
    prerender_s = time.perf_counter() - start

    warm = {"pdf": [], "xlsx": []}
    for declaration in declarations:
        for fmt in warm:
            url = reverse("declaration_export", args=[declaration.pk, fmt])
            client.get(url)  # the first request of a process loads templates and code
            warm[fmt].extend(timed(client, url) for _ in range(args.runs))

    print(
        f"{len(declarations)} sample declarations; pre-rendering them all took {prerender_s:.2f} s"
    )
    print(f"{'download':<28}{'p50 ms':>9}{'p95 ms':>9}{'cold p50 ms':>13}{'ratio':>8}")
    for fmt in ("pdf", "xlsx"):
        p50, p95 = statistics.median(warm[fmt]), percentile(warm[fmt], 0.95)
        cold_p50 = statistics.median(cold[fmt])
        print(
            f"{fmt + ' (pre-rendered)':<28}{p50:9.1f}{p95:9.1f}{cold_p50:13.1f}{cold_p50 / p50:7.0f}x"
        )


if __name__ == "__main__":
    main()
