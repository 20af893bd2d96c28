"""What runs inside a PDF worker process (see exports/pdf.py): WeasyPrint's render of one HTML
table, the check that every character of every cell is on the pages, and the loop that takes
jobs from the server process.

Nothing of Django or of the project's models is imported here, so that a worker is ready soon
after it is started; the server process passes it the static directories it may read.

A worker keeps between renders what does not depend on the table (profiled on the nine
sample tables; bench/exports.py measures the whole):

- one font configuration, so Pango's font map and its caches of the font's metrics and
  shapes live as long as the worker instead of being built again for each PDF;
- the page stylesheet, parsed once for each text it is sent (portrait or landscape);
- ``PRINT_UA_CSS`` as the user-agent stylesheet: WeasyPrint's own has some 190 rules, among
  them ``::marker`` and ``::footnote-*`` rules that give every element pseudo-elements to
  style, and style computation was a fifth of a render. Ours has the rules of the elements
  that ``html_document`` writes and no other; the PDF is byte for byte the same
  (tests/declarations/exports/test_pdf_rendering.py checks both).

The PDF's streams are compressed at zlib's default level rather than pydyf's level 9, which
took a tenth of a render for files 1 % smaller.
"""

import ctypes.util
import os
import re
import signal
import struct
import subprocess
import sys
import traceback
import zlib
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from functools import cache
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import unquote, urlsplit

# What WeasyPrint's user-agent stylesheet (css/html5_ua.css) says of the elements that
# exports/html.py and exports/pdf.py write, and of the page-margin box of the page numbers;
# ELEMENTS lists those elements, and a test keeps the two in step with html.py.
PRINT_UA_CSS = r"""
head, meta, style, title { display: none }
html, body, div { display: block }
body { margin: 8px }
table { display: table; box-sizing: border-box; border-spacing: 2px;
        border-collapse: separate; text-indent: initial; border-color: gray }
colgroup { display: table-column-group }
col { display: table-column }
thead { display: table-header-group; vertical-align: middle; border-color: inherit }
tbody { display: table-row-group; vertical-align: middle; border-color: inherit }
tr { display: table-row; vertical-align: inherit; border-color: inherit }
td { display: table-cell; vertical-align: inherit; padding: 1px; border-color: gray }
br::before { content: "\A"; white-space: pre-line }
wbr::before { content: "\200B" }
@page {
  margin: 75px;
  @bottom-center { text-align: center; vertical-align: middle }
}
"""
ELEMENTS = frozenset(
    "html head meta title style body div table colgroup col thead tbody tr td br wbr".split()
)
# zlib's default: pydyf's level 9 took three times as long for files 1 % smaller.
COMPRESSION_LEVEL = 6
# Parsed page stylesheets kept by a worker; there are two (portrait, landscape) per font.
STYLESHEETS_KEPT = 8


class RefusedFetch(ValueError):
    """A resource outside the project's static files was asked for and refused."""


def check_url(url: str, roots: list[Path]) -> Path:
    """Return the file of ``roots`` that ``url`` names, or raise RefusedFetch."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedFetch(f"refused to fetch {url!r}: only the project's static files")
    path = Path(unquote(parts.path)).resolve()
    if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
        raise RefusedFetch(f"refused to fetch {url!r}: outside the static files")
    return path


@cache
def fetcher_type():
    """WeasyPrint's URL fetcher, reading only what ``check`` (a ``check_url``) allows."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self, check: Callable[[str], Path], **kwargs):
            super().__init__(**kwargs)
            self.check = check

        def fetch(self, url, headers=None):
            return URLFetcherResponse(url, body=self.check(url).read_bytes())

    return StaticOnlyFetcher


@cache
def _print_html_type():
    from weasyprint import CSS, HTML

    user_agent = CSS(string=PRINT_UA_CSS)

    class PrintHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [user_agent]

    return PrintHTML


_INVISIBLE = re.compile(r"[\s\u200b\u00ad]")


def _visible_length(text: str) -> int:
    return len(_INVISIBLE.sub("", text))


def text_left_out(document, root) -> str:
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


