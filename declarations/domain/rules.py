"""Each rule of a declaration, written once.

A rule takes plain values and returns ``Finding``s: what is wrong, with which field, and the
basis it comes from. Forms put a finding at their field, ``Model.clean`` raises it as a
``ValidationError`` on the same field, and the review checklist lists it with its basis, so
the same mistake reads the same wherever it is found.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from declarations.domain.budget import (
    AMOUNT_FIELDS,
    CONCEPTS,
    SPLITS,
    TOTAL_FROM_PARTS,
    total_from_parts,
)
from declarations.domain.choices import IndicatorKind
from declarations.domain.money import plain_decimal

# Where the rules come from, shown beside a finding in the review checklist.
BASIS_TARGETS = "财预〔2021〕101号（项目支出核心绩效目标和指标设置及取值指引）"
BASIS_EVALUATION = "财预〔2020〕10号（项目支出绩效评价管理办法）"
BASIS_REVIEW = "财预〔2015〕88号（中央部门预算绩效目标管理办法）"


@dataclass(frozen=True)
class Finding:
    """What is wrong (``message``), at which field, on what ``basis``; ``related`` names the
    other fields the same finding concerns (a sum that disagrees concerns all its parts):
    forms show the message once, at ``field``, and mark the related fields too."""

    message: str
    field: str | None = None
    basis: str = ""
    related: tuple[str, ...] = ()


def messages(findings: Iterable[Finding]) -> list[str]:
    return [finding.message for finding in findings]


def as_error_dict(findings: Iterable[Finding]) -> dict[str, list[str]]:
    """Findings keyed by field, as ``ValidationError`` takes them (``__all__`` for none)."""
    errors: dict[str, list[str]] = {}
    for finding in findings:
        errors.setdefault(finding.field or "__all__", []).append(finding.message)
    return errors


# -- project period ---------------------------------------------------------------------------


def period_findings(start: int | None, end: int | None) -> list[Finding]:
    """实施周期: both years or neither, and the end not before the start."""
    if (start is None) != (end is None):
        return [Finding("实施周期需同时填写起始年度和结束年度。", "period_end")]
    if start is not None and end < start:
        return [Finding("实施周期的结束年度不能早于起始年度。", "period_end")]
    return []


# -- budget -----------------------------------------------------------------------------------


def budget_findings(
    amounts: dict[str, Decimal | None],
    show: Callable[[Decimal], str],
    profile=None,
) -> list[Finding]:
    """Parts that must add up to the total where both are stated; ``show`` writes an amount
    in the table's unit.

    With a layout ``profile`` the rule reads only the amounts that layout's form shows, and
    names them as its table does: a message never names an amount the clerk does not see
    (Chongqing has no 对下转移支付资金, only 补助街镇), nor a 预算总额 the clerk never typed
    (Guangzhou prints no total: its total is 基本支出、项目支出之和, and is named so). Each
    finding sits at the first amount it concerns and lists the others in ``related``.
    Without a profile (a stored budget) every amount is read under its neutral name."""
    if profile is None:
        shown, labels, total_parts = AMOUNT_FIELDS, dict(CONCEPTS), ("total",)
    else:
        shown = profile.budget_fields
        labels = {name: profile.amount_label(name) for name in (*shown, "total")}
        total_parts = profile.total_parts
    computed = profile is not None and not profile.prints_total
    total = total_from_parts(amounts) if computed else amounts.get("total")
    found = []
    for split in SPLITS:
        if computed and split.parts == TOTAL_FROM_PARTS:
            continue  # the parts the total is computed from cannot disagree with it
        parts = [name for name in split.parts if name in shown]
        filled = [name for name in parts if amounts.get(name) is not None]
        if not filled:
            continue
        words = "、".join(labels[name] for name in filled)
        if total is None:
            wanted = "、".join(labels[name] for name in total_parts)
            found.append(
                Finding(
                    f"已填写{words}，请同时填写{wanted}。", total_parts[0], related=tuple(filled)
                )
            )
            continue
        parts_sum = sum((amounts[name] for name in filled), Decimal(0))
        if parts_sum != total:
            joined = "之和" if len(filled) > 1 else ""
            found.append(
                Finding(
                    f"{words}{joined}为 {show(parts_sum)}，与{labels['total']} {show(total)} 不一致。",
                    filled[0],
                    related=(*filled[1:], *total_parts),
                )
            )
    development = [name for name in ("special_funds", "other_development") if name in shown]
    filled = [name for name in development if amounts.get(name) is not None]
    project = amounts.get("project_expenditure") if "project_expenditure" in shown else None
    if filled and project is not None:
        development_sum = sum((amounts[name] for name in filled), Decimal(0))
        if development_sum > project:
            words = "、".join(labels[name] for name in filled)
            joined = "之和" if len(filled) > 1 else ""
            found.append(
                Finding(
                    f"{words}{joined}为 {show(development_sum)}，"
                    f"超过{labels['project_expenditure']} {show(project)}。",
                    filled[0],
                    related=(*filled[1:], "project_expenditure"),
                )
            )
    return found


def contradicted_amounts(
    stored: dict[str, Decimal | None], typed: dict[str, Decimal | None]
) -> list[str]:
    """Amounts a budget keeps from a layout it was filed in before (in ``stored``, not among
    the ``typed`` ones of its layout now) that no longer add up with what was typed: a
    layout that does not show them cannot have them corrected, and no table could print
    them consistently, so they are dropped rather than refused with a message about fields
    the clerk cannot see. Those that still add up are kept."""
    merged = {**stored, **typed}
    hidden = {name for name, value in stored.items() if value is not None and name not in typed}
    stale = []
    for finding in budget_findings(merged, str):
        for name in (finding.field, *finding.related):
            if name in hidden and name not in stale:
                stale.append(name)
    return stale


def spending_plan_findings(points: Iterable[tuple[int, Decimal]]) -> list[Finding]:
    """资金支出计划: one point a month, cumulative shares never fall, the last one is 100 %."""
    pairs = sorted(points)
    if not pairs:
        return []
    found = []
    months = [month for month, _ in pairs]
    if len(set(months)) != len(months):
        found.append(Finding("同一月份只能有一个支出计划节点。"))
    for (month_a, share_a), (month_b, share_b) in zip(pairs, pairs[1:], strict=False):
        if share_b < share_a:
            found.append(
                Finding(
                    f"累计支出比例不能下降：{month_a}月底为 {plain_decimal(share_a)}%，"
                    f"{month_b}月底却为 {plain_decimal(share_b)}%。"
                )
            )
    last_month, last_share = pairs[-1]
    if last_share != 100:
        found.append(
            Finding(
                f"支出计划最后一个节点（{last_month}月底）应达到 100%，"
                f"目前为 {plain_decimal(last_share)}%。"
            )
        )
    return found


# -- indicators -------------------------------------------------------------------------------


def weight_findings(weights: list[Decimal | None], profile) -> list[Finding]:
    """指标权重: every indicator weighted or none (every one where the table has a weight
    column), adding up to the layout's total (90 where 10 points go to 预算执行率)."""
    given = [weight for weight in weights if weight is not None]
    if profile.weights_required and len(given) < len(weights):
        return [Finding("所选表样要求每项指标都填写权重。", "weight", BASIS_EVALUATION)]
    if given and len(given) < len(weights):
        return [Finding("请为每项指标填写权重，或全部留空。", "weight", BASIS_EVALUATION)]
    total = sum(given, Decimal(0))
    if given and profile.weight_total is not None and total != profile.weight_total:
        return [
            Finding(
                f"指标权重合计为 {plain_decimal(total)}，应为 {plain_decimal(profile.weight_total)}。",
                "weight",
                BASIS_EVALUATION,
            )
        ]
    return []


