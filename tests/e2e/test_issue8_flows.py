"""Issue 8 in a real browser: an adjustment (调整) from start to approval, including the
edit of a returned adjustment; a refused step keeps what was typed when the clerk leaves
without 暂存; and a double-click on 保存 makes one declaration.

Every test starts from the sample tables and demo accounts (see conftest.py) and leaves
full-page screenshots under test-results/e2e/<test name>/.
"""

import os
import re
import threading

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
from declarations.domain.choices import Status
from declarations.models import Declaration, DeclarationDraft, StatusChange, User
from indicators.rules import errors_for
from tests.e2e.test_wizard import (
    DETAIL_URL,
    HOME_URL,
    assert_no_js_errors,
    field,
    fill_basic,
    fill_cq_narratives,
    fill_indicator,
    indicator_rows,
    next_step,
    official_row,
    start_project_declaration,
    step_url,
)
from tests.e2e.test_workflow import REVIEWER_PASSWORD, log_out, open_detail

REASON = "区科协调整全国科普日活动安排：系列活动由 10 次增至 12 次。"
REASON_AMENDED = REASON + "另按审核意见补充：新增活动面向街镇。"
RETURN_COMMENT = "请在调整说明中写明新增活动的对象。"
REASON_REQUIRED = "调整版本请填写调整说明：调整了什么、为什么调整。"
CHANGED_INDICATOR = "全国科普日系列活动"  # sample 000-1, indicator 2: ≥ 10 次


def _state(declaration: Declaration) -> dict:
    """What an approved declaration holds; an adjustment must leave all of it alone."""
    declaration.refresh_from_db()
    return {
        "status": declaration.status,
        "version": declaration.version,
        "updated_at": declaration.updated_at,
        "reviewed_at": declaration.reviewed_at,
        "adjustment_reason": declaration.adjustment_reason,
        "budget": declaration.budget.amounts(),
        "indicators": list(
            declaration.indicators.values_list(
                "order", "name", "operator", "target_value", "unit", "weight"
            )
        ),
    }


def _approve(page: Page, pk: int) -> None:
    """The logged-in reviewer approves ``pk`` on its review page."""
    page.goto(f"/declarations/{pk}/review/")
    form = page.locator("#review-form")
    page.once("dialog", lambda dialog: dialog.accept())  # 确定提交/通过？
    form.get_by_role("button", name="审核通过").click()
    expect(page.get_by_text("已审核通过。")).to_be_visible()


def _submit(page: Page, pk: int) -> None:
    open_detail(page, pk)
    page.once("dialog", lambda dialog: dialog.accept())  # 确定提交/通过？
    page.locator('[data-move="submit"]').click()
    expect(page.locator("#status")).to_have_text("已提交")
    expect(page.get_by_text("已提交审核。")).to_be_visible()


def fill_row(page: Page, row, name: str, **values) -> None:
    """``fill_indicator``, waiting for the indicator library's answer to the typed name: the
    next click then never races that request (the SQLite test database has one connection
    for all live-server threads)."""
    with page.expect_response(lambda r: "/indicators/library/" in r.url):
        field(row, "name").fill(name)
    fill_indicator(row, name, **values)


def _goto_step(page: Page, number: int, title: str, step: str) -> None:
    """Jump with the step list at the top of the wizard."""
    page.locator(".wizard-steps").get_by_role("button", name=f"{number}. {title}").click()
    page.wait_for_url(step_url(step))


# -- 1. an adjustment from start to approval -----------------------------------------------


