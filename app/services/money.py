"""Exact money: integer minor units inside, Decimal at the edges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_decimal(minor: int) -> Decimal:
    return (Decimal(minor) / 100).quantize(CENT)


def to_minor(amount: Decimal | str) -> int:
    return int((Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def tax_of(amount_minor: int, rate_bp: int) -> int:
    """Tax on an amount, rounded half up to the cent: rate in basis points (2000 = 20 %)."""
    return int((Decimal(amount_minor) * rate_bp / 10000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
