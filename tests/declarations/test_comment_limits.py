"""Review comments, answers and a move's reason are bounded: at most 2,000 characters each and
at most 20 comments per indicator (and 20 overall) in one round of review; what is refused is
said in Chinese, never a server error, and nothing of it is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from declarations import workflow
from declarations.domain.choices import Status
from declarations.models import Declaration, ReviewComment, StatusChange, User
from declarations.models.reviews import COMMENT_MAX_LENGTH, COMMENTS_PER_TARGET

pytestmark = pytest.mark.django_db

TOO_LONG = "意" * (COMMENT_MAX_LENGTH + 1)
LONGEST = "意" * COMMENT_MAX_LENGTH


def user(name):
    return User.objects.get(username=name)


@pytest.fixture
def submitted():
    declaration = Declaration.objects.get(sample_key="000-1")
    workflow.perform(declaration, "submit", by=user("shapingba"))
    declaration.refresh_from_db()
    return declaration


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def field_errors(response, name: str) -> list[str]:
    """The errors the review page shows at the field ``name``."""
    return [str(e) for e in response.context["form"].errors.get(name, [])]


def review(client, declaration, **fields):
    client.force_login(user("reviewer"))
    return client.post(reverse("declaration_review", args=[declaration.pk]), fields, follow=True)


def test_an_indicator_comment_over_the_limit_is_refused_with_a_message(client, submitted):
    indicator = submitted.indicators.get(order=2)
    response = review(
        client, submitted, action="comment", **{f"indicator-{indicator.pk}": TOO_LONG}
    )
    assert response.status_code == 200
    assert field_errors(response, f"indicator-{indicator.pk}") == ["意见不能超过 2000 字。"]
    assert 'class="form-control form-control-sm is-invalid"' in response.content.decode()
    assert not ReviewComment.objects.exists()
    assert TOO_LONG in response.content.decode()  # what was typed is not lost

    response = review(client, submitted, action="comment", **{f"indicator-{indicator.pk}": LONGEST})
    assert response.status_code == 200
    assert ReviewComment.objects.get().text == LONGEST


def test_an_overall_comment_over_the_limit_neither_saves_nor_moves(client, submitted):
    response = review(client, submitted, action="return", comment=TOO_LONG)
    assert response.status_code == 200
    assert field_errors(response, "comment") == ["意见不能超过 2000 字。"]
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert not ReviewComment.objects.exists()


def test_a_move_with_a_reason_over_the_limit_is_refused(client, submitted):
    client.force_login(user("reviewer"))
    response = client.post(
        reverse("declaration_move", args=[submitted.pk, "return"]),
        {"comment": TOO_LONG},
        follow=True,
    )
    assert response.status_code == 200
    assert "意见：意见不能超过 2000 字。" in messages_of(response)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert not StatusChange.objects.filter(declaration=submitted, action="return").exists()


def test_an_answer_over_the_limit_is_refused(client, submitted):
    (comment,) = workflow.add_comments(
        submitted, by=user("reviewer"), overall="请补充依据。", per_indicator={}
    )
    client.force_login(user("shapingba"))
    url = reverse("comment_reply", args=[comment.pk])
    response = client.post(url, {"reply": TOO_LONG}, follow=True)
    assert response.status_code == 200
    assert "回复：回复不能超过 2000 字。" in messages_of(response)
    comment.refresh_from_db()
    assert comment.reply == ""
    client.post(url, {"reply": LONGEST})
    comment.refresh_from_db()
    assert comment.reply == LONGEST


def test_at_most_twenty_comments_per_indicator_in_a_round(client, submitted):
    reviewer = user("reviewer")
    indicator = submitted.indicators.get(order=2)
    for n in range(COMMENTS_PER_TARGET):
        workflow.add_comments(
            submitted, by=reviewer, overall=f"整体 {n}", per_indicator={indicator.pk: f"第 {n} 条"}
        )
    with pytest.raises(ValidationError) as refused:
        workflow.add_comments(
            submitted, by=reviewer, overall="", per_indicator={indicator.pk: "第 21 条"}
        )
    assert "指标 2：" in refused.value.messages[0] and "已有 20 条" in refused.value.messages[0]

    other = submitted.indicators.get(order=3)
    response = review(
        client,
        submitted,
        action="comment",
        comment="整体第 21 条",
        **{f"indicator-{other.pk}": "另一指标的意见"},
    )
    assert response.status_code == 200
    refusals = response.context["form"].non_field_errors()
    assert any("整体意见：本轮审核的意见已有 20 条" in m for m in refusals)
    # The whole save is refused: the other indicator's comment is not kept either.
    assert ReviewComment.objects.filter(indicator=other).count() == 0
    assert ReviewComment.objects.filter(declaration=submitted).count() == 2 * COMMENTS_PER_TARGET


def test_the_count_starts_again_in_the_next_round(submitted):
    reviewer, staff = user("reviewer"), user("shapingba")
    indicator = submitted.indicators.get(order=2)
    for n in range(COMMENTS_PER_TARGET):
        workflow.add_comments(
            submitted, by=reviewer, overall="", per_indicator={indicator.pk: f"第 {n} 条"}
        )
    workflow.perform(submitted, "return", by=reviewer)
    workflow.perform(submitted, "submit", by=staff)
    submitted.refresh_from_db()
    added = workflow.add_comments(
        submitted, by=reviewer, overall="", per_indicator={indicator.pk: "第二轮意见"}
    )
    assert added[0].review_round == 2


def test_the_model_refuses_a_comment_over_the_limit():
    comment = ReviewComment(text=TOO_LONG, reply=TOO_LONG, review_round=1)
    with pytest.raises(ValidationError) as refused:
        comment.full_clean(exclude=["declaration", "author"])
    errors = refused.value.message_dict
    assert errors["text"] == ["意见不能超过 2000 字（现有 2001 字）。"]
    assert errors["reply"] == ["回复不能超过 2000 字（现有 2001 字）。"]
