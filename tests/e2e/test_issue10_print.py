"""Issue 10 in a real browser: printing a declaration's page prints the official table alone,
as on paper (static/css/print.css); the header leads to the help page; a small button keeps
its label on one line.

Leaves full-page screenshots of the print media under test-results/e2e/<test name>/.
"""

import os

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if os.environ.get("KEXIE_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip(
        "browser tests skipped: the playwright package is not installed", allow_module_level=True
    )

from declarations import workflow
from declarations.models import Declaration, User


def open_detail(page: Page, pk: int) -> None:
    page.goto(f"/declarations/{pk}/")
    expect(page.locator("#status")).to_be_visible()


@pytest.mark.e2e
@pytest.mark.parametrize(("user", "sample"), [("chenggong", "003-1"), ("shapingba", "000-1")])
def test_printing_the_detail_page_prints_the_official_table_alone(
    page: Page, login, screenshot, user, sample
):
    declaration = Declaration.objects.get(sample_key=sample)
    login(page, user)
    open_detail(page, declaration.pk)
    # On screen: the frame, the buttons and the history are there.
    expect(page.locator("nav.navbar")).to_be_visible()
    expect(page.locator("#actions")).to_be_visible()
    expect(page.locator("#history")).to_be_visible()

    page.emulate_media(media="print")
    screenshot(page, f"print-{sample}")
    for hidden in ("nav.navbar", "#actions", "#history", ".breadcrumb", "h1", "#status"):
        expect(page.locator(hidden).first).to_be_hidden()
    for button in page.locator(".btn").all():
        expect(button).to_be_hidden()
    table = page.locator(".official-page .official-table").first
    expect(table).to_be_visible()
    expect(page.locator(".official-page")).to_contain_text(declaration.project_name)

    card = page.locator(".card:has(.official-page)")
    style = card.evaluate(
        "e => { const s = getComputedStyle(e); return [s.borderTopWidth, s.boxShadow]; }"
    )
    assert style == ["0px", "none"]
    # Full width: the table spans the page's printable width, not the screen's container.
    table_width = table.evaluate("e => e.getBoundingClientRect().width")
    body_width = page.evaluate("document.body.getBoundingClientRect().width")
    assert table_width == pytest.approx(body_width, abs=2)

    page.emulate_media(media="screen")
    expect(page.locator("nav.navbar")).to_be_visible()


@pytest.mark.e2e
def test_the_header_leads_to_the_help_page(page: Page, login, screenshot):
    login(page, "shapingba")
    page.get_by_role("link", name="使用说明").click()
    expect(page.get_by_role("heading", name="使用说明")).to_be_visible()
    expect(page.locator("#help-weights")).to_contain_text("预算执行率")
    screenshot(page, "help")
    assert page.js_errors == []


@pytest.mark.e2e
def test_the_reply_button_keeps_its_label_on_one_line(page: Page, login, screenshot):
    declaration = Declaration.objects.get(sample_key="000-1")
    clerk, reviewer = User.objects.get(username="shapingba"), User.objects.get(username="reviewer")
    workflow.perform(declaration, "submit", by=clerk)
    workflow.add_comments(
        declaration, by=reviewer, overall="请补充满意度指标的评分依据。" * 8, per_indicator={}
    )
    workflow.perform(declaration, "return", by=reviewer)
    login(page, "shapingba")
    page.set_viewport_size({"width": 420, "height": 900})  # a narrow window squeezes it most
    open_detail(page, declaration.pk)
    button = page.locator("#comments").get_by_role("button", name="回复")
    expect(button).to_be_visible()
    screenshot(page, "reply")
    line_height = button.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    box = button.bounding_box()
    assert box["height"] < 2 * line_height, "the label 回复 wraps"
