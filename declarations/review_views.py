"""Views of the review workflow: moves, the reviewer's page, answers to comments, the
reviewer's queue, adjustments after approval and the comparison of versions."""

from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from declarations.domain.choices import Status
from declarations.exports.html import render_html
from declarations.exports.layouts import build_grid
from declarations.exports.service import FORMATS
from declarations.forms import QueueFilterForm, attach_refusal, errors_as_messages
from declarations.job_views import export_in_background
from declarations.models import Department, Grade, ReviewComment
from declarations.models.reviews import COMMENT_MAX_LENGTH
from declarations.paging import page_of
from declarations.roles import (
    can_export_in_bulk,
    declarations_visible_to,
    is_reviewer,
)
from declarations.versions import compare, version_chain
from declarations.views import SEARCH_COUNT_CAP, visible_declaration
from declarations.workflow import MOVES, add_comments, perform, reply_to_comment
from indicators.rules import checklist


def _report(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def _comment_field(label: str, what: str = "意见", **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": f"{what}不能超过 {COMMENT_MAX_LENGTH} 字。"},
        **kwargs,
    )


class MoveForm(forms.Form):
    comment = _comment_field("意见")


@login_required
@require_POST
def move(request, pk: int, action: str):
    declaration = visible_declaration(request, pk)
    if action not in MOVES:
        raise Http404("未知的操作。")
    form = MoveForm(request.POST)
    if not form.is_valid():
        errors_as_messages(request, form)
        return redirect("declaration_detail", pk=pk)
    try:
        perform(
            declaration,
            action,
            by=request.user,
            comment=form.cleaned_data["comment"],
            grade=request.POST.get("grade", ""),
        )
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"已{MOVES[action].label}。")
    return redirect("declaration_detail", pk=pk)