# Points of an evaluation (财预〔2020〕10号): 100 in all, of which 10 go to the budget
# execution rate (预算执行率), scored from the money spent at self-evaluation time.
FULL_MARKS = Decimal(100)


def weight_explanation(profile) -> str:
    """Why the layout's weights add up to what they do, in one sentence shown beside the
    running total (a clerk who reads 0 / 90 wonders where the other 10 went)."""
    total = profile.weight_total
    if total is None:
        return ""
    if total < FULL_MARKS:
        return (
            f"满分 100 分中，{plain_decimal(FULL_MARKS - total)} 分属于“预算执行率”，"
            f"在年度绩效自评时按资金实际支出情况计分，不在此填写；"
            f"各项指标的权重合计应为 {plain_decimal(total)} 分。"
        )
    prefix = "各项指标都须填写权重，" if profile.weights_required else "如填写权重，"
    return f"{prefix}各项指标的权重合计应为 {plain_decimal(total)} 分。"


def _not_a_number(label: str, text: str) -> str:
    return f"定量指标的{label}必须是数字，“{text}”不是数字；文字目标请将指标属性改为定性。"


def value_findings(
    kind: str,
    number: Decimal | None,
    text: str,
    *,
    field: str = "target_value",
    label: str = "指标值",
    required: bool = True,
    text_field: str | None = None,
) -> list[Finding]:
    """A quantitative indicator's value is a number; a qualitative one's is not empty.

    ``text`` is what was written when it is not a number. ``required``: the annual value
    must be given, the period value (``label`` 实施周期指标值) may be left empty.
    ``text_field`` is where the text is kept apart from the number (the model's
    ``target_text``); a form with one input for both leaves it out.
    """
    text = (text or "").strip()
    text_field = text_field or field
    if kind == IndicatorKind.QUANTITATIVE:
        if number is None and text:
            return [Finding(_not_a_number(label, text), field, BASIS_TARGETS)]
        if number is None and required:
            return [Finding(f"定量指标必须填写数字{label}。", field, BASIS_TARGETS)]
        if number is not None and text:
            return [Finding(f"定量指标的{label}请填写在数值栏，文字栏留空。", text_field)]
        return []
    if required and number is None and not text:
        return [Finding(f"请填写{label}。", text_field)]
    return []


