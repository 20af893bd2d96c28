"""The figures of the finance bureau's dashboard, read for one user and one year.

Every figure is an aggregate computed by the database over what the user may see
(``declarations_visible_to`` and the report scopes of ``declarations.roles``): a fixed number
of queries whatever the number of declarations, indicators or departments. Each figure comes
with the query string of the list that shows exactly the rows it counts.

Monitoring lights and self-evaluation scores are computed in Python from every entry of a
report (``declarations.scorecards``), which at a bureau's scale cannot be done per request.
The dashboard shows what is stored instead: the reports' statuses, and the grade a
self-evaluation was submitted with (stored with its total at submission, and frozen while it is
submitted or approved, so it is the grade the evaluation overview computes for it).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.urls import reverse

from declarations import quality
from declarations.domain.choices import Grade, Status
from declarations.models import User
from declarations.roles import (
    declarations_visible_to,
    evaluations_visible_to,
    monitoring_reports_visible_to,
)

DEPARTMENTS_PER_PAGE = 20

# What each status means to the bureau, in the order it matters.
STATUS_LABELS = {
    Status.SUBMITTED: "待审核",
    Status.RETURNED: "已退回",
    Status.APPROVED: "已通过",
    Status.DRAFT: "草稿",
}
# A report's status, as the bureau reads it (复核 rather than 审核).
REPORT_STATUS_LABELS = {
    Status.DRAFT: "填报中",
    Status.SUBMITTED: "待复核",
    Status.RETURNED: "已退回",
    Status.APPROVED: "已通过",
}
# The statuses in which a self-evaluation's stored grade is the one its entries give.
FROZEN_GRADED = (Status.SUBMITTED, Status.APPROVED)


@dataclass(frozen=True)
class Waiting:
    """How long a declaration has waited for its next move: since it was submitted (on the
    bureau) or returned (on the department), in days, from ``days_from`` up to (not
    including) ``days_to``."""

    key: str
    label: str
    days_from: int
    days_to: int | None


WAITING = (
    Waiting("lt3", "3 天以内", 0, 3),
    Waiting("3to7", "3–7 天", 3, 7),
    Waiting("7to14", "7–14 天", 7, 14),
    Waiting("14to30", "14–30 天", 14, 30),
    Waiting("gt30", "30 天以上", 30, None),
)
WAITING_BY_KEY = {bucket.key: bucket for bucket in WAITING}
# Who a waiting declaration waits on, and since when.
WAITING_SINCE = {Status.SUBMITTED: "submitted_at", Status.RETURNED: "reviewed_at"}
WAITING_LABELS = {Status.SUBMITTED: "待审核（等待财政）", Status.RETURNED: "已退回（等待单位修改）"}


def waited(bucket: Waiting, now: datetime, status: str | None = None) -> Q:
    """The declarations waiting (submitted, or returned: ``status`` one of them, or either)
    for a time within ``bucket``."""
    parts = []
    for waiting_status, since in WAITING_SINCE.items():
        if status in (None, waiting_status):
            part = Q(status=waiting_status, **{f"{since}__lte": now - timedelta(bucket.days_from)})
            if bucket.days_to is not None:
                part &= Q(**{f"{since}__gt": now - timedelta(bucket.days_to)})
            parts.append(part)
    return reduce(or_, parts)


def list_query(**params) -> str:
    """The declaration list's query string for ``params`` (empty ones left out)."""
    return urlencode({name: value for name, value in params.items() if value not in ("", None)})


def years_visible_to(user: User) -> list[int]:
    years = declarations_visible_to(user).order_by().values_list("fiscal_year", flat=True)
    return sorted(set(years.distinct()), reverse=True)


@dataclass
class Figure:
    """One number and the list that shows what it counts."""

    label: str
    count: int
    url: str
    share: str = ""


@dataclass
class Overview:
    """The year's declarations by status, and those waiting by how long."""

    total: Figure
    statuses: list[Figure]
    # Rows of (bucket label, figure for the bureau, figure for the departments).
    waiting: list[tuple[str, Figure, Figure]]
    # When the longest-waiting submitted declaration was submitted.
    oldest: datetime | None
    queue_url: str


