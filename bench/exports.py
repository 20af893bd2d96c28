"""Benchmark of the official-layout exports (run on demand, not in CI).

    .venv/bin/python bench/exports.py [--runs 7] [--bulk 1000] [--no-libreoffice]

Works on a throw-away SQLite database with the sample tables, a synthetic declaration of 60
indicators and, for the bulk figure, copies of the samples. For each declaration it prints
the median milliseconds of an Excel and a PDF export (layout + rendering, cache bypassed), the
peak Python memory of one export, the file sizes, and two baselines measured in the same run:
a bare openpyxl script writing the same cell values with no styling (the floor for Excel) and
``libreoffice --headless --convert-to pdf`` of our own Excel file (what a clerk does today).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="kexie-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie_perf.settings")
# A throw-away local database: development settings, as before production became the default.
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from benchdata import bulk_copies, synthetic_declaration  # noqa: E402
from declarations.exports.layouts import build_grid  # noqa: E402
from declarations.exports.pdf import render_pdf  # noqa: E402
from declarations.exports.service import export_declaration, with_export_data  # noqa: E402
from declarations.exports.xlsx import render_xlsx  # noqa: E402
from declarations.models import Declaration  # noqa: E402


def median_ms(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def peak_kib(function) -> float:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def bare_openpyxl(grid) -> bytes:
    """The floor: the same values in the same cells, no styles, merges or page setup."""
    workbook = Workbook()
    sheet = workbook.active
    for cell in grid.cells:
        if cell.value not in (None, ""):
            sheet.cell(row=cell.row + 1, column=cell.col + 1, value=cell.value)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def libreoffice_ms(xlsx: bytes, name: str) -> float | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    folder = WORKDIR / f"lo-{name}"
    folder.mkdir(exist_ok=True)
    source = folder / f"{name}.xlsx"
    source.write_bytes(xlsx)
    profile = (WORKDIR / "lo-profile").as_uri()
    start = time.perf_counter()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    elapsed = (time.perf_counter() - start) * 1000
    assert (folder / f"{name}.pdf").exists()
    return elapsed


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(data)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bulk", type=int, default=1000)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("load_samples", "--no-demo-accounts", verbosity=0)
    synthetic = synthetic_declaration()
    render_pdf(build_grid(synthetic))  # load WeasyPrint and the font once, outside the timings

    keys = list(
        Declaration.objects.exclude(sample_key=None)
        .order_by("sample_key")
        .values_list("pk", flat=True)
    ) + [synthetic.pk]
    header = (
        f"{'declaration':<12}{'rows':>5}{'xlsx ms':>9}{'floor ms':>9}{'ratio':>7}"
        f"{'xlsx KiB':>9}{'pdf ms':>8}{'pages':>6}{'pdf KiB':>8}{'LO ms':>8}{'LO/ours':>8}"
        f"{'peak KiB x/p':>14}"
    )
    print(header)
    print("-" * len(header))
    for pk in keys:
        declaration = with_export_data(Declaration.objects.filter(pk=pk)).get()
        label = declaration.sample_key or f"synthetic-{declaration.indicators.count()}"
        grid = build_grid(declaration)
        xlsx_ms, xlsx = median_ms(lambda d=declaration: render_xlsx(build_grid(d)), args.runs)
        floor_ms, _ = median_ms(lambda g=grid: bare_openpyxl(g), args.runs)
        pdf_ms, pdf = median_ms(lambda d=declaration: render_pdf(build_grid(d)), args.runs)
        peak_x = peak_kib(lambda d=declaration: render_xlsx(build_grid(d)))
        peak_p = peak_kib(lambda d=declaration: render_pdf(build_grid(d)))
        lo_ms = None if args.no_libreoffice else libreoffice_ms(xlsx, label)
        lo = f"{lo_ms:8.0f}{lo_ms / pdf_ms:7.1f}x" if lo_ms else f"{'-':>8}{'-':>8}"
        print(
            f"{label:<12}{grid.row_count:>5}{xlsx_ms:9.1f}{floor_ms:9.1f}"
            f"{xlsx_ms / floor_ms:6.2f}x{len(xlsx) / 1024:9.1f}{pdf_ms:8.0f}"
            f"{pdf_pages(pdf):>6}{len(pdf) / 1024:8.1f}{lo}{peak_x:7.0f}/{peak_p:<6.0f}"
        )

    fresh = with_export_data(Declaration.objects.filter(pk=synthetic.pk)).get()
    export_declaration(fresh, "pdf")
    cached_ms, _ = median_ms(
        lambda: export_declaration(
            with_export_data(Declaration.objects.filter(pk=synthetic.pk)).get(), "pdf"
        ),
        args.runs,
    )
    print(
        f"\nsecond download of an unchanged declaration (PDF, from cache, incl. queries): "
        f"{cached_ms:.1f} ms"
    )

    if args.bulk:
        ids = bulk_copies(args.bulk)
        out = WORKDIR / "bulk"
        start = time.perf_counter()
        call_command(
            "export_declarations",
            "--format",
            "xlsx",
            "--out",
            str(out),
            "--year",
            "3000",
            stdout=open(os.devnull, "w"),
            stderr=open(os.devnull, "w"),
        )
        elapsed = time.perf_counter() - start
        written = len(list(out.iterdir()))
        print(
            f"bulk export of {len(ids)} declarations to Excel (export_declarations): "
            f"{elapsed:.1f} s, {written} files, {elapsed / written * 1000:.1f} ms each"
        )
    shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
