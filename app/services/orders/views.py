"""What a placed order shows that is derived rather than stored: pure functions of values already loaded (no
database, no I/O), so the schema answers them as they are and tests call them directly.

Imports only models and the pricing steps, so it stays a leaf wherever the order packages move.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.models import Voucher
from app.services.pricing.steps import unit_after


class FrozenLineAmounts(Protocol):
    """A placed line's frozen amounts (an ORM line or a listing's column row)."""

    quantity: int
    unit_amount: int
    total_amount: int


def unit_price_after_discount(line: FrozenLineAmounts) -> int:
    """The unit price after the line's promotion: its frozen net total over its quantity, half up (the same step
    as a draft line's, `pricing.steps.unit_after`); a line without quantity shows its unit price."""
    return unit_after(line.total_amount, line.quantity, line.unit_amount)


class FrozenVoucherColumns(Protocol):
    """What a placed order keeps of its voucher: the voucher's id and the discount frozen at placement."""

    voucher_id: str | None
    voucher_discount_amount: int


@dataclass(frozen=True, slots=True)
class FrozenVoucher:
    code: str
    discount: int  # minor units, frozen with the order


def frozen_voucher(order: FrozenVoucherColumns, voucher: Voucher | None) -> FrozenVoucher | None:
    """The voucher an order was placed with and the discount frozen with it; `voucher` is the row of
    `order.voucher_id` as the caller loaded it (None when it is gone).

    The order keeps the voucher's id, not its code (`orders.voucher_id`, ON DELETE SET NULL). A voucher whose row
    cannot be found has no code left to show: the order answers no voucher rather than an invented code; its
    discount stays in the order's discount total and amount saved, which are frozen columns of their own."""
    if order.voucher_id is None or voucher is None or voucher.id != order.voucher_id:
        return None
    return FrozenVoucher(code=voucher.code, discount=order.voucher_discount_amount)
