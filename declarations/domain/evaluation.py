"""Year-end self-evaluation (绩效自评, 财预〔2020〕10号): points, scores, total and grade.

Every rule of DOMAIN.md "After approval / Self-evaluation" is here and nowhere else:
- budget execution: 10 points × min(执行数 ÷ 全年预算数, 1);
- indicators share 90 points: by weight where the declaration has weights, otherwise 产出 (with
  成本) 50, 效益 30, 满意度 10, evenly within each group (满意度's 10 go to 效益 when there is no
  满意度 indicator);
- a quantitative indicator's score follows its operator; a qualitative one is the clerk's score
  inside the band of their judgement;
- grade: 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60 (lower bounds included).

Scores are kept to the cent (0.01 point, half up). Points are split so that they add up to exactly
90 at that precision (largest remainder), so a table's column always sums to what it says.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import models

from declarations.domain.choices import Grade, Operator
from declarations.domain.money import plain_decimal

CENT = Decimal("0.01")
EXECUTION_POINTS = Decimal(10)
INDICATOR_POINTS = Decimal(90)
TOTAL_POINTS = EXECUTION_POINTS + INDICATOR_POINTS
TOO_EASY_FROM = Decimal("1.2")  # an actual ≥ 120 % of a positive target is flagged

# The default split where a declaration has no weights, by level-1 group. Cost indicators count
# with output; indicators without a level-1 category (the Chongqing tables have no level
# columns) count with output too.
OUTPUT, BENEFIT, SATISFACTION = "output", "benefit", "satisfaction"
DEFAULT_SPLIT = {OUTPUT: Decimal(50), BENEFIT: Decimal(30), SATISFACTION: Decimal(10)}
GROUP_OF_LEVEL1 = {
    "output": OUTPUT,
    "cost": OUTPUT,
    "benefit": BENEFIT,
    "satisfaction": SATISFACTION,
}
# Where a group has no indicator, its points go to the next one named here.
FALLBACK = {SATISFACTION: BENEFIT, BENEFIT: OUTPUT, OUTPUT: BENEFIT}

GRADE_FLOORS = (
    (Decimal(90), Grade.EXCELLENT),
    (Decimal(80), Grade.GOOD),
    (Decimal(60), Grade.FAIR),
)


class Band(models.TextChoices):
    """A qualitative indicator's result and the share of its points it may score."""

    ACHIEVED = "achieved", "达成年度指标"
    PARTLY = "partly", "部分达成并具有一定效果"
    POOR = "poor", "未达成且效果较差"


BAND_SHARES = {
    Band.ACHIEVED: (Decimal("0.8"), Decimal(1)),
    Band.PARTLY: (Decimal("0.6"), Decimal("0.8")),
    Band.POOR: (Decimal(0), Decimal("0.6")),
}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def execution_score(budget: Decimal, executed: Decimal) -> Decimal:
    """10 points × min(执行数 ÷ 全年预算数, 1). A year with nothing budgeted and nothing spent
    scores full marks; spending without a budget scores full marks too (rate capped at 1)."""
    if executed < 0 or budget < 0:
        raise ValueError("amounts cannot be negative")
    if budget == 0:
        return EXECUTION_POINTS
    return cents(EXECUTION_POINTS * min(executed / budget, Decimal(1)))


def execution_rate(budget: Decimal, executed: Decimal) -> Decimal | None:
    return None if budget == 0 else executed / budget