def not_a_number_template(label: str = "指标值") -> str:
    """What ``value_findings`` says of a quantitative value that is not a number, with
    ``{text}`` where the text goes: the browser fills it in while the clerk types."""
    return _not_a_number(label, "{text}")


def level_findings(level1: bool, level2: bool, profile) -> list[Finding]:
    """一级/二级指标: the wizard asks them in every layout; they are required where the
    layout's table prints them (Beijing prints level 1 alone for its benefit indicators)."""
    if not profile.levels:
        return []
    if not level1:
        return [Finding("所选表样需要选择一级和二级指标。", "level1")]
    if profile.level2_required and not level2:
        return [Finding("所选表样需要选择一级和二级指标。", "level2")]
    return []


# What an indicator without a level 1 is called wherever level names are shown.
UNCLASSIFIED = "未分类"

# Level-1 codes of the national framework a declaration should cover, with their names.
REQUIRED_CATEGORIES = (
    ("output", "产出指标"),
    ("benefit", "效益指标"),
    ("satisfaction", "满意度指标"),
)


def coverage_findings(level1_codes: list[str | None], names: list[str]) -> list[Finding]:
    """A declaration has output, benefit and satisfaction indicators. Indicators without a
    level 1 (loaded from a table without levels) are asked to be classified instead: until
    they are, what the declaration covers cannot be told."""
    unclassified = [name for code, name in zip(level1_codes, names, strict=True) if not code]
    found = [
        Finding(f"指标“{name}”{UNCLASSIFIED}：请选择一级和二级指标。", "level1", BASIS_TARGETS)
        for name in unclassified
    ]
    if unclassified:
        return found
    present = set(level1_codes)
    for code, name in REQUIRED_CATEGORIES:
        if code not in present:
            found.append(Finding(f"缺少{name}。", "level1", BASIS_TARGETS))
    return found


# -- printing in another layout ---------------------------------------------------------------


def layout_gaps(
    profile,
    *,
    amounts: dict[str, Decimal | None],
    texts: dict[str, str],
    text_labels: dict[str, str],
) -> list[Finding]:
    """What ``profile``'s table has a cell for that the declaration leaves empty: the cell
    prints empty, and the page says so rather than leaving the reader to wonder."""
    found = []
    for name, label in profile.budget_labels.items():
        if name == "total" and not profile.prints_total:
            continue
        if amounts.get(name) is None:
            found.append(Finding(f"“{label}”一格为空：本申报表没有填写这一金额。", name))
    for name in (*profile.required_narratives, *profile.department_fields):
        if not (texts.get(name) or "").strip():
            found.append(Finding(f"“{text_labels[name]}”一格为空：本申报表没有填写。", name))
    return found
