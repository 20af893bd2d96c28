"""Indicator validation: weights, numbers, operators and the taxonomy, in Chinese."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import IndicatorKind, PerformanceIndicator
from indicators.taxonomy import resolve
from tests.factories import DeclarationFactory, IndicatorFactory, category

pytestmark = pytest.mark.django_db


def messages_of(indicator) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        indicator.full_clean()
    return excinfo.value.message_dict


def test_a_weight_of_120_is_rejected():
    indicator = IndicatorFactory.build(declaration=DeclarationFactory(), weight=Decimal(120))
    assert messages_of(indicator)["weight"] == ["指标权重应在 0 至 100 之间。"]


def test_the_database_refuses_a_weight_of_120_too():
    indicator = IndicatorFactory(declaration=DeclarationFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        PerformanceIndicator.objects.filter(pk=indicator.pk).update(weight=Decimal(120))


def test_a_quantitative_indicator_with_a_non_numeric_value_is_rejected():
    indicator = IndicatorFactory.build(
        declaration=DeclarationFactory(), target_value=None, target_text="显著提升"
    )
    assert messages_of(indicator)["target_value"] == [
        "定量指标的指标值必须是数字，“显著提升”不是数字；文字目标请将指标属性改为定性。"
    ]


def test_a_non_numeric_string_in_the_number_field_is_rejected():
    indicator = IndicatorFactory.build(declaration=DeclarationFactory(), target_value="很多")
    assert messages_of(indicator)["target_value"] == ["指标值必须是数字，“很多”不是数字。"]


def test_an_unknown_level2_category_is_rejected():
    with pytest.raises(ValidationError) as excinfo:
        resolve("产出指标", "影响力指标")
    assert excinfo.value.message_dict["level2"] == [
        "未知的二级指标“影响力指标”：一级指标“产出指标”下没有这一分类。"
    ]


def test_a_level2_category_of_another_level1_is_rejected():
    indicator = IndicatorFactory.build(
        declaration=DeclarationFactory(),
        level1=category("产出指标"),
        level2=category("社会效益指标", "效益指标"),
    )
    assert messages_of(indicator)["level2"] == ["二级指标“社会效益指标”不属于一级指标“产出指标”。"]


def test_an_unknown_operator_is_rejected():
    indicator = IndicatorFactory.build(declaration=DeclarationFactory(), operator="≈")
    assert "operator" in messages_of(indicator)


def test_a_qualitative_indicator_takes_text():
    indicator = IndicatorFactory.build(
        declaration=DeclarationFactory(),
        kind=IndicatorKind.QUALITATIVE,
        operator="",
        target_value=None,
        target_text="提升",
    )
    indicator.full_clean()
    indicator.target_text = ""
    assert messages_of(indicator)["target_text"] == ["请填写指标值。"]


def test_order_is_unique_within_a_declaration():
    declaration = DeclarationFactory()
    IndicatorFactory(declaration=declaration, order=1)
    duplicate = IndicatorFactory.build(declaration=declaration, order=1)
    assert messages_of(duplicate)["__all__"] == ["同一申报表中指标序号不能重复。"]
