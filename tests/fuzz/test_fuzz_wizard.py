"""Fuzzing every step of the project and department-wide wizards.

Each example takes a draft (a copy, an edit, an adjustment or a new declaration, of every
layout), breaks the step's valid input a few ways (see ``strategies.mutated``), posts it with a
current step that is usually right and sometimes not, and now and then opens the step or the
review page afterwards, which validates and previews everything the draft keeps.
"""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from declarations.domain.choices import Kind
from declarations.domain.profiles import PROFILES
from declarations.models import Department
from tests.fuzz.probe import FUZZ, Probe, login, rolled_back
from tests.fuzz.strategies import EDGES, mutated, posted

pytestmark = pytest.mark.django_db

ALL_STEPS = ["basic", "budget", "narratives", "targets", "indicators", "review"]
FORMSETS = {
    "budget": ["budget-plan"],
    "targets": ["targets-tasks"],
    "indicators": ["indicators-rows"],
}
# Every field name a step form or a formset row of any layout uses.
FIELDS = sorted(
    {
        "project",
        "project_name",
        "project_code",
        "fiscal_year",
        "period_start",
        "period_end",
        "layout",
        "adjustment_reason",
        *Department.STAFF_FIELDS,
        *(name for p in PROFILES.values() for name in p.budget_labels),
        *(name for p in PROFILES.values() for name in p.narratives),
        *("month", "percent", "DELETE", "ORDER", "name", "content", "funds", "expected_result"),
        *("level1", "level2", "kind", "operator", "value", "unit", "weight", "period_value"),
        *("description", "basis", "scoring_rule"),
    }
)


def step_of(target: str, kind: str) -> str:
    if target == "texts":
        return "narratives" if kind == Kind.PROJECT else "targets"
    return target


def url(scenario, step: str) -> str:
    return f"/drafts/{scenario.draft_id}/{quote(step, safe='')}/"


def step_payload(draw, world, scenario, step: str) -> dict:
    data = mutated(
        draw,
        scenario.baseline.get(step, {}),
        prefix=step,
        formsets=FORMSETS.get(step, []),
        fields=FIELDS,
        ids=world.ids,
    )
    # Usually the step posted; sometimes another, an unknown one, or none at all.
    current = draw(
        st.sampled_from([step] * 8 + ALL_STEPS + ["done", "bogus", "", "\x00", "review ", None])
    )
    if current is not None:
        data[f"draft_{scenario.draft_id}-current_step"] = current
    flag = draw(st.integers(0, 11))
    if flag == 0:
        data["wizard_goto_step"] = draw(st.sampled_from([*ALL_STEPS, "bogus", *EDGES[:3]]))
    elif flag == 1:
        data["wizard_save_draft"] = "1"
    return data


def who(draw, world, scenario):
    """The draft's owner, now and then someone else (who must find no draft there)."""
    if draw(st.integers(0, 19)):
        return scenario.owner
    return world.users[draw(st.sampled_from(["nansha", "shapingba", "reviewer", "admin"]))]


@pytest.mark.parametrize("target", ["basic", "budget", "texts", "indicators"])
@FUZZ
@given(data=st.data())
def test_wizard_step(target, wizard_world, data):
    draw = data.draw
    scenario = draw(st.sampled_from(wizard_world.scenarios))
    step = step_of(target, scenario.kind)
    probe = Probe(f"wizard {target}")
    with rolled_back():
        client = login(who(draw, wizard_world, scenario))
        path_step = draw(st.sampled_from([step] * 6 + ["done", "bogus", "\x0b"]))
        probe.post(
            client, url(scenario, path_step), step_payload(draw, wizard_world, scenario, step)
        )
        then = draw(st.sampled_from([None, None, step, "review"]))
        if then:
            probe.get(client, url(scenario, then))


@FUZZ
@given(data=st.data())
def test_wizard_review(wizard_world, data):
    """Broken input kept at one step, then the last step: validate everything, save."""
    draw = data.draw
    scenario = draw(st.sampled_from(wizard_world.scenarios))
    probe = Probe("wizard review")
    with rolled_back():
        client = login(who(draw, wizard_world, scenario))
        earlier = draw(st.sampled_from([None, "basic", "budget", "texts", "indicators"]))
        if earlier:
            step = step_of(earlier, scenario.kind)
            probe.post(
                client, url(scenario, step), step_payload(draw, wizard_world, scenario, step)
            )
        payload = {}
        current = draw(st.sampled_from(["review"] * 6 + ALL_STEPS + ["bogus", "", None]))
        if current is not None:
            payload[f"draft_{scenario.draft_id}-current_step"] = current
        for key in draw(st.lists(st.sampled_from(["review-x", "wizard_goto_step", "x"]))):
            payload[key] = draw(posted())
        if draw(st.booleans()):
            probe.get(client, url(scenario, "review"))
        probe.post(client, url(scenario, "review"), payload)
