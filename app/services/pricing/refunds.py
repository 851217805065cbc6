"""What giving back units of a placed order is worth: pure functions over the amounts frozen at placement,
used by refunds, refund proposals, the share of a logistic order (canceled, declined, captured at shipment)
and returns. No database, no I/O.

A line's money is split over its units exactly as the pricing pipeline split it over the line (steps.py):

- the line's amounts, frozen at placement: unit price, its promotion's discount (`OrderLine.discount_amount`),
  its share of the order-level discount (the voucher's and order promotions', allocated over the lines' nets
  by `steps.allocate`, in the pipeline's line order), its tax (`OrderLine.tax_amount`);
- each amount X of a line of q units goes to its units cumulatively: the first n units carry
  half_up(X * n / q), so unit n carries half_up(X*n/q) - half_up(X*(n-1)/q) (the rounding remainders fall on
  the units where the cumulative amount crosses half a cent; the last unit completes X). Units are given back
  in order: a refund of k units after r were refunded takes units r+1 to r+k. Refunding every unit of a line,
  in any number of refunds, gives back exactly the line's net after discounts plus its tax; refunding every
  line and the shipping gives back exactly the order's total.
- shipping is given back whole, once (it is charged as one amount, without tax: steps.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.services.pricing.steps import allocate, half_up


@dataclass(frozen=True)
class FrozenLine:
    """A placed line's amounts (whole line, minor units) as the pipeline froze them."""

    id: str
    quantity: int
    unit: int  # unit price before any discount
    promotion: int  # the line's product promotion discount
    voucher: int  # its share of the voucher's discount
    order_promotion: int  # its share of the other order-level discounts
    tax: int
    logistic_order_id: str | None = None

    @property
    def amount(self) -> int:
        """What the whole line cost the buyer: net after every discount, plus tax."""
        return self.unit * self.quantity - self.promotion - self.voucher - self.order_promotion + self.tax


@dataclass(frozen=True)
class LinePart:
    """The value of `quantity` units of a line (units `first_unit` .. first_unit + quantity - 1, from 1)."""

    line_id: str
    quantity: int
    first_unit: int
    unit_price: int
    gross: int  # unit_price x quantity
    promotion: int
    voucher: int
    order_promotion: int
    tax: int

    @property
    def amount(self) -> int:
        return self.gross - self.promotion - self.voucher - self.order_promotion + self.tax


@dataclass(frozen=True)
class Share:
    """The value of some units of some lines, and the shipping if it is included."""

    lines: tuple[LinePart, ...]
    shipping: int

    @property
    def total(self) -> int:
        return sum(p.amount for p in self.lines) + self.shipping


def cumulative(total: int, quantity: int, units: int) -> int:
    """What the first `units` of `quantity` units carry of `total`: half up, exact at `quantity`."""
    if units >= quantity:
        return total
    return half_up(Decimal(total) * units / quantity)


def units_part(total: int, quantity: int, already: int, count: int) -> int:
    """What units already+1 .. already+count carry of `total`."""
    return cumulative(total, quantity, already + count) - cumulative(total, quantity, already)


@dataclass(frozen=True)
class PlacedLine:
    """What the database holds of a placed line (OrderLine's frozen columns)."""

    id: str
    quantity: int
    unit: int
    promotion: int  # discount_amount
    net: int  # total_amount: unit x quantity - promotion
    tax: int
    logistic_order_id: str | None = None


def freeze(lines: Sequence[PlacedLine], order_discount: int, voucher_discount: int) -> list[FrozenLine]:
    """The lines with their shares of the order-level discount, allocated as the pipeline allocated it (over
    the nets, in the pipeline's line order: position, then id). The voucher's part of each share is allocated
    the same way and never exceeds the share; the rest is the order promotions'."""
    nets = [ln.net for ln in lines]
    shares = allocate(order_discount, nets)
    vouchers = allocate(min(voucher_discount, order_discount), nets)
    frozen = []
    for ln, share, voucher in zip(lines, shares, vouchers, strict=True):
        voucher = min(voucher, share)
        frozen.append(
            FrozenLine(
                id=ln.id,
                quantity=ln.quantity,
                unit=ln.unit,
                promotion=ln.promotion,
                voucher=voucher,
                order_promotion=share - voucher,
                tax=ln.tax,
                logistic_order_id=ln.logistic_order_id,
            )
        )
    return frozen


def part_of(line: FrozenLine, already: int, count: int) -> LinePart:
    """The value of `count` units of the line after `already` units were given back."""
    return LinePart(
        line_id=line.id,
        quantity=count,
        first_unit=already + 1,
        unit_price=line.unit,
        gross=line.unit * count,
        promotion=units_part(line.promotion, line.quantity, already, count),
        voucher=units_part(line.voucher, line.quantity, already, count),
        order_promotion=units_part(line.order_promotion, line.quantity, already, count),
        tax=units_part(line.tax, line.quantity, already, count),
    )


def share_of(
    lines: Sequence[FrozenLine],
    asked: Mapping[str, int],
    already: Mapping[str, int],
    *,
    shipping: int = 0,
) -> Share:
    """The value of `asked` units per line id (in the lines' order) after `already` units per line id were
    given back, plus `shipping` (the shipping amount when it is included, else 0). The caller checks that
    already + asked never exceeds a line's quantity."""
    parts = tuple(part_of(ln, already.get(ln.id, 0), asked[ln.id]) for ln in lines if asked.get(ln.id, 0) > 0)
    return Share(parts, shipping)