@pytest.mark.e2e
def test_adjustment_life_cycle(page: Page, login, screenshot):
    original = Declaration.objects.get(sample_key="000-1")  # 科普工作, 5 indicators
    assert errors_for(original) == [], "sample 000-1 must be submittable as loaded"

    # The original is submitted and approved.
    login(page, "shapingba")
    _submit(page, original.pk)
    log_out(page)
    login(page, "reviewer", REVIEWER_PASSWORD)
    _approve(page, original.pk)
    log_out(page)
    approved = _state(original)
    assert approved["status"] == Status.APPROVED

    # The clerk starts an adjustment: the reason is required, in Chinese.
    login(page, "shapingba")
    open_detail(page, original.pk)
    expect(page.locator("#status")).to_have_text("已通过")
    expect(page.get_by_role("button", name="修改", exact=True)).to_have_count(0)
    page.get_by_role("button", name="发起调整").click()
    page.wait_for_url(step_url("basic"))
    expect(
        page.get_by_role("alert").filter(has_text="已按审核通过的版本创建调整草稿")
    ).to_be_visible()
    reason = page.locator('textarea[name="basic-adjustment_reason"]')
    expect(reason).to_be_visible()
    expect(reason).to_have_value("")
    expect(page.locator('label[for="id_basic-adjustment_reason"]')).to_contain_text("调整说明")
    page.locator("#wizard-next").click()
    expect(page.get_by_text(REASON_REQUIRED)).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="请修改标红的内容后再继续")).to_be_visible()
    assert step_url("basic").search(page.url)
    screenshot(page, "adjustment-reason-required")

    reason.fill(REASON)
    for step in ("budget", "narratives", "indicators"):
        next_step(page, step)
    row = indicator_rows(page).nth(1)
    expect(field(row, "name")).to_have_value(CHANGED_INDICATOR)
    expect(field(row, "value")).to_have_value("10")
    field(row, "value").fill("12")
    expect(page.locator("#weight-total")).to_have_text("权重合计：90 / 90")
    screenshot(page, "adjustment-changes-indicator")
    next_step(page, "review")
    expect(page.locator("h2", has_text="核对并保存")).to_be_visible()
    expect(page.locator("#review-table")).to_contain_text(CHANGED_INDICATOR)
    page.locator("#wizard-save").click()
    page.wait_for_url(DETAIL_URL)
    expect(page.get_by_role("alert").filter(has_text="申报表已保存。")).to_be_visible()
    adjustment_pk = int(DETAIL_URL.search(page.url).group(1))
    assert adjustment_pk != original.pk
    expect(page.locator("h1")).to_contain_text("（调整版本）")
    expect(page.locator("#adjustment-reason")).to_contain_text("调整说明（第 1 次调整）")
    expect(page.locator("#adjustment-reason")).to_contain_text(REASON)
    expect(page.locator("#status")).to_have_text("草稿")
    expect(official_row(page, CHANGED_INDICATOR).locator("td")).to_contain_text(["12"])
    expect(page.locator("#versions")).to_contain_text("原始版本")
    screenshot(page, "adjustment-saved")

    # Submitted; the reviewer sees that it is an adjustment, why, and what changed.
    _submit(page, adjustment_pk)
    log_out(page)
    login(page, "reviewer", REVIEWER_PASSWORD)
    page.goto(f"/declarations/{adjustment_pk}/review/")
    expect(page.locator("#adjustment-badge")).to_have_text("调整版本 · 第 1 次调整")
    section = page.locator("#adjustment")
    expect(section).to_contain_text(REASON)
    changes = section.locator("#indicator-changes > li")
    expect(changes).to_have_count(1)
    expect(changes.first).to_have_attribute("data-change", "changed")
    expect(changes.first).to_contain_text(CHANGED_INDICATOR)
    expect(changes.first).to_contain_text("指标值")
    expect(changes.first).to_contain_text("10")
    expect(changes.first).to_contain_text("12")
    screenshot(page, "reviewer-sees-adjustment")
    page.fill("#id_comment", RETURN_COMMENT)
    page.locator("#review-form").get_by_role("button", name="退回修改").click()
    expect(page.get_by_text("已退回修改。")).to_be_visible()
    log_out(page)

    # The clerk edits the returned adjustment: the wizard opens with the reason filled in and
    # 下一步 is not refused as a duplicate of the approved original.
    login(page, "shapingba")
    open_detail(page, adjustment_pk)
    expect(page.locator("#status")).to_have_text("已退回")
    expect(page.locator("#history")).to_contain_text(RETURN_COMMENT)
    page.get_by_role("button", name="修改", exact=True).click()
    page.wait_for_url(step_url("basic"))
    expect(reason).to_have_value(REASON)
    expect(page.locator("#id_basic-fiscal_year")).to_have_value("2025")
    expect(page.locator("#id_basic-project option:checked")).to_have_text("科普工作")
    expect(page.get_by_text(re.compile("已有.*申报表|已有调整版本"))).to_have_count(0)
    screenshot(page, "returned-adjustment-in-wizard")
    reason.fill(REASON_AMENDED)
    next_step(page, "budget")  # the basic step is accepted: no "项目…已有 2025 年度的申报表"
    _goto_step(page, 5, "核对并保存", "review")
    expect(page.locator("#review-table")).to_contain_text(CHANGED_INDICATOR)
    page.locator("#wizard-save").click()
    page.wait_for_url(re.compile(rf"/declarations/{adjustment_pk}/$"))
    expect(page.get_by_role("alert").filter(has_text="申报表已保存。")).to_be_visible()
    expect(page.locator("#adjustment-reason")).to_contain_text(REASON_AMENDED)
    _submit(page, adjustment_pk)
    screenshot(page, "adjustment-resubmitted")
    log_out(page)

    login(page, "reviewer", REVIEWER_PASSWORD)
    _approve(page, adjustment_pk)
    open_detail(page, adjustment_pk)
    expect(page.locator("#status")).to_have_text("已通过")
    screenshot(page, "adjustment-approved")
    assert_no_js_errors(page)

    adjustments = Declaration.objects.filter(adjusts=original)
    assert adjustments.count() == 1
    adjustment = adjustments.get()
    assert adjustment.pk == adjustment_pk
    assert adjustment.status == Status.APPROVED
    assert adjustment.adjustment_no == 1
    assert adjustment.adjustment_reason == REASON_AMENDED
    assert adjustment.indicators.get(name=CHANGED_INDICATOR).target_value == 12
    assert list(
        StatusChange.objects.filter(declaration=adjustment).values_list("action", flat=True)
    ) == ["submit", "return", "submit", "approve"]
    assert _state(original) == approved
    assert Declaration.objects.filter(project=original.project, fiscal_year=2025).count() == 2
    assert not DeclarationDraft.objects.exists()


