"""Issue 10 in a real browser: a Chongqing clerk's first day. A new project entered with
deliberate mistakes: a budget typed in 元 whose parts do not add up, an indicator without a
name, "五百" for a number, weights that make 110. Each message is said once, at the fields it
concerns; the plausibility warning is confirmed and the declaration saved.

Screenshots of each step with its mistakes are left under
test-results/e2e/test_a_chongqing_clerks_first_project/.
"""

import os
import re
from decimal import Decimal

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if os.environ.get("KEXIE_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip(
        "browser tests skipped: the playwright package is not installed", allow_module_level=True
    )

from declarations.models import Declaration
from tests.e2e.test_wizard import (
    DETAIL_URL,
    assert_no_js_errors,
    field,
    fill_basic,
    fill_cq_narratives,
    indicator_rows,
    next_step,
    start_project_declaration,
    step_url,
)

PROJECT = "社区科普大篷车"
INVALID = re.compile(r"\bis-invalid\b")
WARNED = re.compile(r"\bis-warned\b")
# Typed in 元, the whole budget is one warning, at the first amount.
SLIP = (
    "预算、区级支出、补助街镇填写为 185000、150000、30000 万元，最大的即 18.5 亿元，"
    "远超科协项目和部门的常见规模，可能是按“元”填写的：如按元计，应分别填 18.5、15、3（万元）。"
)
SLIP_FIXED_SUM = SLIP.replace("150000", "155000").replace("、15、", "、15.5、")
NOT_A_NUMBER = "定量指标的指标值必须是数字，“五百”不是数字；文字目标请将指标属性改为定性。"


def refused(page: Page, step: str) -> None:
    """Click 下一步 and wait for the same step to come back (with its messages)."""
    with page.expect_navigation():
        page.locator("#wizard-next").click()
    page.wait_for_load_state()
    assert step_url(step).search(page.url), page.url


@pytest.mark.e2e
def test_a_chongqing_clerks_first_project(page: Page, login, screenshot):
    login(page, "shapingba")
    start_project_declaration(page)
    fill_basic(page, PROJECT, 2026, "cq_special")
    next_step(page, "budget")

    # -- the budget, typed in 元, its parts not adding up ---------------------------------
    page.fill("#id_budget-total", "185000")
    page.fill("#id_budget-own_level", "150000")
    page.fill("#id_budget-transfers_down", "30000")
    refused(page, "budget")
    sum_error = "区级支出、补助街镇之和为 180000.00 万元，与预算 185000.00 万元 不一致。"
    own_level = page.locator("#id_budget-own_level")
    expect(own_level.locator("xpath=..").locator(".invalid-feedback")).to_have_text(sum_error)
    expect(page.get_by_text(sum_error)).to_have_count(1)
    for name in ("total", "own_level", "transfers_down"):
        expect(page.locator(f"#id_budget-{name}")).to_have_class(INVALID)
    expect(page.locator("#id_budget-total").locator("xpath=../..")).to_contain_text(SLIP)
    expect(page.get_by_text(SLIP)).to_have_count(1)
    expect(page.locator("#confirm-warnings")).to_contain_text("本页有 1 条提示（标黄处）")
    expect(page.locator("main")).not_to_contain_text("对下转移支付")
    expect(page.locator("main")).not_to_contain_text("预算总额")
    expect(page.get_by_label("我已核对，确认无误")).not_to_be_checked()
    screenshot(page, "budget-with-mistakes")

    # The sum fixed, the warning stays: not accepted until confirmed, nothing lost.
    own_level.fill("155000")
    refused(page, "budget")
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    expect(page.get_by_role("alert").filter(has_text="请核对标黄的内容")).to_be_visible()
    for name in ("total", "own_level", "transfers_down"):
        expect(page.locator(f"#id_budget-{name}")).to_have_class(WARNED)
    expect(page.get_by_text(SLIP_FIXED_SUM)).to_have_count(1)
    expect(page.locator("#id_budget-total")).to_have_value("185000")
    expect(own_level).to_have_value("155000")
    expect(page.locator("#id_budget-transfers_down")).to_have_value("30000")
    screenshot(page, "budget-warning-to-confirm")
    page.get_by_label("我已核对，确认无误").check()
    next_step(page, "narratives")
    fill_cq_narratives(page)
    next_step(page, "indicators")

    # -- indicators: no name, "五百", weights of 110 --------------------------------------
    expect(page.locator("#weight-explanation")).to_contain_text("10 分属于“预算执行率”")
    expect(page.locator("#indicator-help")).to_contain_text("指标性质")
    rows = indicator_rows(page)
    page.locator("#add-indicator").click()
    expect(rows).to_have_count(2)
    first, second = rows.nth(0), rows.nth(1)
    field(first, "weight").fill("60")
    field(first, "operator").select_option("≥")
    field(first, "unit").fill("场")
    field(first, "value").press_sequentially("五百")
    # Said by the browser while typing, in the server's words, once.
    expect(first.locator(".invalid-feedback")).to_have_text([NOT_A_NUMBER])
    field(second, "name").fill("服务群众人次")
    field(second, "weight").fill("50")
    field(second, "operator").select_option("≥")
    field(second, "unit").fill("人次")
    field(second, "value").fill("3000")
    expect(page.locator("#weight-total")).to_have_text("权重合计：110 / 90（超出 20）")
    refused(page, "indicators")

    expect(page.get_by_text("指标权重合计为 110，应为 90。")).to_be_visible()
    expect(field(first, "name")).to_have_class(INVALID)
    expect(first.locator(".invalid-feedback").filter(has_text="请填写指标名称。")).to_have_count(1)
    expect(field(first, "value")).to_have_class(INVALID)
    expect(page.get_by_text("“五百”不是数字")).to_have_count(1)
    expect(first.locator(".invalid-feedback")).to_have_count(2)  # the name and the value
    expect(second.locator(".invalid-feedback")).to_have_count(0)
    screenshot(page, "indicators-with-mistakes")

    # Fixed, the declaration goes to the last step and is saved.
    field(first, "name").fill("科普大篷车进社区场次")
    field(first, "value").fill("50")
    expect(first.locator(".invalid-feedback")).to_have_count(0)
    field(first, "weight").fill("40")
    expect(page.locator("#weight-total")).to_have_text("权重合计：90 / 90")
    next_step(page, "review")
    expect(page.locator("#review-table")).to_contain_text("科普大篷车进社区场次")
    expect(page.locator("main")).to_contain_text(SLIP_FIXED_SUM)  # for the reviewer's questions
    screenshot(page, "review")
    page.locator("#wizard-save").click()
    page.wait_for_url(DETAIL_URL)
    expect(page.get_by_role("alert").filter(has_text="申报表已保存。")).to_be_visible()
    declaration = Declaration.objects.get(project__name=PROJECT)
    assert declaration.budget.total == Decimal(185000) * 10000
    assert [i.name for i in declaration.indicators.all()] == [
        "科普大篷车进社区场次",
        "服务群众人次",
    ]
    screenshot(page, "saved")
    assert_no_js_errors(page)
