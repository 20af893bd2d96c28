"""Review rules on a saved declaration.

``errors_for`` lists what keeps a declaration from being submitted (the same rules the wizard
enforces, checked again on what is stored); ``warnings_for`` what a reviewer would question;
``checklist`` arranges both under the four official criteria of a review.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from declarations.domain.money import MoneyUnit, format_amount, plain_decimal
from declarations.domain.plausibility import (
    amount_findings,
    key_task_funds_findings,
    target_history_findings,
)
from declarations.domain.profiles import profile_of
from declarations.domain.rules import (
    Finding,
    budget_findings,
    coverage_findings,
    level_findings,
    messages,
    weight_findings,
)
from declarations.models import Declaration
from declarations.models.budgets import validate_spending_plan
from indicators.library import histories_of, target_history
from indicators.models import history_key

# Targets that cannot be measured without a number or a baseline.
VAGUE_TARGET = re.compile(
    r"^(有所|明显|显著|大幅|进一步|稳步|持续|有效)?(提升|提高|改善|增强|加强|增加|推进)$"
)
MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10000)}
# A cost indicator: filed under the level 1 成本指标, under a level 2 named 成本 (older tables
# put 成本指标 under 产出指标), or named so itself.
COST_CODE = "cost"
COST_WORD = "成本"


def _show(declaration: Declaration):
    unit = declaration.money_unit
    return lambda amount: f"{format_amount(amount, unit)} {MoneyUnit(unit).label}"


def _indicators(declaration: Declaration):
    return [i for i in declaration.indicators.all() if not i.is_placeholder]


def _level1_code(indicator) -> str:
    return indicator.level1.code if indicator.level1_id else ""


def _label(indicator) -> str:
    return indicator.name or indicator.target_text[:20]


def _of(indicator, finding: Finding) -> Finding:
    """A finding about one indicator, as a declaration-wide list shows it: named."""
    return Finding(f"指标“{_label(indicator)}”：{finding.message}", finding.field, finding.basis)


def _content_findings(declaration: Declaration, profile) -> list[Finding]:
    """Texts and budget lines the layout requires, the budget identities, and each
    indicator's levels and values."""
    found = [
        Finding(f"所选表样需要填写{Declaration.text_label(name)}。", name)
        for name in profile.required_narratives
        if not declaration.text(name).strip()
    ]
    budget = getattr(declaration, "budget", None)
    for name in profile.required_budget:
        if budget is None or getattr(budget, name) is None:
            found.append(Finding(f"所选表样需要填写{profile.budget_label(name)}。", name))
    if budget is not None:
        # Named as the declaration's table names its amounts, like the wizard's messages.
        found += budget_findings(budget.amounts(), _show(declaration), profile)
    indicators = _indicators(declaration)
    if not indicators:
        found.append(Finding("请至少填写一项绩效指标。"))
    for indicator in indicators:
        levels = level_findings(bool(indicator.level1_id), bool(indicator.level2_id), profile)
        found += [_of(indicator, finding) for finding in levels + indicator.value_findings()]
    return found


def _weight_findings(declaration: Declaration, profile) -> list[Finding]:
    return weight_findings([i.weight for i in _indicators(declaration)], profile)


def _plan_findings(declaration: Declaration) -> list[Finding]:
    try:
        validate_spending_plan(declaration.spending_plan.all())
    except ValidationError as exc:
        return [Finding(message) for message in exc.messages]
    return []


def _coverage_findings(declaration: Declaration) -> list[Finding]:
    indicators = _indicators(declaration)
    return coverage_findings([_level1_code(i) for i in indicators], [_label(i) for i in indicators])


def errors_for(declaration: Declaration) -> list[str]:
    """Why ``declaration`` cannot be submitted as it stands (empty: it can)."""
    profile = profile_of(declaration.layout)
    return messages(
        [
            *_content_findings(declaration, profile),
            *_weight_findings(declaration, profile),
            *_plan_findings(declaration),
        ]
    )


def is_vague_target(text: str) -> bool:
    """A target text that cannot be measured (an unquantified "提升")."""
    text = text.strip()
    return bool(text and not re.search(r"\d", text) and VAGUE_TARGET.match(text.rstrip("。")))


def vague_targets(declaration: Declaration) -> list[str]:
    found = []
    for indicator in _indicators(declaration):
        text = indicator.target_text.strip()
        if is_vague_target(text):
            found.append(f"指标“{_label(indicator)}”的目标“{text}”无法衡量：建议给出数值或基准。")
    return found


def is_cost_indicator(indicator) -> bool:
    return bool(
        _level1_code(indicator) == COST_CODE
        or (indicator.level2_id and COST_WORD in indicator.level2.name)
        or COST_WORD in indicator.name
    )


