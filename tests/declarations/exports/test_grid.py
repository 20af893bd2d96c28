"""The layout registry and the grid: every declaration prints in every layout."""

import pytest

from declarations.domain.choices import Layout
from declarations.exports.grid import Grid, Style
from declarations.exports.html import render_html
from declarations.exports.layouts import BUILDERS, build_grid
from declarations.exports.service import with_export_data
from declarations.exports.xlsx import render_xlsx
from declarations.models import Declaration
from tests.declarations.exports.readers import read_xlsx

pytestmark = pytest.mark.django_db


def test_every_layout_is_registered():
    assert set(BUILDERS) == set(Layout)


@pytest.mark.parametrize("layout", list(Layout))
def test_every_sample_prints_in_every_layout(layout):
    for declaration in with_export_data(Declaration.objects.all()):
        grid = build_grid(declaration, layout)
        names = [i.name for i in declaration.indicators.all() if i.name]
        html = render_html(grid)
        texts = " ".join(read_xlsx(render_xlsx(grid)).texts())
        for name in names:
            assert name in texts
            assert name.replace("“", "&ldquo;") in html or name in html


def test_overlapping_cells_are_a_layout_error():
    grid = Grid(title="t", widths=[10, 10])
    row = grid.add_row()
    grid.put(row, 0, "a", Style.TEXT, colspan=2)
    grid.put(row, 1, "b", Style.TEXT)
    with pytest.raises(ValueError, match="overlap"):
        grid.finish()


def test_a_span_past_the_grid_is_a_layout_error():
    grid = Grid(title="t", widths=[10, 10])
    row = grid.add_row()
    with pytest.raises(ValueError, match="leaves the grid"):
        grid.put(row, 1, "a", Style.TEXT, colspan=2)
    grid.put(row, 0, "a", Style.TEXT, rowspan=2)
    with pytest.raises(ValueError, match="spans past"):
        grid.finish()


def test_header_label_merged_into_the_body_is_split_for_thead():
    declaration = with_export_data(Declaration.objects.filter(sample_key="000-1")).get()
    html = render_html(build_grid(declaration))
    head = html[html.index("<thead>") : html.index("</thead>")]
    # (also a short value, kept whole: see test_short_values.py)
    assert 'class="s-label open-bottom short">绩效指标</td>' in head
    assert 'class="s-label open-top" rowspan="5"></td>' in html


def test_guangzhou_prints_empty_categories_whether_stored_or_not():
    from declarations.exports.html import render_html

    declaration = Declaration.objects.get(sample_key="001-1")
    before = render_html(
        build_grid(with_export_data(Declaration.objects.filter(pk=declaration.pk)).get())
    )
    declaration.indicators.filter(name="").delete()  # what a save through the wizard leaves
    after = render_html(
        build_grid(with_export_data(Declaration.objects.filter(pk=declaration.pk)).get())
    )
    assert before == after
    for name in ("经济效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标"):
        assert f">{name}</td>" in after
    # A category left empty by the clerk gets its empty row too.
    declaration.indicators.filter(level2__name="质量指标").delete()
    grid = build_grid(with_export_data(Declaration.objects.filter(pk=declaration.pk)).get())
    assert ">质量指标</td>" in render_html(grid)
