"""Exact money: amounts are stored in yuan as Decimal and shown in the unit a layout asks for.

Nothing here rounds. A yuan amount shown in 万元 keeps every significant digit; two decimals are
the minimum, not the maximum, so 12345.67 元 is shown as 1.234567 万元, never as 1.23.
"""

from decimal import Decimal

from django.db import models

YUAN_PER_WAN = Decimal(10000)


class MoneyUnit(models.TextChoices):
    YUAN = "yuan", "元"
    WAN_YUAN = "wan_yuan", "万元"


def to_unit(amount_yuan: Decimal, unit: str) -> Decimal:
    """Convert an amount in yuan to ``unit`` exactly."""
    if unit == MoneyUnit.WAN_YUAN:
        return amount_yuan / YUAN_PER_WAN
    return amount_yuan


def from_unit(amount: Decimal, unit: str) -> Decimal:
    """Convert an amount given in ``unit`` to yuan exactly."""
    if unit == MoneyUnit.WAN_YUAN:
        return amount * YUAN_PER_WAN
    return amount


def plain_decimal(value: Decimal, min_places: int = 0) -> str:
    """Write ``value`` without exponent or trailing zeros, keeping at least ``min_places``."""
    text = format(value.normalize(), "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0").ljust(min_places, "0")
    return f"{whole}.{fraction}" if fraction else whole


def format_amount(amount_yuan: Decimal | None, unit: str) -> str:
    """Show a yuan amount in ``unit`` with two decimals or more, never fewer digits than it has."""
    if amount_yuan is None:
        return ""
    return plain_decimal(to_unit(amount_yuan, unit), min_places=2)
