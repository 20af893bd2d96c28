"""The finance bureau's dashboard: who sees it and what, every figure leading to a list of
exactly that many, the quality rules agreeing with the review checklist, the same number of
queries whatever the data, the charts drawn from the tables' own figures, and the list's new
filters refusing bad input in Chinese."""

import json
import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from declarations import performance, workflow
from declarations.domain.choices import Grade, IndicatorKind, Status
from declarations.models import Declaration, SelfEvaluation, SupervisingDivision, User
from indicators.rules import is_cost_indicator, vague_targets
from tests.factories import (
    DeclarationFactory,
    DepartmentFactory,
    IndicatorFactory,
    category,
    reviewer_user,
)

pytestmark = pytest.mark.django_db

YEAR = 2026
FIGURE = re.compile(r'<a class="dash-figure[^"]*" href="([^"]+)">(\d+)</a>')
DASHBOARD = reverse("dashboard")


def user(name: str) -> User:
    return User.objects.get(username=name)


def login(client, name: str):
    client.force_login(user(name))
    return client


def indicator(declaration, level1: str, level2: str, **values):
    return IndicatorFactory(
        declaration=declaration, level1=category(level1), level2=category(level2, level1), **values
    )


def qualitative(declaration, level1: str, level2: str, text: str, **values):
    return indicator(
        declaration,
        level1,
        level2,
        kind=IndicatorKind.QUALITATIVE,
        target_value=None,
        operator="",
        unit="",
        target_text=text,
        **values,
    )


def declaration(department, status=Status.DRAFT, *, waited_days: float | None = None):
    """A declaration of YEAR; a submitted or returned one has waited ``waited_days``."""
    made = DeclarationFactory(department=department, status=status)
    if waited_days is not None:
        since = timezone.now() - timedelta(days=waited_days)
        field = "submitted_at" if status == Status.SUBMITTED else "reviewed_at"
        Declaration.objects.filter(pk=made.pk).update(**{field: since})
    return made


@pytest.fixture
def bureau():
    """Three departments supervised by the demo reviewer's division (教科文科) and two by
    another, with declarations of YEAR in every status, waiting for various times, and
    indicators that the checklist judges differently."""
    ours = SupervisingDivision.objects.get(name="教科文科")
    theirs = SupervisingDivision.objects.create(name="经济建设科")
    mine = [DepartmentFactory(supervising_division=ours) for _ in range(3)]
    other = [DepartmentFactory(supervising_division=theirs) for _ in range(2)]

    complete = declaration(mine[0], Status.APPROVED)
    indicator(complete, "产出指标", "数量指标")
    indicator(complete, "效益指标", "社会效益指标")
    indicator(complete, "满意度指标", "服务对象满意度指标", unit="%", target_value=Decimal(90))
    indicator(complete, "成本指标", "经济成本指标", unit="万元", target_value=Decimal(31))

    vague = declaration(mine[0], Status.SUBMITTED, waited_days=1)
    indicator(vague, "产出指标", "数量指标")
    qualitative(vague, "满意度指标", "服务对象满意度指标", "有所提升。")
    qualitative(vague, "效益指标", "社会效益指标", " 显著提升 ")

    named_cost = declaration(mine[1], Status.SUBMITTED, waited_days=5)
    indicator(named_cost, "产出指标", "数量指标", name="人均科普成本", unit="元")
    qualitative(named_cost, "效益指标", "社会效益指标", "提升 。")  # not vague to the rule
    qualitative(named_cost, "效益指标", "可持续影响指标", "公众科学素质提升 5%")

    old_cost = declaration(mine[1], Status.SUBMITTED, waited_days=40)
    indicator(old_cost, "产出指标", "成本指标", name="活动经费")  # 产出指标 / 成本指标 (older)
    qualitative(old_cost, "效益指标", "社会效益指标", "进一步加强。。")

    placeholder = declaration(mine[2], Status.RETURNED, waited_days=10)
    indicator(placeholder, "产出指标", "数量指标")
    # A level-2 row printed without a level-3 indicator counts for nothing.
    qualitative(placeholder, "满意度指标", "服务对象满意度指标", "", name="")

    declaration(mine[2], Status.RETURNED, waited_days=20)  # no indicators at all
    declaration(mine[2], Status.DRAFT)

    for department in other:
        hidden = declaration(department, Status.SUBMITTED, waited_days=2)
        qualitative(hidden, "效益指标", "社会效益指标", "有效提升")
        declaration(department, Status.APPROVED)
    return {"mine": mine, "other": other, "oldest": old_cost}