def _list_url(**params) -> str:
    return f"{reverse('declaration_list')}?{list_query(**params)}"


def overview(scope: QuerySet, year: int, now: datetime) -> Overview:
    """Counts by status and by time waited, and the oldest submission, in one query."""
    year_scope = scope.filter(fiscal_year=year).order_by()
    counts = {f"s_{status}": Count("pk", filter=Q(status=status)) for status in STATUS_LABELS}
    for bucket in WAITING:
        for status in WAITING_SINCE:
            counts[f"w_{bucket.key}_{status}"] = Count("pk", filter=waited(bucket, now, status))
    found = year_scope.aggregate(
        total=Count("pk"), oldest=Min("submitted_at", filter=Q(status=Status.SUBMITTED)), **counts
    )
    statuses = [
        Figure(label, found[f"s_{status}"], _list_url(fiscal_year=year, status=status))
        for status, label in STATUS_LABELS.items()
    ]
    waiting = [
        (
            bucket.label,
            *(
                Figure(
                    bucket.label,
                    found[f"w_{bucket.key}_{status}"],
                    _list_url(fiscal_year=year, status=status, waiting=bucket.key),
                )
                for status in WAITING_SINCE
            ),
        )
        for bucket in WAITING
    ]
    return Overview(
        total=Figure("全部", found["total"], _list_url(fiscal_year=year)),
        statuses=statuses,
        waiting=waiting,
        oldest=found["oldest"],
        # The queue lists the year's waiting declarations oldest first.
        queue_url=f"{reverse('review_queue')}?{list_query(fiscal_year=year)}",
    )


# -- departments ------------------------------------------------------------------------------

DEPARTMENT_SORTS = {
    # The bureau's work first: most waiting, then longest waiting.
    "waiting": ("-n_submitted", "oldest", "department__name"),
    "total": ("-total", "department__name"),
    "name": ("department__name",),
}
DEPARTMENT_SORT_LABELS = {
    "waiting": "待审核最多",
    "total": "申报最多",
    "name": "单位名称",
}


@dataclass
class DepartmentRow:
    department_id: int
    name: str
    total: Figure
    statuses: list[Figure]
    oldest: datetime | None


def department_page(scope: QuerySet, year: int, sort: str, number) -> tuple[Page, list]:
    """One page of the year's departments with their declarations by status (two queries:
    the count of departments and the page)."""
    rows = (
        scope.filter(fiscal_year=year)
        .order_by()
        .values("department", "department__name", "department__short_name")
        .annotate(
            total=Count("pk"),
            oldest=Min("submitted_at", filter=Q(status=Status.SUBMITTED)),
            **{f"n_{status}": Count("pk", filter=Q(status=status)) for status in STATUS_LABELS},
        )
        .order_by(*DEPARTMENT_SORTS[sort])
    )
    page = Paginator(rows, DEPARTMENTS_PER_PAGE).get_page(number)
    shown = [
        DepartmentRow(
            department_id=row["department"],
            name=row["department__short_name"] or row["department__name"],
            total=Figure(
                "合计", row["total"], _list_url(fiscal_year=year, department=row["department"])
            ),
            statuses=[
                Figure(
                    label,
                    row[f"n_{status}"],
                    _list_url(fiscal_year=year, department=row["department"], status=status),
                )
                for status, label in STATUS_LABELS.items()
            ],
            oldest=row["oldest"],
        )
        for row in page.object_list
    ]
    return page, shown


# -- indicator quality ------------------------------------------------------------------------


@dataclass
class Quality:
    declarations: int
    indicators: int
    quantitative: int
    quantitative_share: str
    figures: list[Figure] = field(default_factory=list)