@pytest.mark.e2e
def test_adjustment_comparison_lists_only_what_the_clerk_changed(page: Page, login, screenshot):
    original = Declaration.objects.get(sample_key="000-1")
    workflow.perform(original, "submit", by=User.objects.get(username="shapingba"))
    workflow.perform(original, "approve", by=User.objects.get(username="reviewer"))

    login(page, "shapingba")
    open_detail(page, original.pk)
    page.get_by_role("button", name="发起调整").click()
    page.wait_for_url(step_url("basic"))
    page.locator('textarea[name="basic-adjustment_reason"]').fill("只核对，不改内容。")
    for step in ("budget", "narratives", "indicators", "review"):
        next_step(page, step)
    page.locator("#wizard-save").click()
    page.wait_for_url(DETAIL_URL)
    page.locator("#versions").get_by_role("link", name="与当前版本比较").click()
    page.wait_for_url(re.compile(r"/compare/\d+/$"))
    screenshot(page, "comparison")
    expect(page.locator("#indicator-changes")).to_have_text("指标没有变化。")
    texts = page.locator("h3", has_text="绩效目标与项目、单位信息").locator("+ ul")
    expect(texts).to_have_text("没有变化。", timeout=1_000)


# -- 2. a refused step keeps what was typed, even without 暂存 -----------------------------


def _new_cq_declaration_until_budget(page: Page, name: str) -> None:
    start_project_declaration(page)
    fill_basic(page, name, 2026, "cq_special")
    next_step(page, "budget")


def _leave_and_resume(page: Page, title: str, stopped_at: str, step: str) -> None:
    """Leave the wizard by typing the home page's address, then 继续填写 the draft there."""
    page.goto("/")
    page.wait_for_url(HOME_URL)
    drafts = page.locator("#drafts")
    expect(drafts.get_by_role("heading", name="未完成的申报")).to_be_visible()
    expect(drafts).to_contain_text(title)
    expect(drafts).to_contain_text(f"停在“{stopped_at}”")
    drafts.get_by_role("link", name="继续填写").click()
    page.wait_for_url(step_url(step))


