"""Issue 10, the reviewer's side and the lists: the overall comment reaches the clerk and is
answered; a refused return says why at the comment box; the queue holds submitted work only;
search narrows the list and the queue; adjustments are told apart everywhere."""

import pytest
from django.urls import reverse
from django.utils import timezone

from declarations import workflow
from declarations.domain.choices import Status
from declarations.models import Declaration, ReviewComment, StatusChange, User
from tests.jobs import exported_zip

pytestmark = pytest.mark.django_db


def user(name):
    return User.objects.get(username=name)


@pytest.fixture
def submitted():
    declaration = Declaration.objects.get(sample_key="000-1")
    workflow.perform(declaration, "submit", by=user("shapingba"))
    declaration.refresh_from_db()
    return declaration


def review(client, declaration, **fields):
    client.force_login(user("reviewer"))
    return client.post(reverse("declaration_review", args=[declaration.pk]), fields, follow=True)


def page_text(response) -> str:
    return response.content.decode()


# -- the overall comment ------------------------------------------------------------------


def test_the_overall_comment_of_a_return_reaches_the_clerk_and_is_answered(client, submitted):
    review(client, submitted, action="return", comment="请补充满意度指标。")
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    overall = ReviewComment.objects.get(declaration=submitted, indicator_order=None)
    assert (overall.text, overall.review_round) == ("请补充满意度指标。", 1)
    # Once, not twice: the move keeps its reason for the history, the comment is the same text.
    assert StatusChange.objects.get(action="return").comment == "请补充满意度指标。"

    client.force_login(user("shapingba"))
    detail = client.get(reverse("declaration_detail", args=[submitted.pk]))
    comments = page_text(detail).split('id="comments"')[1].split("</section>")[0]
    assert "整体意见" in comments and "请补充满意度指标。" in comments
    assert reverse("comment_reply", args=[overall.pk]) in comments

    client.post(reverse("comment_reply", args=[overall.pk]), {"reply": "已补充两项满意度指标。"})
    overall.refresh_from_db()
    assert overall.reply == "已补充两项满意度指标。" and overall.replied_by == user("shapingba")

    # The reviewer's second round lists it with its answer.
    workflow.perform(submitted, "submit", by=user("shapingba"))
    client.force_login(user("reviewer"))
    second = client.get(reverse("declaration_review", args=[submitted.pk]))
    earlier = [c.text for c in second.context["comments"]]
    assert earlier == ["请补充满意度指标。"]
    assert "已补充两项满意度指标。" in page_text(second)


def test_the_overall_comment_of_an_approval_is_kept_as_a_comment(client, submitted):
    review(client, submitted, action="approve", comment="目标明确，同意。")
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert ReviewComment.objects.get(declaration=submitted).text == "目标明确，同意。"


def test_saving_comments_then_returning_makes_one_overall_comment_each(client, submitted):
    review(client, submitted, action="comment", comment="第一条整体意见。")
    review(client, submitted, action="return", comment="第二条整体意见。")
    texts = list(
        ReviewComment.objects.filter(declaration=submitted, indicator_order=None).values_list(
            "text", flat=True
        )
    )
    assert texts == ["第一条整体意见。", "第二条整体意见。"]


def test_overall_comments_come_first_in_their_round_on_every_database(client, submitted):
    indicator = submitted.indicators.get(order=2)
    review(client, submitted, action="comment", **{f"indicator-{indicator.pk}": "指标意见。"})
    review(client, submitted, action="return", comment="整体意见。")
    targets = [c.target for c in submitted.review_comments.all()]
    assert targets == ["整体意见", f"指标 2：{indicator.name}"]


