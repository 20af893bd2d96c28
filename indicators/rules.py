"""Review rules: what a reviewer would question in a declaration (warnings, not errors)."""

import re

from declarations.models import Declaration

# Targets that cannot be measured without a number or a baseline.
VAGUE_TARGET = re.compile(
    r"^(有所|明显|显著|大幅|进一步|稳步|持续|有效)?(提升|提高|改善|增强|加强|增加|推进)$"
)


def _level1_code(indicator) -> str:
    return indicator.level1.code if indicator.level1_id else ""


def warnings_for(declaration: Declaration) -> list[str]:
    """Plain-language warnings about ``declaration``, in the order a reviewer reads them."""
    indicators = [i for i in declaration.indicators.all() if not i.is_placeholder]
    warnings = []
    if not indicators:
        return ["尚未填写绩效指标。"]
    if not any(_level1_code(i) == "satisfaction" or "满意" in i.name for i in indicators):
        warnings.append("没有满意度指标：建议设置服务对象满意度指标。")
    if not any(_level1_code(i) == "benefit" or "效益" in i.name for i in indicators):
        warnings.append("没有效益指标：建议设置社会效益等效益指标。")
    for indicator in indicators:
        label = indicator.name or indicator.target_text[:20]
        text = indicator.target_text.strip()
        if text and not re.search(r"\d", text) and VAGUE_TARGET.match(text.rstrip("。")):
            warnings.append(f"指标“{label}”的目标“{text}”无法衡量：建议给出数值或基准。")
        if indicator.kind == "qualitative" and indicator.target_value is not None:
            warnings.append(f"指标“{label}”标为定性指标却填写了数值：建议改为定量指标。")
    return warnings
