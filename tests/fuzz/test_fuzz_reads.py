"""Fuzzing what is asked with GET: the indicator library search, the declaration list's and
the reviewer queue's filters. A read never writes, whatever it is asked."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from declarations import quality
from declarations.dashboard import WAITING_BY_KEY
from declarations.forms import DeclarationFilterForm, QueueFilterForm
from tests.fuzz.probe import FUZZ, Probe, login, rolled_back
from tests.fuzz.strategies import posted, texts, usually

pytestmark = pytest.mark.django_db

EVERYONE = ["shapingba", "reviewer", "admin", "nansha", "xicheng"]


@FUZZ
@given(data=st.data())
def test_indicator_library(review_world, data):
    draw = data.draw
    name = draw(st.sampled_from(EVERYONE))
    query = draw(
        usually(
            st.sampled_from(["科普", "场", "满意度", "举办", "%", "_", "\\", "人次"]),
            posted(),
            odds=1,
        )
    )
    params = {} if draw(st.integers(0, 9)) == 0 else {"q": query}
    probe = Probe("indicator library")
    with rolled_back():
        client = login(review_world.users[name])
        probe.get(client, "/indicators/library/", params)


# The export formats the queue downloads; PDF is left out, for time: one render takes seconds.
DOWNLOADS = ["", "xlsx", "XLSX", "csv", "zip", " xlsx"]


@FUZZ
@given(data=st.data())
def test_list_and_queue_filters(review_world, data):
    draw = data.draw
    page = draw(st.sampled_from(["list", "queue"]))
    if page == "queue":
        name = draw(st.sampled_from(["reviewer", "reviewer", "admin", "shapingba"]))
        sorts = list(QueueFilterForm.SORTS)
    else:
        name = draw(st.sampled_from(EVERYONE))
        sorts = list(DeclarationFilterForm.SORTS)
    departments = [str(d.department_id) for d in review_world.declarations.values()]
    fields = {
        "fiscal_year": usually(st.sampled_from(["2021", "2024", "2025", "2026"]), posted()),
        "status": usually(
            st.sampled_from(["", "draft", "submitted", "returned", "approved"]), posted()
        ),
        "kind": usually(st.sampled_from(["", "project", "department"]), posted()),
        "sort": usually(st.sampled_from(sorts), posted()),
        "department": usually(st.sampled_from(departments), posted(review_world.ids)),
        "page": usually(st.sampled_from(["1", "2", "last", "0", "-1", "99999"]), posted()),
        "download": usually(st.sampled_from(DOWNLOADS), texts()),
        # The filters the dashboard's figures link to.
        "missing": usually(st.sampled_from(["", *quality.MISSING]), texts()),
        "vague": usually(st.sampled_from(["", "1"]), posted()),
        "qualitative": usually(st.sampled_from(["", "1"]), posted()),
        "waiting": usually(st.sampled_from(["", *WAITING_BY_KEY]), texts()),
    }
    params = {key: draw(strategy) for key, strategy in fields.items() if draw(st.booleans())}
    probe = Probe("list and queue filters")
    with rolled_back():
        client = login(review_world.users[name])
        probe.get(client, "/declarations/" if page == "list" else "/reviews/", params)
