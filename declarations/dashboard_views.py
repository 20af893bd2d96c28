"""The finance bureau's dashboard (绩效看板): a year's declarations, what waits and for how long,
indicator quality, monitoring and self-evaluation, each figure in a table beside its chart and
linked to the list it counts. Thin: ``declarations.dashboard`` reads the figures."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from declarations import dashboard
from declarations.dashboard import DEPARTMENT_SORT_LABELS, STATUS_LABELS, WAITING_LABELS
from declarations.forms import style_fields
from declarations.roles import can_export_in_bulk, declarations_visible_to


class DashboardForm(forms.Form):
    """The year shown and the order of the departments' table."""

    year = forms.TypedChoiceField(
        label="预算年度",
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "没有该年度的申报表，已显示最近的年度。"},
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )
    sort = forms.ChoiceField(
        label="单位排序",
        required=False,
        choices=list(DEPARTMENT_SORT_LABELS.items()),
        error_messages={"invalid_choice": "没有这种排序，已按待审核数排序。"},
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"{year}年") for year in years]
        style_fields(self, small=True)

    def chosen(self, name: str, default):
        """The valid value of ``name``, else ``default`` (the page says why above the figures)."""
        if not self.is_bound:
            return default
        self.is_valid()  # the valid fields in cleaned_data, the others in errors
        return self.cleaned_data.get(name) or default


def _series(figures) -> dict:
    return {
        "labels": [figure.label for figure in figures],
        "values": [figure.count for figure in figures],
        "links": [figure.url for figure in figures],
    }


def _chart_data(overview, departments, quality, rounds, evaluations) -> dict:
    """What the charts draw: the tables' own figures and links, nothing more."""
    waiting_labels = list(WAITING_LABELS.values())
    return {
        "statuses": _series(overview.statuses),
        "waiting": {
            "buckets": [row[0] for row in overview.waiting],
            "series": [
                {
                    "name": label,
                    "values": [row[1 + index].count for row in overview.waiting],
                    "links": [row[1 + index].url for row in overview.waiting],
                }
                for index, label in enumerate(waiting_labels)
            ],
        },
        "departments": {
            "names": [row.name for row in departments],
            "series": [
                {
                    "name": label,
                    "values": [row.statuses[index].count for row in departments],
                    "links": [row.statuses[index].url for row in departments],
                }
                for index, label in enumerate(STATUS_LABELS.values())
            ],
        },
        "quality": _series(quality.figures),
        "kinds": {
            "labels": ["定量指标", "定性指标"],
            "values": [quality.quantitative, quality.indicators - quality.quantitative],
        },
        "rounds": {
            "names": [row.name for row in rounds],
            "series": [
                {
                    "name": label,
                    "values": [row.statuses[index].count for row in rounds],
                    "links": [row.statuses[index].url for row in rounds],
                }
                for index, label in enumerate(dashboard.REPORT_STATUS_LABELS.values())
            ],
        },
        "grades": {
            "names": [label for label, _, _ in evaluations.grades],
            "series": [
                {
                    "name": dashboard.REPORT_STATUS_LABELS[status],
                    "values": [figures[index].count for _, figures, _ in evaluations.grades],
                    "links": [figures[index].url for _, figures, _ in evaluations.grades],
                }
                for index, status in enumerate(dashboard.FROZEN_GRADED)
            ],
        },
    }


@login_required
def dashboard_page(request):
    user = request.user
    if not can_export_in_bulk(user):
        raise PermissionDenied("只有财政审核人员和管理员可以查看绩效看板。")
    years = dashboard.years_visible_to(user)
    form = DashboardForm(request.GET or None, years=years)
    year = form.chosen("year", years[0] if years else timezone.localdate().year)
    sort = form.chosen("sort", "waiting")
    scope = declarations_visible_to(user)
    overview = dashboard.overview(scope, year, timezone.now())
    page, departments = dashboard.department_page(scope, year, sort, request.GET.get("page"))
    quality = dashboard.indicator_quality(scope, year)
    rounds = dashboard.monitoring_rounds(user, year)
    evaluations = dashboard.evaluations(user, year)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "declarations/dashboard.html",
        {
            "form": form,
            "year": year,
            "overview": overview,
            "page": page,
            "departments": departments,
            "status_labels": list(STATUS_LABELS.values()),
            "report_status_labels": list(dashboard.REPORT_STATUS_LABELS.values()),
            "waiting_labels": list(WAITING_LABELS.values()),
            "frozen_labels": [dashboard.REPORT_STATUS_LABELS[s] for s in dashboard.FROZEN_GRADED],
            "quality": quality,
            "rounds": rounds,
            "evaluations": evaluations,
            "query": query.urlencode(),
            "charts": _chart_data(overview, departments, quality, rounds, evaluations),
        },
    )
