"""The log-in lockout policy in the words the pages and records use (from the AXES_* settings)."""

from django.conf import settings


def lockout_policy() -> dict[str, int]:
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