class ReviewForm(forms.Form):
    """The reviewer's overall comment, grade and one comment per indicator (the fields
    ``indicator-<pk>``, which the template draws beside each indicator)."""

    comment = _comment_field(
        "整体意见", widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    grade = forms.ChoiceField(
        label="评级（通过时）",
        required=False,
        choices=[("", "不评级"), *Grade.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            self.fields[f"indicator-{indicator.pk}"] = _comment_field(f"指标 {indicator.order}")

    def per_indicator(self) -> dict[int, str]:
        return {
            int(name.removeprefix("indicator-")): text
            for name, text in self.cleaned_data.items()
            if name.startswith("indicator-")
        }


class ReplyForm(forms.Form):
    reply = _comment_field("回复", "回复")


@login_required
def review(request, pk: int):
    declaration = visible_declaration(request, pk)
    if not is_reviewer(request.user):
        raise PermissionDenied("只有财政审核人员可以审核申报表。")
    indicators = list(declaration.indicators.all())
    form = ReviewForm(request.POST or None, indicators=indicators)
    # A refused save is shown at the fields it concerns, with everything typed kept.
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "comment")
        per_indicator = form.per_indicator()
        try:
            with transaction.atomic():
                added = add_comments(
                    declaration,
                    by=request.user,
                    overall=form.cleaned_data["comment"] if action == "comment" else "",
                    per_indicator=per_indicator,
                )
                if action in ("return", "approve"):
                    perform(
                        declaration,
                        action,
                        by=request.user,
                        comment=form.cleaned_data["comment"],
                        grade=form.cleaned_data["grade"],
                    )
        except ValidationError as exc:
            attach_refusal(form, exc)
        else:
            if action in ("return", "approve"):
                messages.success(request, f"已{MOVES[action].label}。")
                return redirect("review_queue")
            messages.success(request, f"已保存 {len(added)} 条意见。")
            return redirect("declaration_review", pk=pk)
    comments = declaration.review_comments.select_related("author", "replied_by")
    return render(
        request,
        "declarations/review.html",
        {
            "adjustment": compare(declaration.adjusts, declaration)
            if declaration.adjusts_id
            else None,
            "declaration": declaration,
            "table": mark_safe(render_html(build_grid(declaration))),  # noqa: S308 - escaped
            "checklist": checklist(declaration),
            "indicators": indicators,
            "form": form,
            # Each indicator's comment box: what was typed (kept when the save was refused)
            # and the errors it got.
            "rows": [
                (
                    indicator,
                    request.POST.get(f"indicator-{indicator.pk}", ""),
                    form.errors.get(f"indicator-{indicator.pk}", []),
                )
                for indicator in indicators
                if not indicator.is_placeholder
            ],
            "comments": comments,
            "can_decide": declaration.status == Status.SUBMITTED,
        },
    )


@login_required
@require_POST
def reply(request, comment_pk: int):
    comment = get_object_or_404(
        ReviewComment.objects.filter(declaration__in=declarations_visible_to(request.user)),
        pk=comment_pk,
    )
    form = ReplyForm(request.POST)
    if not form.is_valid():
        errors_as_messages(request, form)
        return redirect(f"/declarations/{comment.declaration_id}/#comments")
    try:
        reply_to_comment(comment, by=request.user, text=form.cleaned_data["reply"])
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, "已回复。")
    return redirect(f"/declarations/{comment.declaration_id}/#comments")


QUEUE_PAGE_SIZE = 50
# What each status means to the bureau, in the order it matters.
QUEUE_LABELS = {
    Status.SUBMITTED: "待审核",
    Status.RETURNED: "已退回、待单位修改",
    Status.APPROVED: "已通过",
}


@login_required
def queue(request):
    if not can_export_in_bulk(request.user):
        raise PermissionDenied("只有财政审核人员和管理员可以查看审核队列。")
    # Work that reached the bureau: a clerk's unsubmitted draft is not the reviewer's business.
    scope = declarations_visible_to(request.user).exclude(status=Status.DRAFT)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = Status.SUBMITTED
    # One pass over the scope by department and status gives both the counts by status and
    # the departments with something in the queue (the department filter's choices).
    counts, departments = Counter(), set()
    for department, status, n in (
        scope.filter(status__in=list(QUEUE_LABELS))
        .order_by()
        .values_list("department", "status")
        .annotate(n=Count("pk"))
    ):
        counts[status] += n
        departments.add(department)
    form = QueueFilterForm(data, departments=Department.objects.filter(pk__in=sorted(departments)))
    # A bad filter shows (and downloads) nothing rather than everything.
    chosen = form.apply(scope) if form.is_valid() else scope.none()
    fmt = request.POST.get("download")
    if request.method == "POST" and fmt in FORMATS:
        return export_in_background(
            request,
            source="declarations",
            ids=list(chosen.values_list("pk", flat=True)),
            fmt=fmt,
            stem="审核队列",
            back=request.get_full_path(),
        )
    oldest = scope.filter(status=Status.SUBMITTED).order_by("submitted_at").first()
    searching = form.is_valid() and bool(form.cleaned_data.get("q"))
    page = page_of(
        chosen,
        request.GET.get("page"),
        QUEUE_PAGE_SIZE,
        read_from=scope,
        cap=SEARCH_COUNT_CAP if searching else None,
    )
    query = data.copy()
    query.pop("download", None)
    query.pop("page", None)
    return render(
        request,
        "declarations/queue.html",
        {
            "form": form,
            "page": page,
            "declarations": page.object_list,
            "counts": [
                (status, QUEUE_LABELS[status], counts.get(status, 0), status == data["status"])
                for status in QUEUE_LABELS
            ],
            "oldest": oldest,
            "now": timezone.now(),
            "query": query.urlencode(),
        },
    )


@login_required
def compare_versions(request, pk: int, other_pk: int):
    declaration = visible_declaration(request, pk)
    other = visible_declaration(request, other_pk)
    if other not in version_chain(declaration):
        raise Http404("这两张申报表不是同一申报的不同版本。")
    old, new = sorted([declaration, other], key=lambda d: (d.created_at, d.pk))
    return render(
        request,
        "declarations/compare.html",
        {
            "old": old,
            "new": new,
            "comparison": compare(old, new),
        },
    )
