"""Bad input found by fuzzing the wizard: each gets a Chinese message, changes nothing, and
never ends in a 500 (the test client re-raises any server error, so a 500 fails the test)."""

from decimal import Decimal

import pytest
from django.test import Client

from declarations.models import Declaration, User
from indicators.models import IndicatorCategory
from tests.declarations.wizards.helpers import (
    Wizard,
    cq_indicators,
    errors,
    formset,
    row_counts,
)
from tests.declarations.wizards.test_steps import fill_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def wizard():
    return Wizard.start(Client(), User.objects.get(username="shapingba"))


def messages_of(client, response) -> list[str]:
    page = client.get(response.url).content.decode()
    return [m for m in ("页面已过期或步骤无效", "基本信息需要先修改") if m in page]


def test_a_step_that_is_not_a_step_of_this_wizard_is_refused(wizard):
    fill_until(wizard, "budget")
    before = row_counts()
    response = wizard.post(
        "budget", {"total": "1"}, **{f"draft_{wizard.draft.pk}-current_step": "targets"}
    )
    assert response.status_code == 302
    assert messages_of(wizard.client, response) == ["页面已过期或步骤无效"]
    assert row_counts() == before


@pytest.mark.parametrize("value", ["99999", "abc", "-1", "1.5"])
def test_level_ids_that_do_not_exist_are_refused_at_the_field(wizard, value):
    fill_until(wizard, "indicators")
    rows = cq_indicators()
    rows["indicators-rows-1-level1"] = value
    rows["indicators-rows-2-level2"] = value
    response = wizard.post("indicators", rows)
    assert response.status_code == 200
    assert "未知的一级指标。" in errors(response) and "未知的二级指标。" in errors(response)


def test_more_indicator_rows_than_allowed_are_refused_with_a_message(wizard):
    fill_until(wizard, "indicators")
    rows = cq_indicators()
    rows["indicators-rows-TOTAL_FORMS"] = "1500"
    response = wizard.post("indicators", rows)
    assert response.status_code == 200
    assert "绩效指标最多 200 项，请删减后再继续。" in response.content.decode()


def test_a_spending_plan_share_outside_0_to_100_gets_its_message(wizard):
    fill_until(wizard, "budget")
    plan = formset("budget-plan", [{"month": "3", "percent": "150"}])
    response = wizard.post("budget", {"total": "12.5", "own_level": "12.5", **plan})
    assert response.status_code == 200
    assert "支出比例应在 0% 至 100% 之间。" in errors(response)


def test_later_steps_after_the_basic_step_stopped_holding_go_back_to_it(wizard):
    fill_until(wizard, "narratives")
    # The back button after emptying the year: the basic step no longer holds.
    assert (
        wizard.post("basic", {"project_name": "青少年科技创新大赛", "fiscal_year": ""}).status_code
        == 200
    )
    before = row_counts()
    for step, data in (("budget", {"total": "1"}), ("review", {})):
        response = wizard.post(step, data)
        assert response.status_code == 302 and response.url.endswith("/basic/")
        assert messages_of(wizard.client, response) == ["基本信息需要先修改"]
    assert wizard.get("review").url.endswith("/basic/")
    assert row_counts() == before


def test_a_colleague_who_saved_the_same_project_and_year_first_is_reported_at_the_year(wizard):
    fill_until(wizard, "review")
    colleague = Wizard.start(Client(), User.objects.get(username="shapingba"))
    fill_until(colleague, "review")
    assert colleague.post("review", {}).status_code == 302
    before = row_counts()
    response = wizard.post("review", {})
    assert response.status_code == 302 and response.url.endswith("/basic/")
    basic = wizard.get("basic")
    assert "项目“青少年科技创新大赛”已有 2026 年度的申报表。" in errors(basic)
    assert row_counts() == before


def test_nul_and_other_control_characters_never_reach_the_database(wizard):
    response = wizard.post(
        "basic",
        {
            "project_name": "青少年\x00科技\x0b创新\x01大赛",
            "fiscal_year": "2026",
            "layout": "cq_special",
        },
    )
    assert response.status_code == 302
    wizard.draft.refresh_from_db()
    assert wizard.draft.data["step_data"]["basic"]["basic-project_name"] == ["青少年科技\n创新大赛"]


def test_a_declaration_of_200_indicators_can_be_saved(wizard):
    fill_until(wizard, "indicators")
    output = IndicatorCategory.objects.get(code="output")
    quantity = output.children.get(code="output-quantity")
    rows = [
        {
            "level1": str(output.pk),
            "level2": str(quantity.pk),
            "name": f"指标{n}",
            "kind": "quantitative",
            "operator": "≥",
            "value": str(n),
            "unit": "次",
            "weight": "0.45",
            "ORDER": str(n),
        }
        for n in range(1, 201)
    ]
    response = wizard.post("indicators", formset("indicators-rows", rows))
    assert response.status_code == 302, errors(response)
    assert wizard.post("review", {}).status_code == 302
    declaration = Declaration.objects.get(project__name="青少年科技创新大赛")
    assert declaration.indicators.count() == 200
    assert sum(i.weight for i in declaration.indicators.all()) == Decimal(90)
