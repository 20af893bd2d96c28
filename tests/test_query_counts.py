"""Pages stay fast with data: the same number of SQL queries whatever the indicator count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from declarations.models import Declaration, User
from tests.factories import BudgetFactory, DeclarationFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def declaration_with(indicator_count: int) -> Declaration:
    declaration = DeclarationFactory(
        department=User.objects.get(username="shapingba").department, annual_target="目标"
    )
    BudgetFactory(declaration=declaration, total=Decimal("310000"))
    for order in range(1, indicator_count + 1):
        IndicatorFactory(
            declaration=declaration, order=order, name=f"指标{order}", weight=Decimal("1.5")
        )
    return declaration


def test_detail_page_queries_do_not_grow_with_indicators(client):
    client.force_login(User.objects.get(username="shapingba"))
    small, large = declaration_with(3), declaration_with(60)
    counts = [queries(client, reverse("declaration_detail", args=[d.pk])) for d in (small, large)]
    assert counts[0] == counts[1], counts


def test_list_pages_queries_do_not_grow_with_declarations_or_indicators(client):
    client.force_login(User.objects.get(username="shapingba"))
    before = [queries(client, reverse("declaration_list")), queries(client, reverse("home"))]
    for _ in range(5):
        declaration_with(20)
    after = [queries(client, reverse("declaration_list")), queries(client, reverse("home"))]
    assert before == after, (before, after)
