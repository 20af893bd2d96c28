"""Two approvals sharing an indicator name refresh its history at the same moment: the second
waits for the first (the advisory lock of the name) and counts it, instead of failing on the
unique key or writing over it. PostgreSQL only: SQLite lets one writer in at a time."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from declarations.domain.choices import Status
from indicators import history
from indicators.models import IndicatorHistory
from tests.factories import DeclarationFactory, IndicatorFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's"),
]

NAME = "并发刷新测试指标"


def test_two_approvals_refreshing_one_name_at_once_both_count():
    declarations = []
    for value in (10, 20):
        declaration = DeclarationFactory(status=Status.SUBMITTED)
        IndicatorFactory(
            declaration=declaration, name=NAME, level1=None, level2=None, target_value=value
        )
        declarations.append(declaration)
    first_refreshed = threading.Event()
    errors = []

    def approve(declaration, *, first: bool):
        try:
            if not first:
                first_refreshed.wait(10)
            with transaction.atomic():
                declaration.status = Status.APPROVED
                declaration.save()
                history.refresh_for_declaration(declaration.pk)
                if first:
                    # Still uncommitted while the second approval starts its refresh.
                    first_refreshed.set()
                    threading.Event().wait(0.5)
        except Exception as exc:  # noqa: BLE001 - any failure of either thread fails the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(declarations[0],), kwargs={"first": True}),
        threading.Thread(target=approve, args=(declarations[1],), kwargs={"first": False}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    row = IndicatorHistory.objects.get(name=NAME)
    assert (row.uses, row.target_min, row.target_max) == (2, Decimal(10), Decimal(20))
