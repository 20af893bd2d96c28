"""Two reviewers approve the same declaration at the same moment: one move is recorded.

Runs on PostgreSQL, where ``select_for_update`` takes a row lock; SQLite has no row locks
(it serialises whole-database writes instead), so the test is skipped there.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from declarations import workflow
from declarations.domain.choices import Status
from declarations.models import Declaration, StatusChange, User

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"
    ),
]


def test_two_threads_approve_at_once_and_one_move_is_recorded():
    from django.core.management import call_command

    call_command("load_samples", verbosity=0)
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
