"""The declaration wizard in a real browser: what a clerk of a science association does.

Every test starts from the sample tables and demo accounts (see conftest.py) and leaves
full-page screenshots under test-results/e2e/<test name>/.
"""

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

from declarations.models import Declaration, DeclarationDraft
from indicators.models import IndicatorCategory

STEP_URL = r"/drafts/\d+/{step}/$"
DETAIL_URL = re.compile(r"/declarations/(\d+)/$")
HOME_URL = re.compile(r"/$")


# -- helpers -------------------------------------------------------------------------------


def step_url(step: str) -> re.Pattern:
    return re.compile(STEP_URL.format(step=step))


def start_project_declaration(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="新建项目支出申报").click()
    page.wait_for_url(step_url("basic"))
    expect(page.locator("h2", has_text="基本信息")).to_be_visible()


def next_step(page: Page, step: str) -> None:
    """Click 下一步 and wait for the wizard to show ``step``."""
    page.locator("#wizard-next").click()
    page.wait_for_url(step_url(step))
    expect(page.locator(".wizard-steps [aria-current=step]")).to_be_visible()


def fill_basic(page: Page, name: str, year: int, layout: str) -> None:
    page.select_option("#id_basic-project", "")
    page.fill("#id_basic-project_name", name)
    page.fill("#id_basic-fiscal_year", str(year))
    page.select_option("#id_basic-layout", layout)


def fill_cq_narratives(page: Page) -> None:
    page.fill("#id_narratives-overview", "面向全区中小学生举办青少年科技创新大赛。")
    page.fill("#id_narratives-legal_basis", "《全民科学素质行动规划纲要（2021—2035年）》。")
    page.fill("#id_narratives-annual_target", "办好一届大赛，带动青少年参与科技创新活动。")


def indicator_rows(page: Page):
    """The indicator rows the clerk sees (rows removed with 删除 stay in the form, hidden)."""
    return page.locator("[data-formset-list] > [data-indicator]:not(.removed)")


def field(row, name: str):
    return row.locator(f'[name$="-{name}"]')


def fill_indicator(row, name, *, weight=None, kind="quantitative", operator="", value="", unit=""):
    field(row, "name").fill(name)
    field(row, "kind").select_option(kind)
    if weight is not None:
        field(row, "weight").fill(str(weight))
    if kind == "quantitative":
        field(row, "operator").select_option(operator)
        field(row, "unit").fill(unit)
    field(row, "value").fill(value)


def official_row(page: Page, indicator_name: str):
    """The row of the official table (detail page) that lists ``indicator_name``."""
    return page.locator(".official-page tr").filter(
        has=page.locator("td", has_text=re.compile("^" + re.escape(indicator_name) + "$"))
    )


def assert_no_js_errors(page: Page) -> None:
    assert page.js_errors == [], f"JavaScript errors on the page: {page.js_errors}"


# -- tests ---------------------------------------------------------------------------------


