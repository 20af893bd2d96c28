"""Benchmark of the pages people wait for (run on demand, not in CI).

    .venv/bin/python bench/pages.py [--runs 15] [--declarations 1000]

Builds a throw-away SQLite database with the sample tables, a declaration of 60 indicators
and ``--declarations`` copies of the samples, then prints the median milliseconds and the SQL
query count of each page as a logged-in user sees it.
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
WORKDIR = Path(tempfile.mkdtemp(prefix="kexie-bench-pages-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie_perf.settings")
# A throw-away local database: development settings, as before production became the default.
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchdata import bulk_copies, synthetic_declaration  # noqa: E402
from declarations.models import Declaration, DeclarationDraft, User  # noqa: E402
from declarations.wizards.prefill import draft_data  # noqa: E402


def measure(client: Client, url: str, runs: int) -> tuple[float, int]:
    client.get(url)  # warm caches and templates
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--declarations", type=int, default=1000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_samples", "--demo-accounts", verbosity=0)
    synthetic = synthetic_declaration()
    bulk_copies(args.declarations)
    staff = User.objects.get(username="shapingba")
    draft = DeclarationDraft.objects.create(
        owner=staff,
        department=staff.department,
        kind=synthetic.kind,
        declaration=synthetic,
        data=draft_data(synthetic, fiscal_year=synthetic.fiscal_year, editing=True),
    )
    client = Client()
    client.force_login(staff)
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    total = Declaration.objects.count()
    pages = [
        ("home (staff)", client, "/"),
        (f"home (admin, {total} declarations)", admin, "/"),
        (f"declaration list (admin, {total} declarations)", admin, "/declarations/"),
        (
            "declaration list, filtered and sorted",
            admin,
            "/declarations/?fiscal_year=2025&sort=department",
        ),
        ("detail, 60 indicators", client, f"/declarations/{synthetic.pk}/"),
        (
            "detail, sample 001-1 (46 rows)",
            admin,
            f"/declarations/{Declaration.objects.get(sample_key='001-1').pk}/",
        ),
        ("wizard indicator step, 60 rows", client, f"/drafts/{draft.pk}/indicators/"),
        ("wizard review step (preview), 60 rows", client, f"/drafts/{draft.pk}/review/"),
        ("indicator library query", client, "/indicators/library/?q=%E7%A7%91%E6%99%AE"),
    ]
    print(f"{'page':<48}{'median ms':>10}{'queries':>9}")
    for label, who, url in pages:
        ms, count = measure(who, url, args.runs)
        print(f"{label:<48}{ms:10.1f}{count:>9}")


if __name__ == "__main__":
    main()
