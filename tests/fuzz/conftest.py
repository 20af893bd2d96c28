"""The world the fuzz targets run in: the demo users, wizard drafts of every layout and every
way into the wizard, and declarations in every workflow status with reviewers' comments.

Each test builds its world once in its own transaction; every example then runs in a
savepoint that is rolled back (``probe.rolled_back``), so examples start from the same world.
"""

import logging
import re
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from declarations import workflow
from declarations.models import Declaration, DeclarationDraft, Project, ReviewComment, User
from indicators.models import IndicatorCategory, PerformanceIndicator

USERS = ("shapingba", "reviewer", "admin", "nansha", "xicheng", "chenggong", "shunping")

# Where the wizard is entered: (clerk, how, sample key or kind).
WIZARD_ENTRIES = [
    ("shapingba", "copy", "000-1"),  # project, Chongqing
    ("shapingba", "edit", "000-2"),  # editing a saved declaration
    ("shapingba", "adjust", "000-4"),  # an adjustment of an approved one
    ("shapingba", "new", "project"),  # nothing filled in yet
    ("chenggong", "copy", "003-1"),  # project, Kunming
    ("shunping", "copy", "004-2"),  # project, Hebei
    ("nansha", "copy", "001-1"),  # department, Guangzhou (key tasks, 42 indicators)
    ("xicheng", "edit", "002-1"),  # department, Beijing
    ("shunping", "copy", "004-1"),  # department, Hebei
    ("shapingba", "new", "department"),
]

NEW_BASIC = {
    "project": {
        "basic-project_name": ["青少年科技创新大赛"],
        "basic-fiscal_year": ["2026"],
        "basic-layout": ["cq_special"],
    },
    "department": {"basic-fiscal_year": ["2026"], "basic-layout": ["hb_county"]},
}


class Scenario:
    """A draft and the valid input of its steps (step → {key: [values]}). Not a dataclass:
    Hypothesis would print every field of it in a falsifying example."""

    def __init__(self, label: str, owner: User, draft_id: int, kind: str, baseline: dict):
        self.label, self.owner, self.draft_id = label, owner, draft_id
        self.kind, self.baseline = kind, baseline

    def __repr__(self):
        return f"<{self.label}, draft {self.draft_id}>"


@dataclass
class World:
    users: dict[str, User]
    ids: list[str]
    scenarios: list[Scenario] = field(default_factory=list)
    declarations: dict[str, Declaration] = field(default_factory=dict)
    comments: list[int] = field(default_factory=list)


@pytest.fixture(autouse=True)
def quiet_server_errors():
    """A counting run answers thousands of 500s; their tracebacks are recorded, not logged."""
    logger = logging.getLogger("django.request")
    was = logger.disabled
    logger.disabled = True
    yield
    logger.disabled = was


def _ids() -> list[str]:
    """Real ids of every kind a form may name: categories, projects, indicators."""
    ids = [str(pk) for pk in IndicatorCategory.objects.values_list("pk", flat=True)[:30]]
    ids += [str(pk) for pk in Project.objects.values_list("pk", flat=True)]
    ids += [str(pk) for pk in PerformanceIndicator.objects.values_list("pk", flat=True)[:10]]
    return ids


@pytest.fixture
def users(db) -> dict[str, User]:
    return {name: User.objects.get(username=name) for name in USERS}


def _enter(user: User, how: str, what: str) -> Scenario:
    client = Client()
    client.force_login(user)
    if how == "new":
        response = client.post(reverse("wizard_start", args=[what]))
    else:
        pk = Declaration.objects.get(sample_key=what).pk
        response = client.post(reverse(f"declaration_{how}", args=[pk]))
    assert response.status_code == 302, (how, what, response.status_code)
    draft = DeclarationDraft.objects.get(pk=int(re.search(r"/drafts/(\d+)/", response.url)[1]))
    baseline = dict((draft.data or {}).get("step_data") or {})
    if how == "new":
        baseline["basic"] = NEW_BASIC[what]
    if _repair(baseline, how):
        draft.data = {**draft.data, "step_data": baseline}
        draft.save(update_fields=["data"])
    return Scenario(f"{user.username} {how} {what}", user, draft.pk, draft.kind, baseline)


def _repair(baseline: dict, how: str) -> bool:
    """Valid input where a copied sample is not, so that mutations start from input the last
    step saves: an adjustment states its reason, and qualitative indicators have no operator
    (the Kunming sample gives them one). The Hebei department-wide sample lacks levels and
    names; its draft stays as copied."""
    repaired = False
    if how == "adjust":
        baseline["basic"] = {**baseline["basic"], "basic-adjustment_reason": ["预算调减。"]}
        repaired = True
    rows = dict(baseline.get("indicators") or {})
    for key, values in list(rows.items()):
        operator = key.removesuffix("-kind") + "-operator"
        if key.endswith("-kind") and values == ["qualitative"] and rows.get(operator) != [""]:
            rows[operator] = [""]
            repaired = True
    if rows:
        baseline["indicators"] = rows
    return repaired


@pytest.fixture
def wizard_world(users) -> World:
    # An approved declaration, for the adjustment.
    approved = Declaration.objects.get(sample_key="000-4")
    workflow.perform(approved, "submit", by=users["shapingba"])
    workflow.perform(approved, "approve", by=users["reviewer"])
    world = World(users=users, ids=_ids())
    world.scenarios = [_enter(users[who], how, what) for who, how, what in WIZARD_ENTRIES]
    return world


@pytest.fixture
def review_world(users) -> World:
    """000-1 submitted with comments, 000-2 a draft, 000-3 approved, 000-4 returned, and
    001-1 out of the reviewer's sight."""
    clerk, reviewer = users["shapingba"], users["reviewer"]
    by_key = {d.sample_key: d for d in Declaration.objects.filter(sample_key__isnull=False)}
    submitted, approved, returned = by_key["000-1"], by_key["000-3"], by_key["000-4"]
    for declaration in (submitted, approved, returned):
        workflow.perform(declaration, "submit", by=clerk)
    first = submitted.indicators.order_by("order").first()
    workflow.add_comments(
        submitted,
        by=reviewer,
        overall="请补充满意度指标。",
        per_indicator={first.pk: "目标值偏低。"},
    )
    workflow.perform(approved, "approve", by=reviewer, grade="good")
    workflow.add_comments(returned, by=reviewer, overall="请核对预算。", per_indicator={})
    workflow.perform(returned, "return", by=reviewer)
    world = World(users=users, ids=_ids())
    world.declarations = {
        "submitted": submitted,
        "draft": by_key["000-2"],
        "approved": approved,
        "returned": returned,
        "other department": by_key["001-1"],
    }
    world.comments = list(ReviewComment.objects.values_list("pk", flat=True))
    return world
