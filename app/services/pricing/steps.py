"""The pricing pipeline as pure steps, in the order they run. No database, no I/O: every input is a value
loaded beforehand (`pricing.evaluation` loads one snapshot for any number of drafts).

    1. unit_price      agreed price of a quote line, else the tier of the resolved price for the quantity,
                       else (offer or price gone) the line's stored unit price
    2. line_discount   the best single product-level discount rule eligible for the line (promotions)
    3. order_discount  an order-level amount (vouchers, order promotions), capped at the discounted subtotal
    4. shipping        the chosen shipping method's price
    5. tax             per line, on the line's net after its share of the order discount, half up to the
                       cent; shipping is charged as given (net, no tax)
    6. totals          subtotal (net of line discounts), discounts, shipping, tax, total, amount saved

All amounts are integer minor units of the order's currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.services.catalog.prices import ResolvedPrice

BP = 10_000  # basis points in 100 %


def half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def tax_of(amount: int, rate_bp: int) -> int:
    """Tax on a net amount, rounded half up to the cent: rate in basis points (2000 = 20 %)."""
    return half_up(Decimal(amount) * rate_bp / BP)


def unit_after(net: int, quantity: int, unit: int) -> int:
    """Unit price after discount, for display: the line's net over its quantity, half up."""
    return half_up(Decimal(net) / quantity) if quantity else unit


# ---- 1. unit price -------------------------------------------------------------------------------


def unit_price(price: ResolvedPrice | None, quantity: int, *, agreed: int | None, stored: int) -> int:
    if agreed is not None:
        return agreed
    if price is None:
        return stored
    return price.unit_for(quantity)


# ---- 2. line discounts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DiscountRule:
    """A product-level discount: a percentage (basis points) or a fixed amount off each unit, for the
    listed products (None: every product)."""

    code: str
    percent_bp: int = 0
    amount_off_unit: int = 0
    product_ids: frozenset[str] | None = None

    def applies_to(self, product_id: str) -> bool:
        return self.product_ids is None or product_id in self.product_ids

    def discount(self, unit: int, quantity: int) -> int:
        """Discount on the whole line, never more than the line itself; half up once per line."""
        gross = unit * quantity
        if self.percent_bp:
            return min(gross, half_up(Decimal(gross) * self.percent_bp / BP))
        return min(gross, self.amount_off_unit * quantity)


def line_discount(
    unit: int, quantity: int, product_id: str, rules: Iterable[DiscountRule]
) -> tuple[int, DiscountRule | None]:
    """The best single eligible rule (largest discount; ties: lowest code), never stacked."""
    best: tuple[int, DiscountRule | None] = (0, None)
    for rule in sorted(rules, key=lambda r: r.code):
        if rule.applies_to(product_id):
            amount = rule.discount(unit, quantity)
            if amount > best[0]:
                best = (amount, rule)
    return best


# ---- 3. order discount ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderDiscountRule:
    """An order-level discount (a voucher's promotion, an automatic order promotion): a percentage of the
    goods or a fixed amount, on the lines of the listed products only when there are any."""

    code: str
    percent_bp: int = 0
    amount_off: int = 0
    product_ids: frozenset[str] | None = None

    def discount(self, lines: Sequence[tuple[str, int]]) -> int:
        """`lines`: (product id, net after line discounts). Percentages half up once per line."""
        eligible = [net for pid, net in lines if self.product_ids is None or pid in self.product_ids]
        if self.percent_bp:
            if self.product_ids is None:
                return half_up(Decimal(sum(eligible)) * self.percent_bp / BP)
            return sum(half_up(Decimal(net) * self.percent_bp / BP) for net in eligible)
        return min(self.amount_off, sum(eligible))


def order_discount(subtotal: int, amount: int) -> int:
    return max(0, min(amount, subtotal))


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Split `amount` over lines in proportion to `weights`, exactly (largest remainder, earlier lines first
    on ties), so that the shares add up to the amount."""
    total = sum(weights)
    if amount <= 0 or total <= 0:
        return [0] * len(weights)
    shares = [amount * w // total for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in remainders[: amount - sum(shares)]:
        shares[i] += 1
    return shares


# ---- 4 to 6. shipping, tax, totals ---------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    key: str
    product_id: str
    quantity: int
    price: ResolvedPrice | None
    agreed_unit: int | None
    stored_unit: int
    tax_rate_bp: int  # the resolved price's rate, else the line's stored one


@dataclass(frozen=True)
class LineAmounts:
    key: str
    unit: int  # before discount
    discount: int  # whole line
    unit_after_discount: int  # net / quantity, half up
    net: int  # unit x quantity - discount
    tax_rate_bp: int
    tax: int
    promotion: str | None


@dataclass(frozen=True)
class Totals:
    subtotal: int  # sum of line nets (after line discounts)
    line_discount: int
    order_discount: int
    shipping: int
    tax: int
    total: int
    order_discounts: tuple[tuple[str, int], ...] = ()  # (rule code, amount) of each order-level rule applied

    @property
    def discount(self) -> int:
        return self.line_discount + self.order_discount

    @property
    def amount_saved(self) -> int:
        """Line discounts plus the order-level (voucher) discount."""
        return self.discount


def price_lines(
    lines: Sequence[LineInput],
    *,
    rules: Iterable[DiscountRule] = (),
    order_rules: Iterable[OrderDiscountRule] = (),
    order_discount_amount: int = 0,
    shipping: int = 0,
) -> tuple[list[LineAmounts], Totals]:
    """Run steps 1 to 6 over the lines of one order. Order-level rules apply to the nets after line
    discounts, each on its own, together capped at the subtotal."""
    rules = tuple(rules)
    staged = []
    for ln in lines:
        unit = unit_price(ln.price, ln.quantity, agreed=ln.agreed_unit, stored=ln.stored_unit)
        # Negotiated (agreed) prices get no promotion on top.
        discount, rule = (
            (0, None) if ln.agreed_unit is not None else line_discount(unit, ln.quantity, ln.product_id, rules)
        )
        staged.append((ln, unit, discount, rule, unit * ln.quantity - discount))
    subtotal = sum(net for *_, net in staged)
    nets = [(ln.product_id, net) for ln, *_, net in staged]
    applied = tuple((r.code, r.discount(nets)) for r in order_rules)
    off = order_discount(subtotal, order_discount_amount + sum(amount for _, amount in applied))
    shares = allocate(off, [net for *_, net in staged])
    priced = [
        LineAmounts(
            key=ln.key,
            unit=unit,
            discount=discount,
            unit_after_discount=unit_after(net, ln.quantity, unit),
            net=net,
            tax_rate_bp=ln.tax_rate_bp,
            tax=tax_of(net - share, ln.tax_rate_bp),
            promotion=rule.code if rule else None,
        )
        for (ln, unit, discount, rule, net), share in zip(staged, shares, strict=True)
    ]
    tax = sum(p.tax for p in priced)
    totals = Totals(
        subtotal=subtotal,
        line_discount=sum(p.discount for p in priced),
        order_discount=off,
        shipping=shipping,
        tax=tax,
        total=subtotal - off + shipping + tax,
        order_discounts=applied,
    )
    return priced, totals
