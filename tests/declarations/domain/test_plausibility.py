"""Plausibility warnings (``declarations.domain.plausibility``) with figures worked by hand,
and the budget messages named only by the clerk's own layout (``rules.budget_findings``)."""

from decimal import Decimal

import pytest

from declarations.domain.budget import CONCEPTS
from declarations.domain.money import MoneyUnit, format_amount
from declarations.domain.plausibility import (
    AMOUNT_LIMIT_WAN,
    amount_findings,
    key_task_funds_findings,
    looks_typed_in_yuan,
    old_year_findings,
    year_mentions,
)
from declarations.domain.profiles import PROFILES, profile_of
from declarations.domain.rules import budget_findings, contradicted_amounts, weight_explanation

WAN = Decimal(10000)


def show_wan(amount: Decimal) -> str:
    return f"{format_amount(amount, MoneyUnit.WAN_YUAN)} 万元"


# -- an amount typed in 元 in a 万元 table ---------------------------------------------------


def test_the_limit_is_ten_thousand_wan_yuan_in_wan_yuan_tables_only():
    assert AMOUNT_LIMIT_WAN == Decimal(10000)  # 1 亿元
    assert not looks_typed_in_yuan(Decimal("9999.99") * WAN, MoneyUnit.WAN_YUAN)
    assert looks_typed_in_yuan(Decimal(10000) * WAN, MoneyUnit.WAN_YUAN)
    # The Guangzhou department's whole budget (567.97 万元) is far below it.
    assert not looks_typed_in_yuan(Decimal("5679700"), MoneyUnit.WAN_YUAN)
    # In a 元 table (Hebei) 185000 is 18.5 万元: plausible.
    assert not looks_typed_in_yuan(Decimal(185000), MoneyUnit.YUAN)
    assert not looks_typed_in_yuan(None, MoneyUnit.WAN_YUAN)


def test_185000_wan_yuan_reads_as_18_5_yi_and_is_suggested_as_18_5_wan_yuan():
    # 185000 万元 = 1,850,000,000 元 = 18.5 亿元; as 元 it would be 185000 / 10000 = 18.5 万元.
    amounts = {"total": Decimal(185000) * WAN, "own_level": Decimal("18.5") * WAN}
    labels = profile_of("cq_special").budget_labels
    [finding] = amount_findings(amounts, MoneyUnit.WAN_YUAN, labels)
    assert (finding.field, finding.related) == ("total", ())
    assert finding.message == (
        "预算填写为 185000 万元，即 18.5 亿元，远超科协项目和部门的常见规模，"
        "可能是按“元”填写的：如按元计，应填 18.5（万元）。"
    )


def test_a_whole_budget_typed_in_yuan_is_one_warning():
    # 185000 = 155000 + 30000, all typed in 元: one mistake, one message, three fields.
    amounts = {
        "total": Decimal(185000) * WAN,
        "own_level": Decimal(155000) * WAN,
        "transfers_down": Decimal(30000) * WAN,
    }
    labels = profile_of("cq_special").budget_labels
    [finding] = amount_findings(amounts, MoneyUnit.WAN_YUAN, labels)
    assert (finding.field, finding.related) == ("total", ("own_level", "transfers_down"))
    assert finding.message == (
        "预算、区级支出、补助街镇填写为 185000、155000、30000 万元，最大的即 18.5 亿元，"
        "远超科协项目和部门的常见规模，可能是按“元”填写的：如按元计，应分别填 "
        "18.5、15.5、3（万元）。"
    )


def test_amounts_the_form_does_not_show_are_not_read():
    amounts = {"fiscal_appropriation": Decimal(200000) * WAN}
    assert amount_findings(amounts, MoneyUnit.WAN_YUAN, {"total": "预算"}) == []


# -- key tasks beyond the budget line they are paid from --------------------------------------


def test_the_guangzhou_samples_key_tasks_fit_in_its_project_expenditure():
    # 176.70 + 88.01 = 264.71 万元 <= 项目支出 329.00 万元.
    funds = [Decimal("1767000"), Decimal("880100")]
    assert key_task_funds_findings(funds, Decimal("3290000"), "项目支出", show_wan) == []


def test_key_tasks_adding_up_to_more_than_the_project_expenditure():
    # 300 + 88.01 = 388.01 万元 > 329.00 万元; an empty amount counts as nothing.
    funds = [Decimal(300) * WAN, Decimal("880100"), None]
    [finding] = key_task_funds_findings(funds, Decimal(329) * WAN, "项目支出", show_wan)
    assert finding.field == "funds"
    assert finding.message == (
        "重点工作任务拟投入的资金合计 388.01 万元，超过项目支出 329.00 万元："
        "任务资金应从项目支出中安排，请核对各项任务的金额。"
    )
    # Exactly the project expenditure is fine; without one there is nothing to compare.
    assert key_task_funds_findings([Decimal(329) * WAN], Decimal(329) * WAN, "项目支出", str) == []
    assert key_task_funds_findings(funds, None, "项目支出", str) == []


