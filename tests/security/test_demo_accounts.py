"""Demo accounts (public passwords) exist only when ``load_samples --demo-accounts`` asks."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from declarations.models import User

pytestmark = pytest.mark.django_db

DEMO = ["admin", "reviewer", "shapingba", "nansha", "xicheng", "chenggong", "shunping"]


@pytest.fixture
def no_demo_accounts():
    User.objects.filter(username__in=DEMO).delete()


def test_samples_alone_create_no_account(no_demo_accounts):
    call_command("load_samples", stdout=StringIO())
    call_command("load_samples", "--no-demo-accounts", stdout=StringIO())  # still accepted
    assert not User.objects.filter(username__in=DEMO).exists()
    assert not User.objects.filter(is_superuser=True).exists()


def test_the_flag_creates_them(no_demo_accounts):
    out = StringIO()
    call_command("load_samples", "--demo-accounts", stdout=out)
    assert sorted(User.objects.filter(username__in=DEMO).values_list("username", flat=True)) == (
        sorted(DEMO)
    )
    assert "演示账号 admin" in out.getvalue()


def test_both_flags_are_refused():
    with pytest.raises(CommandError, match="不能同时使用"):
        call_command("load_samples", "--demo-accounts", "--no-demo-accounts", stdout=StringIO())