@pytest.mark.e2e
def test_staff_fills_a_whole_project_declaration(page: Page, login, screenshot):
    login(page, "shapingba")
    start_project_declaration(page)

    fill_basic(page, "青少年科技创新大赛", 2026, "cq_special")
    next_step(page, "budget")

    expect(page.locator("#id_budget-total")).to_be_visible()
    page.fill("#id_budget-total", "12.5")
    page.fill("#id_budget-own_level", "12.5")
    next_step(page, "narratives")

    fill_cq_narratives(page)
    next_step(page, "indicators")

    rows = indicator_rows(page)
    expect(rows).to_have_count(1)
    add = page.locator("#add-indicator")
    for count in (2, 3, 4):
        add.click()
        expect(rows).to_have_count(count)
    fill_indicator(rows.nth(0), "参赛学生人数", weight=30, operator="≥", value="500", unit="人")
    fill_indicator(rows.nth(1), "参赛作品数量", weight=30, operator="≥", value="200", unit="件")
    fill_indicator(rows.nth(2), "赛事宣传报道次数", weight=20, operator="≥", value="5", unit="次")
    fill_indicator(rows.nth(3), "大赛按计划完成", weight=20, kind="qualitative", value="及时")
    expect(field(rows.nth(3), "operator")).to_be_disabled()
    weight_total = page.locator("#weight-total")
    expect(weight_total).to_contain_text("权重合计：100 / 90")

    # Remove the third indicator (weight 20): three remain, 30 + 30 + 20 = 80.
    rows.nth(2).get_by_role("button", name="删除").click()
    expect(rows).to_have_count(3)
    expect(page.locator("[data-formset-list] > [data-indicator]")).to_have_count(4)
    expect(weight_total).to_have_text("权重合计：80 / 90（还差 10）")
    expect(weight_total).to_have_class(re.compile(r"\bbad\b"))
    expect(rows.nth(2).locator("[data-number]")).to_have_text("3")
    screenshot(page, "indicators-weights-80")

    page.locator("#wizard-next").click()
    expect(page.get_by_role("alert").filter(has_text="指标权重合计为")).to_have_text(
        "指标权重合计为 80，应为 90。"
    )
    assert step_url("indicators").search(page.url)
    # The page comes back with the three indicators; the removed one stays removed.
    expect(rows).to_have_count(3)
    expect(field(rows.nth(0), "name")).to_have_value("参赛学生人数")
    expect(field(rows.nth(2), "name")).to_have_value("大赛按计划完成")
    expect(weight_total).to_have_text("权重合计：80 / 90（还差 10）")
    screenshot(page, "server-rejects-80")

    field(rows.nth(0), "weight").fill("40")
    expect(weight_total).to_have_text("权重合计：90 / 90")
    expect(weight_total).to_have_class(re.compile(r"\bok\b"))
    next_step(page, "review")

    review = page.locator("#review-table")
    expect(review).to_be_visible()
    for name in ("青少年科技创新大赛", "参赛学生人数", "参赛作品数量", "大赛按计划完成"):
        expect(review).to_contain_text(name)
    expect(review).not_to_contain_text("赛事宣传报道次数")
    screenshot(page, "review")

    page.locator("#wizard-save").click()
    page.wait_for_url(DETAIL_URL)
    expect(page.get_by_role("alert").filter(has_text="申报表已保存。")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("2026年 青少年科技创新大赛")
    table = page.locator(".official-page")
    expect(table).to_contain_text("青少年科技创新大赛")
    expect(table).to_contain_text("12.50")
    expect(table).not_to_contain_text("赛事宣传报道次数")
    for name, weight in (("参赛学生人数", "40"), ("参赛作品数量", "30"), ("大赛按计划完成", "20")):
        row = official_row(page, name)
        expect(row).to_have_count(1)
        expect(row.locator("td")).to_contain_text([name, weight])
    expect(official_row(page, "大赛按计划完成").locator("td")).to_contain_text(["及时"])
    screenshot(page, "detail")

    declaration = Declaration.objects.get(pk=DETAIL_URL.search(page.url).group(1))
    assert [i.name for i in declaration.indicators.all()] == [
        "参赛学生人数",
        "参赛作品数量",
        "大赛按计划完成",
    ]
    assert not DeclarationDraft.objects.exists()
    assert_no_js_errors(page)


@pytest.mark.e2e
def test_staff_resumes_a_draft(page: Page, login, screenshot):
    login(page, "shapingba")
    start_project_declaration(page)
    fill_basic(page, "科技志愿服务", 2026, "cq_special")
    next_step(page, "budget")
    page.fill("#id_budget-total", "8.25")

    page.get_by_role("button", name="暂存并退出").click()
    page.wait_for_url(HOME_URL)
    expect(page.get_by_role("alert").filter(has_text="已暂存")).to_be_visible()
    drafts = page.locator("#drafts")
    expect(drafts).to_contain_text("2026年 科技志愿服务")
    expect(drafts).to_contain_text("停在“预算资金”")
    screenshot(page, "home-with-draft")

    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r"/login/"))
    login(page, "shapingba")

    page.locator("#drafts").get_by_role("link", name="继续填写").click()
    page.wait_for_url(step_url("budget"))
    expect(page.locator("#id_budget-total")).to_have_value("8.25")
    screenshot(page, "resumed-at-budget")

    page.fill("#id_budget-own_level", "8.25")
    next_step(page, "narratives")
    fill_cq_narratives(page)
    next_step(page, "indicators")
    fill_indicator(
        indicator_rows(page).nth(0),
        "志愿服务时长",
        weight=90,
        operator="≥",
        value="300",
        unit="小时",
    )
    expect(page.locator("#weight-total")).to_have_text("权重合计：90 / 90")
    next_step(page, "review")
    expect(page.locator("#review-table")).to_contain_text("志愿服务时长")
    page.locator("#wizard-save").click()
    page.wait_for_url(DETAIL_URL)
    expect(page.get_by_role("alert").filter(has_text="申报表已保存。")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("2026年 科技志愿服务")

    page.goto("/")
    expect(page.get_by_role("heading", name="最近的申报表")).to_be_visible()
    expect(page.locator("#drafts")).to_have_count(0)
    expect(page.locator("main table")).to_contain_text("科技志愿服务")
    screenshot(page, "home-without-draft")
    assert not DeclarationDraft.objects.exists()
    assert_no_js_errors(page)


SAMPLE_INDICATORS = [
    "全国科技工作者日系列活动",
    "全国科普日系列活动",
    "专家科普工作室建设",
    "全区公民科学素质大赛",
    "重庆市科普文化云平台维护",
]


def _snapshot(declaration: Declaration) -> dict:
    declaration.refresh_from_db()
    return {
        "fiscal_year": declaration.fiscal_year,
        "version": declaration.version,
        "updated_at": declaration.updated_at,
        "budget": declaration.budget.total,
        "indicators": list(
            declaration.indicators.values_list("name", "weight", "target_value", "target_text")
        ),
    }


@pytest.mark.e2e
def test_staff_copies_a_sample_to_next_year(page: Page, login, screenshot):
    original = Declaration.objects.get(
        department__name="重庆市沙坪坝区科学技术协会", fiscal_year=2025, project__name="科普工作"
    )
    before = _snapshot(original)

    login(page, "shapingba")
    page.locator("main table").get_by_role("link", name="科普工作", exact=True).click()
    page.wait_for_url(DETAIL_URL)
    assert DETAIL_URL.search(page.url).group(1) == str(original.pk)
    expect(page.locator("h1")).to_contain_text("2025年 科普工作")

    page.get_by_role("button", name="复制为 2026 年度申报").click()
    page.wait_for_url(step_url("basic"))
    expect(page.get_by_role("alert").filter(has_text="已从 2025 年度的申报表复制")).to_be_visible()
    expect(page.locator("#id_basic-fiscal_year")).to_have_value("2026")
    expect(page.locator("#id_basic-project option:checked")).to_have_text("科普工作")
    expect(page.locator("#id_basic-layout")).to_have_value("cq_special")
    screenshot(page, "copied-basic")

    for step in ("budget", "narratives", "indicators"):
        next_step(page, step)
    expect(indicator_rows(page)).to_have_count(len(SAMPLE_INDICATORS))
    for index, name in enumerate(SAMPLE_INDICATORS):
        expect(field(indicator_rows(page).nth(index), "name")).to_have_value(name)
    next_step(page, "review")
    review = page.locator("#review-table")
    for name in SAMPLE_INDICATORS:
        expect(review).to_contain_text(name)
    screenshot(page, "copied-review")

    page.locator("#wizard-save").click()
    page.wait_for_url(DETAIL_URL)
    expect(page.get_by_role("alert").filter(has_text="申报表已保存。")).to_be_visible()
    copy_pk = int(DETAIL_URL.search(page.url).group(1))
    assert copy_pk != original.pk
    expect(page.locator("h1")).to_contain_text("2026年 科普工作")
    table = page.locator(".official-page")
    expect(table).to_contain_text("2026年预算")
    for name in SAMPLE_INDICATORS:
        expect(official_row(page, name)).to_have_count(1)
    screenshot(page, "copy-detail")

    page.goto(f"/declarations/{original.pk}/")
    expect(page.locator("h1")).to_contain_text("2025年 科普工作")
    for name in SAMPLE_INDICATORS:
        expect(official_row(page, name)).to_have_count(1)
    screenshot(page, "original-detail")

    assert _snapshot(original) == before
    copy = Declaration.objects.get(pk=copy_pk)
    assert copy.fiscal_year == 2026
    assert copy.project_id == original.project_id
    assert [i.name for i in copy.indicators.all()] == SAMPLE_INDICATORS
    assert_no_js_errors(page)


@pytest.mark.e2e
def test_indicator_library_and_dependent_levels(page: Page, login, screenshot):
    login(page, "chenggong")
    start_project_declaration(page)
    fill_basic(page, "社区科普大讲堂", 2026, "km_project")
    next_step(page, "budget")
    page.fill("#id_budget-total", "10")
    next_step(page, "narratives")
    for name in ("legal_basis", "overview", "content", "overall_target", "annual_target"):
        page.fill(f"#id_narratives-{name}", "在辖区社区开展科普讲座，提升居民科学素质。")
    next_step(page, "indicators")

    row = indicator_rows(page).nth(0)
    level1, level2 = field(row, "level1"), field(row, "level2")
    expect(level2).to_be_disabled()

    # The library: typing part of a level-3 name offers earlier indicators.
    field(row, "name").press_sequentially("科普活动参与者")
    suggestion = row.locator("[data-library-item]").filter(has_text="科普活动参与者满意度（%）")
    expect(suggestion.first).to_be_visible()
    screenshot(page, "library-suggestions")
    suggestion.first.click()
    expect(row.locator("[data-library-item]")).to_have_count(0)
    expect(field(row, "name")).to_have_value("科普活动参与者满意度（%）")
    expect(level1.locator("option:checked")).to_have_text("效益指标")
    expect(level2).to_be_enabled()
    expect(level2.locator("option:checked")).to_have_text("社会效益指标")
    expect(field(row, "unit")).to_have_value("百分比")
    expect(field(row, "operator")).to_have_value("≥")
    expect(field(row, "kind")).to_have_value("quantitative")
    field(row, "value").fill("90")

    # Dependent selects: a level-1 category limits level 2 to its children.
    page.locator("#add-indicator").click()
    expect(indicator_rows(page)).to_have_count(2)
    second = indicator_rows(page).nth(1)
    s_level1, s_level2 = field(second, "level1"), field(second, "level2")
    expect(s_level2).to_be_disabled()
    s_level1.select_option(label="产出指标")
    expect(s_level2).to_be_enabled()
    output_children = list(
        IndicatorCategory.objects.filter(level=2, parent__name="产出指标")
        .order_by("pk")
        .values_list("name", flat=True)
    )
    assert "数量指标" in output_children
    expect(s_level2.locator("option")).to_have_text(["—", *output_children])
    s_level1.select_option(label="满意度指标")
    expect(s_level2.locator("option")).to_have_text(["—", "服务对象满意度指标"])
    s_level1.select_option(label="产出指标")
    s_level2.select_option(label="数量指标")
    s_level1.select_option("")
    expect(s_level2).to_be_disabled()
    s_level1.select_option(label="产出指标")
    s_level2.select_option(label="数量指标")

    # 定性 has no operator (nor unit); back to 定量 they are available again.
    operator = field(second, "operator")
    expect(operator).to_be_enabled()
    operator.select_option("≥")
    field(second, "kind").select_option("qualitative")
    expect(operator).to_be_disabled()
    expect(operator).to_have_value("")
    expect(field(second, "unit")).to_be_disabled()
    expect(field(second, "value")).to_have_attribute("placeholder", re.compile("文字目标"))
    field(second, "kind").select_option("quantitative")
    expect(operator).to_be_enabled()
    fill_indicator(second, "科普讲座场次", operator="≥", value="12", unit="场")
    expect(page.locator("#weight-total")).to_have_text("权重合计：0 / 100")
    screenshot(page, "levels-and-kinds")

    # The server accepts what the library and the selects filled in.
    next_step(page, "review")
    review = page.locator("#review-table")
    expect(review).to_contain_text("科普活动参与者满意度（%）")
    expect(review).to_contain_text("科普讲座场次")
    expect(review).to_contain_text("社会效益指标")
    expect(review).to_contain_text("数量指标")
    screenshot(page, "review")
    assert_no_js_errors(page)


def _names_in_order(text: str, names) -> list[str]:
    return sorted(names, key=text.index)


@pytest.mark.e2e
def test_reordered_indicators_keep_their_order_when_the_step_is_shown_again(
    page: Page, login, screenshot
):
    login(page, "shapingba")
    start_project_declaration(page)
    fill_basic(page, "科普进社区", 2026, "cq_special")
    next_step(page, "budget")
    page.fill("#id_budget-total", "5")
    next_step(page, "narratives")
    fill_cq_narratives(page)
    next_step(page, "indicators")
    rows = indicator_rows(page)
    fill_indicator(rows.nth(0), "科普讲座场次", weight=45, operator="≥", value="10", unit="场")
    page.locator("#add-indicator").click()
    expect(rows).to_have_count(2)
    fill_indicator(rows.nth(1), "科普展览天数", weight=45, operator="≥", value="20", unit="天")
    rows.nth(1).locator("[data-up]").click()
    expect(field(rows.nth(0), "name")).to_have_value("科普展览天数")
    expect(rows.nth(0).locator("[data-number]")).to_have_text("1")
    chosen = ["科普展览天数", "科普讲座场次"]

    next_step(page, "review")
    review = page.locator("#review-table")
    expect(review).to_contain_text("科普讲座场次")
    assert _names_in_order(review.inner_text(), chosen) == chosen  # the review has it right
    screenshot(page, "review-in-chosen-order")

    page.get_by_role("button", name="上一步").click()
    page.wait_for_url(step_url("indicators"))
    screenshot(page, "indicators-shown-again")
    # Fails: the rows come back as 科普讲座场次, 科普展览天数.
    expect(field(rows.nth(0), "name")).to_have_value(chosen[0], timeout=2_000)

    next_step(page, "review")
    page.locator("#wizard-save").click()
    page.wait_for_url(DETAIL_URL)
    table = page.locator(".official-page")
    assert _names_in_order(table.inner_text(), chosen) == chosen
    screenshot(page, "detail")
