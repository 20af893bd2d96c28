"""Render a layout grid as an A4 PDF with WeasyPrint, from the same HTML as the detail page.

The Chinese font is ``settings.PDF_FONT_FAMILY``, by default the Song-style AR PL UMing (Debian
package fonts-arphic-uming, installed by the Makefile). It is named by its family so that fontconfig hands it to Pango directly: an
``@font-face`` rule would make WeasyPrint fetch the font file through the URL fetcher, which
may fetch nothing but the project's own static files (no network, no ``file://`` outside the
static directories). The family is set on ``html`` so that page-margin boxes (the page
numbers) use it too.

Rendering is bounded, because WeasyPrint cannot be stopped once it has started:

- it runs in a worker process (exports/pdf_worker.py), which is killed after
  ``PDF_RENDER_TIMEOUT`` seconds; the workers are kept between renders, so WeasyPrint is
  imported once per worker, not per file;
- a server process renders at most ``PDF_MAX_CONCURRENT`` PDFs at once; a render waits up to
  ``PDF_QUEUE_TIMEOUT`` seconds for its turn. A process that does nothing but export (the
  export command) takes more with ``render_workers(n)``, which also starts them all at once;
- a PDF that does not show every character of every table cell on its pages is refused,
  never served cut.

Each refusal raises a ``PdfUnavailable`` with a message for the user; views answer 503.
"""

import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, partial
from multiprocessing.connection import Connection
from pathlib import Path

from django.conf import settings
from django.utils.html import escape

from declarations.exports import pdf_worker
from declarations.exports.grid import Grid, display_text
from declarations.exports.html import render_html
from declarations.exports.pdf_worker import RefusedFetch as RefusedFetch  # check_url's

logger = logging.getLogger(__name__)

# Past this many characters a table is not sent to WeasyPrint at all: it would take minutes.
MAX_PRINTED_CHARS = 500_000
# A worker is replaced after this many renders, so that what WeasyPrint caches stays small.
RENDERS_PER_WORKER = 200


class PdfUnavailable(Exception):
    """The PDF cannot be made; ``message`` tells the user why and what to do instead."""

    message = "PDF 生成失败，请稍后再试或下载 Excel。"

    def __init__(self, message: str | None = None):
        if message:
            self.message = message
        super().__init__(self.message)


class PdfBusy(PdfUnavailable):
    message = "PDF 生成繁忙，请稍后再试。"


class PdfTimeout(PdfUnavailable):
    message = "PDF 生成超时（表格过长），请缩短过长的文字或下载 Excel。"


class PdfTooLong(PdfUnavailable):
    message = "表格文字过长，PDF 无法完整打印，请缩短过长的文字或下载 Excel。"


def font_family() -> str:
    return settings.PDF_FONT_FAMILY


def static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def check_url(url: str) -> Path:
    """Return the static file ``url`` names, or raise RefusedFetch."""
    return pdf_worker.check_url(url, static_roots())


@cache
def _fetcher_class():
    """The URL fetcher of a render in this process: what ``check_url`` allows, nothing else."""
    return partial(pdf_worker.fetcher_type(), lambda url: check_url(url))


def page_css(grid: Grid) -> str:
    size = "A4 landscape" if grid.landscape else "A4"
    official = (settings.BASE_DIR / "static" / "css" / "official.css").read_text(encoding="utf-8")
    return f"""
html {{ font-family: "{font_family()}", "AR PL UMing CN", serif; font-size: 10.5pt; }}
@page {{
  size: {size};
  margin: 14mm 12mm 16mm 12mm;
  @bottom-center {{ content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-size: 9pt; }}
}}
body {{ margin: 0; }}
.official-table tr {{ break-inside: avoid; }}
.official-table tr.long {{ break-inside: auto; }}
{official}
"""


def html_document(grid: Grid, *, style: bool = True) -> str:
    """The grid as a whole HTML document; with ``style=False`` without its stylesheet
    (``page_css``), which a worker then takes already parsed from what it keeps."""
    head_style = f"<style>{page_css(grid)}</style>" if style else ""
    return (
        '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8">'
        f"<title>{escape(grid.title)}</title>{head_style}</head>"
        f"<body>{render_html(grid, for_print=True)}</body></html>"
    )


def render_pdf(grid: Grid) -> bytes:
    """The grid as a PDF, made in a worker process within the limits above."""
    printed = sum(len(display_text(cell)) for cell in grid.cells)
    if printed > MAX_PRINTED_CHARS:
        raise PdfTooLong(
            f"表格文字过长（共 {printed} 字，PDF 最多 {MAX_PRINTED_CHARS} 字），"
            "请缩短过长的文字或下载 Excel。"
        )
    static_base = static_roots()[0].as_uri() + "/"
    return _pool().render((html_document(grid, style=False), static_base, page_css(grid)))


def _write_pdf(html: str, base_url: str, css: str | None = None) -> tuple[str, object]:
    """A worker's render, in this process: ``("ok", PDF)`` or ``("cut", what is left out)``."""
    pdf_worker.import_weasyprint()
    return pdf_worker.Renderer(_fetcher_class()()).write_pdf(html, base_url, css)


