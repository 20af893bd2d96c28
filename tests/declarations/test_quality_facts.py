"""The indicator-quality facts stored with each declaration (``DeclarationQuality``), which the
dashboard counts: after every kind of write they are what the review checklist's own rules
say of the declaration's indicators."""

import re
from decimal import Decimal
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from declarations.domain.choices import IndicatorKind, Status
from declarations.models import Declaration, DeclarationDraft, DeclarationQuality, User
from declarations.quality import FACTS, refresh_quality
from indicators.models import IndicatorCategory, PerformanceIndicator
from indicators.rules import is_cost_indicator, vague_targets
from tests.declarations.wizards.helpers import (
    CQ_BASIC,
    CQ_BUDGET,
    CQ_NARRATIVES,
    Wizard,
    cq_indicators,
    errors,
)
from tests.factories import DeclarationFactory, IndicatorFactory, category

pytestmark = pytest.mark.django_db


def user(name: str) -> User:
    return User.objects.get(username=name)


def stored(declaration) -> dict:
    return DeclarationQuality.objects.filter(declaration=declaration.pk).values(*FACTS).get()


def checklist_verdict(declaration) -> dict:
    """What the review checklist's Python says of the declaration's indicators as stored."""
    declaration = Declaration.objects.prefetch_related(
        "indicators__level1", "indicators__level2"
    ).get(pk=declaration.pk)
    counted = [i for i in declaration.indicators.all() if not i.is_placeholder]
    codes = {i.level1.code for i in counted if i.level1_id}
    return {
        "indicators": len(counted),
        "quantitative": sum(i.kind == IndicatorKind.QUANTITATIVE for i in counted),
        "qualitative": sum(i.kind == IndicatorKind.QUALITATIVE for i in counted),
        "has_output": "output" in codes,
        "has_benefit": "benefit" in codes,
        "has_satisfaction": "satisfaction" in codes,
        "has_cost": any(is_cost_indicator(i) for i in counted),
        "has_vague": bool(vague_targets(declaration)),
    }


def assert_facts_are_the_rules(declaration) -> dict:
    facts = stored(declaration)
    assert facts == checklist_verdict(declaration), declaration.sample_key or declaration.pk
    return facts


def add(declaration, level1, level2, **values) -> PerformanceIndicator:
    return IndicatorFactory(
        declaration=declaration,
        level1=category(level1) if level1 else None,
        level2=category(level2, level1) if level2 else None,
        **values,
    )


def qualitative(text: str, **values) -> dict:
    kind = IndicatorKind.QUALITATIVE
    return dict(kind=kind, target_value=None, operator="", unit="", target_text=text, **values)


# -- the rules' verdict -------------------------------------------------------------------------


def test_the_samples_facts_are_the_rules_verdict():
    """Loaded through the services when the test session began."""
    samples = Declaration.objects.exclude(sample_key=None)
    assert samples.count() == 9
    found = [assert_facts_are_the_rules(declaration) for declaration in samples]
    # The samples differ in what they lack, so the comparison above compared something.
    assert {f["has_output"] for f in found} == {True, False}
    assert {f["qualitative"] > 0 for f in found} == {True, False}
    assert any(f["indicators"] == 0 for f in found)  # Hebei's 004-1 has none


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Vague: stripped, then its trailing full stops; not with a space before them, nor with
        # a number.
        ([qualitative("有所提升。")], {"has_vague": True}),
        ([qualitative(" 显著提升 ")], {"has_vague": True}),
        ([qualitative("进一步加强。。")], {"has_vague": True}),
        ([qualitative("提升 。"), qualitative("提升 5%")], {"has_vague": False}),
        # Cost: filed under 成本指标, under an older level 2 named 成本, or named so itself.
        ([{"level": ("成本指标", "经济成本指标")}], {"has_cost": True}),
        ([{"level": ("产出指标", "成本指标"), "name": "活动经费"}], {"has_cost": True}),
        ([{"name": "人均科普成本"}], {"has_cost": True}),
        ([{}], {"has_cost": False, "has_output": True, "has_benefit": False}),
        # A level-2 row printed without a level-3 indicator counts for nothing.
        (
            [{"level": ("满意度指标", "服务对象满意度指标")} | qualitative("", name="")],
            {"indicators": 0, "has_satisfaction": False, "has_output": False},
        ),
        # An unclassified indicator covers no category.
        ([{"level": (None, None)}], {"indicators": 1, "has_output": False}),
    ],
)
def test_each_rule_is_stored_as_the_checklist_and_the_list_filters_apply_it(rows, expected):
    declaration = DeclarationFactory()
    for row in rows:
        row = dict(row)
        level1, level2 = row.pop("level", ("产出指标", "数量指标"))
        add(declaration, level1, level2, **row)
    refresh_quality(declaration)
    facts = assert_facts_are_the_rules(declaration)
    assert {name: facts[name] for name in expected} == expected


# -- after each kind of write -------------------------------------------------------------------