@pytest.fixture
def graded(bureau):
    """The 2025 monitoring round and self-evaluations of the demo; of the three evaluations
    one filled and submitted, one filled, submitted and approved, one filled and left a draft
    (whose computed grade the overview shows, but whose status the dashboard keeps apart)."""
    call_command("demo_performance", verbosity=0)
    clerk, reviewer = user("shapingba"), user("reviewer")
    evaluations = list(SelfEvaluation.objects.order_by("pk"))
    for evaluation in evaluations:
        rows = {}
        for entry in evaluation.entries.select_related("indicator"):
            target = entry.indicator.target_value
            rows[entry.indicator_id] = (
                {"actual": target} if target is not None else {"band": "achieved"}
            )
        performance.save_evaluation(
            evaluation, by=clerk, values={"executed": evaluation.budget}, rows=rows
        )
    workflow.perform(evaluations[0], "submit", by=clerk)
    workflow.perform(evaluations[1], "submit", by=clerk)
    workflow.perform(evaluations[1], "approve", by=reviewer)
    return evaluations


def figures(response) -> list[tuple[str, int]]:
    """Every figure of the page: (link, number shown)."""
    return [(unescape(url), int(n)) for url, n in FIGURE.findall(response.content.decode())]


def rows_listed(client, url: str) -> int:
    """How many rows the list behind a figure shows (over all its pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "cards" in context:  # the monitoring round and self-evaluation overviews
        return len(context["cards"])
    assert not context["form"].errors, (url, context["form"].errors)
    return context["page"].paginator.count


# -- who sees it --------------------------------------------------------------------------------


def test_clerks_are_refused_and_strangers_sent_to_log_in(client, bureau):
    assert client.get(DASHBOARD).status_code == 302
    login(client, "shapingba")
    response = client.get(DASHBOARD)
    assert response.status_code == 403
    assert "只有财政审核人员和管理员可以查看绩效看板" in response.content.decode()
    assert f'href="{DASHBOARD}"' not in client.get(reverse("home")).content.decode()


def test_a_reviewer_sees_only_the_departments_of_their_division(client, bureau):
    login(client, "reviewer")
    assert f'href="{DASHBOARD}"' in client.get(reverse("home")).content.decode()
    response = client.get(DASHBOARD, {"year": YEAR})
    page = response.content.decode()
    shown = {row.department_id for row in response.context["departments"]}
    assert shown == {department.pk for department in bureau["mine"]}
    for department in bureau["other"]:
        assert department.short_name not in page
    overview = response.context["overview"]
    assert overview.total.count == 7
    assert [(f.label, f.count) for f in overview.statuses] == [
        ("待审核", 3),
        ("已退回", 2),
        ("已通过", 1),
        ("草稿", 1),
    ]
    waiting = {label: (on_us.count, on_them.count) for label, on_us, on_them in overview.waiting}
    assert waiting == {
        "3 天以内": (1, 0),
        "3–7 天": (1, 0),
        "7–14 天": (0, 1),
        "14–30 天": (0, 1),
        "30 天以上": (1, 0),
    }
    assert overview.oldest == Declaration.objects.get(pk=bureau["oldest"].pk).submitted_at
    assert overview.queue_url == f"{reverse('review_queue')}?fiscal_year={YEAR}"


def test_a_reviewer_with_nothing_to_review_sees_empty_figures(client):
    division = SupervisingDivision.objects.create(name="行政政法科")
    client.force_login(reviewer_user(division))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["overview"].total.count == 0
    assert response.context["quality"].quantitative_share == "—"
    assert "该年度没有申报表。" in response.content.decode()


def test_an_administrator_sees_every_department(client, bureau):
    login(client, "admin")
    response = client.get(DASHBOARD, {"year": YEAR})
    shown = {row.department_id for row in response.context["departments"]}
    assert shown == {department.pk for department in bureau["mine"] + bureau["other"]}
    assert response.context["overview"].total.count == 11
    assert response.context["quality"].declarations == 11


# -- every figure leads to exactly that many ------------------------------------------------------


@pytest.mark.parametrize("name", ["reviewer", "admin"])
def test_every_figure_links_to_a_list_of_exactly_that_many(client, graded, name):
    login(client, name)
    checked = 0
    for year in (YEAR, 2025):
        response = client.get(DASHBOARD, {"year": year})
        found = figures(response)
        assert sum(n for _, n in found) > 20
        # A link shown twice with two numbers is checked twice (and one of them fails).
        for url, number in set(found):
            assert rows_listed(client, url) == number, url
            checked += 1
    assert checked > 40


def test_grades_are_those_submitted_and_kept_apart_from_drafts(client, graded):
    login(client, "reviewer")
    evaluations = client.get(DASHBOARD, {"year": 2025}).context["evaluations"]
    submitted, approved = (SelfEvaluation.objects.get(pk=e.pk) for e in graded[:2])
    assert submitted.grade and approved.grade
    by_grade = {label: [f.count for f in row] for label, row, _ in evaluations.grades}
    expected = {label: [0, 0] for label in Grade.labels}
    expected[Grade(submitted.grade).label][0] += 1
    expected[Grade(approved.grade).label][1] += 1
    assert by_grade == expected
    assert [(f.label, f.count) for f in evaluations.statuses] == [
        ("填报中", 1),
        ("待复核", 1),
        ("已退回", 0),
        ("已通过", 1),
    ]


# -- the quality rules are the checklist's --------------------------------------------------------


def checklist_figures(declarations) -> dict:
    """What the review checklist's own Python says of each declaration, counted."""
    found = dict.fromkeys(
        ["indicators", "quantitative", "output", "benefit", "satisfaction", "cost"], 0
    )
    found.update(vague=0, qualitative=0)
    for declaration in declarations:
        counted = [i for i in declaration.indicators.all() if not i.is_placeholder]
        found["indicators"] += len(counted)
        found["quantitative"] += sum(i.kind == IndicatorKind.QUANTITATIVE for i in counted)
        codes = {i.level1.code for i in counted if i.level1_id}
        for code in ("output", "benefit", "satisfaction"):
            found[code] += code not in codes
        found["cost"] += not any(is_cost_indicator(i) for i in counted)
        found["vague"] += bool(vague_targets(declaration))
        found["qualitative"] += any(i.kind == IndicatorKind.QUALITATIVE for i in counted)
    return found


