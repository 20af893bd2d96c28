"""Monitoring and self-evaluation in a real browser: the clerk fills a monitoring report and a
self-evaluation, the lights and scores change as they type, a missing cause is refused; the
reviewer returns the report and approves the self-evaluation."""

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

from datetime import date

from declarations import performance, workflow
from declarations.domain.choices import Status
from declarations.models import Declaration, MonitoringReport, SelfEvaluation, User

REVIEWER_PASSWORD = "kexie-review-2025"


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r"/login/"))


@pytest.fixture
def reports(samples):
    declaration = Declaration.objects.get(sample_key="000-2")
    clerk, reviewer = User.objects.get(username="shapingba"), User.objects.get(username="reviewer")
    workflow.perform(declaration, "submit", by=clerk)
    workflow.perform(declaration, "approve", by=reviewer)
    round_ = performance.open_round(
        by=reviewer,
        fiscal_year=2025,
        data_month=6,
        due_date=date(2025, 8, 31),
        departments=[declaration.department],
    )
    (evaluation,) = performance.start_evaluations(
        by=reviewer, fiscal_year=2025, departments=[declaration.department]
    )
    order = {i.order: i.pk for i in declaration.indicators.all()}
    return round_.reports.get(), evaluation, order


def row(page: Page, pk: int):
    return page.locator(f'tr[data-indicator="{pk}"]')


@pytest.mark.e2e
def test_clerk_fills_reviewer_returns_and_approves(page: Page, login, screenshot, reports):
    report, evaluation, order = reports
    login(page, "shapingba")
    page.locator("#open-reports").get_by_text("2025年 科创工作 · 1-6月").click()
    page.wait_for_url(re.compile(rf"/performance/monitoring/{report.pk}/$"))

    # The lights follow the typing: 2 of ≥10 by June is 40 % of the time's share: red.
    page.fill("#id_executed", "4.4")
    expect(page.locator("#budget-light")).to_have_class(re.compile("light-green"))
    second = row(page, order[2])
    second.locator('[name$="-actual"]').fill("2")
    expect(second.locator("[data-light]")).to_have_class(re.compile("light-red"))
    expect(second.locator("[data-explanation]")).to_contain_text("= 40.0%")
    second.locator('[name$="-actual"]').fill("5")
    expect(second.locator("[data-light]")).to_have_class(re.compile("light-green"))
    second.locator('[name$="-actual"]').fill("2")
    for order_no, actual in ((1, "1"), (3, "1"), (4, "40")):
        row(page, order[order_no]).locator('[name$="-actual"]').fill(actual)
    for pk in order.values():
        row(page, pk).locator('[name$="-likelihood"]').select_option(label="确定能")
    expect(page.locator("#overall-light")).to_have_class(re.compile("light-red"))
    screenshot(page, "monitoring-form-typing")

    # Without a cause for the red light the submission is refused and nothing typed is lost.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#form-errors")).to_contain_text("存在偏差，请选择偏差原因")
    expect(second.locator('[name$="-actual"]')).to_have_value("2")
    assert MonitoringReport.objects.get(pk=report.pk).status == Status.DRAFT
    second.locator('[name$="-cause"]').select_option(label="人员保障")
    page.fill("#id_measures", "下半年补开两场对接会。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#status")).to_have_text("已提交")
    screenshot(page, "monitoring-form-submitted")

    # The self-evaluation: scores, total and grade as the clerk types.
    page.goto(f"/performance/evaluation/{evaluation.pk}/")
    page.fill("#id_executed", "9.9")
    expect(page.locator("#execution-score")).to_have_text("9.00")
    for order_no, actual in ((1, "3"), (2, "8"), (3, "2"), (4, "60")):
        row(page, order[order_no]).locator('[name$="-actual"]').fill(actual)
    expect(page.locator("#total")).to_have_text("90.00")
    expect(page.locator("#grade")).to_have_text("优")
    expect(row(page, order[2]).locator("[data-score]")).to_have_text("16.00")
    expect(row(page, order[1]).locator("[data-flags]")).to_contain_text("目标值可能设定偏低")
    screenshot(page, "evaluation-form-typing")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#form-errors")).to_contain_text("请填写偏差原因分析及改进措施")
    row(page, order[2]).locator('[name$="-cause"]').fill("对接企业减少；明年提前对接。")
    row(page, order[4]).locator('[name$="-cause"]').fill("课题立项延后；加强进度管理。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#status")).to_have_text("已提交")
    log_out(page)

    # The reviewer returns the report with a comment and approves the self-evaluation.
    login(page, "reviewer", REVIEWER_PASSWORD)
    page.goto(f"/performance/monitoring/{report.pk}/")
    table = page.locator("#official-table")
    expect(table).to_contain_text("绩效目标执行监控表")
    expect(table).to_contain_text("红灯")
    table.screenshot(
        path=str(screenshot(page, "monitoring-table").with_name("monitoring-table-only.png"))
    )
    page.fill("#review-comment", "执行数请附支出明细。")
    page.locator('[data-move="return"]').click()
    expect(page.locator("#status")).to_have_text("已退回")
    page.goto(f"/performance/evaluation/{evaluation.pk}/")
    page.locator('[data-move="approve"]').click()
    expect(page.locator("#status")).to_have_text("已通过")
    expect(page.locator("#total")).to_have_text("90.00")
    screenshot(page, "evaluation-approved")
    table = page.locator("#official-table")
    expect(table).to_contain_text("绩效自评表")
    expect(table).to_contain_text("90.00")
    table.screenshot(
        path=str(screenshot(page, "evaluation-table").with_name("evaluation-table-only.png"))
    )
    assert SelfEvaluation.objects.get(pk=evaluation.pk).grade == "excellent"
    assert MonitoringReport.objects.get(pk=report.pk).status == Status.RETURNED
    assert not page.js_errors
