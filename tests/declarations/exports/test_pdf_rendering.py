"""What the PDF workers keep and cut to render faster (exports/pdf_worker.py) changes nothing
that is printed: the same pages as plain WeasyPrint, however many tables a worker renders."""

import ctypes.util
from html.parser import HTMLParser
from io import BytesIO

import pytest
from pypdf import PdfReader

from declarations.exports import pdf as pdf_module
from declarations.exports import pdf_worker
from declarations.exports.grid import FILLS, Grid
from declarations.exports.layouts import build_grid
from declarations.exports.service import with_export_data
from declarations.models import Declaration

pytestmark = pytest.mark.django_db


def sample_grid(key: str) -> Grid:
    return build_grid(with_export_data(Declaration.objects.filter(sample_key=key)).get())


def printed(data: bytes) -> list[tuple[bytes, list[bytes]]]:
    """Each page's drawing (its content stream) and the font programs it draws with."""
    pages = []
    for page in PdfReader(BytesIO(data)).pages:
        fonts = []
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            fonts.append(descendant["/FontDescriptor"]["/FontFile2"].get_data())
        pages.append((page.get_contents().get_data(), sorted(fonts)))
    return pages


def plain_weasyprint(grid: Grid) -> bytes:
    """The PDF as WeasyPrint makes it with nothing kept or changed: its own user-agent
    stylesheet, the stylesheet in the document, a new font configuration, pydyf's
    compression."""
    from weasyprint import HTML

    return HTML(
        string=pdf_module.html_document(grid),
        base_url=pdf_module.static_roots()[0].as_uri() + "/",
        url_fetcher=pdf_module._fetcher_class()(),
    ).write_pdf()


def test_a_worker_prints_what_plain_weasyprint_prints_table_after_table():
    """A portrait table of several pages with a repeated header row, and a landscape one,
    rendered one after the other by one renderer (what a worker keeps: fonts, parsed
    stylesheets), then the first again."""
    grids = [sample_grid("001-1"), sample_grid("003-1")]
    assert grids[0].landscape != grids[1].landscape
    expected = [printed(plain_weasyprint(grid)) for grid in grids]
    assert len(expected[0]) > 1

    pdf_worker.import_weasyprint()
    renderer = pdf_worker.Renderer(pdf_module._fetcher_class()())
    base = pdf_module.static_roots()[0].as_uri() + "/"
    for index in [0, 1, 0]:
        grid = grids[index]
        kind, data = renderer.write_pdf(
            pdf_module.html_document(grid, style=False), base, pdf_module.page_css(grid)
        )
        assert kind == "ok"
        assert printed(data) == expected[index]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


def test_the_print_stylesheet_styles_every_element_the_pdf_html_has():
    """PRINT_UA_CSS replaces WeasyPrint's own user-agent stylesheet for the elements that
    html.py writes; an element added there without a rule would print unstyled."""
    lights = Grid(title="t", widths=[10, 10])
    row = lights.add_row()
    for col, style in enumerate(list(FILLS)[:2]):
        lights.put(row, col, "绿灯\n第二行" + "长" * 600, style)
    lights.finish()
    grids = [lights] + [
        build_grid(d) for d in with_export_data(Declaration.objects.exclude(sample_key=None))
    ]
    tags = set()
    for grid in grids:
        parser = _Tags()
        parser.feed(pdf_module.html_document(grid))
        tags |= parser.tags
    assert {"thead", "br", "wbr", "td", "col"} <= tags  # the samples have them all
    assert tags <= pdf_worker.ELEMENTS, tags - pdf_worker.ELEMENTS


@pytest.mark.parametrize(
    "name",
    ["gobject-2.0", "pango-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig", "pangoft2-1.0"],
)
def test_libraries_are_found_as_ctypes_finds_them(name):
    original = ctypes.util.find_library
    expected = original(name)
    assert expected  # installed: WeasyPrint cannot run without them
    with pdf_worker._libraries_listed_once():
        assert ctypes.util.find_library is not original
        assert ctypes.util.find_library(name) == expected
        assert ctypes.util.find_library("no-such-library-anywhere") is None
    assert ctypes.util.find_library is original
