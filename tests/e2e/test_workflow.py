"""The review workflow in a real browser: a clerk submits, a finance-bureau reviewer returns
with a comment on one indicator, the clerk sees it in the wizard, fixes it and submits again,
the reviewer approves, and the PDF export shows the approval."""

import os
import re
from io import BytesIO

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if os.environ.get("KEXIE_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip(
        "browser tests skipped: the playwright package is not installed", allow_module_level=True
    )

from declarations.models import Declaration, ReviewComment, StatusChange

REVIEWER_PASSWORD = "kexie-review-2025"
COMMENT = "目标偏低：去年已举办 3 次，建议不少于 4 次。"


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r"/login/"))


def open_detail(page: Page, pk: int) -> None:
    page.goto(f"/declarations/{pk}/")
    expect(page.locator("#status")).to_be_visible()


@pytest.mark.e2e
def test_submit_return_fix_resubmit_approve_and_print(page: Page, login, screenshot):
    declaration = Declaration.objects.get(sample_key="000-2")  # 科创工作, 4 indicators

    # The clerk submits.
    login(page, "shapingba")
    open_detail(page, declaration.pk)
    page.once("dialog", lambda dialog: dialog.accept())  # 确定提交/通过？
    page.locator('[data-move="submit"]').click()
    expect(page.locator("#status")).to_have_text("已提交")
    expect(page.get_by_text("已提交审核。")).to_be_visible()
    log_out(page)

    # The reviewer finds it in the queue and returns it with a comment on indicator 1.
    login(page, "reviewer", REVIEWER_PASSWORD)
    page.goto("/reviews/")
    expect(page.locator('[data-count="submitted"]')).to_have_text("1")
    page.get_by_role("link", name="审核", exact=True).click()
    page.wait_for_url(re.compile(rf"/declarations/{declaration.pk}/review/$"))
    expect(page.locator("#checklist")).to_contain_text("完整性")
    first = declaration.indicators.get(order=1)
    page.fill(f"#indicator-{first.pk}", COMMENT)
    screenshot(page, "reviewer-writes-comment")
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_text("已退回修改。")).to_be_visible()
    log_out(page)

    # The clerk sees the comment in the wizard next to the indicator, fixes it, resubmits.
    login(page, "shapingba")
    open_detail(page, declaration.pk)
    expect(page.locator("#status")).to_have_text("已退回")
    expect(page.locator("#comments")).to_contain_text(COMMENT)
    page.get_by_role("button", name="修改", exact=True).click()
    page.wait_for_url(re.compile(r"/drafts/\d+/basic/$"))
    expect(page.locator("#review-comments")).to_contain_text(COMMENT)
    page.get_by_role("button", name="4. 绩效指标").click()
    page.wait_for_url(re.compile(r"/drafts/\d+/indicators/$"))
    row = page.locator("[data-indicator]").first
    expect(row.locator("[data-review-comment]")).to_contain_text(COMMENT)
    expect(row.locator('[name$="-value"]')).to_have_value("2")
    row.locator('[name$="-value"]').fill("4")
    screenshot(page, "clerk-fixes-indicator")
    page.locator("#wizard-next").click()
    page.wait_for_url(re.compile(r"/drafts/\d+/review/$"))
    page.locator("#wizard-save").click()
    page.wait_for_url(re.compile(rf"/declarations/{declaration.pk}/$"))
    page.locator("#comments input[name=reply]").first.fill("已调整为 4 次。")
    page.get_by_role("button", name="回复").first.click()
    expect(page.locator("#comments")).to_contain_text("已调整为 4 次。")
    page.once("dialog", lambda dialog: dialog.accept())  # 确定提交/通过？
    page.locator('[data-move="submit"]').click()
    expect(page.locator("#status")).to_have_text("已提交")
    log_out(page)

    # The reviewer approves with a grade.
    login(page, "reviewer", REVIEWER_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/review/")
    page.select_option("#id_grade", "excellent")
    page.once("dialog", lambda dialog: dialog.accept())  # 确定提交/通过？
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_text("已审核通过。")).to_be_visible()
    open_detail(page, declaration.pk)
    expect(page.locator("#status")).to_have_text("已通过")
    expect(page.get_by_role("button", name="修改", exact=True)).to_have_count(0)

    # The printed table says so.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 PDF").click()
    from pypdf import PdfReader

    pdf = download_info.value.path().read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "状态：已通过" in text and "审核人：" in text and "评级：优" in text
    screenshot(page, "approved-detail")

    moves = list(
        StatusChange.objects.filter(declaration=declaration).values_list("action", flat=True)
    )
    assert moves == ["submit", "return", "submit", "approve"]
    comment = ReviewComment.objects.get(declaration=declaration)
    assert comment.reply == "已调整为 4 次。"
    assert declaration.indicators.get(order=1).target_value == 4
