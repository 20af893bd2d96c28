"""Views of the declarations app; they fetch through ``declarations_visible_to`` and stay thin."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from declarations.domain.choices import Status
from declarations.domain.profiles import layouts_for, profile_of
from declarations.domain.rules import layout_gaps, messages
from declarations.domain.workflow import DECLARANT
from declarations.exports.html import render_html
from declarations.exports.layouts import build_grid
from declarations.exports.pdf import PdfBusy, PdfUnavailable
from declarations.exports.service import (
    FORMATS,
    export_declaration,
    with_export_data,
)
from declarations.forms import BulkExportForm, DeclarationFilterForm
from declarations.history import timeline
from declarations.job_views import export_in_background
from declarations.models import Declaration, Job, SelfEvaluation
from declarations.paging import page_of
from declarations.roles import (
    can_export_in_bulk,
    declarations_visible_to,
    drafts_visible_to,
    evaluations_visible_to,
    is_declarant,
    is_own_declarant,
    is_reviewer,
    monitoring_reports_visible_to,
)
from declarations.versions import version_chain
from declarations.workflow import available_moves
from indicators.models import PerformanceIndicator
from indicators.rules import errors_for, warnings_for

HOME_LIST_SIZE = 10
# A keyword found in more declarations than this is to be narrowed, not paged through: the
# list stops counting there (ten pages), so that a common word costs a few hundred rows read.
SEARCH_COUNT_CAP = 200
# A failed background job is pointed out on the home page for a week.
FAILED_JOBS_SHOWN_FOR = timedelta(days=7)
LIST_PAGE_SIZE = 20


def with_indicator_counts(declarations) -> list:
    """The declarations shown, each with ``indicator_count``, counted for these rows only:
    annotating the whole query would group every declaration the user may see."""
    rows = list(declarations)
    counts = dict(
        PerformanceIndicator.objects.filter(declaration__in=[d.pk for d in rows])
        .values_list("declaration")
        .annotate(n=Count("pk"))
    )
    for declaration in rows:
        declaration.indicator_count = counts.get(declaration.pk, 0)
    return rows


def _open_reports(user) -> list:
    """The clerk's monitoring reports and self-evaluations still to fill, soonest due first."""
    if not is_declarant(user):
        return []
    waiting = (Status.DRAFT, Status.RETURNED)
    reports = [
        ("monitoring", "绩效监控", report, report.round.due_date)
        for report in monitoring_reports_visible_to(user)
        .filter(status__in=waiting)
        .select_related("round", "declaration")
    ]
    evaluations = [
        ("evaluation", "绩效自评", evaluation, None)
        for evaluation in evaluations_visible_to(user)
        .filter(status__in=waiting)
        .select_related("declaration")
    ]
    return sorted(
        reports + evaluations, key=lambda item: (item[3] is None, item[3] or 0, item[2].pk)
    )


@login_required
def home(request):
    visible = declarations_visible_to(request.user)
    recent = with_indicator_counts(visible.order_by("-updated_at", "pk")[:HOME_LIST_SIZE])
    return render(
        request,
        "declarations/home.html",
        {
            "declarations": recent,
            "declaration_count": visible.count(),
            "drafts": drafts_visible_to(request.user).select_related("declaration"),
            "open_reports": _open_reports(request.user),
            "failed_jobs": Job.objects.filter(
                started_by=request.user,
                state=Job.State.FAILED,
                finished_at__gte=timezone.now() - FAILED_JOBS_SHOWN_FOR,
            ).count(),
            "today": timezone.localdate(),
            "can_declare": is_declarant(request.user),
            "can_export": can_export_in_bulk(request.user),
        },
    )


