"""The monitoring lights of DOMAIN.md, with figures worked out by hand, boundaries included."""

from decimal import Decimal as D

import pytest

from declarations.domain.monitoring import (
    Light,
    Signal,
    budget_signal,
    qualitative_signal,
    quantitative_signal,
    time_progress,
    worst,
)


def test_time_progress_is_months_over_twelve():
    assert time_progress(7) == D(7) / D(12)
    assert time_progress(12) == 1
    with pytest.raises(ValueError):
        time_progress(0)
    with pytest.raises(ValueError):
        time_progress(13)


# Data to 6月 (time progress 50 %), budget 100 万元 = 1,000,000 元.
@pytest.mark.parametrize(
    ("executed", "light", "shown"),
    [
        ("299999.99", Light.RED, "59.9%"),  # 29.999999 % ÷ 50 % = 59.999998 % → red
        ("300000", Light.YELLOW, "60.0%"),  # exactly 60 %: yellow
        ("399999.99", Light.YELLOW, "79.9%"),  # 79.999998 %
        ("400000", Light.GREEN, "80.0%"),  # exactly 80 %: green
        ("1000000", Light.GREEN, "200.0%"),  # no blue for the budget
    ],
)
def test_budget_light_at_its_bands(executed, light, shown):
    signal = budget_signal(D(1_000_000), D(executed), 6)
    assert signal.light == light
    assert f"= {shown}" in signal.explanation and "时间进度 50.0%（6/12）" in signal.explanation


def test_budget_without_figures_is_not_judged():
    assert budget_signal(D(0), D(5), 6).light is None
    assert budget_signal(D(100), None, 6).light is None


# Target ≥ 40 场, data to 9月 (75 %): expected 30 by now.
@pytest.mark.parametrize(
    ("actual", "light"),
    [
        ("17.99", Light.RED),  # 59.97 %
        ("18", Light.YELLOW),  # 60 % exactly
        ("23.99", Light.YELLOW),  # 79.97 %
        ("24", Light.GREEN),  # 80 %
        ("35.99", Light.GREEN),  # 119.97 %
        ("36", Light.BLUE),  # 120 %: probably set too low
    ],
)
def test_positive_indicator_light_at_its_bands(actual, light):
    assert quantitative_signal("≥", D(40), D(actual), 9).light == light


def test_equal_and_greater_than_are_positive_too():
    assert quantitative_signal("=", D(12), D(3), 12).light == Light.RED  # 25 %
    assert quantitative_signal(">", D(12), D(12), 12).light == Light.GREEN


def test_reverse_indicator_is_green_within_the_target_and_red_past_it():
    assert quantitative_signal("≤", D(5), D(5), 7).light == Light.GREEN
    assert quantitative_signal("≤", D(5), D("5.01"), 7).light == Light.RED
    assert quantitative_signal("<", D(5), D(5), 7).light == Light.RED
    assert quantitative_signal("<", D(5), D("4.99"), 7).light == Light.GREEN
    # A target of 0 on a reverse indicator: green at 0, red above.
    assert quantitative_signal("≤", D(0), D(0), 7).light == Light.GREEN
    assert quantitative_signal("≤", D(0), D("0.5"), 7).light == Light.RED


def test_positive_target_of_zero_is_met():
    assert quantitative_signal("≥", D(0), D(0), 7).light == Light.GREEN


def test_qualitative_light_is_the_clerks_judgement():
    assert qualitative_signal("achieved").light == Light.GREEN
    assert qualitative_signal("partly").light == Light.YELLOW
    assert qualitative_signal("not_achieved").light == Light.RED
    assert qualitative_signal("").light is None


def test_the_declarations_light_is_its_worst():
    green, blue = Signal(Light.GREEN, ""), Signal(Light.BLUE, "")
    yellow, red, none = Signal(Light.YELLOW, ""), Signal(Light.RED, ""), Signal(None, "")
    assert worst([green, blue, none]).light == Light.BLUE
    assert worst([green, yellow, blue]).light == Light.YELLOW
    assert worst([green, red, yellow]).light == Light.RED
    combined = worst([green, red, yellow, green])
    assert combined.explanation == "取最差的一项：红灯 1 项，黄灯 1 项，绿灯 2 项。"
    assert worst([none]).light is None


def test_a_light_explains_itself():
    signal = quantitative_signal("≥", D(40), D(21), 7)
    # 21 ÷ (40 × 7/12) = 21 ÷ 23.333… = 90.0 %
    assert signal.light == Light.GREEN
    assert "实际值 21 ÷（目标 40 × 时间进度 58.3%）= 90.0%" in signal.explanation
