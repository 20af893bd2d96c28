"""Error pages as a server shows them (DEBUG off): Chinese, in the site's frame, with the
right status; a GET on a form's address is a page too, not an empty 405."""

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import include, path, reverse

from declarations.models import Declaration, User

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_error_pages")]


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-only/boom/", boom),
    path("", include("kexie_perf.urls")),
]

FRAME = ('class="navbar', "科协绩效目标申报系统", "vendor/bootstrap/bootstrap.min.css")


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def in_frame(page: str) -> bool:
    return all(part in page for part in FRAME)


def test_404_is_chinese_in_the_frame(client):
    client.force_login(User.objects.get(username="shapingba"))
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "未找到该页面" in page and in_frame(page)
    assert "退出登录" in page  # the frame knows who is logged in


def test_403_says_why_in_the_frame(client):
    client.force_login(User.objects.get(username="shapingba"))
    declaration = Declaration.objects.get(sample_key="000-1")
    response = client.get(reverse("declaration_review", args=[declaration.pk]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "只有财政审核人员可以审核申报表。" in page and in_frame(page)


def test_a_form_sent_after_its_page_expired_is_a_chinese_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "shapingba", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in page and in_frame(page)
    assert "CSRF" not in page


def test_405_on_a_post_only_address_is_a_page_with_a_way_back(client):
    client.force_login(User.objects.get(username="shapingba"))
    declaration = Declaration.objects.get(sample_key="000-1")
    detail = reverse("declaration_detail", args=[declaration.pk])
    response = client.get(
        reverse("declaration_edit", args=[declaration.pk]),
        HTTP_REFERER="http://testserver" + detail,
    )
    page = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "此地址只用于提交表单" in page and in_frame(page)
    assert f'href="http://testserver{detail}">返回上一页' in page
    assert "Content-Security-Policy" in response.headers


def test_405_offers_no_way_back_to_another_site(client):
    client.force_login(User.objects.get(username="shapingba"))
    declaration = Declaration.objects.get(sample_key="000-1")
    response = client.get(
        reverse("declaration_edit", args=[declaration.pk]), HTTP_REFERER="https://evil.example/"
    )
    page = response.content.decode()
    assert response.status_code == 405
    assert "evil.example" not in page and "返回上一页" not in page
    assert 'href="/">返回首页' in page


def test_500_is_chinese_in_the_frame():
    client = Client(raise_request_exception=False)
    response = client.get("/test-only/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in page and in_frame(page)


def test_500_needs_no_request_nor_context():
    """Django renders 500.html with an empty context, and must not fail doing it."""
    page = get_template("500.html").render()
    assert "系统出错" in page and 'href="/"' in page