def test_quality_figures_agree_with_the_review_checklist(client, bureau):
    login(client, "admin")
    years = sorted(set(Declaration.objects.values_list("fiscal_year", flat=True)))
    assert len(years) >= 4  # the samples' years and YEAR
    for year in years:
        quality = client.get(DASHBOARD, {"year": year}).context["quality"]
        expected = checklist_figures(
            Declaration.objects.filter(fiscal_year=year).prefetch_related(
                "indicators__level1", "indicators__level2"
            )
        )
        shown = [f.count for f in quality.figures]
        assert (quality.indicators, quality.quantitative) == (
            expected["indicators"],
            expected["quantitative"],
        ), year
        assert shown == [
            expected[key]
            for key in ("output", "benefit", "satisfaction", "cost", "vague", "qualitative")
        ], year
    # YEAR's declarations were built to tell the rules apart: vague are 有所提升。, 显著提升
    # (spaces around), 进一步加强。。 and the other division's 有效提升, not 提升 。 nor 提升 5%.
    quality = client.get(DASHBOARD, {"year": YEAR}).context["quality"]
    labels = {f.label: f.count for f in quality.figures}
    assert labels["含无法衡量的目标"] == 4
    # Without a cost indicator: all but the one with 成本指标, the one named 成本 and the one
    # filed under the older 产出指标 / 成本指标.
    assert labels["缺少成本指标"] == 8


