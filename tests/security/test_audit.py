"""Security audit records: log-ins, failures, lockouts, log-outs and refusals, read-only."""

import pytest
from django.test import Client
from django.urls import reverse

from declarations.models import User
from security.models import SecurityEvent
from tests.security.conftest import PASSWORD
from tests.security.test_lockout import log_in

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind


def kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_a_log_in_is_recorded_with_user_address_and_path(client, member):
    log_in(client, member.username, PASSWORD, address="192.0.2.10")
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user, event.username) == (Kind.LOGIN, member, "zhangwei")
    assert (event.address, event.path) == ("192.0.2.10", reverse("login"))


def test_a_failed_log_in_records_the_name_tried(client):
    log_in(client, "nobody", "wrong-password", address="192.0.2.11")
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user, event.username) == (Kind.LOGIN_FAILED, None, "nobody")
    assert event.address == "192.0.2.11" and event.detail == "用户名或密码不正确"


def test_a_lockout_is_recorded_once_and_refused_attempts_each(client, member):
    for _ in range(5):
        log_in(client, member.username, "wrong-password")
    assert kinds() == [Kind.LOGIN_FAILED] * 5 + [Kind.LOCKOUT]
    lockout = SecurityEvent.objects.get(kind=Kind.LOCKOUT)
    assert lockout.username == "zhangwei" and "锁定 30 分钟" in lockout.detail
    log_in(client, member.username, PASSWORD)
    assert kinds() == [Kind.LOGIN_FAILED] * 5 + [Kind.LOCKOUT, Kind.LOGIN_FAILED]
    assert SecurityEvent.objects.order_by("pk").last().detail == "已锁定，未校验密码"


def test_a_log_out_is_recorded(client, member):
    client.force_login(member)
    client.post(reverse("logout"))
    event = SecurityEvent.objects.get(kind=Kind.LOGOUT)
    assert (event.kind, event.user) == (Kind.LOGOUT, member)


def test_a_refusal_is_recorded_with_its_reason(client):
    staff = User.objects.get(username="shapingba")
    client.force_login(staff)
    response = client.get(reverse("bulk_export"), REMOTE_ADDR="192.0.2.12")
    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=Kind.DENIED)
    assert (event.kind, event.user, event.username) == (Kind.DENIED, staff, "shapingba")
    assert (event.address, event.path) == ("192.0.2.12", reverse("bulk_export"))
    assert event.detail == "只有财政审核人员和管理员可以批量导出。"


def test_a_refused_csrf_check_is_recorded():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert kinds() == [Kind.DENIED]


def test_the_admin_lists_filters_and_searches_but_changes_nothing(client, member):
    log_in(client, member.username, PASSWORD, address="192.0.2.20")
    log_in(Client(), "nobody", "wrong-password", address="192.0.2.21")
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    url = reverse("admin:security_securityevent_changelist")

    def listed(**query):
        response = admin.get(url, query)
        assert response.status_code == 200
        return [(e.kind, e.username) for e in response.context["cl"].result_list]

    assert listed(kind="login_failed") == [(Kind.LOGIN_FAILED, "nobody")]
    assert listed(q="zhangwei") == [(Kind.LOGIN, "zhangwei")]
    assert listed(q="192.0.2.21") == [(Kind.LOGIN_FAILED, "nobody")]
    page = admin.get(url).content.decode()
    assert "登录成功" in page and "来源地址" in page
    assert admin.get(url, {"at__gte": "2000-01-01 00:00:00+08:00"}).status_code == 200
    event = SecurityEvent.objects.get(username="nobody")
    change = reverse("admin:security_securityevent_change", args=[event.pk])
    assert admin.get(change).status_code == 200
    assert admin.post(change, {"username": "forged"}).status_code == 403
    assert admin.get(reverse("admin:security_securityevent_add")).status_code == 403
    assert (
        admin.get(reverse("admin:security_securityevent_delete", args=[event.pk])).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.username == "nobody"


def test_the_admin_unlocks_by_deleting_the_failure_count(client, member):
    for _ in range(5):
        log_in(client, member.username, "wrong-password")
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    changelist = admin.get(reverse("admin:security_loginlock_changelist"))
    assert "zhangwei" in changelist.content.decode()
    lock = changelist.context["cl"].result_list[0]
    delete = reverse("admin:security_loginlock_delete", args=[lock.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 302
    assert log_in(client, member.username, PASSWORD).status_code == 302
