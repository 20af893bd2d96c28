"""The indicator library's history in a real browser: the clerk typing a level-3 name reads
how often it was used and the targets and actuals of earlier years beside the suggestion,
and a target far outside them is a warning to confirm before the step is accepted."""

import os
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

from declarations.models import EvaluationEntry, SelfEvaluation
from indicators import history
from tests.e2e.test_wizard import (
    assert_no_js_errors,
    field,
    fill_basic,
    indicator_rows,
    next_step,
    start_project_declaration,
)
from tests.factories import DeclarationFactory, IndicatorFactory, category

NAME = "社区科普讲座场次"


def earlier_years():
    """Three approved declarations of other departments with the indicator, one of them
    self-evaluated."""
    for year, target, actual in [(2023, 10, 11), (2024, 12, None), (2025, 20, None)]:
        declaration = DeclarationFactory(status="approved", fiscal_year=year)
        indicator = IndicatorFactory(
            declaration=declaration,
            name=NAME,
            level1=category("产出指标"),
            level2=category("数量指标", "产出指标"),
            operator="≥",
            unit="场",
            target_value=Decimal(target),
        )
        if actual is not None:
            evaluation = SelfEvaluation.objects.create(declaration=declaration, status="approved")
            EvaluationEntry.objects.create(
                evaluation=evaluation, indicator=indicator, points=10, actual=Decimal(actual)
            )
    history.rebuild()


@pytest.mark.e2e
def test_the_library_shows_history_and_a_far_target_is_confirmed(page: Page, login, screenshot):
    earlier_years()
    login(page, "chenggong")
    start_project_declaration(page)
    fill_basic(page, "社区科普讲座", 2026, "km_project")
    next_step(page, "budget")
    page.fill("#id_budget-total", "10")
    next_step(page, "narratives")
    for name in ("legal_basis", "overview", "content", "overall_target", "annual_target"):
        page.fill(f"#id_narratives-{name}", "在辖区社区开展科普讲座，提升居民科学素质。")
    next_step(page, "indicators")

    row = indicator_rows(page).nth(0)
    field(row, "name").press_sequentially("社区科普讲座")
    suggestion = row.locator("[data-library-item]").filter(has_text=NAME)
    expect(suggestion.locator("[data-library-history]")).to_have_text(
        "已被使用 3 次（2023—2025 年） · 历年目标值（≥，场） 最低 10 / 中位 12 / 最高 20"
        " · 实际完成 最低 11 / 中位 11 / 最高 11（1 个）"
    )
    screenshot(page, "library-history")
    suggestion.click()
    expect(field(row, "unit")).to_have_value("场")
    expect(field(row, "operator")).to_have_value("≥")

    # 200 场 for a district that held 10 to 20: a digit too many, or a plan to say why.
    field(row, "value").fill("200")
    page.locator("#wizard-next").click()
    warning = page.locator("[data-warning]")
    expect(warning).to_contain_text("第 1 项指标的指标值≥200场远在历年同类目标之外")
    expect(warning).to_contain_text("最低 ≥10场、中位 ≥12场、最高 ≥20场")
    screenshot(page, "far-target-warning")
    page.get_by_label("我已核对，确认无误").check()
    next_step(page, "review")
    expect(page.locator("#review-table")).to_contain_text(NAME)
    assert_no_js_errors(page)