def cost_mismatches(declaration: Declaration) -> list[str]:
    """Cost indicators stated in money that disagree with the budget total, which is named
    as the declaration's table names it (a table without a total cell: the sum of its
    parts)."""
    budget = getattr(declaration, "budget", None)
    if budget is None or budget.total is None:
        return []
    total_label = profile_of(declaration.layout).total_label
    found = []
    for indicator in _indicators(declaration):
        factor = MONEY_UNITS.get(indicator.unit)
        if not is_cost_indicator(indicator) or factor is None or indicator.target_value is None:
            continue
        amount = indicator.target_value * factor
        exact = indicator.operator in ("", "=")
        capped = indicator.operator in ("≤", "<")
        if (exact and amount != budget.total) or (capped and amount < budget.total):
            shown = format_amount(budget.total, declaration.money_unit)
            found.append(
                f"成本指标“{_label(indicator)}”为 {plain_decimal(indicator.target_value)}"
                f"{indicator.unit}，与{total_label} {shown} {MoneyUnit(declaration.money_unit).label}"
                " 不符。"
            )
    return found


def plausibility_findings(declaration: Declaration) -> list[Finding]:
    """The wizard's plausibility warnings that a stored declaration can still be read for:
    an amount that looks typed in 元 in a 万元 table, key-task funds beyond the budget line
    they are paid from (see ``declarations.domain.plausibility``)."""
    profile = profile_of(declaration.layout)
    budget = getattr(declaration, "budget", None)
    amounts = budget.amounts() if budget is not None else {}
    found = amount_findings(amounts, declaration.money_unit, profile.budget_labels)
    if profile.key_tasks:
        tasks = list(declaration.key_tasks.all())
        funds = {str(number): task.funds for number, task in enumerate(tasks, start=1)}
        labels = {
            str(n): f"第 {n} 项重点工作任务“{task.name}”的资金"
            for n, task in enumerate(tasks, start=1)
        }
        slips = amount_findings(funds, declaration.money_unit, labels)
        within = profile.key_tasks_within
        found += slips or key_task_funds_findings(
            [task.funds for task in tasks],
            amounts.get(within),
            profile.amount_label(within),
            _show(declaration),
        )
    return found


def history_findings(declaration: Declaration) -> list[Finding]:
    """Numeric targets far outside those approved earlier for the same indicator (name, kind,
    unit, operator, levels; see ``declarations.domain.plausibility``), one query. An approved
    declaration is part of its own history, so this speaks before approval, as it should."""
    indicators = [i for i in _indicators(declaration) if i.target_value is not None and i.name]
    histories = histories_of(i.name for i in indicators)
    found = []
    for indicator in indicators:
        key = history_key(
            indicator.name,
            indicator.kind,
            indicator.unit,
            indicator.operator,
            indicator.level1_id,
            indicator.level2_id,
        )
        history = target_history(histories.get(key))
        found += [
            _of(indicator, finding)
            for finding in target_history_findings(indicator.target_value, history, "指标值")
        ]
    return found


def warnings_for(declaration: Declaration) -> list[str]:
    """Plain-language warnings about ``declaration``, in the order a reviewer reads them."""
    plausibility = messages(plausibility_findings(declaration))
    indicators = _indicators(declaration)
    if not indicators:
        return [*plausibility, "尚未填写绩效指标。"]
    # The same coverage rule as the checklist's: unclassified indicators are asked to be
    # classified rather than guessed from their names.
    warnings = messages(_coverage_findings(declaration))
    warnings.extend(vague_targets(declaration))
    for indicator in indicators:
        if indicator.kind == "qualitative" and indicator.target_value is not None:
            warnings.append(
                f"指标“{_label(indicator)}”标为定性指标却填写了数值：建议改为定量指标。"
            )
    warnings.extend(cost_mismatches(declaration))
    return [*plausibility, *messages(history_findings(declaration)), *warnings]


@dataclass(frozen=True)
class Check:
    """One line of the checklist: what is checked, and what was found wrong, each finding
    with the basis of its rule (shown beside it on the review page)."""

    criterion: str
    label: str
    findings: tuple[Finding, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.findings

    @property
    def details(self) -> tuple[str, ...]:
        return tuple(messages(self.findings))


def checklist(declaration: Declaration) -> list[Check]:
    """The automated part of a review, under 完整性、相关性、适当性、可行性."""
    profile = profile_of(declaration.layout)
    target = profile.weight_total
    vague = [Finding(message) for message in vague_targets(declaration)]
    costs = [Finding(message) for message in cost_mismatches(declaration)]
    return [
        Check(
            "完整性",
            "表样要求的内容已填写，预算各分项与总额一致",
            tuple(_content_findings(declaration, profile)),
        ),
        Check(
            "完整性",
            f"指标权重合计{'为 ' + plain_decimal(target) if target else ''}",
            tuple(_weight_findings(declaration, profile)),
        ),
        Check("相关性", "设有产出、效益、满意度指标", tuple(_coverage_findings(declaration))),
        Check("适当性", "成本指标与预算一致", tuple(costs)),
        Check(
            "适当性",
            "金额与单位相符，重点工作任务资金不超过所属预算",
            tuple(plausibility_findings(declaration)),
        ),
        Check(
            "适当性",
            "指标值与历年同类指标的目标相近",
            tuple(history_findings(declaration)),
        ),
        Check("可行性", "指标目标可衡量（没有无基准的“提升”类目标）", tuple(vague)),
        Check("可行性", "资金支出计划累计达到 100%", tuple(_plan_findings(declaration))),
    ]
