"""Two reviewers approve the same declaration at the same moment: one move is recorded.

Runs on PostgreSQL, where ``select_for_update`` takes a row lock; SQLite has no row locks
(it serialises whole-database writes instead), so the test is skipped there.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from declarations import workflow
from declarations.domain.choices import Status
from declarations.models import Declaration, StatusChange, User
from tests.declarations.wizards.helpers import Wizard
from tests.declarations.wizards.test_steps import fill_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"
    ),
]


def test_two_threads_approve_at_once_and_one_move_is_recorded():
    call_command("load_samples", "--demo-accounts", verbosity=0)
    declaration = Declaration.objects.get(sample_key="000-1")
    workflow.perform(declaration, "submit", by=User.objects.get(username="shapingba"))
    reviewer = User.objects.get(username="reviewer")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve():
        try:
            barrier.wait()
            workflow.perform(declaration, "approve", by=reviewer)
            outcomes.append("approved")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["approved", "该申报表当前为“已通过”，不能审核通过。"]
    assert StatusChange.objects.filter(declaration=declaration, action="approve").count() == 1
    declaration.refresh_from_db()
    assert declaration.status == Status.APPROVED


def test_two_saves_of_one_draft_at_once_make_one_declaration():
    """A double-click on 保存 sends the last step twice: one declaration, both clicks end on
    its page, and neither sees an error."""
    call_command("load_samples", "--demo-accounts", verbosity=0)
    staff = User.objects.get(username="shapingba")
    wizard = Wizard.start(Client(), staff)
    fill_until(wizard, "review")
    barrier = threading.Barrier(2)
    responses = []

    def save():
        client = Client()
        client.force_login(staff)
        try:
            barrier.wait()
            responses.append(Wizard(client, wizard.draft).post("review", {}))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    declarations = Declaration.objects.filter(project__name="青少年科技创新大赛")
    assert declarations.count() == 1
    detail = f"/declarations/{declarations.get().pk}/"
    assert [(r.status_code, r.url) for r in responses] == [(302, detail), (302, detail)]
