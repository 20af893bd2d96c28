"""An empty, freshly migrated database works without the samples: the role groups and the
indicator taxonomy come from data migrations, not from ``load_samples``."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from declarations.roles import ROLE_GROUPS
from indicators.models import IndicatorCategory, PerformanceIndicator

pytestmark = pytest.mark.django_db

role_groups = importlib.import_module("declarations.migrations.0005_role_groups")
taxonomy = importlib.import_module("indicators.migrations.0003_taxonomy")


def test_the_migrations_create_the_role_groups_and_the_taxonomy_on_an_empty_database():
    PerformanceIndicator.objects.all().delete()
    IndicatorCategory.objects.filter(level=2).delete()
    IndicatorCategory.objects.all().delete()
    Group.objects.all().delete()
    role_groups.create_groups(apps, None)
    taxonomy.create_taxonomy(apps, None)
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLE_GROUPS.values())
    assert IndicatorCategory.objects.filter(level=1).count() == 4
    benefit = IndicatorCategory.objects.get(code="benefit")
    assert list(benefit.children.values_list("name", flat=True)) == [
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
    ]
    # Running them again (as a re-applied migration would) adds nothing.
    role_groups.create_groups(apps, None)
    taxonomy.create_taxonomy(apps, None)
    assert Group.objects.count() == 3


def test_samples_without_demo_accounts_leave_the_roles_in_place():
    call_command("load_samples", "--no-demo-accounts", verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_GROUPS.values())