def test_the_quality_figures_count_stored_facts_not_a_years_indicators(client, bureau):
    """A province's year holds some 200,000 indicators: the page reads none of them."""
    login(client, "admin")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(DASHBOARD, {"year": YEAR})
    assert response.status_code == 200
    assert response.context["quality"].indicators == 15
    statements = [query["sql"] for query in captured]
    assert not [sql for sql in statements if "indicators_performanceindicator" in sql]
    assert [sql for sql in statements if "declarations_declarationquality" in sql]


# -- queries, pages, charts -------------------------------------------------------------------------


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_data(client, graded):
    login(client, "admin")
    url = f"{DASHBOARD}?year=2025"
    client.get(url)  # the session's renewal (a write at most once a minute) out of the count
    before = queries(client, url)
    division = SupervisingDivision.objects.get(name="教科文科")
    for _ in range(25):  # more departments than a page of the table
        department = DepartmentFactory(supervising_division=division)
        for status in (Status.SUBMITTED, Status.APPROVED):
            made = DeclarationFactory(department=department, fiscal_year=2025, status=status)
            for _ in range(3):
                indicator(made, "满意度指标", "服务对象满意度指标")
    after = queries(client, url)
    assert before == after, (before, after)
    response = client.get(url)
    assert len(response.context["departments"]) == 20
    assert before <= 15


def test_the_departments_table_is_paginated(client, bureau):
    division = SupervisingDivision.objects.get(name="教科文科")
    for _ in range(22):
        declaration(
            DepartmentFactory(supervising_division=division), Status.SUBMITTED, waited_days=1
        )
    login(client, "reviewer")
    first = client.get(DASHBOARD, {"year": YEAR, "sort": "name"})
    assert first.context["page"].paginator.count == 25
    assert len(first.context["departments"]) == 20
    second = client.get(DASHBOARD, {"year": YEAR, "sort": "name", "page": 2})
    names = [row.name for row in first.context["departments"] + second.context["departments"]]
    assert len(names) == 25 and names == sorted(names)
    assert "第 2 页 / 共 2 页（25 个单位）" in second.content.decode()
    waiting_first = client.get(DASHBOARD, {"year": YEAR}).context["departments"]
    assert waiting_first[0].statuses[0].count == 2  # mine[1]: two waiting for review


def test_the_charts_draw_the_tables_figures_from_json_script(client, graded):
    login(client, "reviewer")
    response = client.get(DASHBOARD, {"year": 2025})
    page = response.content.decode()
    # No inline script (the Content-Security-Policy forbids them): data in json_script only.
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert '<script src="/static/vendor/echarts/echarts.min.js">' in page
    assert '<script src="/static/js/dashboard.js">' in page
    data = json.loads(
        unescape(re.search(r'<script id="dashboard-data"[^>]*>(.*?)</script>', page, re.S)[1])
    )
    overview = response.context["overview"]
    assert data["statuses"]["values"] == [f.count for f in overview.statuses]
    assert data["statuses"]["links"] == [f.url for f in overview.statuses]
    rows = response.context["departments"]
    assert data["departments"]["names"] == [row.name for row in rows]
    assert data["departments"]["series"][2]["values"] == [row.statuses[2].count for row in rows]
    assert data["rounds"]["names"] == ["2025年 1-7月"]
    assert sum(sum(s["values"]) for s in data["rounds"]["series"]) == 3
    assert sum(sum(s["values"]) for s in data["grades"]["series"]) == 2
    for key in ("statuses", "departments", "quality", "rounds", "grades", "waiting", "kinds"):
        assert f'data-chart="{key}"' in page


