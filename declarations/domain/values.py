"""Reading and writing indicator values as people write them in the tables ("≥45 场次").

A value cell of a seed holds an optional comparison, a number and a unit. ``parse_value``
splits it so the parts can be stored separately; ``format_value`` writes them back. Anything
that is not of that shape ("提升", "及时支付编外人员工资薪金") is a qualitative text.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from declarations.domain.choices import Operator
from declarations.domain.money import plain_decimal

_ASCII_OPERATORS = {
    ">=": Operator.GE,
    "<=": Operator.LE,
    "＝": Operator.EQ,
    "＞": Operator.GT,
    "＜": Operator.LT,
}
_VALUE_RE = re.compile(
    r"""^\s*
    (?P<op>>=|<=|[=≥≤><＝＞＜])?\s*
    (?P<number>\d+(?:\.\d+)?)\s*
    (?P<unit>[^\d\s=≥≤<>][^\d=≥≤<>]{0,9}?)?\s*$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class ParsedValue:
    operator: str
    number: Decimal | None
    unit: str
    text: str

    @property
    def is_numeric(self) -> bool:
        return self.number is not None


def parse_value(raw: str) -> ParsedValue:
    """Split "≥45 场次" into (≥, 45, 场次); return anything else as text."""
    cleaned = " ".join(raw.split())
    match = _VALUE_RE.match(cleaned)
    if not match:
        # A text keeps its own line breaks: only a number+unit cell is normalised.
        return ParsedValue(operator="", number=None, unit="", text=raw.strip())
    op = match["op"] or ""
    op = _ASCII_OPERATORS.get(op, op)
    unit = (match["unit"] or "").strip()
    return ParsedValue(operator=op, number=Decimal(match["number"]), unit=unit, text="")


def format_value(operator: str, number: Decimal | None, unit: str, text: str = "") -> str:
    """Write a value as it appears in a table cell: "≥45场次", "100%", "提升"."""
    if number is None:
        return text
    return f"{operator}{plain_decimal(number)}{unit}"
