"""Pages stay fast with data: the same number of SQL queries whatever the indicator count, and
whatever the size of the province (declarations, indicators, departments of a division)."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from declarations import search
from declarations.domain.choices import Kind, Layout, Status
from declarations.models import Declaration, Department, Project, SupervisingDivision, User
from indicators.models import IndicatorCategory, PerformanceIndicator
from tests.factories import BudgetFactory, DeclarationFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
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


# -- the province at two sizes ------------------------------------------------------------------

STATUSES = (Status.SUBMITTED, Status.APPROVED, Status.RETURNED, Status.DRAFT)
NAMES = ("举办科普讲座场次", "青少年机器人竞赛参与人次", "服务对象满意度", "科普志愿服务次数")


def grow(departments: int, per_department: int, indicators: int) -> None:
    """More of the province in bulk: ``departments`` under the demo reviewer's division, each
    with ``per_department`` declarations of every status over the years, each with
    ``indicators`` indicators."""
    division = SupervisingDivision.objects.get(name="教科文科")
    first = Department.objects.count()
    created = Department.objects.bulk_create(
        Department(name=f"扩容区{first + n}科学技术协会", supervising_division=division)
        for n in range(departments)
    )
    projects = Project.objects.bulk_create(
        Project(department=d, name=f"科普工作{k}") for d in created for k in range(per_department)
    )
    level1 = IndicatorCategory.objects.get(code="output")
    level2 = IndicatorCategory.objects.get(code="output-quantity")
    now = timezone.now()
    declarations = Declaration.objects.bulk_create(
        Declaration(
            department=project.department,
            project=project,
            fiscal_year=2026 - n % 3,
            kind=Kind.PROJECT,
            layout=Layout.CHONGQING_SPECIAL,
            status=STATUSES[n % len(STATUSES)],
            submitted_at=None if n % len(STATUSES) == 3 else now - timedelta(days=n),
            department_name=project.department.name,
            project_name=project.name,
        )
        for n, project in enumerate(projects)
    )
    PerformanceIndicator.objects.bulk_create(
        PerformanceIndicator(
            declaration=declaration,
            order=order,
            level1=level1,
            level2=level2,
            name=NAMES[order % len(NAMES)],
            unit="场次",
            operator="≥",
            target_value=Decimal(order),
        )
        for declaration in declarations
        for order in range(1, indicators + 1)
    )


def page_counts(client, pages) -> dict[str, int]:
    counts = {}
    for name, username, url in pages:
        client.force_login(User.objects.get(username=username))
        queries(client, url)  # the session and the caches of a first request settle
        counts[name] = queries(client, url)
    return counts


def test_every_page_reads_as_many_queries_in_a_large_province_as_in_a_small_one(
    client, monkeypatch
):
    # A word is "common" past a few matches here, so that both ways of searching are read.
    monkeypatch.setattr(search, "SAMPLE", 5)
    grow(departments=3, per_department=25, indicators=4)
    detail = declaration_with(10)
    department = User.objects.get(username="shapingba").department_id
    pages = [
        ("home (clerk)", "shapingba", reverse("home")),
        ("home (reviewer)", "reviewer", reverse("home")),
        ("home (administrator)", "admin", reverse("home")),
        ("list", "admin", reverse("declaration_list")),
        ("list, page 2", "admin", reverse("declaration_list") + "?page=2"),
        ("list, by department, page 2", "admin", "/declarations/?sort=department&page=2"),
        ("list, filtered", "admin", "/declarations/?fiscal_year=2026&status=approved&kind=project"),
        ("list (reviewer)", "reviewer", reverse("declaration_list")),
        ("search, a common word", "admin", "/declarations/?q=" + quote("科普")),
        ("search, a rare word", "admin", "/declarations/?q=" + quote("机器人竞赛")),
        ("search, two words", "reviewer", "/declarations/?q=" + quote("满意度 扩容")),
        ("queue", "reviewer", reverse("review_queue")),
        ("queue, page 2", "reviewer", reverse("review_queue") + "?status=&page=2"),
        ("queue, a department", "reviewer", f"/reviews/?department={department}&status="),
        ("detail", "shapingba", reverse("declaration_detail", args=[detail.pk])),
    ]
    small = page_counts(client, pages)
    grow(departments=12, per_department=10, indicators=12)
    large = page_counts(client, pages)
    assert Declaration.objects.count() > 150 and PerformanceIndicator.objects.count() > 1500
    assert small == large, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
