from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "declarations"
    verbose_name = "绩效目标申报"

    def ready(self):
        from declarations import checks  # noqa: F401  (registers the system checks)
