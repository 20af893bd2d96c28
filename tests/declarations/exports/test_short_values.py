"""Short values of an official table (有效提升, 定性指标, the header 度量单位) print on one line:
their columns are widened for them, the room taken from the columns of long texts."""

import pytest
from django.core.cache import caches

from declarations.exports import html
from declarations.exports.grid import Grid, Style
from declarations.exports.layouts import build_grid
from declarations.exports.service import export_declaration, with_export_data
from declarations.models import Declaration
from tests.declarations.exports.readers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_files():
    """Files are cached by what they print, not by how: render each test's anew."""
    caches["exports"].clear()
    yield
    caches["exports"].clear()


def kunming_with_a_short_text_value() -> Declaration:
    declaration = Declaration.objects.get(sample_key="003-1")
    indicator = declaration.indicators.get(order=2)
    indicator.target_value, indicator.unit, indicator.target_text = None, "", "有效提升"
    indicator.save()
    return with_export_data(Declaration.objects.filter(pk=declaration.pk)).get()


def pdf_lines(declaration: Declaration) -> list[str]:
    text = pdf_text(export_declaration(declaration, "pdf").data)
    return [line.strip() for line in text.splitlines()]


def test_the_kunming_pdf_prints_short_values_unbroken():
    lines = pdf_lines(kunming_with_a_short_text_value())
    joined = "\n".join(lines)
    for short in ("有效提升", "度量单位", "指标性质", "满意度指标", "定性指标"):
        assert short in joined, f"{short} is broken across lines"
    # A long text still wraps within its column.
    long = "营造呈贡区讲科学、爱科学、学科学、用科学良好社会氛围。"
    assert long not in lines and long not in joined


def test_without_the_widening_they_would_break(monkeypatch):
    """The check above can fail: with the layout's own widths the PDF breaks them."""
    monkeypatch.setattr(
        html, "column_percents", lambda grid: [w / sum(grid.widths) * 100 for w in grid.widths]
    )
    joined = "\n".join(pdf_lines(kunming_with_a_short_text_value()))
    assert "度量单位" not in joined and "有效提升" not in joined


def test_short_cells_are_marked_and_their_columns_widened():
    declaration = kunming_with_a_short_text_value()
    grid = build_grid(declaration, declaration.layout)
    page = html.render_html(grid)
    assert '<td class="s-center short">有效提升</td>' in page
    layout_widths = [w / sum(grid.widths) * 100 for w in grid.widths]
    widened = html.column_percents(grid)
    assert sum(widened) == pytest.approx(100)
    unit_column = 5  # 度量单位
    assert widened[unit_column] > layout_widths[unit_column]
    assert f"width:{widened[unit_column]:.2f}%" in page


def test_widths_stay_as_laid_out_when_nothing_is_short_or_there_is_no_room():
    grid = Grid(title="t", widths=[10, 30])
    row = grid.add_row()
    grid.put(row, 0, "一段很长的文字，不是简短的值", Style.TEXT)
    grid.put(row, 1, "另一段很长的文字，也不是简短的值", Style.TEXT)
    assert html.column_percents(grid.finish()) == [25, 75]
    crowded = Grid(title="t", widths=[1] * 20)
    row = crowded.add_row()
    for col in range(20):
        crowded.put(row, col, "六个字的值呀", Style.CENTER)
    assert html.column_percents(crowded.finish()) == [5] * 20
