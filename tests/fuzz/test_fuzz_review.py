"""Fuzzing the review workflow's forms: the reviewer's page, moves, and replies to comments.

Declarations in every status (see ``review_world``), asked about by the reviewer who
supervises them and, now and then, by users who may not: an administrator, the clerk, a clerk
of another department.
"""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from declarations.domain.choices import Grade
from declarations.domain.workflow import MOVES
from tests.fuzz.probe import FUZZ, Probe, login, rolled_back
from tests.fuzz.strategies import UNKNOWN_IDS, posted, usually, value

pytestmark = pytest.mark.django_db

MISSING_PKS = [999_999, 2**31, 10**20]


def some(draw, fields: dict) -> dict:
    """Each field, sent or not; its value from its strategy."""
    return {key: draw(strategy) for key, strategy in fields.items() if draw(st.integers(0, 4))}


def declaration_pk(draw, world) -> int:
    pks = [d.pk for d in world.declarations.values()]
    return draw(st.sampled_from(pks * 3 + MISSING_PKS))


@FUZZ
@given(data=st.data())
def test_review_form(review_world, data):
    draw = data.draw
    pk = declaration_pk(draw, review_world)
    name = draw(st.sampled_from(["reviewer"] * 6 + ["admin", "shapingba", "nansha"]))
    own = [
        str(i)
        for i in review_world.declarations["submitted"].indicators.values_list("pk", flat=True)
    ]
    payload = some(
        draw,
        {
            "comment": posted(),
            "grade": usually(st.sampled_from(["", *Grade.values]), posted()),
            "action": usually(st.sampled_from(["comment", "return", "approve"]), posted()),
        },
    )
    for indicator in draw(
        st.lists(st.sampled_from(own + UNKNOWN_IDS + review_world.ids), max_size=4)
    ):
        payload[f"indicator-{indicator}"] = draw(posted())
    probe = Probe("review form")
    with rolled_back():
        client = login(review_world.users[name])
        method = draw(st.sampled_from(["POST"] * 5 + ["GET"]))
        if method == "GET":
            probe.get(client, f"/declarations/{pk}/review/", payload)
        else:
            probe.post(client, f"/declarations/{pk}/review/", payload)


@FUZZ
@given(data=st.data())
def test_move(review_world, data):
    draw = data.draw
    pk = declaration_pk(draw, review_world)
    action = draw(usually(st.sampled_from(list(MOVES)), value()))
    name = draw(
        st.sampled_from(["reviewer", "shapingba", "reviewer", "shapingba", "admin", "nansha"])
    )
    payload = some(
        draw,
        {
            "comment": posted(),
            "grade": usually(st.sampled_from(["", *Grade.values]), posted()),
        },
    )
    probe = Probe("move")
    with rolled_back():
        client = login(review_world.users[name])
        probe.post(client, f"/declarations/{pk}/move/{quote(action, safe='')}/", payload)


@FUZZ
@given(data=st.data())
def test_comment_reply(review_world, data):
    draw = data.draw
    pk = draw(st.sampled_from(review_world.comments * 3 + MISSING_PKS))
    name = draw(st.sampled_from(["shapingba"] * 6 + ["reviewer", "admin", "nansha"]))
    payload = some(draw, {"reply": posted(), "comment": posted()})
    probe = Probe("comment reply")
    with rolled_back():
        client = login(review_world.users[name])
        probe.post(client, f"/comments/{pk}/reply/", payload)