def test_a_return_without_a_comment_is_refused_at_the_comment_box(client, submitted):
    indicator = submitted.indicators.get(order=2)
    response = review(client, submitted, action="return", comment="  ")
    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == [
        "退回修改时请填写整体意见，说明需要修改的内容。"
    ]
    html = page_text(response)
    box = (
        html.split('name="comment"')[0].rsplit("<textarea", 1)[1] + html.split('name="comment"')[1]
    )
    assert "is-invalid" in box.split(">")[0] or "is-invalid" in box
    feedback = html.split('id="comment-error"')[1][:80]
    assert "退回修改时请填写整体意见" in feedback
    assert [str(m) for m in response.context["messages"]] == []  # not at the top of the page
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED

    # What was typed beside an indicator is kept when the return is refused.
    kept = review(
        client,
        submitted,
        action="return",
        comment="",
        **{f"indicator-{indicator.pk}": ""},
    )
    assert kept.status_code == 200
    # With an indicator comment the return goes through without an overall one.
    review(client, submitted, action="return", **{f"indicator-{indicator.pk}": "单位写错。"})
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED


def test_the_detail_page_offers_reviewers_no_return_without_a_comment_box(client, submitted):
    client.force_login(user("reviewer"))
    html = page_text(client.get(reverse("declaration_detail", args=[submitted.pk])))
    assert reverse("declaration_move", args=[submitted.pk, "return"]) not in html
    assert reverse("declaration_review", args=[submitted.pk]) in html


def test_submit_asks_first_saying_what_goes_to_whom(client):
    declaration = Declaration.objects.get(sample_key="000-1")
    client.force_login(user("shapingba"))
    html = page_text(client.get(reverse("declaration_detail", args=[declaration.pk])))
    form = html.split(reverse("declaration_move", args=[declaration.pk, "submit"]))[1][:400]
    division = declaration.department.supervising_division.name
    count = declaration.indicators.exclude(name="", target_text="").count()
    assert "data-confirm=" in form
    assert "确定提交审核？" in form and "2025 年“科普工作”" in form
    assert f"{division}的审核人员" in form
    assert f"（{count} 项绩效指标）" in form


# -- the queue ------------------------------------------------------------------------------


def test_the_queue_and_its_zip_hold_no_unsubmitted_draft(client, submitted):
    client.force_login(user("reviewer"))
    names = exported_zip(
        client, reverse("review_queue"), {"status": ""}, {"download": "xlsx"}
    ).namelist()
    assert len(names) == 1 and "科普工作" in names[0]
    listed = client.get(reverse("review_queue"), {"status": ""}).context["declarations"]
    assert [d.pk for d in listed] == [submitted.pk]


def test_the_queue_says_how_long_the_oldest_has_waited(client, submitted):
    Declaration.objects.filter(pk=submitted.pk).update(
        submitted_at=timezone.now() - timezone.timedelta(days=3, hours=1)
    )
    client.force_login(user("reviewer"))
    html = page_text(client.get(reverse("review_queue")))
    waiting = html.split('id="oldest-waiting"')[1][:120]
    assert "已等待 3\xa0日，1\xa0小时" in waiting


# -- search ---------------------------------------------------------------------------------


def keys(response) -> list[str]:
    rows = response.context.get("page")
    rows = rows.object_list if rows is not None else response.context["declarations"]
    return sorted(d.sample_key for d in rows)


def test_search_narrows_the_list_by_project_department_and_indicator(client):
    client.force_login(user("admin"))
    url = reverse("declaration_list")
    found = keys(client.get(url, {"q": "科创"}))
    assert "000-2" in found and "000-1" not in found
    assert keys(client.get(url, {"q": "南沙"})) == sorted(
        Declaration.objects.filter(department_name__contains="南沙").values_list(
            "sample_key", flat=True
        )
    )
    indicator = Declaration.objects.get(sample_key="000-3").indicators.exclude(name="").first()
    found = keys(client.get(url, {"q": indicator.name}))
    assert "000-3" in found
    assert all(
        Declaration.objects.get(sample_key=k)
        .indicators.filter(name__icontains=indicator.name)
        .exists()
        or indicator.name in Declaration.objects.get(sample_key=k).project_name
        for k in found
    )
    # Every word must match: two words that name different declarations find none.
    assert keys(client.get(url, {"q": "沙坪坝 南沙"})) == []
    assert keys(client.get(url, {"q": "没有这个词"})) == []
    # The keyword survives paging links and is shown in the box.
    response = client.get(url, {"q": "科普"})
    assert 'value="科普"' in page_text(response)


