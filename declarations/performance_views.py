"""Pages after approval: monitoring rounds and reports, self-evaluations, their review (复核)
and the bureau's overview. Thin: the services write, ``declarations.scorecards`` computes,
``declarations.workflow`` moves.

One page per report serves both sides: the clerk fills it (a draft saved like the wizard's, the
lights or scores recomputed by the server as they type), the reviewer reads it with the same
figures and returns or approves it.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from declarations import performance
from declarations.domain import evaluation as scoring
from declarations.domain.choices import Status
from declarations.domain.money import MoneyUnit, format_amount, from_unit
from declarations.domain.monitoring import (
    BUDGET_BANDS,
    INDICATOR_BANDS,
    Light,
    Signal,
    percent,
)
from declarations.domain.workflow import MOVES
from declarations.exports.filenames import safe_filename
from declarations.exports.html import render_html
from declarations.exports.overview import overview_sheet
from declarations.exports.pdf import PdfUnavailable
from declarations.exports.performance_tables import export_report, report_grid
from declarations.exports.performance_templates import (
    MAX_UPLOAD_BYTES,
    evaluation_template,
    monitoring_template,
    read_evaluation_upload,
    read_monitoring_upload,
    template_filename,
)
from declarations.exports.service import FORMATS
from declarations.forms import (
    ModelChoicesField,
    attach_refusal,
    errors_as_messages,
    style_fields,
)
from declarations.job_views import export_in_background
from declarations.models import Department, MonitoringReport, MonitoringRound, SelfEvaluation
from declarations.performance_forms import EvaluationForm, MonitoringForm, money_unit_of
from declarations.roles import (
    can_export_in_bulk,
    declarations_visible_to,
    evaluations_visible_to,
    is_own_declarant,
    monitoring_reports_visible_to,
)
from declarations.scorecards import (
    ENTRIES_WITH_INDICATORS,
    evaluation_card,
    evaluation_problems,
    monitoring_card,
    monitoring_problems,
)
from declarations.views import export_unavailable, file_response
from declarations.workflow import may, perform


@dataclass(frozen=True)
class ReportKind:
    """What differs between the two kinds of report; the views are shared."""

    key: str
    label: str
    model: type
    template: str

    def visible(self, user):
        if self.model is MonitoringReport:
            return monitoring_reports_visible_to(user).select_related(
                "round", "declaration", "declaration__department"
            )
        return evaluations_visible_to(user).select_related("declaration", "declaration__department")


KINDS = {
    "monitoring": ReportKind(
        "monitoring", "绩效监控报告", MonitoringReport, "declarations/performance/monitoring.html"
    ),
    "evaluation": ReportKind(
        "evaluation", "绩效自评", SelfEvaluation, "declarations/performance/evaluation.html"
    ),
}


def _kind(key: str) -> ReportKind:
    if key not in KINDS:
        raise Http404("未知的报告类型。")
    return KINDS[key]


def _report(request, kind: ReportKind, pk: int):
    return get_object_or_404(kind.visible(request.user), pk=pk)


def _entries(subject):
    return list(
        subject.entries.select_related("indicator", "indicator__level1", "indicator__level2")
    )


def _form(kind: ReportKind, subject, data=None):
    entries = _entries(subject)
    if kind.model is MonitoringReport:
        return MonitoringForm(data, subject=subject, entries=entries)
    editable = not scoring.has_weights([e.indicator.weight for e in entries])
    return EvaluationForm(data, subject=subject, entries=entries, points_editable=editable)


def _save(kind: ReportKind, subject, form, user):
    return _save_values(kind, subject, user, form.values(), form.entry_values())


def _save_values(kind: ReportKind, subject, user, values: dict, rows: dict):
    if kind.model is MonitoringReport:
        return performance.save_monitoring(subject, by=user, values=values, rows=rows)
    return performance.save_evaluation(subject, by=user, values=values, rows=rows)


@login_required
def report_page(request, kind: str, pk: int):
    kind = _kind(kind)
    subject = _report(request, kind, pk)
    can_fill = is_own_declarant(request.user, subject.declaration) and subject.is_editable
    form = _form(kind, subject, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_fill:
            raise PermissionDenied("只有本单位的申报人可以填写未提交的报告。")
        action = request.POST.get("action", "save")
        if form.is_valid():
            try:
                subject = _save(kind, subject, form, request.user)
                if action == "submit":
                    perform(subject, "submit", by=request.user)
            except ValidationError as exc:
                if action == "submit":
                    # The draft is saved; what stops the submission is listed above the form.
                    messages.success(request, "草稿已保存。")
                attach_refusal(form, exc)
            else:
                messages.success(request, "已提交审核。" if action == "submit" else "草稿已保存。")
                return redirect("report_page", kind=kind.key, pk=pk)
    return render(request, kind.template, _context(request, kind, subject, form, can_fill))


def _context(request, kind: ReportKind, subject, form, can_fill: bool) -> dict[str, Any]:
    card = monitoring_card(subject) if kind.model is MonitoringReport else evaluation_card(subject)
    problems = (
        monitoring_problems(subject)
        if kind.model is MonitoringReport
        else evaluation_problems(subject)
    )
    reviewer_moves = [
        MOVES[action]
        for action in ("return", "approve")
        if subject.status in MOVES[action].sources
        and may(request.user, subject.declaration, MOVES[action])[0]
    ]
    can_withdraw = subject.status == Status.SUBMITTED and is_own_declarant(
        request.user, subject.declaration
    )
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    unit = money_unit_of(subject.declaration)
    declaration = subject.declaration
    heading = (
        f"{subject.round} · {declaration.department_name} · {declaration.subject}"
        if kind.model is MonitoringReport
        else f"{declaration.fiscal_year}年 {declaration.department_name} · {declaration.subject} · 绩效自评"
    )
    return {
        "table": mark_safe(render_html(report_grid(subject))),  # noqa: S308 - escaped
        "table_title": "绩效目标执行监控表" if kind.model is MonitoringReport else "绩效自评表",
        "heading": heading,
        "budget_bands": BUDGET_BANDS,
        "indicator_bands": INDICATOR_BANDS,
        "budget_shown": "" if subject.budget is None else format_amount(subject.budget, unit),
        "initial_shown": ""
        if getattr(subject, "initial_budget", None) is None
        else format_amount(subject.initial_budget, unit),
        "execution_rate_shown": ""
        if getattr(card, "execution_rate", None) is None
        else percent(card.execution_rate),
        "kind": kind,
        "subject": subject,
        "declaration": subject.declaration,
        "form": form,
        "card": card,
        "rows": list(zip(form.rows(), card.rows, strict=True)),
        "problems": problems if subject.is_editable else [],
        "can_fill": can_fill,
        "reviewer_moves": reviewer_moves,
        "can_withdraw": can_withdraw,
        "unit": MoneyUnit(unit).label,
        "changes": subject.status_changes.select_related("by").order_by("-at", "-pk"),
    }


@login_required
def report_export(request, kind: str, pk: int, fmt: str):
    """The official table of a report (绩效目标执行监控表 / 绩效自评表) as Excel or PDF."""
    kind = _kind(kind)
    if fmt not in FORMATS:
        raise Http404("不支持的导出格式。")
    subject = _report(request, kind, pk)
    try:
        file = export_report(subject, fmt)
    except PdfUnavailable as exc:
        return export_unavailable(request, exc, reverse("report_page", args=[kind.key, pk]))
    return file_response(file.data, file.content_type, file.filename)


@login_required
def report_template(request, kind: str, pk: int):
    """The report as an Excel template to collect the figures in, prefilled with the targets."""
    kind = _kind(kind)
    subject = _report(request, kind, pk)
    write = monitoring_template if kind.model is MonitoringReport else evaluation_template
    return file_response(write(subject), XLSX, template_filename(subject))


class UploadForm(forms.Form):
    file = forms.FileField(
        label="填好的 Excel 模板",
        error_messages={"required": "请选择要上传的 Excel 文件。", "empty": "上传的文件是空的。"},
    )


@login_required
@require_POST
def report_upload(request, kind: str, pk: int):
    """A filled template read back and saved as a draft; a file with any problem is refused
    as a whole, each problem said with its row, and nothing is changed."""
    kind = _kind(kind)
    subject = _report(request, kind, pk)
    if not (is_own_declarant(request.user, subject.declaration) and subject.is_editable):
        raise PermissionDenied("只有本单位的申报人可以上传未提交的报告。")
    form = UploadForm(request.POST, request.FILES)
    back = redirect("report_page", kind=kind.key, pk=pk)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return back
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD_BYTES:
        messages.error(
            request,
            f"文件过大（{upload.size // 1024} KB），上传的模板不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB。",
        )
        return back
    read = read_monitoring_upload if kind.model is MonitoringReport else read_evaluation_upload
    try:
        values, rows = read(subject, upload)
        _save_values(kind, subject, request.user, values, rows)
    except ValidationError as exc:
        messages.error(request, "未导入，文件中有以下问题（报告未作任何修改）：")
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "已从 Excel 导入并保存为草稿，请核对后提交审核。")
    return back


class MoveForm(forms.Form):
    comment = forms.CharField(
        required=False, max_length=2000, error_messages={"max_length": "意见不能超过 2000 字。"}
    )


@login_required
@require_POST
def report_move(request, kind: str, pk: int, action: str):
    kind = _kind(kind)
    subject = _report(request, kind, pk)
    if action not in MOVES:
        raise Http404("未知的操作。")
    form = MoveForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("comment", []):
            messages.error(request, error)
        return redirect("report_page", kind=kind.key, pk=pk)
    try:
        perform(subject, action, by=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已{MOVES[action].label}。")
    return redirect("report_page", kind=kind.key, pk=pk)


def _signal_json(signal: Signal) -> dict:
    return {"light": signal.light or "", "label": signal.label, "explanation": signal.explanation}


@login_required
@require_POST
def report_preview(request, kind: str, pk: int):
    """The lights or scores of what is typed, computed by the same rules, saving nothing."""
    kind = _kind(kind)
    subject = _report(request, kind, pk)
    form = _form(kind, subject, request.POST)
    form.is_valid()  # what is invalid is left out of the figures and shown at its field
    data = form.cleaned_data
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    if kind.model is MonitoringReport:
        for entry in form.entries:
            prefix = f"i{entry.indicator_id}-"
            if prefix + "actual" in form.fields:
                entry.actual = data.get(prefix + "actual")
            if prefix + "judgement" in form.fields:
                entry.judgement = data.get(prefix + "judgement") or ""
        executed = data.get("executed")
        subject.executed = None if executed is None else performance_amount(executed, subject)
        card = monitoring_card(subject, form.entries)
        return JsonResponse(
            {
                "budget": _signal_json(card.budget),
                "overall": _signal_json(card.overall),
                "rows": {row.entry.indicator_id: _signal_json(row.signal) for row in card.rows},
                "errors": errors,
            }
        )
    for entry in form.entries:
        prefix = f"i{entry.indicator_id}-"
        for name in ("points", "actual", "band", "score"):
            if prefix + name in form.fields:
                value = data.get(prefix + name)
                setattr(
                    entry, name, value if value is not None else ("" if name == "band" else None)
                )
        if entry.points is None:
            entry.points = Decimal(0)
    for name in ("budget", "executed"):
        value = data.get(name)
        setattr(subject, name, None if value is None else performance_amount(value, subject))
    card = evaluation_card(subject, form.entries)
    return JsonResponse(
        {
            "execution": _cents(card.execution_score),
            "rate": "" if card.execution_rate is None else percent(card.execution_rate),
            "total": _cents(card.total),
            "grade": card.grade_label,
            "points_total": f"{card.points_total:.2f}",
            "rows": {
                row.entry.indicator_id: {
                    "score": _cents(row.score),
                    "points": f"{row.entry.points:.2f}",
                    "problem": row.problem,
                    "flags": row.flags,
                    "lost": row.lost_points,
                }
                for row in card.rows
            },
            "errors": errors,
        }
    )


def _cents(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def performance_amount(value: Decimal, subject) -> Decimal:
    return from_unit(value, money_unit_of(subject.declaration))


# -- the index: open reports, rounds, and opening new ones --------------------------------------


class OpenForm(forms.Form):
    """A monitoring round or a year's self-evaluations: year, departments (and for a round the
    month the data runs to and the due date)."""

    fiscal_year = forms.IntegerField(
        label="预算年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写预算年度。",
            "invalid": "年度请填写四位数字。",
            "min_value": "年度不能早于 2000 年。",
            "max_value": "年度不能晚于 2100 年。",
        },
    )
    departments = ModelChoicesField(
        label="单位",
        queryset=Department.objects.none(),
        error_messages={
            "required": "请选择至少一个单位。",
            "invalid_choice": "无权选择该单位。",
            "invalid_pk_value": "无权选择该单位。",
        },
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, departments, with_round: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments
        if with_round:
            self.fields["data_month"] = forms.TypedChoiceField(
                label="数据截至",
                coerce=int,
                choices=[(m, f"{m}月底（1-{m}月）") for m in range(1, 13)],
                initial=7,
                error_messages={"invalid_choice": "请选择 1 至 12 月。"},
            )
            self.fields["due_date"] = forms.DateField(
                label="填报截止日期",
                error_messages={
                    "required": "请填写截止日期。",
                    "invalid": "日期格式如 2025-08-31。",
                },
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        style_fields(self, small=True)


def _scope_departments(user):
    return Department.objects.filter(
        pk__in=declarations_visible_to(user).values("department")
    ).order_by("name")


@login_required
def performance_index(request):
    user = request.user
    reports = monitoring_reports_visible_to(user).select_related(
        "round", "declaration", "declaration__department"
    )
    evaluations = evaluations_visible_to(user).select_related(
        "declaration", "declaration__department"
    )
    organiser = can_export_in_bulk(user)
    context = {
        "reports": reports.order_by("status", "round__due_date", "pk")[:200],
        "evaluations": evaluations.order_by("status", "-declaration__fiscal_year", "pk")[:200],
        "organiser": organiser,
        "today": timezone.localdate(),
    }
    if organiser:
        departments = _scope_departments(user)
        year = timezone.localdate().year
        context.update(
            rounds=MonitoringRound.objects.filter(reports__in=reports).distinct(),
            round_form=OpenForm(
                departments=departments, with_round=True, initial={"fiscal_year": year}
            ),
            evaluation_form=OpenForm(
                departments=departments, with_round=False, initial={"fiscal_year": year - 1}
            ),
            years=sorted(
                set(evaluations.values_list("declaration__fiscal_year", flat=True)), reverse=True
            ),
        )
    return render(request, "declarations/performance/index.html", context)


@login_required
@require_POST
def open_round(request):
    if not can_export_in_bulk(request.user):
        raise PermissionDenied("只有财政审核人员和管理员可以发起绩效监控。")
    form = OpenForm(request.POST, departments=_scope_departments(request.user), with_round=True)
    if form.is_valid():
        try:
            round_ = performance.open_round(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"已发起{round_}，共 {round_.reports.count()} 份报告。")
            return redirect("round_overview", pk=round_.pk)
    else:
        errors_as_messages(request, form)
    return redirect("performance_index")


@login_required
@require_POST
def start_evaluations(request):
    if not can_export_in_bulk(request.user):
        raise PermissionDenied("只有财政审核人员和管理员可以发起绩效自评。")
    form = OpenForm(request.POST, departments=_scope_departments(request.user), with_round=False)
    if form.is_valid():
        try:
            created = performance.start_evaluations(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            year = form.cleaned_data["fiscal_year"]
            messages.success(request, f"已为 {year} 年度发起 {len(created)} 份绩效自评。")
            return redirect(f"{reverse('evaluation_overview')}?year={year}")
    else:
        errors_as_messages(request, form)
    return redirect("performance_index")


# -- the bureau's overviews -----------------------------------------------------------------------

LIGHT_ORDER = {"red": 0, "yellow": 1, "blue": 2, "green": 3, "": 4}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


DOWNLOADS = [
    ("sheet", "下载总览（Excel）"),
    ("xlsx", "下载全部表格（Excel，ZIP）"),
    ("pdf", "下载全部表格（PDF，ZIP）"),
]


def _download(request) -> str:
    """What the overview is asked to download: the sheet may be a link, a ZIP is posted."""
    if request.method == "POST":
        return request.POST.get("download", "")
    return "sheet" if request.GET.get("download") == "sheet" else ""


def _tables_in_background(request, source: str, subjects: list, stem: str):
    """The official tables of ``subjects`` in one ZIP, made in the background."""
    return export_in_background(
        request,
        source=source,
        ids=[subject.pk for subject in subjects],
        fmt=request.POST["download"],
        stem=stem,
        back=request.get_full_path(),
    )


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("download", None)
    return query.urlencode()


def _light_counts(card) -> str:
    counts = {light: 0 for light in ("red", "yellow", "blue", "green")}
    for row in card.rows:
        if row.signal.light:
            counts[row.signal.light] += 1
    return " / ".join(str(n) for n in counts.values())


@login_required
def round_overview(request, pk: int):
    if not can_export_in_bulk(request.user):
        raise PermissionDenied("只有财政审核人员和管理员可以查看监控总览。")
    reports = monitoring_reports_visible_to(request.user).filter(round_id=pk)
    round_ = get_object_or_404(
        MonitoringRound.objects.filter(reports__in=reports).distinct(), pk=pk
    )
    cards = [
        monitoring_card(report)
        for report in reports.select_related("round", "declaration").prefetch_related(
            *ENTRIES_WITH_INDICATORS
        )
    ]
    light = request.GET.get("light", "")
    if light:
        cards = [c for c in cards if (c.overall.light or "") == light]
    status = request.GET.get("status", "")  # the dashboard's figures link here by status
    if status:
        cards = [c for c in cards if c.report.status == status]
    sort = request.GET.get("sort", "light")
    if sort == "department":
        cards.sort(key=lambda c: (c.report.declaration.department_name, c.report.pk))
    else:
        cards.sort(key=lambda c: (LIGHT_ORDER[c.overall.light or ""], c.report.pk))
    for card in cards:
        card.rate_shown = "" if card.execution_rate is None else percent(card.execution_rate)
        card.counts = _light_counts(card)
    download = _download(request)
    if download in FORMATS:
        return _tables_in_background(
            request, "monitoring", [c.report for c in cards], f"{round_}_监控表"
        )
    if download == "sheet":
        rows = [
            [
                c.report.declaration.department_name,
                c.report.declaration.subject,
                c.report.get_status_display(),
                c.rate_shown,
                c.budget.label,
                c.overall.label,
                c.counts,
                c.overall.explanation,
            ]
            for c in cards
        ]
        headers = [
            "单位",
            "申报内容",
            "状态",
            "执行率",
            "预算预警",
            "整体预警",
            "红/黄/蓝/绿",
            "说明",
        ]
        return file_response(
            overview_sheet(str(round_), headers, rows),
            XLSX,
            safe_filename(f"{round_}_总览", "xlsx"),
        )
    return render(
        request,
        "declarations/performance/round.html",
        {
            "round": round_,
            "cards": cards,
            "light": light,
            "sort": sort,
            "light_choices": [(light.value, light.label) for light in Light],
            "downloads": DOWNLOADS,
            "query": _query(request),
        },
    )


@login_required
def evaluation_overview(request):
    if not can_export_in_bulk(request.user):
        raise PermissionDenied("只有财政审核人员和管理员可以查看自评总览。")
    evaluations = evaluations_visible_to(request.user).select_related("declaration")
    years = sorted(
        set(evaluations.values_list("declaration__fiscal_year", flat=True)), reverse=True
    )
    default = years[0] if years else timezone.localdate().year - 1
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        year = default
    cards = [
        evaluation_card(e)
        for e in evaluations.filter(declaration__fiscal_year=year).prefetch_related(
            *ENTRIES_WITH_INDICATORS
        )
    ]
    grade = request.GET.get("grade", "")
    if grade:
        cards = [c for c in cards if c.grade == grade]
    status = request.GET.get("status", "")  # the dashboard's figures link here by status
    if status:
        cards = [c for c in cards if c.evaluation.status == status]
    cards.sort(key=lambda c: (c.total is None, -(c.total or 0), c.evaluation.pk))
    download = _download(request)
    if download in FORMATS:
        return _tables_in_background(
            request, "evaluation", [c.evaluation for c in cards], f"{year}年度_绩效自评表"
        )
    if download == "sheet":
        rows = [
            [
                c.evaluation.declaration.department_name,
                c.evaluation.declaration.subject,
                c.evaluation.get_status_display(),
                c.execution_score,
                c.total,
                c.grade_label,
            ]
            for c in cards
        ]
        headers = ["单位", "申报内容", "状态", "执行率得分", "总分", "等级"]
        title = f"{year}年度绩效自评总览"
        return file_response(
            overview_sheet(title, headers, rows), XLSX, safe_filename(title, "xlsx")
        )
    return render(
        request,
        "declarations/performance/evaluations.html",
        {
            "year": year,
            "years": years,
            "cards": cards,
            "grade": grade,
            "grades": scoring.Grade.choices,
            "downloads": DOWNLOADS,
            "query": _query(request),
        },
    )
