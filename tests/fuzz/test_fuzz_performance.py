"""Fuzzing the pages after approval: a monitoring report and a self-evaluation (filled, previewed,
moved) and the forms that open rounds and self-evaluations, by their clerk and by users who
may not touch them."""

from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from declarations import performance, workflow
from declarations.domain.evaluation import Band
from declarations.domain.monitoring import DeviationCause, Judgement, Likelihood
from declarations.domain.workflow import MOVES
from declarations.models import Declaration
from tests.fuzz.probe import FUZZ, Probe, login, rolled_back
from tests.fuzz.strategies import UNKNOWN_IDS, posted, usually, value

pytestmark = pytest.mark.django_db

MISSING_PKS = [999_999, 2**31, 10**20]
NAMES = ["shapingba"] * 6 + ["reviewer", "admin", "nansha"]


@pytest.fixture
def performance_world(users):
    """000-2 approved, with a monitoring report (round to June) and a self-evaluation."""
    declaration = Declaration.objects.get(sample_key="000-2")
    workflow.perform(declaration, "submit", by=users["shapingba"])
    workflow.perform(declaration, "approve", by=users["reviewer"])
    round_ = performance.open_round(
        by=users["reviewer"],
        fiscal_year=2025,
        data_month=6,
        due_date=date(2025, 8, 31),
        departments=[declaration.department],
    )
    (evaluation,) = performance.start_evaluations(
        by=users["reviewer"], fiscal_year=2025, departments=[declaration.department]
    )
    return {
        "users": users,
        "monitoring": round_.reports.get().pk,
        "evaluation": evaluation.pk,
        "indicators": [str(pk) for pk in declaration.indicators.values_list("pk", flat=True)],
        "department": str(declaration.department_id),
    }


def some(draw, fields: dict) -> dict:
    return {key: draw(strategy) for key, strategy in fields.items() if draw(st.integers(0, 4))}


def report_payload(draw, world, kind: str) -> dict:
    choices = {
        "judgement": Judgement.values,
        "expected_judgement": Judgement.values,
        "likelihood": Likelihood.values,
        "cause": DeviationCause.values,
        "band": Band.values,
    }
    payload = some(
        draw,
        {
            "executed": posted(),
            "expected_executed": posted(),
            "budget": posted(),
            "measures": posted(),
            "overall_result": posted(),
            "action": usually(st.sampled_from(["save", "submit"]), posted()),
        },
    )
    names = ["actual", "expected", "note", "points", "score", "actual_text", *choices]
    for indicator in draw(st.lists(st.sampled_from(world["indicators"] + UNKNOWN_IDS), max_size=5)):
        name = draw(st.sampled_from(names))
        strategy = (
            usually(st.sampled_from(choices[name]), posted()) if name in choices else posted()
        )
        payload[f"i{indicator}-{name}"] = draw(strategy)
    return payload


@FUZZ
@given(data=st.data())
def test_report_pages(performance_world, data):
    draw = data.draw
    kind = draw(usually(st.sampled_from(["monitoring", "evaluation"]), value()))
    pk = draw(st.sampled_from([performance_world.get(kind, 1)] * 3 + MISSING_PKS))
    name = draw(st.sampled_from(NAMES))
    payload = report_payload(draw, performance_world, kind)
    where = draw(
        st.sampled_from(
            ["", "preview/", "", f"move/{draw(usually(st.sampled_from(list(MOVES)), value()))}/"]
        )
    )
    probe = Probe("report page")
    with rolled_back():
        client = login(performance_world["users"][name])
        url = f"/performance/{quote(str(kind), safe='')}/{pk}/{quote(where, safe='/')}"
        if draw(st.integers(0, 5)) == 0:
            probe.get(client, url, payload)
        else:
            probe.post(client, url, payload)


@FUZZ
@given(data=st.data())
def test_opening_rounds_and_evaluations(performance_world, data):
    draw = data.draw
    name = draw(st.sampled_from(["reviewer"] * 4 + ["admin", "shapingba"]))
    payload = some(
        draw,
        {
            "fiscal_year": usually(st.sampled_from(["2025", "2024", "2026"]), posted()),
            "data_month": usually(st.sampled_from([str(m) for m in range(1, 13)]), posted()),
            "due_date": usually(st.sampled_from(["2025-08-31", "2025-13-01"]), posted()),
            "departments": usually(
                st.lists(
                    st.sampled_from([performance_world["department"], *UNKNOWN_IDS]), max_size=3
                ),
                posted(),
            ),
        },
    )
    url = draw(st.sampled_from(["/performance/rounds/open/", "/performance/evaluations/start/"]))
    probe = Probe("open rounds")
    with rolled_back():
        client = login(performance_world["users"][name])
        probe.post(client, url, payload)
