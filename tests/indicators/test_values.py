"""Splitting table values into operator, number and unit, and writing them back."""

from decimal import Decimal

import pytest

from declarations.domain.values import format_value, parse_value


@pytest.mark.parametrize(
    ("raw", "operator", "number", "unit"),
    [
        ("≥45 场次", "≥", "45", "场次"),
        ("≥5场次", "≥", "5", "场次"),
        ("< 3起", "<", "3", "起"),
        ("≤100%", "≤", "100", "%"),
        ("100%", "", "100", "%"),
        ("2个", "", "2", "个"),
        ("3.75万元", "", "3.75", "万元"),
        ("≥90百分比", "≥", "90", "百分比"),
        (">=20家", "≥", "20", "家"),
        ("10", "", "10", ""),
    ],
)
def test_number_values(raw, operator, number, unit):
    parsed = parse_value(raw)
    assert (parsed.operator, parsed.number, parsed.unit, parsed.text) == (
        operator,
        Decimal(number),
        unit,
        "",
    )


@pytest.mark.parametrize(
    "raw",
    [
        "提升",
        "及时",
        "有效融合：试点区“显示度”显著提升",
        "合理安排2024年度办公设备及办公家具的购置",
        "开展科技科普对口援助活动1-2次。",
        "第一季度：\n1.召开科协委员会",
    ],
)
def test_text_values_stay_whole(raw):
    parsed = parse_value(raw)
    assert parsed.number is None
    assert parsed.text == raw


def test_format_round_trip():
    assert format_value("≥", Decimal("45.0000"), "场次") == "≥45场次"
    assert format_value("", Decimal("3.7500"), "万元") == "3.75万元"
    assert format_value("=", Decimal("10000.0000"), "人次") == "=10000人次"
    assert format_value("", None, "", "提升") == "提升"
