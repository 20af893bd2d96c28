"""The reviewer's queue: what awaits the reviewer, counts, filters, order and bulk download."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from declarations import workflow
from declarations.domain.choices import Status
from declarations.models import Declaration, User
from tests.jobs import exported_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    staff = User.objects.get(username="shapingba")
    declarations = list(
        Declaration.objects.filter(sample_key__in=["000-1", "000-2", "000-3"]).order_by(
            "sample_key"
        )
    )
    for declaration in declarations:
        workflow.perform(declaration, "submit", by=staff)
    # 000-3 was submitted first, 000-1 last.
    now = timezone.now()
    for offset, declaration in zip((3, 2, 1), reversed(declarations), strict=True):
        Declaration.objects.filter(pk=declaration.pk).update(
            submitted_at=now - timedelta(hours=offset)
        )
    return declarations


def test_queue_lists_awaiting_declarations_oldest_first_with_counts(client, submitted):
    client.force_login(User.objects.get(username="reviewer"))
    response = client.get(reverse("review_queue"))
    keys = [d.sample_key for d in response.context["declarations"]]
    assert keys == ["000-3", "000-2", "000-1"]
    counts = {value: (label, count) for value, label, count, _ in response.context["counts"]}
    # The draft 000-4 is the clerk's business: not counted, not listed, not offered.
    assert counts == {
        Status.SUBMITTED: ("待审核", 3),
        Status.RETURNED: ("已退回、待单位修改", 0),
        Status.APPROVED: ("已通过", 0),
    }
    newest_first = client.get(reverse("review_queue"), {"sort": "-submitted"})
    assert [d.sample_key for d in newest_first.context["declarations"]] == keys[::-1]
    everything = client.get(reverse("review_queue"), {"status": ""})
    assert sorted(d.sample_key for d in everything.context["declarations"]) == sorted(keys)
    drafts = client.get(reverse("review_queue"), {"status": Status.DRAFT})
    assert list(drafts.context["declarations"]) == []
    assert "审核队列中没有该状态。" in drafts.content.decode()


def test_queue_download_is_the_filtered_set(client, submitted):
    client.force_login(User.objects.get(username="reviewer"))
    archive = exported_zip(
        client, reverse("review_queue"), {"status": "submitted"}, {"download": "xlsx"}
    )
    assert len(archive.namelist()) == 3
    assert all(name.endswith(".xlsx") for name in archive.namelist())


def test_staff_have_no_queue(client):
    client.force_login(User.objects.get(username="shapingba"))
    assert client.get(reverse("review_queue")).status_code == 403
