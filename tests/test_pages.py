"""Pages requested with a real client: log-in, home page scope, admin."""

import pytest
from django.urls import reverse

from declarations.models import Declaration, User

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page and "用户名" in page and "密码" in page


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_wrong_password_gets_a_chinese_message(client):
    response = client.post(reverse("login"), {"username": "nansha", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_staff_see_only_their_departments_declarations(client):
    assert client.login(username="nansha", password="kexie-demo-2025")
    page = client.get(reverse("home")).content.decode()
    assert "广州市南沙区科学技术协会" in page
    assert "部门整体支出" in page
    assert "重庆市沙坪坝区科学技术协会" not in page
    assert "北京市西城区科学技术协会" not in page


def test_administrator_sees_every_declaration(client):
    client.force_login(User.objects.get(username="admin"))
    response = client.get(reverse("home"))
    assert len(response.context["declarations"]) == Declaration.objects.count() == 9


def test_admin_declaration_page_shows_budget_and_indicators_inline(client):
    client.force_login(User.objects.get(username="admin"))
    declaration = Declaration.objects.get(sample_key="000-1")
    response = client.get(reverse("admin:declarations_declaration_change", args=[declaration.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "预算资金" in page and "绩效指标" in page
    assert "全国科技工作者日系列活动" in page
    assert 'value="310000.00"' in page


def test_admin_list_filters_by_year_and_searches(client):
    client.force_login(User.objects.get(username="admin"))
    url = reverse("admin:declarations_declaration_changelist")
    response = client.get(url, {"fiscal_year": 2021})
    assert response.status_code == 200
    assert {d.fiscal_year for d in response.context["cl"].result_list} == {2021}
    response = client.get(url, {"q": "呈贡"})
    assert [d.sample_key for d in response.context["cl"].result_list] == ["003-1"]


def test_non_admin_staff_cannot_open_the_admin(client):
    assert client.login(username="nansha", password="kexie-demo-2025")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_admin_add_and_history_pages_open(client):
    client.force_login(User.objects.get(username="admin"))
    assert client.get(reverse("admin:declarations_declaration_add")).status_code == 200
    declaration = Declaration.objects.get(sample_key="002-1")
    history = client.get(reverse("admin:declarations_declaration_history", args=[declaration.pk]))
    assert history.status_code == 200
    for name in ("statuschange", "reviewcomment", "declarationdraft"):
        assert client.get(reverse(f"admin:declarations_{name}_changelist")).status_code == 200
