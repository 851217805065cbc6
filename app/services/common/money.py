"""Exact money: integer minor units inside, Decimal at the edges.

Every amount or rate that comes in (API inputs, import files) goes through `parse_amount` / `parse_rate`:
plain ASCII decimals only (`-?[0-9]+(.[0-9]{1,2})?`), no exponent, underscore, spaces or non-ASCII digits
(Python's Decimal and `\\d` take "1_000", " 2.50 ", "2.5e-999999999" and "٣.٥"), and bounded so every
amount, and a line of MAX_QUANTITY units at that amount, fits the BIGINT minor-unit columns.
"""

from __future__ import annotations

import re
from decimal import Decimal

CENT = Decimal("0.01")

# 9,999,999,999.99: the import format's bound (10 integer digits). Times MAX_QUANTITY it stays below
# 2**63 (BigInteger minor-unit columns on PostgreSQL and SQLite).
MAX_MINOR = 10**12 - 1
# Quantities are 32-bit Integer columns; a million units per line keeps a line's total within BigInteger.
MAX_QUANTITY = 1_000_000
MAX_RATE_BP = 10_000  # 100.00 %

_DECIMAL = re.compile(r"(-?)([0-9]+)(?:\.([0-9]{1,2}))?")


class MoneyError(ValueError):
    """The text is not an amount (or rate) the API takes; the message says what is expected."""


def parse_amount(text: object, *, allow_negative: bool = False) -> int:
    """A decimal string such as "12.50" as minor units (1250)."""
    minor = _parse(text)
    if minor < 0 and not allow_negative:
        raise MoneyError("amount must not be negative")
    if abs(minor) > MAX_MINOR:
        raise MoneyError(f"amount must be at most {to_decimal(MAX_MINOR)}")
    return minor


def parse_rate(text: object) -> int:
    """A tax rate in percent with at most two decimals ("20", "5.5") as basis points (2000, 550)."""
    bp = _parse(text)
    if not 0 <= bp <= MAX_RATE_BP:
        raise MoneyError("rate must be between 0 and 100 (percent)")
    return bp


def quantity_in_range(quantity: int) -> bool:
    return 0 < quantity <= MAX_QUANTITY


def _parse(text: object) -> int:
    match = _DECIMAL.fullmatch(text) if isinstance(text, str) and len(text) <= 32 else None
    if match is None:
        raise MoneyError('expected a decimal string such as "2.50" (digits, optional "-", at most 2 decimals)')
    sign, units, cents = match.groups()
    minor = int(units) * 100 + int((cents or "0").ljust(2, "0"))
    return -minor if sign else minor


def to_decimal(minor: int) -> Decimal:
    return Decimal(minor).scaleb(-2)  # exact, always two decimals: 1250 -> 12.50, 100 -> 1.00
