"""The budget concepts of DOMAIN.md, stored once; each layout maps its labels onto them.

| concept            | field                                   |
| total              | total                                   |
| by source          | fiscal_appropriation / other_funds      |
| by use             | basic / project / other_expenditure     |
| by level           | own_level / transfers_down              |
| by kind            | special_funds / other_development      |

Chongqing's 区级支出 / 补助街镇 and Guangzhou's 区本级使用资金 / 拟用于对下转移支付资金 are the
same split (own level / transfers down) under other labels.
"""

from dataclasses import dataclass
from decimal import Decimal

# Every amount, in the order forms and comparisons show them, with its neutral name.
CONCEPTS = {
    "total": "预算总额",
    "fiscal_appropriation": "财政拨款",
    "other_funds": "其他资金",
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出",
    "other_expenditure": "其他支出",
    "own_level": "本级使用资金",
    "transfers_down": "对下转移支付资金",
    "special_funds": "财政专项资金",
    "other_development": "其他事业发展性支出",
}
AMOUNT_FIELDS = tuple(CONCEPTS)


@dataclass(frozen=True)
class Split:
    """Parts that together make the total, where a table states them."""

    name: str
    parts: tuple[str, ...]


SPLITS = (
    Split("by_use", ("basic_expenditure", "project_expenditure", "other_expenditure")),
    Split("by_source", ("fiscal_appropriation", "other_funds")),
    Split("by_level", ("own_level", "transfers_down")),
)
# A department-wide form without a total cell states its total as the sum of its uses.
TOTAL_FROM_PARTS = SPLITS[0].parts


def total_from_parts(amounts: dict[str, Decimal | None]) -> Decimal | None:
    """The total a table without a total cell implies: the sum of its expenditure by use."""
    parts = [amounts.get(name) for name in TOTAL_FROM_PARTS]
    if all(part is None for part in parts):
        return None
    return sum((part for part in parts if part is not None), Decimal(0))