def _recompress(document, pdf) -> None:
    """A ``write_pdf`` finisher: compress the streams pydyf would compress, at
    ``COMPRESSION_LEVEL``; pydyf then writes them as they are."""
    import pydyf

    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress and "Filter" not in obj.extra:
            raw = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)
            obj.stream = [zlib.compress(raw, COMPRESSION_LEVEL)]
            obj.extra["Filter"] = "/FlateDecode"
            obj.compress = False


class Renderer:
    """WeasyPrint with what a worker keeps between renders (see the module's docstring)."""

    def __init__(self, fetcher):
        from weasyprint.text.fonts import FontConfiguration

        self.fetcher = fetcher
        self.font_config = FontConfiguration()
        self.stylesheets: dict = {}

    def _stylesheet(self, css: str, base_url: str):
        from weasyprint import CSS

        sheet = self.stylesheets.get(css)
        if sheet is None:
            if len(self.stylesheets) >= STYLESHEETS_KEPT:
                self.stylesheets.clear()
            sheet = self.stylesheets[css] = CSS(
                string=css,
                base_url=base_url,
                url_fetcher=self.fetcher,
                font_config=self.font_config,
            )
        return sheet

    def write_pdf(self, html: str, base_url: str, css: str | None = None) -> tuple[str, object]:
        """``("ok", the PDF)``, or ``("cut", what is left out)`` when a cell's text is not
        all on the pages. ``css``, when given, is the page stylesheet ``html`` goes with."""
        source = _print_html_type()(string=html, base_url=base_url, url_fetcher=self.fetcher)
        stylesheets = [self._stylesheet(css, base_url)] if css is not None else None
        document = source.render(stylesheets=stylesheets, font_config=self.font_config)
        left_out = text_left_out(document, source.etree_element)
        if left_out:
            return "cut", left_out
        return "ok", document.write_pdf(finisher=_recompress)


# --- Start-up ---------------------------------------------------------------------------------


@contextmanager
def _libraries_listed_once():
    """Within the block, ``ctypes.util.find_library`` answers from one listing of ldconfig.

    WeasyPrint loads Pango, HarfBuzz and fontconfig through cffi, trying several names for each
    library; cffi asks ``find_library`` for every name, which runs ``ldconfig -p`` and, for a
    name it does not find, gcc and ld: 22 processes, about 0.25 s of each worker's start. The
    answers are those of ``find_library`` from ldconfig's list. Where that list may not be the
    whole story (LD_LIBRARY_PATH set, no ldconfig), nothing is changed."""
    if sys.platform != "linux" or os.environ.get("LD_LIBRARY_PATH"):
        yield
        return
    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            capture_output=True,
            check=True,
            env={"LC_ALL": "C", "LANG": "C"},
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        yield
        return
    # The ABI that ctypes.util looks for on this machine, as it names it.
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = {
        "x86_64-64": "libc6,x86-64",
        "ppc64-64": "libc6,64bit",
        "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit",
        "ia64-64": "libc6,IA-64",
    }.get(machine, "libc6")

    def find_library(name: str) -> str | None:
        pattern = rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(abi)}"
        found = re.search(os.fsencode(pattern), listing)
        return os.fsdecode(found.group(1)) if found else None

    original = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint() -> None:
    if "weasyprint" in sys.modules:
        return
    try:
        with _libraries_listed_once():
            import weasyprint  # noqa: F401
    except OSError:
        # A library that only the full search finds: start WeasyPrint's import again with it.
        for name in [name for name in sys.modules if name.partition(".")[0] == "weasyprint"]:
            del sys.modules[name]
        import weasyprint  # noqa: F401


def serve(job_fd: int, outcome_fd: int, static_roots: list[str]) -> None:
    """A worker's loop: render each job it is sent, ``(html, base_url, css)``, and send back
    the outcome, until the server process closes the pipe (or exits)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C of the dev server is the parent's
    import_weasyprint()
    roots = [Path(root) for root in static_roots]
    renderer = Renderer(fetcher_type()(lambda url: check_url(url, roots)))
    jobs = Connection(job_fd, writable=False)
    outcomes = Connection(outcome_fd, readable=False)
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = renderer.write_pdf(*job)
        except Exception:  # noqa: BLE001 - reported to the server process, which logs it
            outcome = ("error", traceback.format_exc())
        outcomes.send(outcome)