@contextmanager
def render_workers(count: int) -> Iterator[int]:
    """Within the block this process renders up to ``count`` PDFs at once (never fewer than
    ``PDF_MAX_CONCURRENT``), and the workers for them are started at once, side by side, so
    that their start-up overlaps the caller's own work (queries, layouts) instead of waiting
    for the first renders. For a process that does nothing but export, such as the export
    command; a web server process keeps ``PDF_MAX_CONCURRENT``. Yields how many PDFs may be
    rendered at once. On leaving, the workers are stopped."""
    global _reserved
    with _pool_lock:
        before, _reserved = _reserved, max(count, 1)
    pool = None
    try:
        pool = _pool()
        pool.start(count)
        yield pool.size
    finally:
        with _pool_lock:
            _reserved = before
        if pool is not None:
            pool.close()


def render_capacity() -> int:
    """How many PDFs this process may render at once."""
    return _pool().size


# --- The worker processes -------------------------------------------------------------------


class _Worker:
    """A Python process that renders PDFs (pdf_worker.serve), started with ``python -c``
    rather than by ``multiprocessing``, which would run the server's main script again in it."""

    def __init__(self):
        job_read, job_write = os.pipe()
        outcome_read, outcome_write = os.pipe()
        arguments = [job_read, outcome_write, [str(root) for root in static_roots()]]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import json, sys; from declarations.exports.pdf_worker import serve; "
                "serve(*json.loads(sys.argv[1]))",
                json.dumps(arguments),
            ],
            cwd=settings.BASE_DIR,
            pass_fds=(job_read, outcome_write),
            stdin=subprocess.DEVNULL,
        )
        os.close(job_read)
        os.close(outcome_write)
        self.jobs = Connection(job_write, readable=False)
        self.outcomes = Connection(outcome_read, writable=False)
        self.renders = 0

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def render(self, job, timeout: float):
        """The worker's outcome, or None when ``timeout`` passed first."""
        self.renders += 1
        self.jobs.send(job)
        if not self.outcomes.poll(timeout):
            return None
        return self.outcomes.recv()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.jobs.close()
        self.outcomes.close()


class _Pool:
    """At most ``size`` workers, each rendering one PDF at a time."""

    def __init__(self, size: int):
        self.size = size
        self.pid = os.getpid()
        self.turns = threading.BoundedSemaphore(size)
        self.idle: list[_Worker] = []
        self.busy = 0
        self.lock = threading.Lock()
        self.closed = False

    def start(self, count: int) -> None:
        """Start workers until ``count`` (at most ``size``) are running; they load WeasyPrint
        side by side while the caller goes on."""
        with self.lock:
            missing = min(count, self.size) - len(self.idle) - self.busy
            if not self.closed:
                self.idle.extend(_Worker() for _ in range(missing))

    def render(self, job) -> bytes:
        if not self.turns.acquire(timeout=settings.PDF_QUEUE_TIMEOUT):
            raise PdfBusy()
        try:
            return self._render(job)
        finally:
            self.turns.release()

    def _render(self, job) -> bytes:
        with self.lock:
            worker = self.idle.pop() if self.idle else None
            self.busy += 1
        try:
            if worker is not None and not worker.is_alive():
                worker.stop()  # died while idle (killed from outside)
                worker = None
            worker = worker or _Worker()
            try:
                outcome = worker.render(job, settings.PDF_RENDER_TIMEOUT)
            except (EOFError, OSError):
                worker.stop()
                logger.exception("the PDF worker process died")
                raise PdfUnavailable() from None
            if outcome is None:
                worker.stop()
                logger.warning("PDF render stopped after %s s", settings.PDF_RENDER_TIMEOUT)
                raise PdfTimeout()
            self._give_back(worker)
        finally:
            with self.lock:
                self.busy -= 1
        kind, value = outcome
        if kind == "cut":
            logger.warning("PDF refused: %s", value)
            raise PdfTooLong()
        if kind == "error":
            logger.error("PDF render failed in the worker process:\n%s", value)
            raise PdfUnavailable()
        return value

    def _give_back(self, worker: _Worker) -> None:
        with self.lock:
            if not self.closed and worker.renders < RENDERS_PER_WORKER:
                self.idle.append(worker)
                return
        worker.stop()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.stop()


_pool_lock = threading.Lock()
_current_pool: _Pool | None = None
# PDFs that render_workers() lets this process render at once, beyond PDF_MAX_CONCURRENT.
_reserved = 0


def _pool() -> _Pool:
    """The process's pool, sized by ``PDF_MAX_CONCURRENT`` or ``render_workers`` (remade when
    that changes). A process forked from one with a pool starts its own: the workers' pipes
    are not its own."""
    global _current_pool
    with _pool_lock:
        size = max(settings.PDF_MAX_CONCURRENT, _reserved)
        pool = _current_pool
        if pool is None or pool.pid != os.getpid():
            _current_pool = _Pool(size)
        elif pool.size != size or pool.closed:
            pool.close()
            _current_pool = _Pool(size)
        return _current_pool
