"""Benchmark of the official-layout exports (run on demand, not in CI).

    .venv/bin/python bench/exports.py [--runs 7] [--rounds 5] [--bulk 1000] [--no-libreoffice]

Works on a throw-away SQLite database with the sample tables, a synthetic declaration of 60
indicators and, for the bulk figure, copies of the samples. Prints:

1. The nine samples to PDF in one command, cold export cache, against LibreOffice converting
   our Excel files of the same nine tables in one ``soffice --convert-to pdf`` call, in the
   same run, ``--rounds`` times each, taking turns; medians. Two ratios:

   - whole command: each side's wall time, start-up included (our ``manage.py
     export_declarations --format pdf`` process with its PDF workers; LibreOffice's process);
   - start-up left out on both sides the same way: each side's batch time less the time of
     the same command on one tiny table (one cell of Excel; a declaration of one line).

   Ours is also timed with ``--jobs 1``, and in this process with its workers already
   started (time from the first query to the last file), for what start-up costs.
   LibreOffice runs with a user profile it made in an untimed first run, as a clerk's has.
2. For each declaration, the median milliseconds of an Excel and a PDF export (layout and
   rendering, cache bypassed), the peak Python memory of one export, the file sizes, and a
   bare openpyxl script writing the same cell values with no styling (the floor for Excel).
   (LibreOffice is not compared file by file: one conversion per file counts its start-up on
   every file and ours once.)
3. The second download of an unchanged declaration, and a bulk export to Excel.
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
from concurrent.futures import ThreadPoolExecutor
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
from declarations.exports.pdf import render_pdf, render_workers  # noqa: E402
from declarations.exports.service import (  # noqa: E402
    export_declaration,
    export_many,
    with_export_data,
)
from declarations.exports.xlsx import render_xlsx  # noqa: E402
from declarations.models import Declaration, Department  # noqa: E402

TINY_DEPARTMENT = "基准测试单位"


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


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(data)).pages)


# --- Ours against LibreOffice, one command each ------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def timed(command: list[str], env: dict | None = None) -> float:
    """Wall seconds of ``command``, which must succeed."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=600, env=env)
    return time.perf_counter() - start


def ours(out: Path, *options: str) -> float:
    """Our export command in a process of its own, with a cold (new, empty) export cache."""
    env = {**os.environ, "EXPORT_CACHE_DIR": str(Path(tempfile.mkdtemp(dir=WORKDIR)))}
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, str(ROOT / "manage.py"), "export_declarations"]
    return timed([*command, "--format", "pdf", "--out", str(out), *options], env)


