"""The security app: lockout, password rule, audit records, backups (see the package docstring)."""

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "安全审计"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from security import receivers  # noqa: F401  (connects the log-in signal receivers)
