"""The self-evaluation scoring of DOMAIN.md, with figures worked out by hand."""

from decimal import Decimal as D

import pytest

from declarations.domain.choices import Grade
from declarations.domain.evaluation import (
    band_range,
    check_qualitative,
    default_points,
    execution_score,
    grade_of,
    points_by_weight,
    quantitative_score,
    split_exactly,
    too_easy,
)


def test_execution_score_is_ten_times_the_rate_capped_at_one():
    assert execution_score(D(200_000), D(150_000)) == D("7.50")
    assert execution_score(D(200_000), D(250_000)) == D("10.00")
    assert execution_score(D(3), D(1)) == D("3.33")  # 3.333… half up to the cent
    assert execution_score(D(3), D(2)) == D("6.67")
    assert execution_score(D(0), D(0)) == 10


def test_points_by_weight_scale_to_ninety_and_add_up_exactly():
    assert points_by_weight([D(30), D(20), D(20), D(20)]) == [D(30), D(20), D(20), D(20)]
    # Weights summing to 100 instead of 90: 40 × 90/100 = 36, 60 × 0.9 = 54.
    assert points_by_weight([D(40), D(60)]) == [D(36), D(54)]
    # 90 / 7 = 12.857142…: in cents 9000 ÷ 7 = 1285 rem 5, so five get 12.86, two 12.85.
    sevens = points_by_weight([D(1)] * 7)
    assert sevens == [D("12.86")] * 5 + [D("12.85")] * 2 and sum(sevens) == 90


def test_split_exactly_gives_leftover_cents_to_the_largest_remainders_first():
    # 1.00 in three: 0.333… each; one leftover cent to the first.
    assert split_exactly(D(1), [D(1), D(1), D(1)]) == [D("0.34"), D("0.33"), D("0.33")]


def test_ninety_in_seven_equal_parts():
    # 9000 cents ÷ 7 = 1285 rem 5: five indicators get 12.86, two get 12.85.
    assert split_exactly(D(90), [D(1)] * 7) == [D("12.86")] * 5 + [D("12.85")] * 2


def test_default_split_without_weights():
    # 产出 ×3 (one of them 成本), 效益 ×2, 满意度 ×1: 50/3, 30/2, 10.
    points = default_points(["output", "output", "cost", "benefit", "benefit", "satisfaction"])
    assert points == [D("16.67"), D("16.67"), D("16.66"), D(15), D(15), D(10)]
    assert sum(points) == 90


def test_default_split_without_satisfaction_gives_its_ten_to_benefit():
    assert default_points(["output", "benefit"]) == [D(50), D(40)]


def test_default_split_unclassified_counts_as_output():
    assert default_points([None, None, "benefit", "satisfaction"]) == [D(25), D(25), D(30), D(10)]
    assert default_points([None]) == [D(90)]


@pytest.mark.parametrize(
    ("operator", "target", "actual", "score"),
    [
        ("≥", "40", "30", "15.00"),  # 20 × 30/40
        ("≥", "40", "48", "20.00"),  # capped at the points
        (">", "3", "1", "6.67"),  # 20 × 1/3 = 6.666…
        ("≥", "0", "0", "20.00"),
        ("≤", "5", "5", "20.00"),
        ("≤", "5", "8", "12.50"),  # 20 × 5/8
        ("<", "5", "10", "10.00"),
        ("≤", "0", "0", "20.00"),  # a reverse target of 0: full at 0
        ("≤", "0", "1", "0.00"),  # … none above
        ("=", "100", "80", "16.00"),  # 20 × 80/100
        ("=", "100", "125", "16.00"),  # 20 × 100/125
        ("=", "0", "0", "20.00"),
    ],
)
def test_quantitative_scores(operator, target, actual, score):
    assert quantitative_score(D(20), operator, D(target), D(actual)) == D(score)


def test_qualitative_bands_at_their_edges():
    assert band_range(D(20), "achieved") == (D(16), D(20))
    assert band_range(D(20), "partly") == (D(12), D(16))
    assert band_range(D(20), "poor") == (D(0), D(12))
    assert not check_qualitative(D(20), "achieved", D(16))
    assert not check_qualitative(D(20), "partly", D(16))
    assert check_qualitative(D(20), "partly", D("16.01")).message == (
        "“部分达成并具有一定效果”的得分应在 12–16 分之间。"
    )
    assert check_qualitative(D(20), "achieved", D("20.01")).message == "得分不能超过分值 20 分。"
    assert check_qualitative(D(20), "poor", D(12)).message == ""
    assert "请选择完成情况" in check_qualitative(D(20), "", D(1)).message
    assert check_qualitative(D(20), "poor", None).message == "请填写得分（0–12 分）。"


def test_an_actual_of_120_percent_of_a_positive_target_is_flagged():
    assert too_easy("≥", D(40), D(48))  # exactly 120 %
    assert not too_easy("≥", D(40), D("47.99"))
    assert not too_easy("≤", D(40), D(100))  # reverse: more is worse, not too easy
    assert not too_easy("≥", D(0), D(5))


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", Grade.EXCELLENT),
        ("90", Grade.EXCELLENT),
        ("89.99", Grade.GOOD),
        ("80", Grade.GOOD),
        ("79.99", Grade.FAIR),
        ("60", Grade.FAIR),
        ("59.99", Grade.POOR),
        ("0", Grade.POOR),
    ],
)
def test_grades_with_lower_bounds_included(total, grade):
    assert grade_of(D(total)) == grade
