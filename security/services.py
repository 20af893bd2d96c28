"""Every write of security records: one function each."""

from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from security.addresses import client_address
from security.models import SecurityEvent

# The Cybersecurity Law (网络安全法, art. 21) and 等保 level 3 keep network logs for at least
# six months; no setting or option may shorten that.
MINIMUM_RETENTION_DAYS = 180


def record_event(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is not None and not username:
        username = user.get_username()
    address = path = user_agent = ""
    if request is not None:
        address = client_address(request) or ""
        path = request.get_full_path()[:255]
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or "")[:150],
        address=address or None,
        path=path,
        user_agent=user_agent,
        detail=detail[:255],
    )


class RetentionTooShort(ValueError):
    pass


@dataclass(frozen=True)
class PurgeReport:
    cutoff: object
    events: int
    attempts: int
    access_logs: int
    failure_logs: int


def retention_days() -> int:
    return int(getattr(settings, "SECURITY_RECORD_RETENTION_DAYS", MINIMUM_RETENTION_DAYS))


@transaction.atomic
def purge_records(*, days: int | None = None) -> PurgeReport:
    """Deletes security records and django-axes' log-in records older than ``days`` (the
    retention setting by default), and records that it did."""
    days = retention_days() if days is None else days
    if days < MINIMUM_RETENTION_DAYS:
        raise RetentionTooShort(
            f"保留天数不得少于 {MINIMUM_RETENTION_DAYS} 天（{days} 天太短）："
            "《网络安全法》和等级保护三级要求网络日志留存不少于六个月。"
        )
    cutoff = timezone.now() - timedelta(days=days)
    report = PurgeReport(
        cutoff=cutoff,
        events=_delete(SecurityEvent.objects.filter(at__lt=cutoff)),
        attempts=_delete(AccessAttempt.objects.filter(attempt_time__lt=cutoff)),
        access_logs=_delete(AccessLog.objects.filter(attempt_time__lt=cutoff)),
        failure_logs=_delete(AccessFailureLog.objects.filter(attempt_time__lt=cutoff)),
    )
    record_event(
        SecurityEvent.Kind.PURGE,
        detail=(
            f"删除 {timezone.localtime(cutoff):%Y-%m-%d %H:%M} 之前的记录：审计记录 {report.events} 条，"
            f"登录失败计数 {report.attempts} 条，登录日志 {report.access_logs} 条，"
            f"失败日志 {report.failure_logs} 条（保留 {days} 天）"
        ),
    )
    return report


def _delete(queryset) -> int:
    """Rows of the queryset's own model deleted (not counting cascaded rows)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)
