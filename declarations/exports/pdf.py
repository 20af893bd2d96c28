"""Render a layout grid as an A4 PDF with WeasyPrint, from the same HTML as the detail page.

The Chinese font is ``settings.PDF_FONT_FAMILY``, by default the Song-style AR PL UMing (Debian
package fonts-arphic-uming, installed by the Makefile). It is named by its family so that fontconfig hands it to Pango directly: an
``@font-face`` rule would make WeasyPrint fetch the font file through the URL fetcher, which
may fetch nothing but the project's own static files (no network, no ``file://`` outside the
static directories). The family is set on ``html`` so that page-margin boxes (the page
numbers) use it too.

Rendering is bounded, because WeasyPrint cannot be stopped once it has started:

- it runs in a worker process, which is killed after ``PDF_RENDER_TIMEOUT`` seconds; the
  workers are kept between renders, so WeasyPrint is imported once per worker, not per file;
- a server process renders at most ``PDF_MAX_CONCURRENT`` PDFs at once; a render waits up to
  ``PDF_QUEUE_TIMEOUT`` seconds for its turn;
- a PDF that does not show every character of every table cell on its pages is refused,
  never served cut.

Each refusal raises a ``PdfUnavailable`` with a message for the user; views answer 503.
"""

import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import traceback
from collections import defaultdict
from functools import cache
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.html import escape

from declarations.exports.grid import Grid, display_text
from declarations.exports.html import render_html

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


class RefusedFetch(ValueError):
    """A resource outside the project's static files was asked for and refused."""


def static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def check_url(url: str) -> Path:
    """Return the static file ``url`` names, or raise RefusedFetch."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedFetch(f"refused to fetch {url!r}: only the project's static files")
    path = Path(unquote(parts.path)).resolve()
    if not any(path.is_relative_to(root) for root in static_roots()) or not path.is_file():
        raise RefusedFetch(f"refused to fetch {url!r}: outside the static files")
    return path


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = check_url(url)
            return URLFetcherResponse(url, body=path.read_bytes())

    return StaticOnlyFetcher


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


def html_document(grid: Grid) -> str:
    return (
        '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8">'
        f"<title>{escape(grid.title)}</title><style>{page_css(grid)}</style></head>"
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
    return _pool().render((html_document(grid), static_base))


# --- The worker processes -------------------------------------------------------------------

_INVISIBLE = re.compile(r"[\s\u200b\u00ad]")


def _visible_length(text: str) -> int:
    return len(_INVISIBLE.sub("", text))


def _text_left_out(document, root) -> str:
    """What of the cells' text is not on the pages (cut at a page's edge or never laid out),
    or "" when every character of every cell is printed."""
    from weasyprint.formatting_structure import boxes

    printed: dict = defaultdict(int)
    for page in document.pages:
        stack = [(box, None) for box in page._page_box.children]
        while stack:
            box, cell = stack.pop()
            if isinstance(box, boxes.MarginBox):
                continue  # the page numbers
            if isinstance(box, boxes.TableCellBox):
                cell = box.element
            if isinstance(box, boxes.TextBox):
                inside = (
                    box.width > 0  # Pango gives a text too long for it no width at all
                    and box.position_x >= -1
                    and box.position_y >= -1
                    and box.position_x + box.width <= page.width + 1
                    and box.position_y + box.height <= page.height + 1
                )
                if cell is not None and (inside or not box.text.strip()):
                    printed[cell] += _visible_length(box.text)
            elif isinstance(box, boxes.ParentBox):
                stack.extend((child, cell) for child in box.children)
    for td in root.iter("td"):
        wanted = _visible_length("".join(td.itertext()))
        if printed[td] < wanted:  # header cells repeated on each page print more
            return f"a cell shows {printed[td]} of its {wanted} characters"
    return ""


def _write_pdf(html: str, base_url: str) -> tuple[str, object]:
    from weasyprint import HTML

    source = HTML(string=html, base_url=base_url, url_fetcher=_fetcher_class()())
    document = source.render()
    left_out = _text_left_out(document, source.etree_element)
    if left_out:
        return "cut", left_out
    return "ok", document.write_pdf()


def _serve(job_fd: int, outcome_fd: int, static_dirs: list[str], static_root: str) -> None:
    """A worker's loop: render each job it is sent and send back the outcome, until the
    server process closes the pipe (or exits)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C of the dev server is the parent's
    # The fetcher needs only the static directories; nothing else of the project runs here.
    settings.configure(STATICFILES_DIRS=static_dirs, STATIC_ROOT=static_root)
    import weasyprint  # noqa: F401  (loaded before the first job, ~0.3 s)

    jobs = Connection(job_fd, writable=False)
    outcomes = Connection(outcome_fd, readable=False)
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = _write_pdf(*job)
        except Exception:  # noqa: BLE001 - reported to the server process, which logs it
            outcome = ("error", traceback.format_exc())
        outcomes.send(outcome)


class _Worker:
    """A Python process that renders PDFs, started with ``python -c`` rather than by
    ``multiprocessing``, which would run the server's main script again in it."""

    def __init__(self):
        job_read, job_write = os.pipe()
        outcome_read, outcome_write = os.pipe()
        arguments = [
            job_read,
            outcome_write,
            [str(path) for path in settings.STATICFILES_DIRS],
            str(settings.STATIC_ROOT or ""),
        ]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import json, sys; from declarations.exports.pdf import _serve; "
                "_serve(*json.loads(sys.argv[1]))",
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
        self.lock = threading.Lock()
        self.closed = False

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


def _pool() -> _Pool:
    """The process's pool, sized by ``PDF_MAX_CONCURRENT`` (remade when that changes). A
    process forked from one with a pool starts its own: the workers' pipes are not its own."""
    global _current_pool
    with _pool_lock:
        pool = _current_pool
        if pool is None or pool.pid != os.getpid():
            _current_pool = _Pool(settings.PDF_MAX_CONCURRENT)
        elif pool.size != settings.PDF_MAX_CONCURRENT:
            pool.close()
            _current_pool = _Pool(settings.PDF_MAX_CONCURRENT)
        return _current_pool
