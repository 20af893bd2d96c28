"""The indicator library endpoint (``/indicators/library/?q=``) as the wizard calls it: each
suggestion with its history, only what the user may borrow, and a number of queries that
does not grow with the data."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from declarations.domain.choices import Status
from declarations.models import EvaluationEntry, SelfEvaluation
from declarations.wizards.entry import library_scope
from indicators import history
from indicators.library import LIBRARY_SIZE
from indicators.models import PerformanceIndicator
from tests.factories import DeclarationFactory, IndicatorFactory, staff_user

pytestmark = pytest.mark.django_db

NAME = "开展库测科普讲座场次"
URL = reverse("indicator_library")


def used(value, *, status=Status.APPROVED, year=2024, department=None, actual=None, **fields):
    extra = {"department": department} if department else {}
    declaration = DeclarationFactory(status=status, fiscal_year=year, **extra)
    indicator = IndicatorFactory(
        declaration=declaration, name=fields.pop("name", NAME), target_value=value, **fields
    )
    if actual is not None:
        evaluation = SelfEvaluation.objects.create(declaration=declaration, status=Status.APPROVED)
        EvaluationEntry.objects.create(
            evaluation=evaluation, indicator=indicator, points=Decimal(10), actual=actual
        )
    return indicator


def search(client, query: str) -> list[dict]:
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    return response.json()["results"]


@pytest.fixture
def clerk(client):
    user = staff_user(DeclarationFactory().department)
    client.force_login(user)
    return user


def test_a_suggestion_carries_its_history(client, clerk):
    used(Decimal(10), year=2023, actual=Decimal(12))
    used(Decimal(40), year=2025, actual=Decimal(30))
    used(Decimal(20), year=2024)
    history.refresh([NAME])
    (found,) = [r for r in search(client, "库测科普") if r["name"] == NAME]
    assert found == {
        "name": NAME,
        "level1": found["level1"],
        "level1_name": "产出指标",
        "level2": found["level2"],
        "level2_name": "数量指标",
        "unit": "场次",
        "operator": "≥",
        "kind": "quantitative",
        "example": "≥20场次",
        "source": "history",
        "history": {
            "uses": 3,
            "first_year": 2023,
            "last_year": 2025,
            "targets": {"count": 3, "min": "10", "median": "20", "max": "40"},
            "actuals": {"count": 2, "min": "12", "median": "12", "max": "30"},
        },
    }


def test_another_departments_unapproved_work_is_never_offered_nor_counted(client, clerk):
    used(Decimal(10))
    history.refresh([NAME])
    # Another department's draft and submission: a different unit, and the same key.
    used(Decimal(7), status=Status.DRAFT, unit="次")
    used(Decimal(9000), status=Status.SUBMITTED)
    history.refresh([NAME])
    results = search(client, NAME)
    assert [(r["unit"], r["source"], r["history"]["uses"]) for r in results] == [
        ("场次", "history", 1)
    ]
    assert results[0]["history"]["targets"]["max"] == "10"


def test_the_own_departments_drafts_are_offered_beside_the_history(client, clerk):
    used(Decimal(10))
    used(Decimal(30))
    history.refresh([NAME])
    # The clerk's own draft with another unit, and one of the same key as the history.
    used(Decimal(4), status=Status.DRAFT, department=clerk.department, unit="次")
    used(Decimal(99), status=Status.RETURNED, department=clerk.department)
    results = {(r["unit"], r["source"]): r for r in search(client, NAME)}
    assert set(results) == {("场次", "history"), ("次", "own")}
    assert results[("次", "own")]["example"] == "≥4次"
    assert results[("次", "own")]["history"] is None
    # Unapproved, the own draft stays out of the numbers.
    assert results[("场次", "history")]["history"]["targets"]["max"] == "30"


def test_the_history_and_the_live_part_together_are_exactly_the_library_scope(client, clerk):
    """Whatever the status and whoever's: offered if and only if ``library_scope`` says the
    user may borrow it (the history holding the approved part, the live query the rest)."""
    other = DeclarationFactory().department
    for status in Status.values:
        for department, who in [(clerk.department, "本单位"), (other, "外单位")]:
            used(Decimal(1), status=status, department=department, name=f"库测{who}{status}")
    history.rebuild()
    offered = {r["name"] for r in search(client, "库测")}
    allowed = set(
        PerformanceIndicator.objects.filter(
            library_scope(clerk), name__startswith="库测"
        ).values_list("name", flat=True)
    )
    assert offered == allowed
    assert offered == {
        *(f"库测本单位{status}" for status in Status.values),
        f"库测外单位{Status.APPROVED}",
    }


def test_the_sample_tables_are_offered_with_their_own_values(client, clerk):
    results = search(client, "科普活动参与者满意度")
    assert results and all(r["source"] == "sample" for r in results)
    assert results[0]["example"] and results[0]["history"] is None


def test_names_that_start_with_the_text_come_first_then_the_most_used(client, clerk):
    for _ in range(3):
        used(Decimal(10), name=f"全区{NAME}")
    used(Decimal(10), name=NAME)
    used(Decimal(10), name=f"{NAME}（线上）")
    used(Decimal(10), name=f"{NAME}（线上）")
    history.rebuild()
    names = [r["name"] for r in search(client, NAME)]
    assert names == [f"{NAME}（线上）", NAME, f"全区{NAME}"]
    # One or two characters: the popular names that contain them, and names that start so.
    assert f"{NAME}（线上）" in [r["name"] for r in search(client, "开展")]
    assert f"全区{NAME}" in [r["name"] for r in search(client, "全区")]


def test_the_number_of_queries_does_not_grow_with_the_data(client, clerk):
    def queries(query):
        """The queries of the request but the session's renewal, made at most once a
        minute (``SessionRenewalMiddleware``), whenever a test happens to cross one."""
        with CaptureQueriesContext(connection) as captured:
            search(client, query)
        renewal = ("SAVEPOINT", "RELEASE SAVEPOINT", 'UPDATE "django_session"')
        return len([q for q in captured.captured_queries if not q["sql"].startswith(renewal)])

    used(Decimal(10))
    used(Decimal(5), status=Status.DRAFT, department=clerk.department, unit="次")
    history.rebuild()
    few = [queries(NAME), queries("开展")]
    for n in range(3 * LIBRARY_SIZE):
        used(Decimal(n + 1), name=f"{NAME}{n}")
        used(Decimal(n + 1), name=f"{NAME}{n}", department=clerk.department, status="draft")
    history.rebuild()
    assert len(search(client, NAME)) == LIBRARY_SIZE
    assert [queries(NAME), queries("开展")] == few


@pytest.mark.parametrize("query", ["", "   ", "字" * 100_000, "%", "_", "\\", "满意度' OR 1=1"])
def test_any_text_is_answered_never_a_500(client, clerk, query):
    assert isinstance(search(client, query), list)


def test_only_people_logged_in_may_ask(client):
    response = client.get(URL, {"q": NAME})
    assert response.status_code == 302 and "login" in response.url
