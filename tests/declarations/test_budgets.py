"""Budget identities and spending-plan rules, with their Chinese messages."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from declarations.domain.money import MoneyUnit, format_amount
from declarations.models import Budget
from declarations.models.budgets import validate_spending_plan
from tests.factories import BudgetFactory, DeclarationFactory

pytestmark = pytest.mark.django_db


def test_parts_that_do_not_add_up_are_rejected_with_the_sums_in_the_tables_unit():
    declaration = DeclarationFactory(money_unit=MoneyUnit.WAN_YUAN)
    budget = Budget(
        declaration=declaration,
        total=Decimal("5679700"),
        basic_expenditure=Decimal("2389700"),
        project_expenditure=Decimal("3280000"),
    )
    with pytest.raises(ValidationError) as excinfo:
        budget.full_clean()
    messages = excinfo.value.message_dict["basic_expenditure"]
    assert messages == ["基本支出、项目支出之和为 566.97 万元，与预算总额 567.97 万元 不一致。"]
    assert not Budget.objects.filter(declaration=declaration).exists()


def test_own_level_and_transfers_down_must_make_the_total():
    budget = BudgetFactory.build(
        declaration=DeclarationFactory(money_unit=MoneyUnit.YUAN),
        total=Decimal("400000"),
        own_level=Decimal("100000"),
        transfers_down=Decimal("200000"),
    )
    with pytest.raises(ValidationError) as excinfo:
        budget.full_clean()
    assert excinfo.value.message_dict["own_level"] == [
        "本级使用资金、对下转移支付资金之和为 300000.00 元，与预算总额 400000.00 元 不一致。"
    ]


def test_blank_part_counts_as_zero_and_blank_group_is_not_checked():
    budget = BudgetFactory.build(
        declaration=DeclarationFactory(),
        total=Decimal("400000"),
        own_level=None,
        transfers_down=Decimal("400000"),
    )
    budget.full_clean()


def test_parts_without_total_ask_for_the_total():
    budget = Budget(declaration=DeclarationFactory(), fiscal_appropriation=Decimal("1"))
    with pytest.raises(ValidationError) as excinfo:
        budget.full_clean()
    assert excinfo.value.message_dict["total"] == ["已填写财政拨款，请同时填写预算总额。"]


def test_development_spending_cannot_exceed_project_spending():
    budget = BudgetFactory.build(
        declaration=DeclarationFactory(money_unit=MoneyUnit.YUAN),
        total=Decimal("100"),
        basic_expenditure=Decimal("40"),
        project_expenditure=Decimal("60"),
        special_funds=Decimal("50"),
        other_development=Decimal("20"),
    )
    with pytest.raises(ValidationError) as excinfo:
        budget.full_clean()
    assert "超过项目支出" in excinfo.value.message_dict["special_funds"][0]


def test_negative_and_over_precise_amounts_are_rejected_not_rounded():
    budget = BudgetFactory.build(declaration=DeclarationFactory(), total=Decimal("-1"))
    with pytest.raises(ValidationError) as excinfo:
        budget.full_clean()
    assert "金额不能为负数。" in excinfo.value.message_dict["total"]
    budget.total = Decimal("1.005")
    with pytest.raises(ValidationError) as excinfo:
        budget.full_clean()
    assert "total" in excinfo.value.message_dict


def test_amounts_are_shown_without_losing_digits():
    assert format_amount(Decimal("375000.00"), MoneyUnit.WAN_YUAN) == "37.50"
    assert format_amount(Decimal("37500.00"), MoneyUnit.WAN_YUAN) == "3.75"
    assert format_amount(Decimal("12345.67"), MoneyUnit.WAN_YUAN) == "1.234567"
    assert format_amount(Decimal("37500"), MoneyUnit.YUAN) == "37500.00"
    assert format_amount(None, MoneyUnit.YUAN) == ""


def test_spending_plan_must_not_fall_and_must_end_at_100():
    validate_spending_plan([(3, Decimal(20)), (6, Decimal(50)), (12, Decimal(100))])
    with pytest.raises(ValidationError) as excinfo:
        validate_spending_plan([(3, Decimal(60)), (6, Decimal(50)), (12, Decimal(90))])
    assert excinfo.value.messages == [
        "累计支出比例不能下降：3月底为 60%，6月底却为 50%。",
        "支出计划最后一个节点（12月底）应达到 100%，目前为 90%。",
    ]
