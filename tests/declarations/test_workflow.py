"""The review workflow: allowed and refused moves, atomicity, frozen approvals, adjustments,
notifications and the history."""

from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from declarations import workflow
from declarations.domain.choices import Status
from declarations.models import (
    Declaration,
    DeclarationDraft,
    ReviewComment,
    StatusChange,
    SupervisingDivision,
    User,
)
from declarations.versions import compare, version_chain
from tests.factories import reviewer_user

pytestmark = pytest.mark.django_db


def user(name):
    return User.objects.get(username=name)


@pytest.fixture
def declaration():
    return Declaration.objects.get(sample_key="000-1")


def moved(declaration):
    declaration.refresh_from_db()
    return declaration.status


def test_submit_return_resubmit_approve(declaration, django_capture_on_commit_callbacks):
    staff, reviewer = user("shapingba"), user("reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(declaration, "submit", by=staff)
    assert moved(declaration) == Status.SUBMITTED and declaration.review_round == 1
    assert mail.outbox[-1].to == ["reviewer@example.com"]
    assert "已提交审核" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(declaration, "return", by=reviewer, comment="请补充满意度指标。")
    assert moved(declaration) == Status.RETURNED
    assert mail.outbox[-1].to == ["shapingba@example.com"]
    assert "请补充满意度指标。" in mail.outbox[-1].body
    workflow.perform(declaration, "submit", by=staff)
    assert declaration.__class__.objects.get(pk=declaration.pk).review_round == 2
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(declaration, "approve", by=reviewer, grade="good")
    declaration.refresh_from_db()
    assert (declaration.status, declaration.reviewed_by, declaration.grade) == (
        Status.APPROVED,
        reviewer,
        "good",
    )
    assert "已审核通过" in mail.outbox[-1].subject
    changes = list(
        declaration.status_changes.values_list("action", "from_status", "to_status", "by__username")
    )
    assert changes == [
        ("submit", "draft", "submitted", "shapingba"),
        ("return", "submitted", "returned", "reviewer"),
        ("submit", "returned", "submitted", "shapingba"),
        ("approve", "submitted", "approved", "reviewer"),
    ]


def test_withdraw_only_before_the_reviewer_acts(declaration):
    staff, reviewer = user("shapingba"), user("reviewer")
    workflow.perform(declaration, "submit", by=staff)
    workflow.perform(declaration, "withdraw", by=staff)
    assert moved(declaration) == Status.DRAFT
    workflow.perform(declaration, "submit", by=staff)
    workflow.add_comments(declaration, by=reviewer, overall="正在审核。", per_indicator={})
    with pytest.raises(ValidationError, match="审核人员已开始审核，不能取消送审。"):
        workflow.perform(declaration, "withdraw", by=staff)
    assert moved(declaration) == Status.SUBMITTED


@pytest.mark.parametrize(
    ("status", "action", "who", "error", "message"),
    [
        (Status.DRAFT, "approve", "reviewer", ValidationError, "当前为“草稿”，不能审核通过"),
        (Status.APPROVED, "submit", "shapingba", ValidationError, "当前为“已通过”，不能提交审核"),
        (Status.RETURNED, "withdraw", "shapingba", ValidationError, "不能取消送审"),
        (
            Status.SUBMITTED,
            "approve",
            "shapingba",
            PermissionDenied,
            "只有负责该单位的财政审核人员",
        ),
        (Status.DRAFT, "submit", "reviewer", PermissionDenied, "只有本单位的申报人"),
        (Status.DRAFT, "submit", "nansha", PermissionDenied, "只有本单位的申报人"),
        (Status.SUBMITTED, "approve", "admin", PermissionDenied, "只有负责该单位的财政审核人员"),
        (Status.SUBMITTED, "return", "reviewer", ValidationError, "退回修改时请填写整体意见"),
        (Status.SUBMITTED, "publish", "reviewer", ValidationError, "未知的操作"),
    ],
)
def test_refused_moves_change_nothing(declaration, status, action, who, error, message):
    Declaration.objects.filter(pk=declaration.pk).update(status=status)
    with pytest.raises(error, match=message):
        workflow.perform(declaration, action, by=user(who))
    assert moved(declaration) == status
    assert not StatusChange.objects.exists()


def test_a_reviewer_of_another_division_is_refused(declaration):
    other = reviewer_user(SupervisingDivision.objects.create(name="经建科"))
    Declaration.objects.filter(pk=declaration.pk).update(status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        workflow.perform(declaration, "approve", by=other)


def test_an_incomplete_declaration_cannot_be_submitted():
    incomplete = Declaration.objects.get(sample_key="004-1")  # a narrative without indicators
    with pytest.raises(ValidationError) as excinfo:
        workflow.perform(incomplete, "submit", by=user("shunping"))
    assert "请至少填写一项绩效指标。" in excinfo.value.messages
    assert moved(incomplete) == Status.DRAFT and not StatusChange.objects.exists()


def test_a_failure_inside_the_move_leaves_no_trace(declaration):
    with (
        mock.patch.object(StatusChange, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        workflow.perform(declaration, "submit", by=user("shapingba"))
    declaration.refresh_from_db()
    assert (declaration.status, declaration.review_round, declaration.version) == (
        Status.DRAFT,
        0,
        1,
    )
    assert not StatusChange.objects.exists()
    assert declaration.history.count() == 1  # only the record of loading the sample


def test_an_approved_declaration_is_frozen(client, declaration):
    staff, reviewer = user("shapingba"), user("reviewer")
    workflow.perform(declaration, "submit", by=staff)
    workflow.perform(declaration, "approve", by=reviewer)
    client.force_login(staff)
    assert client.post(reverse("declaration_edit", args=[declaration.pk])).status_code == 403
    assert not DeclarationDraft.objects.exists()
    from declarations.services import DeclarationInput, save_declaration

    data = DeclarationInput(
        kind="project", fiscal_year=2025, layout="cq_special", project=declaration.project
    )
    with pytest.raises(PermissionDenied):
        save_declaration(data, department=declaration.department, by=staff, declaration=declaration)
    client.force_login(user("admin"))
    page = client.get(reverse("admin:declarations_declaration_change", args=[declaration.pk]))
    assert page.status_code == 200 and 'name="annual_target"' not in page.content.decode()
    response = client.post(
        reverse("admin:declarations_declaration_change", args=[declaration.pk]),
        {"annual_target": "改"},
    )
    assert response.status_code == 403
    declaration.refresh_from_db()
    assert declaration.annual_target.startswith("营造尊重人才")


def test_the_adjustment_version_chain(client, declaration):
    staff, reviewer = user("shapingba"), user("reviewer")
    workflow.perform(declaration, "submit", by=staff)
    workflow.perform(declaration, "approve", by=reviewer)
    client.force_login(staff)
    response = client.post(reverse("declaration_adjust", args=[declaration.pk]))
    draft = DeclarationDraft.objects.get(adjusts=declaration)
    assert response.url.endswith(f"/drafts/{draft.pk}/basic/")
    from tests.declarations.wizards.helpers import Wizard

    wizard = Wizard(client, draft)
    basic = {k: v[0] if len(v) == 1 else v for k, v in draft.data["step_data"]["basic"].items()}
    refused = wizard.post("basic", basic)
    assert refused.status_code == 200
    assert "调整版本请填写调整说明" in refused.content.decode()
    draft.refresh_from_db()
    for step in ("basic", "budget", "narratives", "indicators"):
        data = {k: v[0] if len(v) == 1 else v for k, v in draft.data["step_data"][step].items()}
        if step == "basic":
            data["basic-adjustment_reason"] = "科技工作者日活动增加一场。"
        if step == "indicators":
            data["indicators-rows-0-value"] = "3"
        assert wizard.post(step, data).status_code == 302, step
    wizard.post("review", {})
    adjustment = Declaration.objects.get(adjusts=declaration)
    assert adjustment.status == Status.DRAFT and adjustment.fiscal_year == 2025
    assert adjustment.adjustment_no == 1
    assert adjustment.adjustment_reason == "科技工作者日活动增加一场。"

    # A saved adjustment opens again in the wizard and saves (it used to stop at step 1).
    response = client.post(reverse("declaration_edit", args=[adjustment.pk]))
    edit = DeclarationDraft.objects.get(declaration=adjustment)
    wizard = Wizard(client, edit)
    for step in ("basic", "budget", "narratives", "indicators"):
        data = {k: v[0] if len(v) == 1 else v for k, v in edit.data["step_data"][step].items()}
        assert data.get("basic-adjustment_reason", "x") and (
            step != "basic" or data["basic-adjustment_reason"] == "科技工作者日活动增加一场。"
        )
        assert wizard.post(step, data).status_code == 302, step
    assert wizard.post("review", {}).status_code == 302
    assert Declaration.objects.filter(adjusts=declaration).count() == 1
    assert moved(declaration) == Status.APPROVED  # the approved version stays as it was
    assert version_chain(adjustment) == [declaration, adjustment]
    changes = compare(declaration, adjustment).indicators
    assert [(c.name, c.kind, c.changes) for c in changes] == [
        ("全国科技工作者日系列活动", "changed", [("指标值", "=2场", "=3场")])
    ]
    page = client.get(reverse("declaration_compare", args=[adjustment.pk, declaration.pk]))
    assert (
        "全国科技工作者日系列活动" in page.content.decode()
        and "=2场 → =3场" in page.content.decode()
    )
    detail = client.get(reverse("declaration_detail", args=[adjustment.pk])).content.decode()
    assert "调整版本" in detail and "原始版本" in detail


def test_comments_per_indicator_and_replies(client, declaration):
    staff, reviewer = user("shapingba"), user("reviewer")
    workflow.perform(declaration, "submit", by=staff)
    indicator = declaration.indicators.get(order=2)
    client.force_login(reviewer)
    response = client.post(
        reverse("declaration_review", args=[declaration.pk]),
        {
            "action": "return",
            f"indicator-{indicator.pk}": "目标值偏低，建议不少于 12 次。",
            "comment": "",
        },
    )
    assert response.status_code == 302
    assert moved(declaration) == Status.RETURNED
    comment = ReviewComment.objects.get()
    assert (comment.indicator_order, comment.indicator_name) == (2, "全国科普日系列活动")
    client.force_login(staff)
    client.post(reverse("declaration_edit", args=[declaration.pk]))
    draft = DeclarationDraft.objects.get(declaration=declaration)
    page = client.get(reverse("wizard_step", args=[draft.pk, "indicators"])).content.decode()
    assert "审核意见：目标值偏低，建议不少于 12 次。" in page
    client.post(reverse("comment_reply", args=[comment.pk]), {"reply": "已改为 12 次。"})
    comment.refresh_from_db()
    assert (comment.reply, comment.replied_by) == ("已改为 12 次。", staff)


def test_history_shows_moves_and_edits_with_who(client, declaration):
    staff = user("shapingba")
    client.force_login(staff)
    client.post(reverse("declaration_move", args=[declaration.pk, "submit"]))
    page = client.get(reverse("declaration_detail", args=[declaration.pk])).content.decode()
    assert "提交审核" in page and str(staff) in page
    record = declaration.history.first()
    assert record.history_user == staff and record.status == "submitted"


def test_exports_show_the_approval(declaration):
    from declarations.exports.service import export_declaration, with_export_data
    from tests.declarations.exports.readers import pdf_text, read_xlsx

    workflow.perform(declaration, "submit", by=user("shapingba"))
    workflow.perform(declaration, "approve", by=user("reviewer"), grade="excellent")
    fresh = with_export_data(Declaration.objects.filter(pk=declaration.pk)).get()
    line = next(
        t
        for t in read_xlsx(export_declaration(fresh, "xlsx").data).texts()
        if t.startswith("状态：")
    )
    assert "状态：已通过" in line and "审核通过日期：" in line and "审核人：" in line
    assert "评级：优" in line
    assert "状态：已通过" in pdf_text(export_declaration(fresh, "pdf").data)