@login_required
def declaration_list(request):
    form = DeclarationFilterForm(request.GET or None)
    visible = declarations_visible_to(request.user)
    declarations = form.apply(visible)
    searching = form.is_valid() and bool(form.cleaned_data.get("q"))
    page = page_of(
        declarations,
        request.GET.get("page"),
        LIST_PAGE_SIZE,
        read_from=visible,
        cap=SEARCH_COUNT_CAP if searching else None,
    )
    with_indicator_counts(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "declarations/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def visible_declaration(request, pk: int):
    """The declaration ``pk`` with what its pages print, or a 404 if it is out of sight."""
    return get_object_or_404(with_export_data(declarations_visible_to(request.user)), pk=pk)


def _chosen_layout(request, declaration) -> str:
    """The layout asked for with ``?layout=``: any layout that fits the declaration's kind."""
    layout = request.GET.get("layout") or declaration.layout
    if layout not in layouts_for(declaration.kind):
        raise Http404("该表样不适用于此类申报表。")
    return layout


def _layout_gaps(declaration, layout: str) -> list[str]:
    if layout == declaration.layout:
        return []
    budget = getattr(declaration, "budget", None)
    names = (*Declaration.NARRATIVE_FIELDS, *Declaration.DEPARTMENT_FIELDS)
    return messages(
        layout_gaps(
            profile_of(layout),
            amounts=budget.amounts() if budget else {},
            texts={name: getattr(declaration, name) for name in names},
            text_labels={name: Declaration.text_label(name) for name in names},
        )
    )


def _submit_question(declaration) -> str:
    """What 提交审核 sends and to whom, asked before it is sent."""
    division = declaration.department.supervising_division
    reviewers = f"{division.name}的审核人员" if division else "财政审核人员"
    count = sum(1 for i in declaration.indicators.all() if not i.is_placeholder)
    return (
        f"确定提交审核？将把 {declaration.fiscal_year} 年“{declaration.subject}”"
        f"（{count} 项绩效指标）提交给{reviewers}。"
        "提交后不能修改；审核人员开始审核前可以取消送审。"
    )


@login_required
def declaration_detail(request, pk: int):
    declaration = visible_declaration(request, pk)
    layout = _chosen_layout(request, declaration)
    table = mark_safe(render_html(build_grid(declaration, layout)))  # noqa: S308 - escaped
    own = is_own_declarant(request.user, declaration)
    return render(
        request,
        "declarations/detail.html",
        {
            "declaration": declaration,
            "table": table,
            "formats": FORMATS,
            "layout": layout,
            "layouts": [(item.value, item.label) for item in layouts_for(declaration.kind)],
            "layout_gaps": _layout_gaps(declaration, layout),
            "warnings": warnings_for(declaration),
            "errors": errors_for(declaration) if declaration.is_editable else [],
            "can_edit": own and declaration.is_editable,
            "can_copy": own,
            "can_adjust": own and declaration.status == Status.APPROVED,
            "can_review": is_reviewer(request.user) and declaration.status == Status.SUBMITTED,
            # The reviewer's moves are made on the review page, beside the comment box.
            "moves": [
                move
                for move in available_moves(request.user, declaration)
                if move.role == DECLARANT
            ],
            "submit_question": _submit_question(declaration),
            "comments": declaration.review_comments.select_related("author", "replied_by"),
            "versions": version_chain(declaration),
            "performance_reports": [
                ("monitoring", str(report.round), report)
                for report in declaration.monitoring_reports.select_related("round")
            ]
            + [
                ("evaluation", f"{declaration.fiscal_year} 年度绩效自评", evaluation)
                for evaluation in SelfEvaluation.objects.filter(declaration=declaration)
            ],
            "history": timeline(declaration),
        },
    )


def export_unavailable(request, exc: PdfUnavailable, back_url: str = "") -> HttpResponse:
    """The page shown instead of a file the PDF renderer refused or gave up on: a 503 that
    says why and what to do, never a server error."""
    response = render(
        request,
        "declarations/export_unavailable.html",
        {"message": exc.message, "back_url": back_url},
        status=503,
    )
    if isinstance(exc, PdfBusy):
        response["Retry-After"] = "30"
    return response


@login_required
def declaration_export(request, pk: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404("不支持的导出格式。")
    declaration = visible_declaration(request, pk)
    try:
        file = export_declaration(declaration, fmt, _chosen_layout(request, declaration))
    except PdfUnavailable as exc:
        return export_unavailable(request, exc, reverse("declaration_detail", args=[pk]))
    return file_response(file.data, file.content_type, file.filename)


def file_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    """A download: the bytes, their type and a file name every browser keeps (Chinese too)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def bulk_export(request):
    """The year's declarations (of one department or all in scope), as a ZIP made in the
    background: the form is posted, the job's progress page follows."""
    if not can_export_in_bulk(request.user):
        raise PermissionDenied("只有财政审核人员和管理员可以批量导出。")
    visible = declarations_visible_to(request.user)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = BulkExportForm(data, declarations=visible)
    if request.method != "POST" or not form.is_valid():
        return render(request, "declarations/bulk_export.html", {"form": form})
    chosen = visible.filter(fiscal_year=form.cleaned_data["fiscal_year"])
    department = form.cleaned_data["department"]
    if department is not None:
        chosen = chosen.filter(department=department)
    scope = department.display_short_name if department else "全部单位"
    return export_in_background(
        request,
        source="declarations",
        ids=list(chosen.order_by("department__name", "pk").values_list("pk", flat=True)),
        fmt=form.cleaned_data["format"],
        stem=f"{form.cleaned_data['fiscal_year']}年_{scope}_绩效目标申报表",
        back=request.get_full_path(),
    )
