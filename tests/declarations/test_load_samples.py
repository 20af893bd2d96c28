"""``load_samples``: loads everything once, and a second run changes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from declarations.models import Declaration, User
from declarations.roles import declarations_visible_to

pytestmark = pytest.mark.django_db

OUR_APPS = ("declarations", "indicators")


def snapshot() -> dict:
    """Every row of every model of our apps, with all its columns."""
    rows = {}
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = sorted(
                model.objects.values_list(*[f.attname for f in model._meta.concrete_fields])
            )
    return rows


def test_running_twice_changes_nothing():
    before = snapshot()
    out = StringIO()
    call_command("load_samples", stdout=out)
    assert snapshot() == before
    assert "写入或更新 0 行" in out.getvalue()


def test_a_changed_sample_row_is_put_back():
    declaration = Declaration.objects.get(sample_key="000-1")
    declaration.indicators.filter(order=2).update(weight=5)
    declaration.indicators.filter(order=5).delete()
    call_command("load_samples", stdout=StringIO())
    weights = list(declaration.indicators.values_list("weight", flat=True))
    assert weights == [20, 20, 20, 15, 15]


def test_demo_accounts_log_in_and_see_their_scope():
    staff = authenticate(username="shapingba", password="kexie-demo-2025")
    assert staff is not None
    assert {d.sample_key for d in declarations_visible_to(staff)} == {
        "000-1",
        "000-2",
        "000-3",
        "000-4",
    }
    reviewer = authenticate(username="reviewer", password="kexie-review-2025")
    assert declarations_visible_to(reviewer).count() == 4
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and declarations_visible_to(admin).count() == 9
    assert User.objects.filter(department__isnull=False).count() == 5