def test_the_vendored_echarts_speaks_chinese():
    from django.contrib.staticfiles import finders

    path = finders.find("vendor/echarts/echarts.min.js")
    text = open(path, encoding="utf-8").read()
    assert '"ZH"' in text
    assert "数据视图" in text  # the built-in Chinese locale
    assert finders.find("vendor/echarts/LICENSE") and finders.find("vendor/echarts/NOTICE")


# -- bad input ---------------------------------------------------------------------------------------


def test_bad_dashboard_input_is_said_in_chinese(client, bureau):
    login(client, "reviewer")
    response = client.get(DASHBOARD, {"year": "1999", "sort": "bogus", "page": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "没有该年度的申报表，已显示最近的年度。" in page
    assert "没有这种排序，已按待审核数排序。" in page
    assert response.context["year"] == YEAR


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"missing": "bogus"}, "指标覆盖只能选择列出的缺项。"),
        ({"vague": "2"}, "目标表述筛选只能为 1（含无法衡量的目标）或留空。"),
        ({"qualitative": "yes"}, "指标属性筛选只能为 1（含定性指标）或留空。"),
        ({"waiting": "forever"}, "等待时长只能选择列出的区间。"),
        ({"department": "999999999"}, "没有可查看的该单位申报表。"),
        ({"department": "9223372036854775808"}, "没有可查看的该单位申报表。"),
        ({"department": "abc"}, "没有可查看的该单位申报表。"),
    ],
)
def test_bad_list_filters_are_said_in_chinese(client, bureau, params, message):
    login(client, "reviewer")
    response = client.get(reverse("declaration_list"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_department_out_of_scope_reveals_nothing(client, bureau):
    login(client, "reviewer")
    hidden = bureau["other"][0]
    outside = client.get(reverse("declaration_list"), {"department": hidden.pk})
    missing = client.get(reverse("declaration_list"), {"department": 999999999})
    for response in (outside, missing):
        page = response.content.decode()
        assert "没有可查看的该单位申报表。" in page
        assert hidden.name not in page and hidden.short_name not in page
    assert outside.context["page"].paginator.count == missing.context["page"].paginator.count
    # The same for a clerk, whose own department is the only one there is.
    login(client, "shapingba")
    response = client.get(reverse("declaration_list"), {"department": bureau["mine"][0].pk})
    assert "没有可查看的该单位申报表。" in response.content.decode()
    own = user("shapingba").department
    response = client.get(reverse("declaration_list"), {"department": own.pk})
    assert not response.context["form"].errors
    assert (
        response.context["page"].paginator.count
        == Declaration.objects.filter(department=own).count()
    )


def test_a_linked_filter_shows_as_a_choice_that_can_be_cleared(client, bureau):
    login(client, "reviewer")
    department = bureau["mine"][1]
    page = client.get(
        reverse("declaration_list"),
        {"department": department.pk, "missing": "satisfaction", "fiscal_year": YEAR},
    ).content.decode()
    assert f'<option value="{department.pk}" selected>{department.short_name}</option>' in page
    assert '<option value="">全部单位</option>' in page
    assert '<option value="satisfaction" selected>缺少满意度指标</option>' in page
    plain = client.get(reverse("declaration_list")).content.decode()
    assert 'name="missing"' in plain and "缺少满意度指标" not in plain  # hidden, empty


def test_the_queue_takes_the_same_filters(client, bureau):
    login(client, "reviewer")
    response = client.get(
        reverse("review_queue"), {"status": Status.SUBMITTED, "missing": "satisfaction"}
    )
    listed = {d.pk for d in response.context["declarations"]}
    assert listed == set(
        Declaration.objects.filter(department__in=bureau["mine"], status=Status.SUBMITTED)
        .exclude(indicators__level1__code="satisfaction")
        .values_list("pk", flat=True)
    )
    assert len(listed) == 2
