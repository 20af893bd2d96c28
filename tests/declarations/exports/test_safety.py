"""Exports print what users typed as text: no formulas in Excel, no fetching in PDF."""

import pytest
from django.conf import settings

from declarations.exports import pdf as pdf_module
from declarations.exports.filenames import safe_filename, unique_names
from declarations.exports.service import export_declaration, with_export_data
from declarations.models import Declaration
from tests.declarations.exports.readers import pdf_text, read_xlsx, squeeze
from tests.factories import BudgetFactory, DeclarationFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://evil.example/x","点击")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
]


def declaration_with(**texts) -> Declaration:
    declaration = DeclarationFactory(**texts)
    BudgetFactory(declaration=declaration)
    return with_export_data(Declaration.objects.filter(pk=declaration.pk)).get()


def test_formula_like_texts_are_written_as_text():
    declaration = DeclarationFactory(
        annual_target=FORMULAS[0], overview=FORMULAS[1], legal_basis=FORMULAS[3]
    )
    IndicatorFactory(declaration=declaration, order=1, name=FORMULAS[2])
    declaration = with_export_data(Declaration.objects.filter(pk=declaration.pk)).get()
    sheet = read_xlsx(export_declaration(declaration, "xlsx").data)
    assert "<f>" not in sheet.xml  # no formula anywhere in the sheet
    for text in FORMULAS:
        (coordinate,) = [c for c, v in sheet.cells.items() if v == text]
        cell = sheet.worksheet[coordinate]
        assert cell.data_type == "s"
        assert cell.quotePrefix


def test_markup_and_urls_in_a_narrative_fetch_nothing(monkeypatch):
    attempts = []
    real_check = pdf_module.check_url

    def spy(url):
        attempts.append(url)
        return real_check(url)

    monkeypatch.setattr(pdf_module, "check_url", spy)
    payload = (
        '<img src="http://127.0.0.1:9/x.png"> <img src="file:///etc/passwd"> file:///etc/passwd'
    )
    declaration = declaration_with(annual_target=payload)
    data = export_declaration(declaration, "pdf").data
    assert attempts == []
    assert '<imgsrc="http://127.0.0.1:9/x.png">' in squeeze(pdf_text(data))  # printed as text
    assert "root:" not in pdf_text(data)


def test_the_fetcher_refuses_network_and_files_outside_static():
    fetcher = pdf_module._fetcher_class()()
    for url in [
        "http://127.0.0.1:9/x.png",
        "https://example.com/a.css",
        "file:///etc/passwd",
        "data:text/plain,hi",
        f"file://{settings.BASE_DIR}/manage.py",
        f"file://{settings.BASE_DIR}/static/../manage.py",
    ]:
        with pytest.raises(pdf_module.RefusedFetch):
            fetcher.fetch(url)
    css = settings.BASE_DIR / "static" / "css" / "official.css"
    response = fetcher.fetch(css.as_uri())
    assert b".official-table" in response.read()


def test_a_real_img_tag_is_not_fetched_by_weasyprint(monkeypatch):
    from weasyprint import HTML

    attempts = []
    real_check = pdf_module.check_url
    monkeypatch.setattr(
        pdf_module, "check_url", lambda url: attempts.append(url) or real_check(url)
    )
    HTML(
        string='<p>x</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/y.png">',
        url_fetcher=pdf_module._fetcher_class()(),
    ).write_pdf()
    assert attempts == ["file:///etc/passwd", "http://127.0.0.1:9/y.png"]  # asked, and refused


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        (
            '2025年_沙区科协_科普<工作>:"专项"/a\\b|c?d*',
            "2025年_沙区科协_科普_工作_专项_a_b_c_d_.xlsx",
        ),
        ("CON", "_CON.xlsx"),
        ("  名称. ", "名称.xlsx"),
        ("", "declaration.xlsx"),
        ("a" * 300, "a" * 120 + ".xlsx"),
    ],
)
def test_file_names_are_safe_for_windows(stem, expected):
    assert safe_filename(stem, "xlsx") == expected


def test_repeated_names_are_numbered():
    assert unique_names(["a.pdf", "b.pdf", "A.pdf"]) == ["a.pdf", "b.pdf", "A (2).pdf"]
