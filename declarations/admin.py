"""The Chinese admin: departments, projects and declarations with budget and indicators inline."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.shortcuts import redirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from declarations.domain.choices import FROZEN_STATUSES
from declarations.models import (
    Budget,
    Declaration,
    DeclarationDraft,
    Department,
    KeyTask,
    MonitoringReport,
    MonitoringRound,
    Project,
    ReviewComment,
    SelfEvaluation,
    SpendingPlanPoint,
    StatusChange,
    SupervisingDivision,
    User,
)
from declarations.quality import refresh_quality
from declarations.services import EditConflict, declaration_admin_save
from indicators.models import PerformanceIndicator


class FrozenWhenApproved:
    """Submitted and approved declarations are frozen: the admin shows them read-only,
    inlines included, and refuses to delete them one by one or in bulk."""

    def _frozen(self, obj) -> bool:
        declaration = getattr(obj, "declaration", obj)
        return declaration is not None and getattr(declaration, "status", None) in FROZEN_STATUSES

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)

    def has_add_permission(self, request, *args):
        # Inlines are asked with the parent declaration, model admins without.
        if args and args[0] is not None and self._frozen(args[0]):
            return False
        return super().has_add_permission(request, *args)

    def delete_queryset(self, request, queryset):
        frozen = [obj for obj in queryset if self._frozen(obj)]
        if frozen:
            messages.error(
                request, f"已提交或已通过的申报表不能删除（{len(frozen)} 项），本次未删除任何内容。"
            )
            return
        super().delete_queryset(request, queryset)


@admin.register(SupervisingDivision)
class SupervisingDivisionAdmin(admin.ModelAdmin):
    list_display = ["name", "finance_bureau"]
    search_fields = ["name", "finance_bureau"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "region", "head", "supervising_division"]
    list_filter = ["supervising_division", "region"]
    search_fields = ["name", "short_name", "code", "organisation_code"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "code", "region", "supervising_division"]}),
        ("联系信息", {"fields": ["organisation_code", "head", "phone", "address"]}),
        ("职能", {"fields": ["functions"]}),
    ]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "code", "period_label"]
    list_filter = ["department"]
    search_fields = ["name", "code", "department__name"]
    list_select_related = ["department"]

    @admin.display(description="实施周期")
    def period_label(self, obj):
        return obj.period_label


class BudgetInline(FrozenWhenApproved, admin.StackedInline):
    model = Budget
    can_delete = False
    fieldsets = [
        ("总额与来源", {"fields": [("total", "fiscal_appropriation", "other_funds")]}),
        (
            "支出结构",
            {"fields": [("basic_expenditure", "project_expenditure", "other_expenditure")]},
        ),
        (
            "资金级次",
            {"fields": [("own_level", "transfers_down")]},
        ),
        ("事业发展性支出", {"fields": [("special_funds", "other_development")]}),
    ]


class SpendingPlanInline(FrozenWhenApproved, admin.TabularInline):
    model = SpendingPlanPoint
    extra = 0


class KeyTaskInline(FrozenWhenApproved, admin.StackedInline):
    model = KeyTask
    extra = 0


class IndicatorInline(FrozenWhenApproved, admin.StackedInline):
    model = PerformanceIndicator
    extra = 0
    fields = [
        ("order", "level1", "level2"),
        "name",
        ("weight", "kind", "operator", "unit"),
        ("target_value", "target_text"),
        ("period_value", "period_text"),
        "description",
        "basis",
        "scoring_rule",
    ]
    autocomplete_fields = []


@admin.register(Declaration)
class DeclarationAdmin(FrozenWhenApproved, SimpleHistoryAdmin):
    list_display = ["__str__", "fiscal_year", "department", "kind", "layout", "status"]
    list_filter = ["fiscal_year", "department", "kind", "status", "layout"]
    search_fields = ["department__name", "project__name", "overall_target", "annual_target"]
    list_select_related = ["department", "project"]
    readonly_fields = [
        "sample_key",
        "created_at",
        "updated_at",
        "status",
        "version",
        "adjusts",
        "adjustment_no",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("department", "fiscal_year"),
                    ("kind", "project"),
                    ("layout", "money_unit", "status"),
                ]
            },
        ),
        (
            "单位信息（申报时）",
            {
                "fields": [
                    ("department_name", "department_short_name", "department_code"),
                    ("organisation_code", "division_name"),
                    ("head", "phone", "address"),
                    "functions",
                ]
            },
        ),
        (
            "项目信息（申报时）",
            {
                "fields": [
                    ("project_name", "project_code"),
                    ("period_start", "period_end"),
                    *Declaration.PROJECT_NARRATIVES,
                ]
            },
        ),
        ("调整", {"fields": [("adjusts", "adjustment_no"), "adjustment_reason"]}),
        (
            "绩效目标",
            {
                "fields": [
                    "overall_target",
                    "annual_target",
                    "sub_targets",
                    "safeguards",
                    "other_tasks",
                ]
            },
        ),
        (
            "来源",
            {
                "fields": ["version", "sample_key", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [BudgetInline, SpendingPlanInline, KeyTaskInline, IndicatorInline]

    def save_model(self, request, obj, form, change):
        # The one write path: versioned, recorded, refused when frozen.
        declaration_admin_save(obj, by=request.user, creating=not change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The inlines are written after the service has recorded the edit: the indicators'
        # facts are read again from what they wrote (in the same transaction).
        refresh_quality(form.instance)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as exc:
            # Rolled back whole, inlines included.
            messages.error(request, str(exc))
            return redirect(request.path)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A history record can be looked at, not reverted to: a revert would bypass the
        workflow (an approved declaration back to a draft) and the version counter. Changes
        go through the change form, adjustments through the wizard."""
        if request.method == "POST":
            messages.error(
                request, "历史版本只能查看，不能恢复；如需修改，请在申报表页面修改或发起调整。"
            )
            return redirect(reverse("admin:declarations_declaration_history", args=[object_id]))
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(User)
class KexieUserAdmin(UserAdmin):
    list_display = ["username", "last_name", "department", "division", "is_active"]
    list_filter = ["groups", "department", "division", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("所属", {"fields": ["department", "division"]}),)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the workflow: administrators read them, nobody edits them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["declaration", "action", "from_status", "to_status", "by", "at"]
    list_filter = ["action", "to_status"]
    list_select_related = ["declaration__department", "declaration__project", "by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    list_display = ["declaration", "target", "author", "created_at", "reply"]
    list_select_related = ["declaration__department", "declaration__project", "author"]


@admin.register(DeclarationDraft)
class DeclarationDraftAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "owner", "department", "kind", "updated_at"]
    list_filter = ["kind", "department"]
    exclude = ["data"]


class NoDeleteReadOnlyAdmin(ReadOnlyAdmin):
    """Monitoring and self-evaluation are written through their pages and moved through the
    workflow only; the admin shows them."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MonitoringRound)
class MonitoringRoundAdmin(NoDeleteReadOnlyAdmin):
    list_display = ["__str__", "due_date", "opened_by", "opened_at"]
    list_filter = ["fiscal_year"]


@admin.register(MonitoringReport)
class MonitoringReportAdmin(NoDeleteReadOnlyAdmin):
    list_display = ["__str__", "status", "executed", "updated_at"]
    list_filter = ["status", "round"]
    list_select_related = ["round", "declaration"]


@admin.register(SelfEvaluation)
class SelfEvaluationAdmin(NoDeleteReadOnlyAdmin):
    list_display = ["__str__", "status", "total_score", "grade", "updated_at"]
    list_filter = ["status", "declaration__fiscal_year", "grade"]
    list_select_related = ["declaration"]