def test_search_in_the_queue_and_a_keyword_too_long(client, submitted):
    other = Declaration.objects.get(sample_key="000-2")
    workflow.perform(other, "submit", by=user("shapingba"))
    client.force_login(user("reviewer"))
    assert keys(client.get(reverse("review_queue"), {"q": "科创"})) == ["000-2"]
    refused = client.get(reverse("review_queue"), {"q": "长" * 101})
    assert refused.status_code == 200
    assert "关键词不能超过 100 字。" in page_text(refused)
    assert list(refused.context["declarations"]) == []


def test_search_never_reaches_outside_the_users_scope(client):
    client.force_login(user("shapingba"))
    assert keys(client.get(reverse("declaration_list"), {"q": "南沙"})) == []


# -- adjustments ----------------------------------------------------------------------------


@pytest.fixture
def adjustment():
    """An approved declaration and its submitted adjustment (made directly: the wizard path
    is tested in test_workflow)."""
    approved = Declaration.objects.get(sample_key="000-1")
    workflow.perform(approved, "submit", by=user("shapingba"))
    workflow.perform(approved, "approve", by=user("reviewer"))
    approved.refresh_from_db()
    copy = Declaration.objects.get(pk=approved.pk)
    copy.pk = copy.id = None
    copy.adjusts, copy.adjustment_no = approved, 1
    copy.adjustment_reason = "增加一场活动。"
    copy.status, copy.submitted_at, copy.sample_key = Status.SUBMITTED, timezone.now(), None
    copy.save()
    return copy


def test_adjustments_are_marked_in_the_queue_list_and_zip(client, adjustment):
    client.force_login(user("reviewer"))
    queue = page_text(client.get(reverse("review_queue"), {"status": ""}))
    row = queue.split("data-adjustment")[1].split("</tr>")[0]
    assert "第 1 次调整" in row
    assert reverse("declaration_compare", args=[adjustment.pk, adjustment.adjusts_id]) in row

    listed = page_text(client.get(reverse("declaration_list"), {"q": "科普工作"}))
    assert listed.count("科普工作</a>") == 2 and listed.count("第 1 次调整") == 1

    names = sorted(
        exported_zip(
            client, reverse("review_queue"), {"status": ""}, {"download": "xlsx"}
        ).namelist()
    )
    assert names == [
        "2025年_沙区科协_科普工作_绩效目标申报表.xlsx",
        "2025年_沙区科协_科普工作_绩效目标申报表_第1次调整.xlsx",
    ]

    review_page = page_text(client.get(reverse("declaration_review", args=[adjustment.pk])))
    assert "第 1 次调整" in review_page
    assert reverse("declaration_compare", args=[adjustment.pk, adjustment.adjusts_id]) in (
        review_page
    )


# -- migration 0008: earlier overall comments become comments ---------------------------------


def test_migration_0008_copies_earlier_overall_comments_once_and_reverses(submitted):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("declarations.migrations.0008_overall_comments")
    reviewer, staff = user("reviewer"), user("shapingba")
    # Two rounds as they were recorded before: the reasons only on the status changes.
    workflow.perform(submitted, "return", by=reviewer, comment="第一轮：请补充成本指标。")
    workflow.perform(submitted, "submit", by=staff)
    workflow.perform(submitted, "approve", by=reviewer, comment="第二轮：同意。")
    ReviewComment.objects.all().delete()
    StatusChange.objects.create(
        declaration=submitted,
        action="submit",
        from_status="draft",
        to_status="submitted",
        by=staff,
        comment="申报人的说明不是审核意见。",
    )

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # a second run copies nothing again
    copies = list(ReviewComment.objects.values_list("text", "review_round", "indicator_order"))
    assert copies == [("第二轮：同意。", 2, None), ("第一轮：请补充成本指标。", 1, None)]

    kept = ReviewComment.objects.create(
        declaration=submitted, author=reviewer, text="迁移之后的意见。", review_round=2
    )
    migration.backwards(apps, None)
    assert list(ReviewComment.objects.all()) == [kept]