def libreoffice(files: list[Path], out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    profile = (WORKDIR / "lo-profile").as_uri()
    command = [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to"]
    return timed([*command, "pdf", "--outdir", str(out), *map(str, files)])


def pdfs_in(folder: Path) -> int:
    return sum(1 for path in folder.iterdir() if path.read_bytes().startswith(b"%PDF"))


def tiny_declaration() -> None:
    """A declaration of one line in a department of its own: ``--department`` picks it."""
    sample = Declaration.objects.get(sample_key="004-1")
    department = Department.objects.create(name=TINY_DEPARTMENT, short_name="基准")
    Declaration.objects.create(
        department=department,
        department_name=TINY_DEPARTMENT,
        fiscal_year=2999,
        kind=sample.kind,
        layout=sample.layout,
        annual_target="一",
    )


def in_process(jobs: int) -> float:
    """Seconds from the first query to the last of the nine PDFs, this process's workers
    started and ready beforehand: the command less its start-up (Django's, the workers')."""
    from django.core.cache import caches

    caches["exports"].clear()
    warm_up = build_grid(Declaration.objects.get(sample_key="004-1"))
    with render_workers(jobs):
        with ThreadPoolExecutor(jobs) as threads:  # each worker loads WeasyPrint and the font
            list(threads.map(lambda _: render_pdf(warm_up), range(jobs)))
        start = time.perf_counter()
        declarations = with_export_data(Declaration.objects.exclude(sample_key=None))
        written = sum(1 for _ in export_many(declarations.order_by("pk"), "pdf", jobs=jobs))
        elapsed = time.perf_counter() - start
    assert written == 9
    return elapsed


def against_libreoffice(rounds: int, use_libreoffice: bool) -> None:
    jobs = os.cpu_count() or 1
    print(
        f"Nine sample tables to PDF, one command each, cold export cache, "
        f"medians of {rounds} rounds ({jobs} cores)"
    )
    xlsx = WORKDIR / "xlsx"
    with open(os.devnull, "w") as quiet:
        call_command(
            "export_declarations",
            "--format",
            "xlsx",
            "--out",
            str(xlsx),
            stdout=quiet,
            stderr=quiet,
        )
    nine = sorted(xlsx.iterdir())
    tiny_xlsx = WORKDIR / "tiny.xlsx"
    workbook = Workbook()
    workbook.active["A1"] = "一"
    workbook.save(tiny_xlsx)
    office = use_libreoffice and soffice() is not None
    if use_libreoffice and not office:
        print(
            "  LibreOffice (soffice) is not installed: no ratios. "
            "Install it with: apt-get install -y libreoffice-calc-nogui"
        )

    # Untimed: LibreOffice makes its user profile, the files and modules enter the OS cache.
    ours(WORKDIR / "ours-warm")
    if office:
        libreoffice([tiny_xlsx], WORKDIR / "lo-warm")

    times: dict[str, list[float]] = {"ours": [], "ours-1": [], "lo": []}
    for _ in range(rounds):
        times["ours"].append(ours(WORKDIR / "ours"))
        if office:
            times["lo"].append(libreoffice(nine, WORKDIR / "lo"))
        times["ours-1"].append(ours(WORKDIR / "ours-1", "--jobs", "1"))
    assert pdfs_in(WORKDIR / "ours") == pdfs_in(WORKDIR / "ours-1") == 9
    if office:
        assert pdfs_in(WORKDIR / "lo") == 9
    tiny_declaration()
    times.update({"ours-tiny": [], "lo-tiny": []})
    for _ in range(rounds):
        times["ours-tiny"].append(ours(WORKDIR / "ours-tiny", "--department", TINY_DEPARTMENT))
        if office:
            times["lo-tiny"].append(libreoffice([tiny_xlsx], WORKDIR / "lo-tiny"))
    assert pdfs_in(WORKDIR / "ours-tiny") == 1
    warm = statistics.median(in_process(jobs) for _ in range(rounds))

    m = {key: statistics.median(values) for key, values in times.items() if values}
    ours_net = m["ours"] - m["ours-tiny"]
    print(f"  ours, export_declarations --jobs {jobs}   {m['ours']:6.2f} s")
    print(f"  ours, export_declarations --jobs 1   {m['ours-1']:6.2f} s")
    print(f"  ours, one tiny table                 {m['ours-tiny']:6.2f} s")
    print(f"  ours, workers already started        {warm:6.2f} s  (in this process)")
    if not office:
        return
    lo_net = m["lo"] - m["lo-tiny"]
    print(f"  LibreOffice, nine Excel files        {m['lo']:6.2f} s")
    print(f"  LibreOffice, one tiny Excel file     {m['lo-tiny']:6.2f} s")
    print(
        f"  whole command, start-up included:  LibreOffice / ours = "
        f"{m['lo']:.2f} / {m['ours']:.2f} = {m['lo'] / m['ours']:.2f}x"
        f"   (--jobs 1: {m['lo'] / m['ours-1']:.2f}x)"
    )
    print(
        f"  start-up left out on both sides:   (batch - tiny) "
        f"{lo_net:.2f} / {ours_net:.2f} = {lo_net / ours_net:.2f}x"
        f"   (ours with workers started: {lo_net / warm:.2f}x)"
    )


# --- File by file -------------------------------------------------------------------------------


def file_by_file(runs: int) -> int:
    synthetic = synthetic_declaration()
    render_pdf(build_grid(synthetic))  # load WeasyPrint and the font once, outside the timings
    keys = list(
        Declaration.objects.exclude(sample_key=None)
        .order_by("sample_key")
        .values_list("pk", flat=True)
    ) + [synthetic.pk]
    header = (
        f"{'declaration':<12}{'rows':>5}{'xlsx ms':>9}{'floor ms':>9}{'ratio':>7}"
        f"{'xlsx KiB':>9}{'pdf ms':>8}{'pages':>6}{'pdf KiB':>8}{'peak KiB x/p':>14}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    for pk in keys:
        declaration = with_export_data(Declaration.objects.filter(pk=pk)).get()
        label = declaration.sample_key or f"synthetic-{declaration.indicators.count()}"
        grid = build_grid(declaration)
        xlsx_ms, xlsx = median_ms(lambda d=declaration: render_xlsx(build_grid(d)), runs)
        floor_ms, _ = median_ms(lambda g=grid: bare_openpyxl(g), runs)
        pdf_ms, pdf = median_ms(lambda d=declaration: render_pdf(build_grid(d)), runs)
        peak_x = peak_kib(lambda d=declaration: render_xlsx(build_grid(d)))
        peak_p = peak_kib(lambda d=declaration: render_pdf(build_grid(d)))
        print(
            f"{label:<12}{grid.row_count:>5}{xlsx_ms:9.1f}{floor_ms:9.1f}"
            f"{xlsx_ms / floor_ms:6.2f}x{len(xlsx) / 1024:9.1f}{pdf_ms:8.0f}"
            f"{pdf_pages(pdf):>6}{len(pdf) / 1024:8.1f}{peak_x:8.0f}/{peak_p:<6.0f}"
        )
    return synthetic.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--bulk", type=int, default=1000)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("load_samples", "--no-demo-accounts", verbosity=0)
    against_libreoffice(args.rounds, not args.no_libreoffice)
    synthetic = file_by_file(args.runs)

    fresh = with_export_data(Declaration.objects.filter(pk=synthetic)).get()
    export_declaration(fresh, "pdf")
    cached_ms, _ = median_ms(
        lambda: export_declaration(
            with_export_data(Declaration.objects.filter(pk=synthetic)).get(), "pdf"
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
