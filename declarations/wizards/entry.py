"""Ways into the wizard: a new declaration, editing one, copying last year's, resuming a
draft; and the indicator library the indicator step asks while the clerk types."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from declarations.domain.choices import Kind, Status
from declarations.models import DeclarationDraft
from declarations.roles import (
    declarations_visible_to,
    drafts_visible_to,
    is_declarant,
    is_own_declarant,
)
from declarations.wizards.prefill import draft_data
from declarations.wizards.views import (
    DEPARTMENT_WIZARD,
    PROJECT_WIZARD,
    saved_declaration_of,
)
from indicators import library


def _require_declarant(user):
    if not is_declarant(user):
        raise PermissionDenied("只有本单位的申报人可以填报申报表。")


@login_required
@require_POST
def start(request, kind: str):
    _require_declarant(request.user)
    if kind not in Kind.values:
        raise Http404("未知的申报类型。")
    draft = DeclarationDraft.objects.create(
        owner=request.user, department=request.user.department, kind=kind
    )
    return redirect("wizard_step", draft_id=draft.pk, step="basic")


def _own_declaration(request, pk: int):
    # Out of sight is a 404 for everyone; in sight but not theirs to fill is a 403.
    declaration = get_object_or_404(declarations_visible_to(request.user), pk=pk)
    if not is_own_declarant(request.user, declaration):
        raise PermissionDenied("只有本单位的申报人可以填报申报表。")
    return declaration


def _draft_from(request, source, *, fiscal_year: int, **links):
    """A draft that starts with every step filled in from the declaration ``source``;
    ``links`` say whether it edits, copies or adjusts it."""
    draft = DeclarationDraft(
        owner=request.user,
        department=source.department,
        kind=source.kind,
        data=draft_data(
            source,
            fiscal_year=fiscal_year,
            editing="declaration" in links,
            adjusting="adjusts" in links,
        ),
        **links,
    )
    draft.refresh_title()
    draft.save()
    return draft


@login_required
@require_POST
def edit(request, pk: int):
    declaration = _own_declaration(request, pk)
    if not declaration.is_editable:
        raise PermissionDenied("该申报表已提交或已通过，不能再修改。")
    draft = DeclarationDraft.objects.filter(owner=request.user, declaration=declaration).first()
    if draft is None:
        draft = _draft_from(
            request,
            declaration,
            declaration=declaration,
            fiscal_year=declaration.fiscal_year,
        )
    return redirect("wizard_step", draft_id=draft.pk, step=draft.current_step or "basic")


@login_required
@require_POST
def copy(request, pk: int):
    source = _own_declaration(request, pk)
    draft = _draft_from(
        request,
        source,
        copied_from=source,
        fiscal_year=source.fiscal_year + 1,
    )
    messages.info(
        request,
        f"已从 {source.fiscal_year} 年度的申报表复制，预算年度改为 "
        f"{source.fiscal_year + 1} 年，请逐步核对。",
    )
    return redirect("wizard_step", draft_id=draft.pk, step="basic")


@login_required
@require_POST
def adjust(request, pk: int):
    """A change after approval: a new version (调整) of the approved declaration."""
    declaration = _own_declaration(request, pk)
    if declaration.status != Status.APPROVED:
        raise PermissionDenied("只有审核通过的申报表才能发起调整；其他状态请直接修改。")
    draft = _draft_from(
        request,
        declaration,
        adjusts=declaration,
        fiscal_year=declaration.fiscal_year,
    )
    messages.info(request, "已按审核通过的版本创建调整草稿；保存后作为新版本重新送审。")
    return redirect("wizard_step", draft_id=draft.pk, step="basic")


@login_required
def resume(request, draft_id: int, step: str | None = None):
    draft = drafts_visible_to(request.user).filter(pk=draft_id).first()
    if draft is None:
        saved = saved_declaration_of(request, draft_id)
        if saved is not None and declarations_visible_to(request.user).filter(pk=saved).exists():
            # A late second click on 保存 (or the back button after saving).
            messages.success(request, "申报表已保存。")
            return redirect("declaration_detail", pk=saved)
        raise Http404("未找到该草稿，或它已保存或已放弃。")
    if draft.declaration_id and not draft.declaration.is_editable:
        raise PermissionDenied("该申报表已提交或已通过，不能再修改。")
    wizard = PROJECT_WIZARD if draft.kind == Kind.PROJECT else DEPARTMENT_WIZARD
    return wizard(request, draft=draft, step=step)


@login_required
@require_POST
def discard(request, draft_id: int):
    draft = get_object_or_404(drafts_visible_to(request.user), pk=draft_id)
    draft.delete()
    messages.success(request, "已放弃该草稿。")
    return redirect("home")


def library_scope(user) -> Q:
    """Whose indicators a user may borrow: approved declarations of any department (they are
    public once approved), the published sample tables, and the user's own department's,
    drafts included; never another department's unsubmitted or unapproved work, whoever is
    asking."""
    # The sample tables are published documents: public too.
    scope = Q(declaration__status=Status.APPROVED) | Q(declaration__sample_key__isnull=False)
    if user.department_id:
        scope |= Q(declaration__department_id=user.department_id)
    return scope


def unreviewed_library_scope(user) -> Q:
    """The part of ``library_scope`` that the indicator history does not hold (it summarises
    approved declarations only): the sample tables and the user's own department's tables
    not approved. Written without the approved branch so that the database starts from the
    few declarations it names (sample key, department) rather than from every indicator."""
    scope = Q(declaration__sample_key__isnull=False)
    if user.department_id:
        scope |= Q(declaration__department_id=user.department_id)
    return scope & ~Q(declaration__status=Status.APPROVED)


@login_required
@require_GET
def indicator_library(request):
    """Indicators whose level-3 name contains what the clerk types, within ``library_scope``,
    each with its history: how often approved declarations used it, in which years, the
    lowest, median and highest target and the actuals reached (``indicators.library``)."""
    query = request.GET.get("q", "")
    return JsonResponse(
        {"results": library.suggestions(query, unreviewed_library_scope(request.user))}
    )
