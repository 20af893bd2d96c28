"""The first day of a reviewer and a clerk, in a real browser: submit asks first what goes to
whom (and a "no" sends nothing); a return without a comment is refused at the comment box; the
overall comment reaches the clerk in the detail page and in the wizard and is answered there;
the reviewer sees the answer in the second round; search narrows the list."""

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

from declarations.domain.choices import Status
from declarations.models import Declaration, ReviewComment

REVIEWER_PASSWORD = "kexie-review-2025"
OVERALL = "整体上目标偏笼统，请把满意度指标量化后再报。"
ANSWER = "已将满意度改为“≥90%”，并补充了调查方式。"


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r"/login/"))


@pytest.mark.e2e
def test_submit_confirm_return_at_the_box_overall_comment_answered(page: Page, login, screenshot):
    declaration = Declaration.objects.get(sample_key="000-2")
    login(page, "shapingba")
    page.goto(f"/declarations/{declaration.pk}/")

    # 提交审核 asks what will be sent, and to whom; "no" sends nothing.
    questions = []

    def answer(dialog, accept: bool):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.locator('[data-move="submit"]').click()
    page.wait_for_timeout(300)
    assert questions and "确定提交审核？" in questions[0]
    assert "2025 年“科创工作”" in questions[0] and "审核人员" in questions[0]
    declaration.refresh_from_db()
    assert declaration.status == Status.DRAFT
    expect(page.locator("#status")).to_have_text("草稿")

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.locator('[data-move="submit"]').click()
    expect(page.locator("#status")).to_have_text("已提交")
    log_out(page)

    # A return without a comment is refused beside the comment box, styled as a field error.
    login(page, "reviewer", REVIEWER_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/review/")
    page.get_by_role("button", name="退回修改").click()
    box = page.locator("#review-form textarea[name=comment]")
    expect(box).to_have_class(re.compile(r"\bis-invalid\b"))
    feedback = page.locator("#comment-error")
    expect(feedback).to_be_visible()
    expect(feedback).to_have_text("退回修改时请填写整体意见，说明需要修改的内容。")
    assert box.evaluate("box => box.nextElementSibling.id") == "comment-error"
    screenshot(page, "review-page-return-refused")

    box.fill(OVERALL)
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_text("已退回修改。")).to_be_visible()
    log_out(page)

    # The clerk reads the overall comment on the detail page and in the wizard, and answers it.
    login(page, "shapingba")
    page.goto(f"/declarations/{declaration.pk}/")
    expect(page.locator("#returned")).to_be_visible()
    expect(page.locator("#comments")).to_contain_text("整体意见")
    expect(page.locator("#comments")).to_contain_text(OVERALL)
    screenshot(page, "detail-page-after-return")
    page.get_by_role("button", name="修改", exact=True).click()
    page.wait_for_url(re.compile(r"/drafts/\d+/basic/$"))
    expect(page.locator("#review-comments")).to_contain_text(f"整体意见：{OVERALL}")
    page.goto(f"/declarations/{declaration.pk}/")
    reply = page.locator("#comments form").first
    reply.locator("input[name=reply]").fill(ANSWER)
    reply_button = reply.get_by_role("button", name="回复")
    button_box = reply_button.bounding_box()
    assert button_box["height"] < 40  # one line, not wrapped
    reply_button.click()
    expect(page.get_by_text("已回复。")).to_be_visible()
    expect(page.locator("#comments")).to_contain_text(ANSWER)
    assert ReviewComment.objects.get(declaration=declaration).reply == ANSWER

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator('[data-move="submit"]').click()
    expect(page.locator("#status")).to_have_text("已提交")
    log_out(page)

    # Second round: the reviewer's 已有意见 shows the overall comment with the clerk's answer.
    login(page, "reviewer", REVIEWER_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/review/")
    earlier = page.locator("[data-comment]").first
    expect(earlier).to_contain_text(OVERALL)
    expect(earlier).to_contain_text(ANSWER)
    screenshot(page, "review-page-second-round")
    assert not page.js_errors


@pytest.mark.e2e
def test_search_narrows_the_list(page: Page, login, screenshot):
    login(page, "admin", "kexie-admin-2025")
    page.goto("/declarations/")
    all_rows = page.locator("table tbody tr").count()
    page.get_by_label("关键词").fill("科创工作")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"[?&]q="))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("科创工作")
    assert all_rows > 1
    expect(page.get_by_label("关键词")).to_have_value("科创工作")
    screenshot(page, "list-searched")
