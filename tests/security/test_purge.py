"""``purge_security_records``: records older than the retention go, newer stay, and the
retention cannot be set below 180 days."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import CommandError, call_command
from django.utils import timezone

from security.models import SecurityEvent

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind


def aged(days: int) -> None:
    """One record of each kind, ``days`` old, named after its age."""
    at = timezone.now() - timedelta(days=days)
    name = f"aged{days}"
    SecurityEvent.objects.create(kind=Kind.LOGIN, username=name, at=at)
    # axes stamps its records with the current time (auto_now_add): age them afterwards.
    for model in (AccessLog, AccessFailureLog):
        model.objects.create(username=name, user_agent="x", ip_address="192.0.2.1")
        model.objects.filter(username=name).update(attempt_time=at)
    AccessAttempt.objects.create(
        username=name, user_agent="x", ip_address="192.0.2.1", failures_since_start=1
    )
    AccessAttempt.objects.filter(username=name).update(attempt_time=at)


def names(model) -> set[str]:
    return set(model.objects.values_list("username", flat=True)) - {""}


def test_records_older_than_180_days_are_deleted_and_newer_kept():
    aged(181)
    aged(179)
    out = StringIO()
    call_command("purge_security_records", stdout=out)
    for model in (SecurityEvent, AccessLog, AccessFailureLog, AccessAttempt):
        assert names(model) == {"aged179"}, model
    assert "安全审计记录 1 条" in out.getvalue()
    purge = SecurityEvent.objects.get(kind=Kind.PURGE)
    assert "审计记录 1 条" in purge.detail and "保留 180 天" in purge.detail


def test_a_longer_retention_keeps_more(settings):
    settings.SECURITY_RECORD_RETENTION_DAYS = 365
    aged(181)
    aged(400)
    call_command("purge_security_records", stdout=StringIO())
    assert names(SecurityEvent) == {"aged181"}
    call_command("purge_security_records", "--days", "180", stdout=StringIO())
    assert names(SecurityEvent) == set()


@pytest.mark.parametrize("days", [30, 179])
def test_less_than_180_days_is_refused(days):
    aged(181)
    aged(100)
    with pytest.raises(CommandError, match="保留天数不得少于 180 天"):
        call_command("purge_security_records", "--days", str(days), stdout=StringIO())
    assert names(SecurityEvent) == {"aged181", "aged100"}
    assert not SecurityEvent.objects.filter(kind=Kind.PURGE).exists()


def test_a_setting_below_180_days_is_refused(settings):
    settings.SECURITY_RECORD_RETENTION_DAYS = 90
    with pytest.raises(CommandError, match="不得少于 180 天"):
        call_command("purge_security_records", stdout=StringIO())
