"""What each official layout asks of a declaration and prints: its kinds, money unit, how its
labels name the budget concepts, and its local rules (weights, levels, required texts).

The wizard shows the fields a profile names and the rules apply its settings, so local rules
live with the layout they belong to rather than in the code that checks them.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from declarations.domain.budget import CONCEPTS, TOTAL_FROM_PARTS
from declarations.domain.choices import Kind, Layout
from declarations.domain.money import MoneyUnit

PROJECT = (Kind.PROJECT,)
DEPARTMENT = (Kind.DEPARTMENT,)


@dataclass(frozen=True)
class LayoutProfile:
    layout: str
    kinds: tuple[str, ...]
    money_unit: str = MoneyUnit.WAN_YUAN
    # The budget concepts the table prints, each under the table's own label, in the order
    # the wizard asks them; and those it cannot do without.
    budget_labels: dict[str, str] = field(default_factory=lambda: {"total": "预算总额"})
    required_budget: tuple[str, ...] = ("total",)
    # Whether the table has a cell for the total itself (Guangzhou prints only its parts).
    prints_total: bool = True
    spending_plan: bool = False
    key_tasks: bool = False
    # The budget line the key tasks' funds are spent from (Guangzhou: 项目支出).
    key_tasks_within: str = "total"
    # Narrative fields the table prints / requires.
    narratives: tuple[str, ...] = ("annual_target",)
    required_narratives: tuple[str, ...] = ("annual_target",)
    # Whether the table prints level-1/level-2 columns, and whether it needs them filled.
    # The wizard asks the levels in every layout; the rules use them.
    levels: bool = True
    # Beijing files benefit indicators under level 1 alone (效益指标, no level 2), and its
    # indicators are sentences in the value column with no level-3 name.
    level2_required: bool = True
    names_required: bool = True
    # Indicator weights: required by tables with a weight column, and the total they make
    # (10 of 100 points are kept for the budget execution rate, hence 90 in Chongqing).
    weights_required: bool = False
    weight_total: Decimal | None = None
    indicator_fields: tuple[str, ...] = ()
    # Department particulars the table prints (of the declaration's own copy), and the
    # labels the table prints them under where they differ from the declaration's own
    # (Kunming's 法人代表 for the head, 单位概况 for the functions).
    department_fields: tuple[str, ...] = ()
    department_labels: dict[str, str] = field(default_factory=dict)

    @property
    def budget_fields(self) -> tuple[str, ...]:
        return tuple(self.budget_labels)

    def allows(self, kind: str) -> bool:
        return kind in self.kinds

    def budget_label(self, name: str) -> str:
        return self.budget_labels[name]

    @property
    def total_parts(self) -> tuple[str, ...]:
        """The fields the clerk types that make the total: the total's own cell, or where
        the table prints none, the parts it is the sum of."""
        if self.prints_total:
            return ("total",)
        return tuple(name for name in TOTAL_FROM_PARTS if name in self.budget_labels)

    @property
    def total_label(self) -> str:
        """How a message names the total: by the table's label, or where the table prints
        no total, as the sum of the parts the clerk typed (基本支出、项目支出之和), never as a
        预算总额 the clerk has not seen."""
        if self.prints_total:
            return self.budget_labels.get("total", CONCEPTS["total"])
        return "、".join(self.budget_labels[name] for name in self.total_parts) + "之和"

    def amount_label(self, name: str) -> str:
        """The label of an amount in messages: the table's, and for the total of a table
        without a total cell, the sum of its parts."""
        if name == "total":
            return self.total_label
        return self.budget_labels.get(name, CONCEPTS[name])


PROFILES = {
    profile.layout: profile
    for profile in (
        LayoutProfile(
            layout=Layout.CHONGQING_SPECIAL,
            kinds=PROJECT,
            budget_labels={"total": "预算", "own_level": "区级支出", "transfers_down": "补助街镇"},
            # Not printed in this table, but asked for: reviewers check that it reaches 100 %.
            spending_plan=True,
            narratives=("overview", "legal_basis", "annual_target"),
            required_narratives=("overview", "legal_basis", "annual_target"),
            levels=False,
            weights_required=True,
            weight_total=Decimal(90),
            indicator_fields=("weight", "unit", "operator"),
        ),
        LayoutProfile(
            layout=Layout.GUANGZHOU_DEPARTMENT,
            kinds=DEPARTMENT,
            budget_labels={
                "basic_expenditure": "基本支出",
                "project_expenditure": "项目支出",
                "fiscal_appropriation": "财政拨款",
                "other_funds": "其他资金",
                "special_funds": "财政专项资金",
                "other_development": "其他事业发展性支出",
                "own_level": "区本级使用资金",
                "transfers_down": "拟用于对下转移支付资金",
            },
            required_budget=("basic_expenditure", "project_expenditure", "fiscal_appropriation"),
            # No total cell: the total is the sum of basic and project expenditure.
            prints_total=False,
            key_tasks=True,
            # The key tasks of the sample (176.70 + 88.01 万元) are paid from its 项目支出
            # (329.00 万元).
            key_tasks_within="project_expenditure",
            narratives=("overall_target", "other_tasks"),
            required_narratives=("overall_target",),
            weight_total=Decimal(100),
            indicator_fields=("period_value",),
        ),
        LayoutProfile(
            layout=Layout.BEIJING_DEPARTMENT,
            kinds=DEPARTMENT,
            budget_labels={
                "total": "资金总额",
                "basic_expenditure": "基本支出",
                "project_expenditure": "项目支出",
                "other_expenditure": "其他",
            },
            required_budget=("total", "basic_expenditure", "project_expenditure"),
            narratives=("annual_target",),
            required_narratives=("annual_target",),
            weight_total=Decimal(100),
            level2_required=False,
            names_required=False,
            department_fields=("head", "phone", "functions"),
        ),
        LayoutProfile(
            layout=Layout.KUNMING_PROJECT,
            kinds=PROJECT,
            budget_labels={
                "total": "全年安排资金",
                "fiscal_appropriation": "财政拨付数",
                "other_funds": "其他资金",
            },
            # Not printed in this table, but asked for: reviewers check that it reaches 100 %.
            spending_plan=True,
            narratives=(
                "legal_basis",
                "funding_source",
                "overview",
                "content",
                "funding_arrangement",
                "plan",
                "expected_results",
                "overall_target",
                "annual_target",
            ),
            required_narratives=(
                "legal_basis",
                "overview",
                "content",
                "overall_target",
                "annual_target",
            ),
            weight_total=Decimal(100),
            indicator_fields=("operator", "unit", "scoring_rule", "description", "basis"),
            department_fields=("organisation_code", "address", "phone", "head", "functions"),
            # As the table's 项目实施单位 block prints them (see exports.layouts.kunming).
            department_labels={
                "organisation_code": "组织机构代码",
                "head": "法人代表",
                "functions": "单位概况",
            },
        ),
        LayoutProfile(
            layout=Layout.HEBEI_COUNTY,
            kinds=(Kind.PROJECT, Kind.DEPARTMENT),
            money_unit=MoneyUnit.YUAN,
            budget_labels={
                "total": "预算数",
                "fiscal_appropriation": "其中：财政资金",
                "other_funds": "其他资金",
            },
            required_budget=(),
            spending_plan=True,
            narratives=("fund_use", "annual_target", "overall_target", "sub_targets", "safeguards"),
            required_narratives=(),
            weight_total=Decimal(100),
            indicator_fields=("description", "basis"),
        ),
    )
}


def profile_of(layout: str) -> LayoutProfile:
    """The rules of ``layout``."""
    return PROFILES[Layout(layout)]


def layouts_for(kind: str) -> list[Layout]:
    """The layouts a declaration of ``kind`` can be filed in and printed in."""
    return [Layout(layout) for layout, profile in PROFILES.items() if profile.allows(kind)]
