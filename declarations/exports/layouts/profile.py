"""What a layout asks of a declaration: its kinds, money unit, budget lines and rules.

Each layout module declares one ``LayoutProfile`` next to its ``build``; the wizard shows the
fields a profile names and the validation applies its rules, so local rules live with the
layout they belong to rather than in the code that checks them.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from declarations.models.declarations import Kind
from declarations.money import MoneyUnit


@dataclass(frozen=True)
class LayoutProfile:
    kinds: tuple[str, ...]
    money_unit: str = MoneyUnit.WAN_YUAN
    # Budget lines the table prints, and those it cannot do without.
    budget_fields: tuple[str, ...] = ("total",)
    required_budget: tuple[str, ...] = ("total",)
    spending_plan: bool = False
    key_tasks: bool = False
    # Narrative fields (of the project or the declaration) the table prints / requires.
    narratives: tuple[str, ...] = ("annual_target",)
    required_narratives: tuple[str, ...] = ("annual_target",)
    # Indicator weights: required by tables with a weight column, and the total they make
    # (10 of 100 points are kept for the budget execution rate, hence 90 in Chongqing).
    # Whether indicators are filed under the level-1/level-2 taxonomy (Chongqing's are not).
    levels: bool = True
    # Beijing files benefit indicators under level 1 alone (效益指标, no level 2), and its
    # indicators are sentences in the value column with no level-3 name.
    level2_required: bool = True
    names_required: bool = True
    weights_required: bool = False
    weight_total: Decimal | None = None
    indicator_fields: tuple[str, ...] = field(default=())

    def allows(self, kind: str) -> bool:
        return kind in self.kinds


PROJECT = (Kind.PROJECT,)
DEPARTMENT = (Kind.DEPARTMENT,)
