"""Exporting declarations: one file, a ZIP of many, served from a cache of rendered files.

The cache key is a digest of the laid-out grid, i.e. of everything that is printed, so an
unchanged declaration is never rendered twice and a changed one never served stale, whatever
path its change took (wizard, admin, import).
"""

import hashlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import Prefetch, QuerySet

from declarations.domain.choices import Layout
from declarations.exports.filenames import safe_filename, unique_names
from declarations.exports.grid import Grid
from declarations.exports.layouts import build_grid
from declarations.exports.pdf import PdfUnavailable, render_pdf
from declarations.exports.xlsx import render_xlsx
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


def export_many(declarations: Iterable[Declaration], fmt: str) -> Iterable[ExportFile]:
    """Export each declaration, with file names made unique across the set. Files are
    rendered one at a time as they are taken, so a bulk export never holds them all."""
    declarations = list(declarations)
    names = unique_names([export_filename(d, fmt) for d in declarations])
    for declaration, name in zip(declarations, names, strict=True):
        try:
            file = export_declaration(declaration, fmt)
        except PdfUnavailable as exc:
            raise type(exc)(f"{name}：{exc.message}") from exc  # say which file it was
        yield ExportFile(filename=name, content_type=file.content_type, data=file.data)


def write_zip(declarations: Iterable[Declaration], fmt: str, fileobj) -> int:
    """Write one file per declaration into a ZIP archive; return how many were written."""
    return write_files_zip(export_many(declarations, fmt), fileobj)


def write_files_zip(files: Iterable[ExportFile], fileobj) -> int:
    """Write ``files`` (their names already unique) into a ZIP archive; return how many."""
    count = 0
    # xlsx and pdf are already compressed; storing them is as small and much faster.
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED) as archive:
        for file in files:
            archive.writestr(file.filename, file.data)
            count += 1
    return count
