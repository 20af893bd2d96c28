"""The fuzz tests' own checks see what they are meant to see: a refusal by its status, its
form or its error message; a refused request that wrote; a server error and where it came
from."""

import pytest
from django.core.exceptions import ValidationError

from declarations import review_views, workflow
from declarations.models import Declaration, StatusChange, User
from tests.fuzz import probe as probe_module
from tests.fuzz.probe import Probe, Violation, login, refused, rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    declaration = Declaration.objects.get(sample_key="000-1")
    workflow.perform(declaration, "submit", by=User.objects.get(username="shapingba"))
    return declaration


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    """These tests check the CI mode, whatever mode the run is in."""
    monkeypatch.setattr(probe_module, "COUNT_ONLY", False)
    monkeypatch.setattr(probe_module, "REPORT", None)


@pytest.fixture
def reviewer_client():
    return login(User.objects.get(username="reviewer"))


def test_a_refusal_is_seen_by_its_error_message(reviewer_client, submitted):
    draft = Declaration.objects.get(sample_key="000-2")
    response = reviewer_client.post(f"/declarations/{draft.pk}/move/approve/")
    assert response.status_code == 302 and refused("POST", response)
    response = reviewer_client.post(f"/declarations/{submitted.pk}/move/approve/")
    assert response.status_code == 302 and not refused("POST", response)


def test_a_refused_request_that_wrote_is_a_violation(reviewer_client, submitted, monkeypatch):
    def writes_then_refuses(declaration, action, *, by, **kwargs):
        StatusChange.objects.create(
            declaration=declaration, action="x", from_status="a", to_status="b", by=by
        )
        raise ValidationError("不能。")

    monkeypatch.setattr(review_views, "perform", writes_then_refuses)
    with rolled_back(), pytest.raises(Violation, match="wrote"):
        Probe("test").post(reviewer_client, f"/declarations/{submitted.pk}/move/approve/", {})


def test_a_server_error_is_a_violation_that_says_where(reviewer_client, submitted, monkeypatch):
    def fails(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(review_views, "perform", fails)
    with (
        rolled_back(),
        pytest.raises(
            Violation, match=r"ZeroDivisionError: boom at declarations/review_views.py:\d+ \(move\)"
        ),
    ):
        Probe("test").post(reviewer_client, f"/declarations/{submitted.pk}/move/approve/", {})


def test_counting_mode_records_and_goes_on(reviewer_client, submitted, monkeypatch, tmp_path):
    report = tmp_path / "requests.jsonl"
    monkeypatch.setattr(probe_module, "COUNT_ONLY", True)
    monkeypatch.setattr(probe_module, "REPORT", str(report))
    monkeypatch.setattr(review_views, "perform", lambda *a, **k: 1 / 0)
    with rolled_back():
        response = Probe("test").post(
            reviewer_client, f"/declarations/{submitted.pk}/move/approve/", {"comment": "好"}
        )
    assert response.status_code == 500
    assert '"type": "builtins.ZeroDivisionError"' in report.read_text(encoding="utf-8")
