"""Admin of the indicator taxonomy and of indicators across declarations."""

from django.contrib import admin

from declarations.admin import FrozenWhenApproved
from declarations.quality import refresh_filed_under
from declarations.services import declaration_part_edited, refuse_if_frozen
from indicators.models import IndicatorCategory, IndicatorHistory, PerformanceIndicator


@admin.register(IndicatorCategory)
class IndicatorCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "order", "legacy", "code"]
    list_filter = ["level", "legacy", "parent"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"code", "name"} & set(form.changed_data):
            # The declarations' stored indicator-quality facts read categories' codes and names.
            refresh_filed_under(obj)


@admin.register(PerformanceIndicator)
class PerformanceIndicatorAdmin(FrozenWhenApproved, admin.ModelAdmin):
    list_display = ["__str__", "declaration", "level1", "level2", "weight", "kind"]
    list_filter = ["level1", "level2", "kind", "declaration__fiscal_year"]
    search_fields = ["name", "target_text", "declaration__department__name"]
    list_select_related = ["declaration__department", "declaration__project", "level1", "level2"]

    def save_model(self, request, obj, form, change):
        refuse_if_frozen(obj.declaration_id)
        super().save_model(request, obj, form, change)
        declaration_part_edited(obj.declaration_id, by=request.user, what=f"指标 {obj.order}")

    def delete_model(self, request, obj):
        refuse_if_frozen(obj.declaration_id)
        super().delete_model(request, obj)
        declaration_part_edited(obj.declaration_id, by=request.user, what=f"删除指标 {obj.order}")

    def delete_queryset(self, request, queryset):
        for indicator in queryset:
            self.delete_model(request, indicator)


@admin.register(IndicatorHistory)
class IndicatorHistoryAdmin(admin.ModelAdmin):
    """Read only: the history is derived from approved declarations (``indicators.history``);
    a wrong number is corrected at its source and then by ``rebuild_indicator_history``."""

    list_display = [
        "name",
        "kind",
        "unit",
        "operator",
        "uses",
        "last_year",
        "target_min",
        "target_median",
        "target_max",
        "actual_count",
        "refreshed_at",
    ]
    list_filter = ["kind", "level1", "operator"]
    search_fields = ["name"]
    list_select_related = ["level1", "level2"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
