"""The Chinese admin: departments, projects and declarations with budget and indicators inline."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from declarations.models import (
    Budget,
    Declaration,
    DeclarationDraft,
    Department,
    KeyTask,
    Project,
    ReviewComment,
    SpendingPlanPoint,
    StatusChange,
    SupervisingDivision,
    User,
)
from indicators.models import PerformanceIndicator


class FrozenWhenApproved:
    """Approved declarations are frozen: the admin shows them read-only, inlines included."""

    def _frozen(self, obj) -> bool:
        declaration = getattr(obj, "declaration", obj)
        return declaration is not None and getattr(declaration, "status", None) == "approved"

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)

    def has_add_permission(self, request, *args):
        # Inlines are asked with the parent declaration, model admins without.
        if args and args[0] is not None and self._frozen(args[0]):
            return False
        return super().has_add_permission(request, *args)


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
            {"fields": [("district_level", "subsidies_to_subdistricts", "transfers_down")]},
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
    readonly_fields = ["sample_key", "created_at", "updated_at", "status"]
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
        ("来源", {"fields": ["sample_key", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [BudgetInline, SpendingPlanInline, KeyTaskInline, IndicatorInline]


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
