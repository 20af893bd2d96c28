"""Plausibility: input that is allowed but looks like a slip, which the clerk confirms rather
than corrects.

``rules`` says what is wrong; the checks here return ``Finding``s that are warnings. The
wizard shows each at the field it concerns and accepts the step once the clerk ticks
“我已核对，确认无误”; the detail page lists the first two among what a reviewer may question.

- an amount of a 万元 table that looks typed in 元 (``AMOUNT_LIMIT_WAN``);
- key-task funds adding up to more than the budget line they are paid from;
- a declaration copied from an earlier year whose texts still name that year;
- a numeric target far outside the targets approved earlier for the same indicator
  (``target_history_findings``).

Pure functions of plain values, like the rules.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from declarations.domain.money import YUAN_PER_WAN, MoneyUnit, plain_decimal, to_unit
from declarations.domain.rules import Finding
from declarations.domain.values import format_value

# A single amount of 10000 万元 (1 亿元) or more in a 万元 table is taken for one typed in 元.
# The yearly budgets of district and county 科协 are tens to hundreds of 万元 (the sample
# tables: projects of 2 to 40 万元, a whole department of 567.97 万元), so 1 亿元 is some
# twenty times the largest of them, while 185000 元 typed as 185000 万元 is 18.5 亿元.
AMOUNT_LIMIT_WAN = Decimal(10000)
YUAN_PER_YI = Decimal(100_000_000)


def looks_typed_in_yuan(amount_yuan: Decimal | None, unit: str) -> bool:
    """Whether an amount of a table in ``unit`` is large enough to have been typed in 元."""
    return (
        unit == MoneyUnit.WAN_YUAN
        and amount_yuan is not None
        and to_unit(amount_yuan, unit) >= AMOUNT_LIMIT_WAN
    )


def unit_slip_message(labels: list[str], amounts_yuan: list[Decimal]) -> str:
    """What to say of amounts that look typed in 元 in a 万元 table: one message for them
    all, since typing in 元 is one mistake however many amounts it made."""
    typed = [to_unit(amount, MoneyUnit.WAN_YUAN) for amount in amounts_yuan]
    largest = plain_decimal(max(amounts_yuan) / YUAN_PER_YI)
    many = len(typed) > 1
    return (
        f"{'、'.join(labels)}填写为 {'、'.join(plain_decimal(t) for t in typed)} 万元，"
        f"{'最大的' if many else ''}即 {largest} 亿元，远超科协项目和部门的常见规模，"
        f"可能是按“元”填写的：如按元计，应{'分别' if many else ''}填 "
        f"{'、'.join(plain_decimal(t / YUAN_PER_WAN) for t in typed)}（万元）。"
    )


def amount_findings(
    amounts: dict[str, Decimal | None], unit: str, labels: dict[str, str]
) -> list[Finding]:
    """The amounts (in yuan) of a ``unit`` table, named by ``labels``, that look typed in 元,
    as one finding at the first of them, the others ``related``; amounts without a label
    (not on the clerk's form) are not read."""
    slips = [
        name
        for name, amount in amounts.items()
        if name in labels and looks_typed_in_yuan(amount, unit)
    ]
    if not slips:
        return []
    message = unit_slip_message([labels[name] for name in slips], [amounts[n] for n in slips])
    return [Finding(message, slips[0], related=tuple(slips[1:]))]


def key_task_funds_findings(
    funds: Iterable[Decimal | None],
    limit: Decimal | None,
    limit_label: str,
    show: Callable[[Decimal], str],
    where: str = "",
) -> list[Finding]:
    """年度重点工作任务: the funds of the tasks (yuan) are paid from one budget line (``limit``,
    named ``limit_label``, e.g. 项目支出) and should not add up to more than it. ``where``
    says where that line was typed when it is not on the same page."""
    given = [amount for amount in funds if amount is not None]
    if limit is None or not given:
        return []
    total = sum(given, Decimal(0))
    if total <= limit:
        return []
    return [
        Finding(
            f"重点工作任务拟投入的资金合计 {show(total)}，超过{where}{limit_label} {show(limit)}："
            f"任务资金应从{limit_label}中安排，请核对各项任务的金额。",
            "funds",
        )
    ]


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# What may stand before a year that is the end of a span (2021-2025年), or inside a number.
_NOT_BEFORE = r"0-9０-９\-－—–~～至到"


def year_mentions(text: str, year: int) -> list[str]:
    """Where ``text`` names ``year`` as a year ("2024年", "2024 年度", "２０２４年"), not as
    the end of a span ("2021-2025年") nor inside a longer number."""
    digits = f"(?:{year}|{str(year).translate(_FULL_WIDTH)})"
    pattern = re.compile(rf"(?<![{_NOT_BEFORE}]){digits}[ \u3000]*年度?")
    return [match.group() for match in pattern.finditer(text or "")]


def old_year_findings(
    texts: dict[str, str], labels: dict[str, str], *, copied_year: int, fiscal_year: int
) -> list[Finding]:
    """A declaration copied from ``copied_year`` and now declared for ``fiscal_year``: each
    text (by field, named by ``labels``) that still names the old year."""
    if copied_year == fiscal_year:
        return []
    found = []
    for name, text in texts.items():
        mentions = year_mentions(text, copied_year)
        if not mentions:
            continue
        times = f"（共 {len(mentions)} 处）" if len(mentions) > 1 else ""
        found.append(
            Finding(
                f"{labels[name]}中仍写着“{mentions[0]}”{times}：本申报表复制自 {copied_year} "
                f"年度，预算年度为 {fiscal_year} 年，请核对是否应改为 {fiscal_year} 年。",
                name,
            )
        )
    return found


@dataclass(frozen=True)
class TargetHistory:
    """The numeric targets approved earlier for one indicator: same name, kind, unit,
    operator and levels, so that only like is compared with like (≥90 % is not ≥90 人次)."""

    count: int
    low: Decimal
    median: Decimal
    high: Decimal
    operator: str = ""
    unit: str = ""


# "Far outside" the history: below half the lowest or above twice the highest of at least
# three earlier targets. A digit too many or too few (the usual slip: 500 for 50, 9 for 90)
# multiplies by ten and always lands outside; a real change of plan, even a doubling of
# last year's highest, stays inside and is not questioned. Fewer than three targets are no
# history to speak of (one department's own two years), and a history with a negative
# target has no scale that halving and doubling would mean anything for.
HISTORY_MIN_TARGETS = 3
HISTORY_FACTOR = Decimal(2)


def far_from_history(target: Decimal, history: TargetHistory) -> bool:
    """Whether ``target`` lies far outside ``history`` (see ``HISTORY_FACTOR``)."""
    if history.count < HISTORY_MIN_TARGETS or history.low < 0:
        return False
    return target < history.low / HISTORY_FACTOR or target > history.high * HISTORY_FACTOR


def target_history_findings(
    target: Decimal | None, history: TargetHistory | None, label: str, field: str = "value"
) -> list[Finding]:
    """A numeric target (called ``label``) far outside the targets approved earlier for the
    same indicator, as a warning at ``field`` that shows that history."""
    if target is None or history is None or not far_from_history(target, history):
        return []

    def shown(number: Decimal) -> str:
        return format_value(history.operator, number, history.unit)

    return [
        Finding(
            f"{label}{shown(target)}远在历年同类目标之外：此前审核通过的 {history.count} 个"
            f"目标最低 {shown(history.low)}、中位 {shown(history.median)}、最高 "
            f"{shown(history.high)}。请核对是否多写或少写了一位数；确有依据的，请在"
            "“指标值设定依据”中说明。",
            field,
        )
    ]