def split_exactly(total: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """``total`` divided in proportion to ``shares`` in cents that add up to ``total`` exactly
    (largest remainder: the cents left over go to the largest fractions, earliest first)."""
    whole = sum(shares)
    if whole <= 0:
        raise ValueError("shares must add up to more than 0")
    exact = [total * share / whole for share in shares]
    floors = [value.quantize(CENT, rounding=ROUND_DOWN) for value in exact]
    left = int((total - sum(floors)) / CENT)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += CENT
    return floors


def has_weights(weights: list[Decimal | None]) -> bool:
    """Whether points follow the weights: every indicator weighted, the weights above 0."""
    return bool(weights) and all(w is not None for w in weights) and sum(weights) > 0


def points_by_weight(weights: list[Decimal]) -> list[Decimal]:
    """Each indicator's points: weight × 90 ÷ (sum of weights)."""
    return split_exactly(INDICATOR_POINTS, weights)


def default_points(groups: list[str | None]) -> list[Decimal]:
    """Points without weights, from each indicator's level-1 code (``output``, ``cost``,
    ``benefit``, ``satisfaction`` or None): 50 / 30 / 10, evenly within each group, a missing
    group's points passed on (满意度 → 效益 → 产出)."""
    if not groups:
        return []
    members = [GROUP_OF_LEVEL1.get(code or "", OUTPUT) for code in groups]
    budget = dict(DEFAULT_SPLIT)
    for group in (SATISFACTION, BENEFIT, OUTPUT):
        if group not in members and budget[group]:
            target = FALLBACK[group]
            if target not in members:
                target = next(g for g in (OUTPUT, BENEFIT, SATISFACTION) if g in members)
            budget[target] += budget[group]
            budget[group] = Decimal(0)
    points: list[Decimal] = [Decimal(0)] * len(members)
    for group, total in budget.items():
        indexes = [i for i, member in enumerate(members) if member == group]
        if indexes:
            for i, value in zip(
                indexes, split_exactly(total, [Decimal(1)] * len(indexes)), strict=True
            ):
                points[i] = value
    return points


def quantitative_score(points: Decimal, operator: str, target: Decimal, actual: Decimal) -> Decimal:
    """The score of a quantitative indicator, by its operator:
    ≥ >: points × min(actual ÷ target, 1) (a target of 0 is met by any actual);
    ≤ <: full points when actual ≤ target, else points × target ÷ actual (a target of 0:
    full points at 0, none above);
    =: points × min(actual, target) ÷ max(actual, target) (0 and 0: full points)."""
    if actual < 0:
        raise ValueError("an actual cannot be negative")
    if operator in (Operator.GE, Operator.GT):
        ratio = Decimal(1) if target <= 0 else min(actual / target, Decimal(1))
    elif operator in (Operator.LE, Operator.LT):
        ratio = Decimal(1) if actual <= target else target / actual
    elif operator == Operator.EQ:
        high = max(actual, target)
        ratio = Decimal(1) if high == 0 else min(actual, target) / high
    else:
        raise ValueError(f"unknown operator {operator!r}")
    return cents(points * ratio)


def band_range(points: Decimal, band: str) -> tuple[Decimal, Decimal]:
    """The lowest and highest score a qualitative indicator may get in ``band``."""
    low, high = BAND_SHARES[Band(band)]
    return cents(points * low), cents(points * high)


def too_easy(operator: str, target: Decimal | None, actual: Decimal | None) -> bool:
    """An actual of 120 % or more of a positive target: the target was probably set too low."""
    if operator not in (Operator.GE, Operator.GT) or not target or actual is None:
        return False
    return target > 0 and actual >= target * TOO_EASY_FROM


def grade_of(total: Decimal) -> str:
    for floor, grade in GRADE_FLOORS:
        if total >= floor:
            return grade
    return Grade.POOR


@dataclass(frozen=True)
class ScoreCheck:
    """What is wrong with a score a clerk gave, in Chinese; empty when nothing is."""

    message: str = ""

    def __bool__(self) -> bool:
        return bool(self.message)


def check_qualitative(points: Decimal, band: str, score: Decimal | None) -> ScoreCheck:
    if band not in BAND_SHARES:
        return ScoreCheck(
            "请选择完成情况（达成年度指标 / 部分达成并具有一定效果 / 未达成且效果较差）。"
        )
    low, high = band_range(points, band)
    if score is None:
        return ScoreCheck(f"请填写得分（{plain_decimal(low)}–{plain_decimal(high)} 分）。")
    if score > points:
        return ScoreCheck(f"得分不能超过分值 {plain_decimal(points)} 分。")
    if not low <= score <= high:
        return ScoreCheck(
            f"“{Band(band).label}”的得分应在 {plain_decimal(low)}–{plain_decimal(high)} 分之间。"
        )
    return ScoreCheck()
