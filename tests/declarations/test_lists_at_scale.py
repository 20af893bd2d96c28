"""The lists as a province uses them: both ways of searching find what the definition of a
match finds, pages at any depth list the rows in the list's order, a search found everywhere
stops counting, the queue's department choice, and on PostgreSQL the bigram indexes read."""

import re

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse

from declarations import search
from declarations.forms import matching
from declarations.models import Declaration, Department, User
from declarations.search import ContainsText, SearchText
from indicators.models import PerformanceIndicator
from tests.factories import DeclarationFactory, DepartmentFactory, IndicatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def admin_client(client):
    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.fixture
def province():
    """Declarations whose words sit in every place a search reads: indicator names, project
    names and codes, the department name as declared and the department's current one."""
    renamed = DepartmentFactory(name="旧名区科学技术协会", short_name="旧名科协")
    made = []
    for n in range(12):
        department = renamed if n % 4 == 0 else DepartmentFactory()
        project = ProjectFactory(department=department, name=f"青少年科技活动{n}", code=f"KP-{n}")
        declaration = DeclarationFactory(department=department, project=project, fiscal_year=2026)
        for order, name in enumerate(("举办科普讲座场次", f"机器人竞赛第{n}届", "满意度"), 1):
            IndicatorFactory(declaration=declaration, order=order, name=name)
        made.append(declaration)
    # The department is renamed after declaring: both names find its declarations.
    Department.objects.filter(pk=renamed.pk).update(name="新名区科学技术协会")
    return made


def defined_matches(word: str) -> set[int]:
    """What a word matches by the definition, read in Python from every row."""
    word = word.casefold()
    found = set()
    for declaration in Declaration.objects.select_related("department"):
        texts = [
            declaration.project_name,
            declaration.project_code,
            declaration.department_name,
            declaration.department.name,
            declaration.department_short_name,
            *declaration.indicators.values_list("name", flat=True),
        ]
        if any(word in text.casefold() for text in texts):
            found.add(declaration.pk)
    return found


@pytest.mark.parametrize(
    "word", ["科普", "机器人竞赛第3届", "满", "kp-1", "旧名", "新名", "青少年科技", "没有的词"]
)
def test_both_ways_of_searching_find_what_the_definition_finds(province, monkeypatch, word):
    expected = defined_matches(word)
    for sample in (1, 10**6):  # every word common; every word rare
        monkeypatch.setattr(search, "SAMPLE", sample)
        found = set(matching(Declaration.objects.all(), word).values_list("pk", flat=True))
        assert found == expected, (sample, word)


def test_a_search_of_several_words_finds_declarations_holding_each(province, monkeypatch):
    monkeypatch.setattr(search, "SAMPLE", 3)
    found = set(matching(Declaration.objects.all(), "旧名 机器人").values_list("pk", flat=True))
    assert found == defined_matches("旧名") & defined_matches("机器人")
    assert found and found != defined_matches("机器人")


def test_a_deep_page_lists_the_rows_in_the_lists_order(client, province):
    admin_client(client)
    expected = list(
        Declaration.objects.order_by("department_name", "-fiscal_year", "pk").values_list(
            "pk", flat=True
        )
    )
    response = client.get(reverse("declaration_list"), {"sort": "department", "page": 2})
    page = response.context["page"]
    assert [d.pk for d in page.object_list] == expected[20:40]
    assert page.paginator.count == len(expected)
    # Each row carries its indicator count, read for the page's rows only.
    assert all(d.indicator_count == d.indicators.count() for d in page.object_list)
    # A page past the end is the last page, not an error.
    last = client.get(reverse("declaration_list"), {"sort": "department", "page": 999})
    assert last.context["page"].number == last.context["page"].paginator.num_pages


def test_a_search_found_everywhere_stops_counting_and_says_so(client, province, monkeypatch):
    monkeypatch.setattr("declarations.views.SEARCH_COUNT_CAP", 5)
    admin_client(client)
    response = client.get(reverse("declaration_list"), {"q": "科普"})
    page = response.context["page"]
    assert page.paginator.capped and page.paginator.count == 5
    text = response.content.decode()
    assert "超过 5 张" in text and 'id="count-capped"' in text
    # A narrower search is counted in full.
    narrow = client.get(reverse("declaration_list"), {"q": "机器人竞赛第3届"})
    assert not narrow.context["page"].paginator.capped
    assert narrow.context["page"].paginator.count == len(defined_matches("机器人竞赛第3届"))
    assert "超过" not in narrow.content.decode()


def test_the_queue_offers_its_departments_once_and_keeps_the_choice(client):
    shapingba = User.objects.get(username="shapingba").department
    client.force_login(User.objects.get(username="reviewer"))
    declaration = Declaration.objects.filter(department=shapingba).first()
    Declaration.objects.filter(pk=declaration.pk).update(status="submitted")
    response = client.get(reverse("review_queue"), {"department": shapingba.pk, "status": ""})
    select = re.search(r'<select[^>]*name="department"[^>]*>(.*?)</select>', response.text, re.S)
    options = re.findall(r'<option value="(\d*)"( selected)?>([^<]*)</option>', select.group(1))
    assert options[0] == ("", "", "全部单位")
    assert (str(shapingba.pk), " selected", shapingba.name) in options
    assert len({value for value, _, _ in options}) == len(options)
    assert [d.pk for d in response.context["declarations"]] == [declaration.pk]
    # Another division's department is refused, not shown.
    other = DepartmentFactory()
    refused = client.get(reverse("review_queue"), {"department": other.pk})
    assert refused.status_code == 200 and "department" in refused.context["form"].errors
    assert str(other.pk) not in re.findall(r'<option value="(\d+)"', refused.text)
    assert list(refused.context["declarations"]) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram indexes are PostgreSQL's")
def test_postgresql_reads_the_search_through_the_bigram_indexes(province):
    def plan(queryset) -> str:
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())

    with transaction.atomic():
        with connection.cursor() as cursor:
            # A test database is small enough to read whole; an index used here is usable.
            cursor.execute("SET LOCAL enable_seqscan = off")
        indicators = PerformanceIndicator.objects.filter(ContainsText(F("name"), "科普"))
        assert "indicator_name_bigrams" in plan(indicators)
        declarations = Declaration.objects.filter(ContainsText(SearchText(), "青少年"))
        assert "declaration_text_bigrams" in plan(declarations.order_by())
    # Through the index or not, the same rows as icontains.
    for word in ("科普", "科普讲座", "机器人竞赛第1", "满"):
        assert set(
            PerformanceIndicator.objects.filter(ContainsText(F("name"), word)).values_list(
                "pk", flat=True
            )
        ) == set(
            PerformanceIndicator.objects.filter(name__icontains=word).values_list("pk", flat=True)
        )
