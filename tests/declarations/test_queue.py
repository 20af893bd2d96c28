"""The reviewer's queue: what awaits the reviewer, counts, filters, order and bulk download."""

import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from declarations import workflow
from declarations.domain.choices import Status
from declarations.models import Declaration, User

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
    counts = {value: count for value, _, count in response.context["counts"]}
    assert counts == {Status.DRAFT: 1, Status.SUBMITTED: 3, Status.RETURNED: 0, Status.APPROVED: 0}
    newest_first = client.get(reverse("review_queue"), {"sort": "-submitted"})
    assert [d.sample_key for d in newest_first.context["declarations"]] == keys[::-1]
    drafts = client.get(reverse("review_queue"), {"status": Status.DRAFT})
    assert [d.sample_key for d in drafts.context["declarations"]] == ["000-4"]


def test_queue_download_is_the_filtered_set(client, submitted):
    client.force_login(User.objects.get(username="reviewer"))
    response = client.get(reverse("review_queue"), {"status": "submitted", "download": "xlsx"})
    archive = zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 3
    assert all(name.endswith(".xlsx") for name in archive.namelist())


def test_staff_have_no_queue(client):
    client.force_login(User.objects.get(username="shapingba"))
    assert client.get(reverse("review_queue")).status_code == 403
