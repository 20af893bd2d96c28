"""Log-in lockout (django-axes): five failures lock the account and the address for 30 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone

from tests.security.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "已被锁定 30 分钟"


def log_in(client, username, password, address="127.0.0.1", url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_sixth_attempt_is_refused_with_the_right_password(client, member):
    for _ in range(4):
        response = log_in(client, member.username, "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    response = log_in(client, member.username, "wrong-password")  # the fifth failure locks
    assert response.status_code == 429
    response = log_in(client, member.username, PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in page and "登录失败已达 5 次" in page
    assert 'id="id_username"' in page and 'value="zhangwei"' in page  # the log-in page itself
    assert not logged_in(client)


def test_a_locked_account_is_locked_from_every_address(client, member):
    for n in range(5):
        log_in(client, member.username, "wrong-password", address=f"10.0.0.{n + 1}")
    response = log_in(client, member.username, PASSWORD, address="10.9.9.9")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not logged_in(client)


def test_a_locked_address_is_locked_for_every_account(client, member):
    for n in range(5):
        log_in(client, f"guess{n}", "wrong-password", address="10.1.1.1")
    response = log_in(client, member.username, PASSWORD, address="10.1.1.1")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not logged_in(client)
    response = log_in(client, member.username, PASSWORD, address="10.1.1.2")
    assert response.status_code == 302 and logged_in(client)


def test_the_lock_ends_after_30_minutes(client, member):
    for _ in range(5):
        log_in(client, member.username, "wrong-password")
    assert log_in(client, member.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=29))
    assert log_in(client, member.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert log_in(client, member.username, PASSWORD).status_code == 302
    assert logged_in(client)


def test_four_failures_and_a_success_do_not_lock(client, member):
    for _ in range(4):
        log_in(client, member.username, "wrong-password")
    assert log_in(client, member.username, PASSWORD).status_code == 302


def test_the_login_page_warns_before_the_lock(client, member):
    page = log_in(client, member.username, "wrong-password").content.decode()
    assert "失败 5 次将锁定 30 分钟" in page


def test_the_admin_login_is_locked_too(client, member):
    url = reverse("admin:login")
    for _ in range(5):
        log_in(client, member.username, "wrong-password", url=url)
    response = log_in(client, member.username, PASSWORD, url=url)
    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_a_password_checked_by_code_is_not_counted(member):
    """Without a request (a shell, the test client's login) there is no address to count."""
    for _ in range(6):
        assert authenticate(username=member.username, password="wrong-password") is None
    assert authenticate(username=member.username, password=PASSWORD) == member
    assert not AccessAttempt.objects.exists()
