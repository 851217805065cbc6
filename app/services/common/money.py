"""Exact money: integer minor units inside, Decimal at the edges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_decimal(minor: int) -> Decimal:
    return (Decimal(minor) / 100).quantize(CENT)


def to_minor(amount: Decimal | str) -> int:
    return int((Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


MAX_AMOUNT_TEXT = 20


def parse_amount(text: str) -> int | None:
    """Minor units of a decimal string such as "2.50", or None when it is not one."""
    if len(text) > MAX_AMOUNT_TEXT:
        return None
    try:
        return to_minor(text)
    except (ArithmeticError, ValueError):
        return None
