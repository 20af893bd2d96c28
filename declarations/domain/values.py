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

# Other ways of writing an operator, and the operator they mean.
OPERATOR_ALIASES = {
    ">=": Operator.GE,
    "<=": Operator.LE,
    "＝": Operator.EQ,
    "＞": Operator.GT,
    "＜": Operator.LT,
}
# The pieces of the pattern, each written so that Python and JavaScript (flag ``u``) read it
# alike: the browser is handed the same pattern and accepts exactly what the server accepts.
# Spaces are what ``str.isspace`` calls a space (not JavaScript's ``\s``, which differs);
# digits are ASCII and full-width (an IME types "４５").
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_DIGIT = "0-9０-９"
_SIGNS = sorted({*OPERATOR_ALIASES, *Operator.values}, key=lambda sign: (-len(sign), sign))
_OPERATOR = "|".join(_SIGNS)  # none of the signs means anything else in a pattern
_UNIT_STOP = "".join(Operator.values)


def _pattern(group: str) -> str:
    """The value pattern, on a value whose runs of spaces are one space and which does not
    begin or end with one. ``group`` opens a named group: ``(?P<`` in Python, ``(?<`` in
    JavaScript."""
    return (
        f"^{group}op>{_OPERATOR})? ?"
        f"{group}number>[{_DIGIT}]+(?:[.][{_DIGIT}]+)?) ?"
        f"{group}unit>[^{_DIGIT}{_SPACE}{_UNIT_STOP}][^{_DIGIT}{_UNIT_STOP}]{{0,9}}?)?$"
    )


_SPACES = re.compile(f"[{_SPACE}]+")
_VALUE_RE = re.compile(_pattern("(?P<"))


def value_grammar() -> dict:
    """The grammar as data, for the browser: the operator aliases, the pattern in JavaScript's
    syntax with its flags, and the spaces a value is first tidied of (each run made one space,
    none at either end)."""
    return {
        "operators": {alias: str(operator) for alias, operator in OPERATOR_ALIASES.items()},
        "space": _SPACE,
        "pattern": _pattern("(?<"),
        "flags": "u",
    }


def tidy(raw: str) -> str:
    """``raw`` with each run of spaces made one space and none at either end."""
    return _SPACES.sub(" ", raw).strip(" ")


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
    match = _VALUE_RE.match(tidy(raw))
    if not match:
        # A text keeps its own line breaks: only a number+unit cell is normalised.
        return ParsedValue(operator="", number=None, unit="", text=raw.strip())
    op = match["op"] or ""
    op = OPERATOR_ALIASES.get(op, op)
    unit = (match["unit"] or "").strip()
    return ParsedValue(operator=op, number=Decimal(match["number"]), unit=unit, text="")


def format_value(operator: str, number: Decimal | None, unit: str, text: str = "") -> str:
    """Write a value as it appears in a table cell: "≥45场次", "100%", "提升"."""
    if number is None:
        return text
    return f"{operator}{plain_decimal(number)}{unit}"