# -- a copy that still names last year -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("完成2024年度科普日活动", ["2024年度"]),
        ("计划在 2024 年举办", ["2024 年"]),
        ("２０２４年全区科普大赛", ["２０２４年"]),
        ("《2021-2024年科普规划》", []),  # the end of a span
        ("《2021—2024年规划》", []),
        ("12024年", []),  # inside a longer number
        ("2024-2026年", []),  # the start of a span
        ("2025年科普日", []),  # the new year
        ("2024年、2024年", ["2024年", "2024年"]),
    ],
)
def test_year_mentions(text, found):
    assert year_mentions(text, 2024) == found


def test_old_year_findings_name_the_field_and_the_years():
    texts = {
        "annual_target": "2024年举办科普日活动，2024年底前完成。",
        "overview": "《全民科学素质行动规划纲要（2021-2035年）》",
    }
    labels = {"annual_target": "年度目标", "overview": "项目概况"}
    [finding] = old_year_findings(texts, labels, copied_year=2024, fiscal_year=2025)
    assert finding.field == "annual_target"
    assert finding.message == (
        "年度目标中仍写着“2024年”（共 2 处）：本申报表复制自 2024 年度，预算年度为 2025 年，"
        "请核对是否应改为 2025 年。"
    )
    # The clerk kept the old year for the new declaration: nothing to say.
    assert old_year_findings(texts, labels, copied_year=2024, fiscal_year=2024) == []


# -- budget messages name only what the clerk's form shows -------------------------------------


def neutral_words_not_on(profile) -> list[str]:
    """Neutral amount names (预算总额, 对下转移支付资金 …) the layout's form does not show."""
    shown = list(profile.budget_labels.values())
    return [
        word
        for name, word in CONCEPTS.items()
        if word not in shown and not any(word in label for label in shown)
    ]


@pytest.mark.parametrize("layout", list(PROFILES))
def test_every_budget_message_names_only_the_layouts_own_fields(layout):
    profile = profile_of(layout)
    # Every amount of the form filled and none adding up.
    amounts = {name: Decimal(index + 1) * WAN for index, name in enumerate(profile.budget_fields)}
    findings = budget_findings(amounts, show_wan, profile)
    assert findings
    for finding in findings:
        for word in neutral_words_not_on(profile):
            assert word not in finding.message, (layout, finding.message)
        assert finding.field in profile.budget_fields
        assert set(finding.related) <= set(profile.budget_fields)


def test_chongqing_names_its_own_labels_and_marks_every_part():
    profile = profile_of("cq_special")
    amounts = {"total": Decimal(125000), "own_level": Decimal(100000), "transfers_down": WAN}
    [finding] = budget_findings(amounts, show_wan, profile)
    assert finding.message == "区级支出、补助街镇之和为 11.00 万元，与预算 12.50 万元 不一致。"
    assert (finding.field, finding.related) == ("own_level", ("transfers_down", "total"))
    [missing] = budget_findings({"own_level": WAN}, show_wan, profile)
    assert missing.message == "已填写区级支出，请同时填写预算。"
    assert (missing.field, missing.related) == ("total", ("own_level",))


def test_guangzhou_compares_with_the_sum_of_the_parts_it_prints():
    profile = profile_of("gz_department")
    # 238.97 + 329.00 = 567.97 万元, the total Guangzhou does not print.
    amounts = {
        "basic_expenditure": Decimal("2389700"),
        "project_expenditure": Decimal("3290000"),
        "fiscal_appropriation": Decimal("5000000"),
        "own_level": Decimal("5679700"),
    }
    [finding] = budget_findings(amounts, show_wan, profile)
    assert finding.message == (
        "财政拨款为 500.00 万元，与基本支出、项目支出之和 567.97 万元 不一致。"
    )
    assert finding.field == "fiscal_appropriation"
    assert finding.related == ("basic_expenditure", "project_expenditure")
    assert profile.total_label == "基本支出、项目支出之和"
    [missing] = budget_findings({"fiscal_appropriation": WAN}, show_wan, profile)
    assert missing.message == "已填写财政拨款，请同时填写基本支出、项目支出。"


def test_without_a_profile_the_stored_budget_is_read_under_its_neutral_names():
    amounts = {"total": Decimal(400000), "own_level": Decimal(100000), "transfers_down": WAN * 20}
    [finding] = budget_findings(amounts, lambda a: f"{format_amount(a, 'yuan')} 元")
    assert finding.message == (
        "本级使用资金、对下转移支付资金之和为 300000.00 元，与预算总额 400000.00 元 不一致。"
    )


def test_amounts_of_an_earlier_layout_that_no_longer_add_up_are_dropped():
    # Filed in Chongqing (20 = 20 区级), then edited in Kunming with a total of 30.
    stored = {"total": Decimal(20) * WAN, "own_level": Decimal(20) * WAN}
    typed = {"total": Decimal(30) * WAN, "fiscal_appropriation": Decimal(30) * WAN}
    assert contradicted_amounts(stored, typed) == ["own_level"]
    # Left at 20 it still adds up, and stays.
    assert contradicted_amounts(stored, {"total": Decimal(20) * WAN}) == []


def test_the_weight_total_is_explained():
    assert weight_explanation(profile_of("cq_special")) == (
        "满分 100 分中，10 分属于“预算执行率”，在年度绩效自评时按资金实际支出情况计分，"
        "不在此填写；各项指标的权重合计应为 90 分。"
    )
    assert weight_explanation(profile_of("km_project")) == (
        "如填写权重，各项指标的权重合计应为 100 分。"
    )
