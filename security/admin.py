"""The security records in the admin: read-only, filtered by kind and date."""

from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from security.models import LoginLock, SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "username", "address", "path", "detail"]
    list_filter = ["kind", "at"]
    date_hierarchy = "at"
    search_fields = ["username", "address"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]

    # Audit records are evidence: nobody adds, changes or deletes one here; only
    # ``purge_security_records`` removes them, after the retention period.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginLock)
class LoginLockAdmin(admin.ModelAdmin):
    """django-axes' failure counters; deleting one unlocks its account and address.
    (axes' own admin pages are switched off: they have no Chinese translation.)"""

    list_display = ["user_name", "address", "failures", "last_failure", "locked"]
    search_fields = ["username", "ip_address"]
    fields = ["user_name", "address", "failures", "last_failure", "locked"]
    readonly_fields = fields

    @admin.display(description="用户名", ordering="username")
    def user_name(self, obj):
        return obj.username

    @admin.display(description="来源地址", ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description="失败次数", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="最后一次失败", ordering="attempt_time")
    def last_failure(self, obj):
        return obj.attempt_time

    @admin.display(description="锁定中", boolean=True)
    def locked(self, obj):
        return (
            obj.failures_since_start >= settings.AXES_FAILURE_LIMIT
            and obj.attempt_time >= timezone.now() - settings.AXES_COOLOFF_TIME
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
