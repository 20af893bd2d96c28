"""The finance bureau's dashboard in a real browser: the charts draw under the strict
Content-Security-Policy (data from json_script, code from static files) in Chinese, and a click
on a chart opens the same filtered list as the figure beside it."""

import os
import re

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if os.environ.get("KEXIE_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip(
        "browser tests skipped: the playwright package is not installed", allow_module_level=True
    )

REVIEWER_PASSWORD = "kexie-review-2025"


@pytest.mark.e2e
def test_charts_draw_and_a_click_opens_the_list(page: Page, login, screenshot):
    login(page, "reviewer", REVIEWER_PASSWORD)
    page.get_by_role("link", name="绩效看板").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="2025 年度绩效看板")).to_be_visible()
    # The reviewer's division supervises 沙坪坝 alone: its four 2025 declarations, drafts.
    drafts = page.locator("#statuses tbody tr", has_text="草稿").locator("a.dash-figure")
    expect(drafts).to_have_text("4")
    statuses = page.locator('[data-chart="statuses"]')
    expect(statuses.locator("svg")).to_have_count(1)
    expect(statuses).to_contain_text("草稿")  # the slice's label, from the table's figures
    expect(page.locator('[data-chart="departments"] svg')).to_have_count(1)
    # Nothing waits in 2025: the waiting chart says so rather than drawing empty axes.
    expect(page.locator('[data-chart="waiting"]')).to_have_text("暂无数据")
    screenshot(page, "dashboard")
    assert page.js_errors == []

    # The ring has one slice (all drafts): a click anywhere on it opens their list.
    box = statuses.bounding_box()
    radius = min(box["width"], box["height"]) / 2
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.45 - radius * 0.55)
    page.wait_for_url(re.compile(r"/declarations/\?fiscal_year=2025&status=draft$"))
    expect(page.get_by_text("共 4 张。")).to_be_visible()