def test_a_wizard_save_stores_the_facts_of_what_it_wrote(client):
    wizard = Wizard.start(client, user("shapingba"))
    indicators = cq_indicators()
    indicators["indicators-rows-2-value"] = "有所提升"
    for step, data in (
        ("basic", CQ_BASIC),
        ("budget", CQ_BUDGET),
        ("narratives", CQ_NARRATIVES),
        ("indicators", indicators),
    ):
        response = wizard.post(step, data)
        assert response.status_code == 302, errors(response)
    assert wizard.post("review", {}).status_code == 302
    declaration = Declaration.objects.get(project__name=CQ_BASIC["project_name"])
    facts = assert_facts_are_the_rules(declaration)
    assert (facts["indicators"], facts["quantitative"], facts["qualitative"]) == (3, 2, 1)
    assert facts["has_vague"]

    # Edited through the wizard again: the vague target given a number.
    response = client.post(reverse("declaration_edit", args=[declaration.pk]))
    assert response.status_code == 302
    draft_id = int(re.search(r"/drafts/(\d+)/", response.url).group(1))
    wizard = Wizard(client, DeclarationDraft.objects.get(pk=draft_id))
    for step in ("basic", "budget", "narratives", "indicators"):
        values = wizard.draft.data["step_data"][step].items()
        data = {k: v[0] if len(v) == 1 else v for k, v in values}
        if step == "indicators":
            data["indicators-rows-2-value"] = "提升 10%"
        response = wizard.post(step, data)
        assert response.status_code == 302, (step, errors(response))
    assert wizard.post("review", {}).status_code == 302
    assert Declaration.objects.get(pk=declaration.pk).version == declaration.version + 1
    assert not assert_facts_are_the_rules(declaration)["has_vague"]


def admin_post(client, url: str, changes: dict):
    """Post the admin change form at ``url`` as rendered (inlines included), with ``changes``."""
    page = client.get(url)
    assert page.status_code == 200
    forms = [page.context["adminform"].form]
    for inline in page.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None or value is False else value
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, page.context["adminform"].form.errors
    return response


def test_an_admin_edit_of_an_indicator_on_its_own_page_refreshes_the_facts(client):
    declaration = DeclarationFactory()
    add(declaration, "产出指标", "数量指标")
    indicator = add(declaration, "效益指标", "社会效益指标", **qualitative("公众知晓"))
    before = assert_facts_are_the_rules(declaration)
    assert not before["has_vague"]
    client.force_login(user("admin"))
    url = reverse("admin:indicators_performanceindicator_change", args=[indicator.pk])
    admin_post(client, url, {"target_text": "有效提升"})
    assert assert_facts_are_the_rules(declaration)["has_vague"]

    # Deleted on its own page: the declaration has no benefit indicator any more.
    delete = reverse("admin:indicators_performanceindicator_delete", args=[indicator.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    after = assert_facts_are_the_rules(declaration)
    assert (after["indicators"], after["has_benefit"], after["has_vague"]) == (1, False, False)


def test_an_admin_edit_of_the_indicators_inline_refreshes_the_facts(client):
    """The admin saves the inlines after the service recorded the edit."""
    declaration = Declaration.objects.get(sample_key="000-1")
    assert not assert_facts_are_the_rules(declaration)["has_cost"]
    client.force_login(user("admin"))
    url = reverse("admin:declarations_declaration_change", args=[declaration.pk])
    prefix = "indicators"
    page = client.get(url)
    names = [inline.formset.prefix for inline in page.context["inline_admin_formsets"]]
    assert prefix in names, names
    first = declaration.indicators.order_by("order").first()
    admin_post(client, url, {f"{prefix}-0-name": "人均活动成本", f"{prefix}-0-id": first.pk})
    assert PerformanceIndicator.objects.get(pk=first.pk).name == "人均活动成本"
    assert assert_facts_are_the_rules(declaration)["has_cost"]


def test_a_sample_load_stores_the_facts():
    declaration = Declaration.objects.get(sample_key="000-1")
    expected = stored(declaration)
    # Changed behind the services' back: an indicator gone, the facts made wrong.
    declaration.indicators.filter(order=5).delete()
    DeclarationQuality.objects.filter(declaration=declaration).update(indicators=0, has_vague=True)
    # And a sample declaration gone altogether.
    Declaration.objects.filter(sample_key="004-2").delete()
    call_command("load_samples", stdout=StringIO())
    assert assert_facts_are_the_rules(declaration) == expected
    assert_facts_are_the_rules(Declaration.objects.get(sample_key="004-2"))


def test_renaming_a_category_refreshes_the_facts_of_what_is_filed_under_it(client):
    declaration = DeclarationFactory()
    add(declaration, "产出指标", "数量指标")
    other = DeclarationFactory()
    add(other, "满意度指标", "服务对象满意度指标")
    assert not assert_facts_are_the_rules(declaration)["has_cost"]
    level2 = category("数量指标", "产出指标")
    client.force_login(user("admin"))
    url = reverse("admin:indicators_indicatorcategory_change", args=[level2.pk])
    admin_post(client, url, {"name": "数量及成本指标"})
    assert IndicatorCategory.objects.get(pk=level2.pk).name == "数量及成本指标"
    assert assert_facts_are_the_rules(declaration)["has_cost"]
    assert not assert_facts_are_the_rules(other)["has_cost"]


def test_the_migration_fills_the_facts_of_every_declaration():
    declaration = DeclarationFactory(status=Status.APPROVED)
    add(declaration, "满意度指标", "服务对象满意度指标", unit="%", target_value=Decimal(90))
    DeclarationQuality.objects.all().delete()
    import_module("declarations.migrations.0013_declaration_quality_facts").fill(apps, None)
    assert DeclarationQuality.objects.count() == Declaration.objects.count()
    for each in Declaration.objects.all():
        assert_facts_are_the_rules(each)
    assert stored(declaration)["has_satisfaction"]
