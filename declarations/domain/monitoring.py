"""Mid-year monitoring (绩效运行监控, 财预〔2019〕136号): time progress and the warning lights.

Every rule of DOMAIN.md "After approval / Monitoring" is here and nowhere else. Each light comes
with the sentence that explains it (formula and figures), so a page can show a light that says
why it is that colour. Arithmetic is exact (Decimal); percentages are only rounded for display.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db import models

from declarations.domain.choices import Operator
from declarations.domain.money import plain_decimal

MONTHS_PER_YEAR = 12
BUDGET_BANDS = "执行率 ÷ 时间进度：低于 60% 红灯，60%–80% 黄灯，80% 及以上绿灯。"
INDICATOR_BANDS = (
    "正向指标 实际值 ÷（目标 × 时间进度）：低于 60% 红灯，60%–80% 黄灯，80%–120% 绿灯，"
    "120% 及以上蓝灯（目标可能偏低）；反向指标在目标以内绿灯，超出红灯；"
    "定性指标按达成 / 部分达成 / 未达成为绿 / 黄 / 红灯。"
)
# Bands of the finance ministry's module, as fractions of what the time elapsed calls for.
RED_BELOW = Decimal("0.6")
YELLOW_BELOW = Decimal("0.8")
BLUE_FROM = Decimal("1.2")

POSITIVE = (Operator.GE, Operator.GT, Operator.EQ)
REVERSE = (Operator.LE, Operator.LT)


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    BLUE = "blue", "蓝灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


# From best to worst: a declaration shows the worst light of its parts. Blue (far ahead of
# the target: probably set too low) is a question to ask, not a failure, so it ranks after green.
SEVERITY = {Light.GREEN: 0, Light.BLUE: 1, Light.YELLOW: 2, Light.RED: 3}


class Judgement(models.TextChoices):
    """A qualitative indicator's state, as the clerk judges it."""

    ACHIEVED = "achieved", "达成"
    PARTLY = "partly", "部分达成"
    NOT_ACHIEVED = "not_achieved", "未达成"


JUDGEMENT_LIGHTS = {
    Judgement.ACHIEVED: Light.GREEN,
    Judgement.PARTLY: Light.YELLOW,
    Judgement.NOT_ACHIEVED: Light.RED,
}


class Likelihood(models.TextChoices):
    """Whether the year's target will be met (完成目标可能性)."""

    CERTAIN = "certain", "确定能"
    POSSIBLE = "possible", "有可能"
    IMPOSSIBLE = "impossible", "完全不可能"


class DeviationCause(models.TextChoices):
    FUNDING = "funding", "经费保障"
    RULES = "rules", "制度保障"
    STAFF = "staff", "人员保障"
    FACILITIES = "facilities", "硬件条件保障"
    OTHER = "other", "其他"


@dataclass(frozen=True)
class Signal:
    """A light and the sentence that explains it; ``light`` is None when there is nothing to
    judge yet (no figure entered)."""

    light: Light | None
    explanation: str

    @property
    def label(self) -> str:
        return self.light.label if self.light else "未评价"


def percent(ratio: Decimal) -> str:
    """A ratio as a percentage with one decimal, rounded down so that the figure never
    crosses a band the light did not: 0.5999999 → "59.9%", not "60.0%"."""
    value = (ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    return f"{value}%"


def time_progress(months: int) -> Decimal:
    """The share of the year the data covers: months ÷ 12."""
    if not 1 <= months <= MONTHS_PER_YEAR:
        raise ValueError(f"months must be 1-12, not {months}")
    return Decimal(months) / MONTHS_PER_YEAR


def _band(ratio: Decimal, *, blue: bool) -> Light:
    if ratio < RED_BELOW:
        return Light.RED
    if ratio < YELLOW_BELOW:
        return Light.YELLOW
    if blue and ratio >= BLUE_FROM:
        return Light.BLUE
    return Light.GREEN


def budget_signal(budget: Decimal | None, executed: Decimal | None, months: int) -> Signal:
    """Execution rate ÷ time progress: below 60 % red, 60–80 % yellow, 80 % or more green."""
    if executed is None or not budget:
        return Signal(None, "未填写执行数或年度预算数为 0，不评价。")
    progress = time_progress(months)
    rate = executed / budget
    ratio = rate / progress
    return Signal(
        _band(ratio, blue=False),
        f"执行率 {percent(rate)}（执行数 ÷ 年度预算数）÷ 时间进度 {percent(progress)}"
        f"（{months}/12）= {percent(ratio)}。",
    )


def quantitative_signal(
    operator: str, target: Decimal | None, actual: Decimal | None, months: int
) -> Signal:
    """A quantitative indicator's light. Positive (≥ > =): actual ÷ (target × time progress),
    below 60 % red, 60–80 % yellow, 80–120 % green, 120 % or more blue. Reverse (≤ <): green
    while the actual is within the target, red past it."""
    if actual is None:
        return Signal(None, "未填写实际完成值，不评价。")
    if target is None:
        return Signal(None, "指标没有数值目标，不评价。")
    if operator in REVERSE:
        within = actual <= target if operator == Operator.LE else actual < target
        sign = plain_decimal(actual)
        return Signal(
            Light.GREEN if within else Light.RED,
            f"反向指标：实际值 {sign} {'在' if within else '超出'}目标 {operator}"
            f"{plain_decimal(target)} {'以内，绿灯' if within else '，红灯'}。",
        )
    progress = time_progress(months)
    expected = target * progress
    if expected == 0:
        return Signal(Light.GREEN, f"目标为 {plain_decimal(target)}，实际值不低于目标，绿灯。")
    ratio = actual / expected
    return Signal(
        _band(ratio, blue=True),
        f"实际值 {plain_decimal(actual)} ÷（目标 {plain_decimal(target)} × 时间进度 "
        f"{percent(progress)}）= {percent(ratio)}。",
    )


def qualitative_signal(judgement: str) -> Signal:
    """The clerk's judgement of a qualitative indicator: 达成 / 部分达成 / 未达成."""
    if judgement not in JUDGEMENT_LIGHTS:
        return Signal(None, "未填写完成情况判断，不评价。")
    light = JUDGEMENT_LIGHTS[Judgement(judgement)]
    return Signal(light, f"定性指标：判断为“{Judgement(judgement).label}”，{light.label}。")


def worst(signals: list[Signal]) -> Signal:
    """The declaration's light: the worst of its budget's and indicators' lights."""
    judged = [s for s in signals if s.light is not None]
    if not judged:
        return Signal(None, "尚无可评价的数据。")
    light = max((s.light for s in judged), key=SEVERITY.__getitem__)
    counts = {
        item: sum(1 for s in judged if s.light == item)
        for item in sorted(Light, key=SEVERITY.__getitem__, reverse=True)
    }
    parts = "，".join(f"{item.label} {n} 项" for item, n in counts.items() if n)
    return Signal(light, f"取最差的一项：{parts}。")
