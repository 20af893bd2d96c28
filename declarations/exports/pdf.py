"""Render a layout grid as an A4 PDF with WeasyPrint, from the same HTML as the detail page.

The Chinese font is ``settings.PDF_FONT_FAMILY``, by default the Song-style AR PL UMing (Debian
package fonts-arphic-uming, installed by the Makefile). It is named by its family so that fontconfig hands it to Pango directly: an
``@font-face`` rule would make WeasyPrint fetch the font file through the URL fetcher, which
may fetch nothing but the project's own static files (no network, no ``file://`` outside the
static directories). The family is set on ``html`` so that page-margin boxes (the page
numbers) use it too.
"""

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.html import escape

from declarations.exports.grid import Grid
from declarations.exports.html import render_html


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
        f"<body>{render_html(grid)}</body></html>"
    )


def render_pdf(grid: Grid) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint costs ~0.3 s

    static_base = static_roots()[0].as_uri() + "/"
    return HTML(
        string=html_document(grid), base_url=static_base, url_fetcher=_fetcher_class()()
    ).write_pdf()
