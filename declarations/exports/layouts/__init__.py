"""The registry of official layouts: one module per layout, each with ``build(declaration)``.

Adding a layout is one module here and one entry in ``Layout`` (declarations.models).
"""

from declarations.exports.grid import Grid
from declarations.exports.layouts import beijing, chongqing, guangzhou, hebei, kunming
from declarations.models import Declaration
from declarations.models.declarations import Layout

BUILDERS = {
    Layout.CHONGQING_SPECIAL: chongqing.build,
    Layout.GUANGZHOU_DEPARTMENT: guangzhou.build,
    Layout.BEIJING_DEPARTMENT: beijing.build,
    Layout.KUNMING_PROJECT: kunming.build,
    Layout.HEBEI_COUNTY: hebei.build,
}


def build_grid(declaration: Declaration, layout: str | None = None) -> Grid:
    """The declaration laid out in ``layout`` (by default the one it is filed in)."""
    return BUILDERS[Layout(layout or declaration.layout)](declaration)
