"""Helpers the layout modules share: money cells, indicator values, runs of equal categories."""

from collections.abc import Callable, Iterable
from decimal import Decimal
from itertools import groupby

from declarations.domain.money import MoneyUnit, to_unit
from declarations.domain.values import format_value
from declarations.exports.grid import Grid, NumberFormat, Style
from declarations.models import Declaration
from indicators.models import PerformanceIndicator


def unit_label(declaration: Declaration) -> str:
    return MoneyUnit(declaration.money_unit).label


def money_format(declaration: Declaration) -> NumberFormat:
    if declaration.money_unit == MoneyUnit.WAN_YUAN:
        return NumberFormat.WAN_YUAN
    return NumberFormat.YUAN


def budget_amount(declaration: Declaration, field: str) -> Decimal | None:
    """An amount of the declaration's budget in the unit the table prints, exactly."""
    budget = getattr(declaration, "budget", None)
    return amount_in_unit(declaration, getattr(budget, field, None) if budget else None)


def put_money(
    grid: Grid,
    row: int,
    col: int,
    declaration: Declaration,
    amount: Decimal | None,
    colspan: int = 1,
    rowspan: int = 1,
    suffix: str = "",
) -> None:
    """Put an amount already converted to the table's unit (see ``budget_amount``)."""
    grid.put(
        row,
        col,
        amount,
        Style.NUMBER,
        colspan=colspan,
        rowspan=rowspan,
        number_format=money_format(declaration),
        suffix=suffix,
    )


def amount_in_unit(declaration: Declaration, amount_yuan: Decimal | None) -> Decimal | None:
    if amount_yuan is None:
        return None
    return to_unit(amount_yuan, declaration.money_unit).normalize()


def indicator_value(indicator: PerformanceIndicator) -> str:
    """The annual target as one text, as tables without separate columns print it."""
    return format_value(
        indicator.operator, indicator.target_value, indicator.unit, indicator.target_text
    )


def indicator_period_value(indicator: PerformanceIndicator) -> str:
    return format_value(
        indicator.operator, indicator.period_value, indicator.unit, indicator.period_text
    )


def indicator_number_or_text(indicator: PerformanceIndicator):
    """For tables whose 指标值 column holds the bare number (operator and unit have columns)."""
    if indicator.target_value is not None:
        return indicator.target_value.normalize()
    return indicator.target_text


def runs(items: list, key: Callable) -> Iterable[tuple[int, int, list]]:
    """Consecutive items with the same key: (start index, length, items)."""
    start = 0
    for _, group in groupby(items, key=key):
        members = list(group)
        yield start, len(members), members
        start += len(members)


def level1_name(indicator: PerformanceIndicator) -> str:
    return indicator.level1.name if indicator.level1_id else ""


def level2_name(indicator: PerformanceIndicator) -> str:
    return indicator.level2.name if indicator.level2_id else ""


def put_level_columns(
    grid: Grid, first_row: int, indicators: list, level1_col: int, level2_col: int
) -> None:
    """Level-1 and level-2 cells merged over the rows of each run, as the tables print them."""
    for start, length, _ in runs(indicators, key=lambda i: i.level1_id):
        grid.put(
            first_row + start,
            level1_col,
            level1_name(indicators[start]),
            Style.CENTER,
            rowspan=length,
        )
    for start, length, _ in runs(indicators, key=lambda i: (i.level1_id, i.level2_id)):
        grid.put(
            first_row + start,
            level2_col,
            level2_name(indicators[start]),
            Style.CENTER,
            rowspan=length,
        )


def put_text_row(grid: Grid, label: str, text: str, label_span: int = 1) -> int:
    """A bordered row: a label on the left and a text over the rest of the width."""
    row = grid.add_row()
    grid.put(row, 0, label, Style.LABEL, colspan=label_span)
    grid.put(row, label_span, text, Style.TEXT, colspan=grid.column_count - label_span)
    return row


def put_headers(grid: Grid, row: int, first_col: int, labels: list) -> None:
    """Column headers from ``first_col`` on; a label may be ``(text, colspan)``."""
    col = first_col
    for label in labels:
        text, span = label if isinstance(label, tuple) else (label, 1)
        grid.put(row, col, text, Style.HEADER, colspan=span)
        col += span


def put_title(grid: Grid, text: str, style: Style = Style.TITLE) -> int:
    row = grid.add_row()
    grid.put(row, 0, text, style, colspan=grid.column_count)
    return row


def indicator_list(declaration: Declaration) -> list[PerformanceIndicator]:
    return list(declaration.indicators.all())


def spread(count: int, width: int) -> list[int]:
    """Split ``width`` columns into ``count`` spans as evenly as the grid allows."""
    base, extra = divmod(width, count)
    return [base + (1 if index < extra else 0) for index in range(count)]
