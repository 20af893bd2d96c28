"""Exporting declarations: one file, a ZIP of many, served from a cache of rendered files.

The cache key is a digest of the laid-out grid, i.e. of everything that is printed, so an
unchanged declaration is never rendered twice and a changed one never served stale, whatever
path its change took (wizard, admin, import).
"""

import hashlib
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import Prefetch, QuerySet

from declarations.domain.choices import Layout
from declarations.exports.filenames import safe_filename, unique_names
from declarations.exports.grid import Grid
from declarations.exports.layouts import build_grid
from declarations.exports.pdf import PdfUnavailable, render_capacity, render_pdf
from declarations.models import Declaration
from indicators.models import PerformanceIndicator

# Bump when a renderer changes its output, so cached files of the old renderer are not served.
RENDERER_VERSION = "3"


@dataclass(frozen=True)
class ExportFormat:
    extension: str
    content_type: str
    label: str

    def render(self, grid: Grid) -> bytes:
        if self.extension == "xlsx":
            # openpyxl is imported when first needed: every process (a command, a worker)
            # would otherwise pay its ~0.1 s import at start-up.
            from declarations.exports.xlsx import render_xlsx

            return render_xlsx(grid)
        return render_pdf(grid)


FORMATS = {
    "xlsx": ExportFormat(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
    ),
    "pdf": ExportFormat("pdf", "application/pdf", "PDF"),
}


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


def with_export_data(declarations: QuerySet[Declaration]) -> QuerySet[Declaration]:
    """Fetch everything the layouts print in a fixed number of queries."""
    return declarations.select_related(
        "department__supervising_division", "project", "budget", "reviewed_by"
    ).prefetch_related(
        "spending_plan",
        "key_tasks",
        Prefetch(
            "indicators",
            queryset=PerformanceIndicator.objects.select_related("level1", "level2"),
        ),
    )


def grid_digest(grid: Grid, salt: str = "") -> str:
    return hashlib.sha256(f"{salt}{grid!r}".encode()).hexdigest()


def file_stem(declaration: Declaration) -> str:
    """Year, department, subject and, for an adjustment, which one: an adjustment and the
    version it adjusts never share a name."""
    adjustment = f"_第{declaration.adjustment_no}次调整" if declaration.adjusts_id else ""
    return (
        f"{declaration.fiscal_year}年_{declaration.display_short_name}_"
        f"{declaration.subject}_绩效目标申报表{adjustment}"
    )


def render_cached(grid, fmt: str, filename: str) -> ExportFile:
    """``grid`` rendered as ``fmt``, from the export cache when the same table was rendered
    before. The digest covers what is printed and, for PDF, the font it is printed in."""
    export_format = FORMATS[fmt]
    cache = caches["exports"]
    font = settings.PDF_FONT_FAMILY if fmt == "pdf" else ""
    key = f"export:{fmt}:{RENDERER_VERSION}:{grid_digest(grid, font)}"
    data = cache.get(key)
    if data is None:
        data = export_format.render(grid)
        cache.set(key, data)
    return ExportFile(filename=filename, content_type=export_format.content_type, data=data)


def export_declaration(declaration: Declaration, fmt: str, layout: str | None = None) -> ExportFile:
    """The declaration as a file, in its own layout or in ``layout``."""
    return render_cached(
        build_grid(declaration, layout), fmt, export_filename(declaration, fmt, layout)
    )


def export_filename(declaration: Declaration, fmt: str, layout: str | None = None) -> str:
    stem = file_stem(declaration)
    if layout and layout != declaration.layout:
        stem += f"_{Layout(layout).label.split('·')[0]}表样"
    return safe_filename(stem, FORMATS[fmt].extension)


def export_many(
    declarations: Iterable[Declaration], fmt: str, *, jobs: int = 1
) -> Iterator[ExportFile]:
    """Export each declaration, with file names made unique across the set, and yield the
    files in the order of ``declarations``, each as soon as it and those before it are ready.

    PDFs are rendered up to ``jobs`` at once, as many as this process may render at once at
    most (``pdf.render_capacity``, see ``pdf.render_workers``); Excel files one at a time,
    their work being Python's own. Only a few files are rendered ahead of the one taken, so a
    bulk export never holds them all. A file that cannot be made stops the export with the
    reason and the file's name, after the files before it."""
    declarations = list(declarations)
    names = unique_names([export_filename(d, fmt) for d in declarations])
    jobs = min(jobs, render_capacity()) if fmt == "pdf" else 1
    if jobs <= 1 or len(declarations) <= 1:
        for declaration, name in zip(declarations, names, strict=True):
            yield _named(name, lambda d=declaration: export_declaration(d, fmt))
        return
    # The layouts are built here, in the caller's thread, the only one that may query; the
    # threads only wait for the worker processes, which do the rendering.
    executor = ThreadPoolExecutor(jobs, thread_name_prefix="export")
    try:
        ahead: deque[tuple[str, Future]] = deque()
        for declaration, name in zip(declarations, names, strict=True):
            grid = build_grid(declaration)
            ahead.append((name, executor.submit(render_cached, grid, fmt, name)))
            if len(ahead) > 2 * jobs:  # ``jobs`` rendering and as many waiting their turn
                yield _named(*ahead.popleft())
        while ahead:
            yield _named(*ahead.popleft())
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _named(name: str, file: Future | Callable[[], ExportFile]) -> ExportFile:
    """The file, made or waited for, under its unique ``name``; a PDF that cannot be made
    raises with the file's name in the message."""
    try:
        made = file.result() if isinstance(file, Future) else file()
    except PdfUnavailable as exc:
        raise type(exc)(f"{name}：{exc.message}") from exc  # say which file it was
    return ExportFile(filename=name, content_type=made.content_type, data=made.data)


def write_zip(declarations: Iterable[Declaration], fmt: str, fileobj, *, jobs: int = 1) -> int:
    """Write one file per declaration into a ZIP archive; return how many were written.
    ``jobs`` as for ``export_many``."""
    return write_files_zip(export_many(declarations, fmt, jobs=jobs), fileobj)


def write_files_zip(files: Iterable[ExportFile], fileobj) -> int:
    """Write ``files`` (their names already unique) into a ZIP archive; return how many."""
    count = 0
    # xlsx and pdf are already compressed; storing them is as small and much faster.
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED) as archive:
        for file in files:
            archive.writestr(file.filename, file.data)
            count += 1
    return count
