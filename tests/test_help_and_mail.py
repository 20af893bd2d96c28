"""The site's frame for a newcomer: the help page, the favicon, Chinese form labels, and the
e-mail a move sends (times in Beijing time, links to the site's address)."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django import forms
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core import mail
from django.urls import reverse

from declarations import workflow
from declarations.domain.workflow import MOVES
from declarations.models import Declaration, User

pytestmark = pytest.mark.django_db


def test_the_help_page_is_public_and_linked_from_the_header(client):
    page = client.get(reverse("help")).content.decode()
    assert "使用说明" in page
    for move in MOVES.values():
        assert move.label in page
    assert "发起调整" in page and "预算执行率" in page and "业务主管部门" in page
    assert "下载 Excel" in page and "Ctrl+P" in page
    client.force_login(User.objects.get(username="shapingba"))
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("help")}"' in home


def test_the_help_page_states_each_layouts_weight_rule_from_the_code(client):
    page = client.get(reverse("help")).content.decode()
    assert (
        "重庆·专项资金绩效目标申报表：每项指标都须填写权重，合计应为 90（另 10 分为预算执行率）"
        in page
    )
    assert "昆明·项目绩效目标表：权重可以不填；填写时每项指标都要填，合计应为 100。" in page
    assert "提交审核</td><td>申报人</td><td>草稿、已退回</td><td>已提交" in page
    assert "退回修改（须填写意见）</td><td>财政审核人员" in page


def test_the_favicon_is_linked_and_the_old_address_leads_to_it(client):
    assert finders.find("favicon.svg")
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/favicon.svg")


def test_form_labels_end_in_the_full_width_colon():
    class Form(forms.Form):
        comment = forms.CharField(label="整体意见")
        question = forms.CharField(label="是否通过？")

    form = Form()
    assert form["comment"].label_tag().endswith(">整体意见：</label>")
    assert form["question"].label_tag().endswith(">是否通过？</label>")


def test_the_admin_forms_have_no_ascii_colon(client):
    client.force_login(User.objects.get(username="admin"))
    page = client.get(reverse("admin:declarations_department_add")).content.decode()
    assert "：</label>" in page and ":</label>" not in page


def test_move_mail_shows_beijing_time_and_the_site_address(
    settings, django_capture_on_commit_callbacks
):
    assert django_settings.TIME_ZONE == "Asia/Shanghai"
    settings.SITE_URL = "https://kexie.example.org/"  # a trailing slash makes no "//"
    declaration = Declaration.objects.get(sample_key="000-1")
    at = datetime(2025, 3, 1, 16, 30, tzinfo=UTC)  # 3月2日 00:30 in Beijing
    with (
        mock.patch("django.utils.timezone.now", return_value=at),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workflow.perform(declaration, "submit", by=User.objects.get(username="shapingba"))
    body = mail.outbox[-1].body
    assert "2025-03-02 00:30" in body and "16:30" not in body
    detail = reverse("declaration_detail", args=[declaration.pk])
    assert f"查看：https://kexie.example.org{detail}" in body