def _share(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def indicator_quality(scope: QuerySet, year: int) -> Quality:
    """The year's indicators and the declarations the checklist would question, in one query
    over the year's declarations and their stored facts (``DeclarationQuality``), not their
    indicators. A declaration without facts has no indicators (one made before any was
    written), so it lacks every category: the counts are of those that have each."""
    found = (
        scope.filter(fiscal_year=year)
        .order_by()
        .aggregate(
            declarations=Count("pk"),
            indicators=Sum("quality__indicators"),
            quantitative=Sum("quality__quantitative"),
            with_qualitative=Count("pk", filter=Q(quality__qualitative__gt=0)),
            with_vague=Count("pk", filter=Q(quality__has_vague=True)),
            **{
                f"with_{what}": Count("pk", filter=Q(**{f"quality__has_{what}": True}))
                for what in quality.MISSING
            },
        )
    )
    declarations = found["declarations"]
    indicators = found["indicators"] or 0
    quantitative = found["quantitative"] or 0
    figures = [
        Figure(
            label,
            declarations - found[f"with_{what}"],
            _list_url(fiscal_year=year, missing=what),
        )
        for what, label in quality.MISSING.items()
    ]
    figures.append(
        Figure("含无法衡量的目标", found["with_vague"], _list_url(fiscal_year=year, vague=1))
    )
    figures.append(
        Figure("含定性指标", found["with_qualitative"], _list_url(fiscal_year=year, qualitative=1))
    )
    for figure in figures:
        figure.share = _share(figure.count, declarations)
    return Quality(
        declarations=declarations,
        indicators=indicators,
        quantitative=quantitative,
        quantitative_share=_share(quantitative, indicators),
        figures=figures,
    )


# -- monitoring and self-evaluation -------------------------------------------------------------


@dataclass
class RoundRow:
    round_id: int
    name: str
    due_date: date
    total: Figure
    statuses: list[Figure]


def monitoring_rounds(user: User, year: int) -> list[RoundRow]:
    """The year's monitoring rounds with their reports by status (one query)."""
    rows = (
        monitoring_reports_visible_to(user)
        .filter(round__fiscal_year=year)
        .order_by()
        .values("round", "round__data_month", "round__due_date", "status")
        .annotate(n=Count("pk"))
    )
    rounds: dict[int, dict] = {}
    for row in rows:
        entry = rounds.setdefault(
            row["round"],
            {"month": row["round__data_month"], "due": row["round__due_date"], "counts": {}},
        )
        entry["counts"][row["status"]] = row["n"]
    shown = []
    for round_id, entry in sorted(rounds.items(), key=lambda item: (item[1]["month"], item[0])):
        url = reverse("round_overview", args=[round_id])
        counts = entry["counts"]
        shown.append(
            RoundRow(
                round_id=round_id,
                name=f"{year}年 1-{entry['month']}月",
                due_date=entry["due"],
                total=Figure("合计", sum(counts.values()), url),
                statuses=[
                    Figure(label, counts.get(status, 0), f"{url}?{list_query(status=status)}")
                    for status, label in REPORT_STATUS_LABELS.items()
                ],
            )
        )
    return shown


@dataclass
class Evaluations:
    total: Figure
    # Rows of (grade label, figure per frozen status, row total).
    grades: list[tuple[str, list[Figure], int]]
    statuses: list[Figure]


def evaluations(user: User, year: int) -> Evaluations:
    """The year's self-evaluations by status, and the submitted and approved ones by the grade
    they were submitted with (one query)."""
    counts = {
        (row["status"], row["grade"]): row["n"]
        for row in evaluations_visible_to(user)
        .filter(declaration__fiscal_year=year)
        .order_by()
        .values("status", "grade")
        .annotate(n=Count("pk"))
    }
    url = reverse("evaluation_overview")

    def overview_url(**params) -> str:
        return f"{url}?{list_query(year=year, **params)}"

    by_status = {status: 0 for status in REPORT_STATUS_LABELS}
    for (status, _), n in counts.items():
        by_status[status] = by_status.get(status, 0) + n
    grades = []
    for grade, label in Grade.choices:
        figures = [
            Figure(
                REPORT_STATUS_LABELS[status],
                counts.get((status, grade), 0),
                overview_url(status=status, grade=grade),
            )
            for status in FROZEN_GRADED
        ]
        grades.append((label, figures, sum(figure.count for figure in figures)))
    return Evaluations(
        total=Figure("合计", sum(by_status.values()), overview_url()),
        grades=grades,
        statuses=[
            Figure(label, by_status.get(status, 0), overview_url(status=status))
            for status, label in REPORT_STATUS_LABELS.items()
        ],
    )
