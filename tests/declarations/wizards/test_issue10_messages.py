"""Issue 10, a clerk's first day: each message explains itself, names only what the clerk
sees on the step, sits at (and outlines in red) the fields it concerns, and is said once."""

import re

import pytest
from django.utils.html import escape

from declarations.domain.values import parse_value
from declarations.models import User
from declarations.wizards.forms.indicators import HELP, VALUE_EXAMPLES
from tests.declarations.wizards.helpers import (
    CQ_BASIC,
    CQ_BUDGET,
    CQ_NARRATIVES,
    Wizard,
    errors,
    formset,
    row_counts,
)

pytestmark = pytest.mark.django_db


def widget(page: str, name: str) -> str:
    """The HTML tag of the input (or select, textarea) named ``name``."""
    match = re.search(rf'<(?:input|select|textarea)\b[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    assert match, name
    return match.group()


def is_invalid(page: str, name: str) -> bool:
    return bool(re.search(r'class="[^"]*\bis-invalid\b', widget(page, name)))


@pytest.fixture
def chongqing(client):
    wizard = Wizard.start(client, User.objects.get(username="shapingba"))
    assert wizard.post("basic", CQ_BASIC).status_code == 302
    return wizard


def until_indicators(wizard):
    assert wizard.post("budget", CQ_BUDGET).status_code == 302
    assert wizard.post("narratives", CQ_NARRATIVES).status_code == 302


def rows(*specs, initial=1):
    base = {"kind": "quantitative", "operator": "≥", "unit": "场"}
    return formset(
        "indicators-rows",
        [{**base, **spec, "ORDER": str(i)} for i, spec in enumerate(specs, start=1)],
        initial=initial,
    )


# -- 1. weights --------------------------------------------------------------------------------


def test_the_weight_counter_says_why_the_total_is_90(chongqing):
    until_indicators(chongqing)
    page = chongqing.get("indicators").content.decode()
    assert 'id="weight-total"' in page and 'data-target="90"' in page
    explanation = re.search(r'id="weight-explanation">([^<]+)<', page).group(1)
    assert explanation == (
        "满分 100 分中，10 分属于“预算执行率”，在年度绩效自评时按资金实际支出情况计分，"
        "不在此填写；各项指标的权重合计应为 90 分。"
    )
    assert page.count("预算执行率") == 1  # explained once


def test_the_weight_total_error_is_shown_while_rows_have_errors(chongqing):
    until_indicators(chongqing)
    before = row_counts()
    data = rows(
        {"name": "", "value": "5", "weight": "60"},
        {"name": "参赛学生人数", "value": "五百", "weight": "50"},
    )
    response = chongqing.post("indicators", data)
    assert response.status_code == 200
    found = errors(response)
    assert "指标权重合计为 110，应为 90。" in found
    assert "请填写指标名称。" in found
    assert any("“五百”不是数字" in e for e in found)
    assert row_counts() == before
    # A weight that is not a number leaves the total unknown: only its own message.
    data = rows({"name": "甲", "value": "5", "weight": "六十"}, {"name": "乙", "value": "5"})
    found = errors(chongqing.post("indicators", data))
    assert "权重请填写数字。" in found
    assert not any(e.startswith("指标权重合计") for e in found)


# -- 3. one message per mistake, outlined in red -----------------------------------------------


def test_five_hundred_in_words_gets_exactly_one_message(chongqing):
    until_indicators(chongqing)
    data = rows({"name": "讲解比赛场次", "value": "五百", "weight": "90"})
    page = chongqing.post("indicators", data).content.decode()
    message = "定量指标的指标值必须是数字，“五百”不是数字；文字目标请将指标属性改为定性。"
    assert page.count(message) == 1
    assert len(re.findall(r"invalid-feedback[^>]*>[^<]*五百", page)) == 1
    assert is_invalid(page, "indicators-rows-0-value")
    # Shown again from the draft (the clerk left and came back): still once.
    page = chongqing.get("indicators").content.decode()
    assert page.count(message) == 1


def test_an_empty_indicator_name_is_outlined_in_red_at_the_field(chongqing):
    until_indicators(chongqing)
    data = rows({"name": "", "value": "5", "weight": "90"})
    page = chongqing.post("indicators", data).content.decode()
    assert is_invalid(page, "indicators-rows-0-name")
    tag = widget(page, "indicators-rows-0-name")
    assert 'aria-invalid="true"' in tag
    # The message follows the field it concerns.
    name_at = page.index('name="indicators-rows-0-name"')
    assert page.index("请填写指标名称。", name_at) - name_at < 400
    assert not is_invalid(page, "indicators-rows-0-value")


# -- 2. budget messages name the fields of the form and mark them ------------------------------


def test_a_chongqing_sum_names_its_own_fields_and_marks_all_of_them(chongqing):
    before = row_counts()
    response = chongqing.post("budget", {"total": "12.5", "own_level": "10", "transfers_down": "1"})
    page = response.content.decode()
    assert errors(response) == [
        "区级支出、补助街镇之和为 11.00 万元，与预算 12.50 万元 不一致。",
        "请修改标红的内容后再继续。",
    ]
    assert "对下转移支付" not in page and "预算总额" not in page
    for name in ("total", "own_level", "transfers_down"):
        assert is_invalid(page, f"budget-{name}"), name
    assert row_counts() == before


def test_a_guangzhou_sum_is_compared_with_the_parts_the_clerk_typed(client):
    wizard = Wizard.start(client, User.objects.get(username="nansha"), kind="department")
    assert (
        wizard.post("basic", {"fiscal_year": "2026", "layout": "gz_department"}).status_code == 302
    )
    response = wizard.post(
        "budget",
        {
            "basic_expenditure": "238.97",
            "project_expenditure": "329",
            "fiscal_appropriation": "567.97",
            "own_level": "500",
        },
    )
    page = response.content.decode()
    assert "区本级使用资金为 500.00 万元，与基本支出、项目支出之和 567.97 万元 不一致。" in errors(
        response
    )
    assert "预算总额" not in page
    for name in ("own_level", "basic_expenditure", "project_expenditure"):
        assert is_invalid(page, f"budget-{name}"), name
    assert not is_invalid(page, "budget-fiscal_appropriation")


# -- 5. help texts and 6. units ----------------------------------------------------------------


def test_the_indicator_step_explains_kind_operator_and_value(chongqing):
    until_indicators(chongqing)
    page = chongqing.get("indicators").content.decode()
    for name in ("kind", "operator", "value"):
        assert f'id="indicator-help-{name}">{escape(HELP[name])}<' in page
        assert f'aria-describedby="indicator-help-{name}"' in widget(
            page, f"indicators-rows-0-{name}"
        )
    assert ">指标性质<" in page and ">运算符<" not in page
    # The examples the help gives are numbers to the value grammar, with operator and unit.
    for example in VALUE_EXAMPLES:
        parsed = parse_value(example)
        assert parsed.is_numeric and parsed.operator and parsed.unit or example == "100%"
    assert parse_value("五百").number is None


def test_key_task_funds_are_labelled_with_the_layouts_unit(client):
    wizard = Wizard.start(client, User.objects.get(username="nansha"), kind="department")
    wizard.post("basic", {"fiscal_year": "2026", "layout": "gz_department"})
    wizard.post(
        "budget",
        {"basic_expenditure": "1", "project_expenditure": "2", "fiscal_appropriation": "3"},
    )
    data = {
        "overall_target": "目标",
        **formset("targets-tasks", [{"name": "任务", "funds": "十万", "ORDER": "1"}]),
    }
    response = wizard.post("targets", data)
    page = response.content.decode()
    assert "拟投入的资金（万元）" in page
    assert ">拟投入的资金<" not in page
    assert "请填写金额数字（单位：万元）。" in errors(response)