@pytest.mark.e2e
def test_refused_indicators_step_keeps_the_typed_rows(page: Page, login, screenshot):
    login(page, "shapingba")
    _new_cq_declaration_until_budget(page, "科普讲解大赛")
    page.fill("#id_budget-total", "10")
    page.fill("#id_budget-own_level", "10")
    next_step(page, "narratives")
    fill_cq_narratives(page)
    next_step(page, "indicators")

    rows = indicator_rows(page)
    page.locator("#add-indicator").click()
    expect(rows).to_have_count(2)
    fill_row(page, rows.nth(0), "讲解比赛场次", weight=45, operator="≥", value="五百", unit="场")
    fill_row(page, rows.nth(1), "参赛选手人数", weight=45, operator="≥", value="500", unit="人")
    page.locator("#wizard-next").click()
    page.wait_for_load_state()
    error = rows.nth(0).locator(".invalid-feedback").filter(has_text="“五百”不是数字")
    expect(error).to_have_count(1)
    expect(error).to_be_visible()
    expect(error).to_contain_text("定量指标的指标值必须是数字")
    expect(page.get_by_role("alert").filter(has_text="请修改标红的内容后再继续")).to_be_visible()
    assert step_url("indicators").search(page.url)
    screenshot(page, "indicator-value-refused")

    _leave_and_resume(page, "2026年 科普讲解大赛", "绩效指标", "indicators")
    expect(rows).to_have_count(2)
    for index, values in enumerate(
        (("讲解比赛场次", "45", "≥", "五百", "场"), ("参赛选手人数", "45", "≥", "500", "人"))
    ):
        for name, value in zip(
            ("name", "weight", "operator", "value", "unit"), values, strict=True
        ):
            expect(field(rows.nth(index), name)).to_have_value(value)
    expect(error).to_have_count(1)
    expect(error).to_be_visible()
    expect(rows.nth(1).locator(".invalid-feedback")).to_have_count(0)
    expect(field(rows.nth(0), "value")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#weight-total")).to_have_text("权重合计：90 / 90")
    screenshot(page, "indicators-resumed")

    # Fixed, the draft goes on to the last step with both rows.
    field(rows.nth(0), "value").fill("5")
    next_step(page, "review")
    review = page.locator("#review-table")
    expect(review).to_contain_text("讲解比赛场次")
    expect(review).to_contain_text("参赛选手人数")
    assert not Declaration.objects.filter(project_name="科普讲解大赛").exists()
    assert_no_js_errors(page)


@pytest.mark.e2e
def test_refused_budget_step_keeps_the_typed_amounts(page: Page, login, screenshot):
    login(page, "shapingba")
    _new_cq_declaration_until_budget(page, "科普大篷车进街镇")
    page.fill("#id_budget-total", "10")
    page.fill("#id_budget-own_level", "6")
    page.fill("#id_budget-transfers_down", "3.5")
    error = "区级支出、补助街镇之和为 9.50 万元，与预算 10.00 万元 不一致。"
    page.locator("#wizard-next").click()
    expect(page.get_by_text(error)).to_be_visible()
    assert step_url("budget").search(page.url)
    screenshot(page, "budget-refused")

    _leave_and_resume(page, "2026年 科普大篷车进街镇", "预算资金", "budget")
    expect(page.locator("#id_budget-total")).to_have_value("10")
    expect(page.locator("#id_budget-own_level")).to_have_value("6")
    expect(page.locator("#id_budget-transfers_down")).to_have_value("3.5")
    expect(page.get_by_text(error)).to_be_visible()
    screenshot(page, "budget-resumed")

    page.fill("#id_budget-transfers_down", "4")
    next_step(page, "narratives")
    assert DeclarationDraft.objects.count() == 1
    assert_no_js_errors(page)


# -- 3. a double-click on 保存 ---------------------------------------------------------------

SAVE_URL = re.compile(r"/drafts/\d+/review/$")


def _new_declaration_at_review(page: Page, name: str) -> None:
    _new_cq_declaration_until_budget(page, name)
    page.fill("#id_budget-total", "6")
    page.fill("#id_budget-own_level", "6")
    next_step(page, "narratives")
    fill_cq_narratives(page)
    next_step(page, "indicators")
    fill_row(
        page,
        indicator_rows(page).nth(0),
        "参与学生人数",
        weight=90,
        operator="≥",
        value="300",
        unit="人",
    )
    next_step(page, "review")
    expect(page.locator("#review-table")).to_contain_text("参与学生人数")


def _record_traffic(page: Page) -> tuple[list, list]:
    """The save requests the browser sends, and every response of 400 or more."""
    saves, failures = [], []
    page.on(
        "request",
        lambda r: saves.append(r.url) if r.method == "POST" and SAVE_URL.search(r.url) else None,
    )
    page.on(
        "response",
        lambda r: (
            failures.append(f"{r.status} {r.request.method} {r.url}") if r.status >= 400 else None
        ),
    )
    return saves, failures


def _assert_saved_once(page: Page, name: str, failures: list) -> None:
    expect(page.locator("h1")).to_contain_text(f"2026年 {name}")
    expect(page.get_by_role("alert").filter(has_text="申报表已保存。")).to_be_visible()
    assert failures == []
    found = Declaration.objects.filter(project_name=name, fiscal_year=2026)
    assert found.count() == 1
    assert DETAIL_URL.search(page.url).group(1) == str(found.get().pk)
    assert [i.name for i in found.get().indicators.all()] == ["参与学生人数"]
    assert not DeclarationDraft.objects.exists()
    assert_no_js_errors(page)


@pytest.mark.e2e
def test_double_click_on_save_makes_one_declaration(page: Page, login, screenshot):
    """``dblclick``: both clicks land before the first save has left the browser, and
    Chromium sends the form once (the second submission replaces the first, not yet sent)."""
    name = "青少年科学调查体验活动"
    login(page, "shapingba")
    _new_declaration_at_review(page, name)
    screenshot(page, "before-double-click")

    saves, failures = _record_traffic(page)
    page.locator("#wizard-save").dblclick()
    page.wait_for_url(DETAIL_URL)
    screenshot(page, "after-double-click")
    assert 1 <= len(saves) <= 2, saves
    _assert_saved_once(page, name, failures)


class HeldFirstSave:
    """A WSGI wrapper round the live server's application: the first save is answered only
    once a second save has arrived, so that the second click of a double-click reaches the
    server after the first save has been made (and committed), while the browser still shows
    the last step -- the everyday case on a real network, where the answer takes a while."""

    def __init__(self, app):
        self.app = app
        self.arrived = []
        self.second = threading.Event()
        self.first_done = threading.Event()

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] != "POST" or not SAVE_URL.search(environ["PATH_INFO"]):
            return self.app(environ, start_response)
        self.arrived.append(environ["PATH_INFO"])
        if len(self.arrived) == 2:
            self.second.set()
        response = self.app(environ, start_response)
        if len(self.arrived) == 1:
            self.first_done.set()
            self.second.wait(timeout=5)
        return response


@pytest.mark.e2e
def test_slow_double_click_on_save_ends_on_the_declaration(
    page: Page, login, screenshot, live_server
):
    name = "青少年科技节"
    login(page, "shapingba")
    _new_declaration_at_review(page, name)

    saves, failures = _record_traffic(page)
    server = live_server.thread.httpd
    app = server.get_app()
    held = HeldFirstSave(app)
    server.set_app(held)
    try:
        # Two real mouse clicks: Playwright's click() would wait for the pending navigation.
        box = page.locator("#wizard-save").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.click(x, y)
        assert held.first_done.wait(timeout=10), "the first save did not reach the server"
        page.mouse.click(x, y)
        assert held.second.wait(timeout=10), "the second click sent no second save"
        page.wait_for_load_state()
        screenshot(page, "after-slow-double-click")
        assert len(saves) == 2
        assert DETAIL_URL.search(page.url), (
            f"ended on {page.url}: {page.locator('main').inner_text()}"
        )
        _assert_saved_once(page, name, failures)
    finally:
        server.set_app(app)
