"""Who may do what, through real HTTP requests: every role × every action.

Outcomes: "ok" (done), 404 (the declaration is out of the user's sight), 403 (in sight but
not the user's to do), "login" (sent to the log-in page).
"""

import pytest
from django.urls import reverse

from declarations.domain.choices import Status
from declarations.models import Declaration, StatusChange, SupervisingDivision, User
from tests.factories import reviewer_user

pytestmark = pytest.mark.django_db

ROLES = ["own_staff", "other_staff", "reviewer", "other_reviewer", "admin", "anonymous"]

# action: (status the declaration is in first, status after the action when it is done)
ACTIONS = {
    "view": (Status.DRAFT, None),
    "edit": (Status.DRAFT, None),
    "submit": (Status.DRAFT, Status.SUBMITTED),
    "withdraw": (Status.SUBMITTED, Status.DRAFT),
    "return": (Status.SUBMITTED, Status.RETURNED),
    "approve": (Status.SUBMITTED, Status.APPROVED),
    "comment": (Status.SUBMITTED, None),
    "export": (Status.DRAFT, None),
}

EXPECTED = {
    "own_staff": {
        "view": "ok",
        "edit": "ok",
        "submit": "ok",
        "withdraw": "ok",
        "return": 403,
        "approve": 403,
        "comment": 403,
        "export": "ok",
    },
    "other_staff": dict.fromkeys(ACTIONS, 404),
    "reviewer": {
        "view": "ok",
        "edit": 403,
        "submit": 403,
        "withdraw": 403,
        "return": "ok",
        "approve": "ok",
        "comment": "ok",
        "export": "ok",
    },
    "other_reviewer": dict.fromkeys(ACTIONS, 404),
    "admin": {
        "view": "ok",
        "edit": 403,
        "submit": 403,
        "withdraw": 403,
        "return": 403,
        "approve": 403,
        "comment": 403,
        "export": "ok",
    },
    "anonymous": dict.fromkeys(ACTIONS, "login"),
}


def log_in(client, role):
    if role == "anonymous":
        return None
    if role == "other_reviewer":
        user = reviewer_user(SupervisingDivision.objects.create(name="经建科"))
    else:
        name = {
            "own_staff": "shapingba",
            "other_staff": "nansha",
            "reviewer": "reviewer",
            "admin": "admin",
        }[role]
        user = User.objects.get(username=name)
    client.force_login(user)
    return user


def request(client, action, declaration):
    pk = declaration.pk
    if action == "view":
        return client.get(reverse("declaration_detail", args=[pk]))
    if action == "edit":
        return client.post(reverse("declaration_edit", args=[pk]))
    if action == "export":
        return client.get(reverse("declaration_export", args=[pk, "xlsx"]))
    if action == "comment":
        indicator = declaration.indicators.first()
        return client.post(
            reverse("declaration_review", args=[pk]),
            {"action": "comment", f"indicator-{indicator.pk}": "请说明依据。"},
        )
    return client.post(
        reverse("declaration_move", args=[pk, action]), {"comment": "请补充满意度指标。"}
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(client, role, action):
    declaration = Declaration.objects.get(sample_key="000-1")
    before, after = ACTIONS[action]
    Declaration.objects.filter(pk=declaration.pk).update(
        status=before, review_round=1 if before == Status.SUBMITTED else 0
    )
    log_in(client, role)
    response = request(client, action, declaration)
    expected = EXPECTED[role][action]
    declaration.refresh_from_db()
    if expected == "login":
        assert response.status_code == 302 and reverse("login") in response.url
    elif expected == "ok":
        assert response.status_code in (200, 302), response.status_code
        if after is not None:
            assert declaration.status == after
            assert StatusChange.objects.filter(declaration=declaration, action=action).exists()
        if action == "comment":
            assert declaration.review_comments.count() == 1
    else:
        assert response.status_code == expected
    if expected != "ok":
        assert declaration.status == before
        assert not StatusChange.objects.exists()
        assert not declaration.review_comments.exists()
