"""The refund allocation (services/pricing/refunds.py) as pure code, against the pricing pipeline itself: random
orders priced by `steps.price_lines` (lines, quantities, promotions, a voucher, order promotions, shipping),
frozen as placement freezes them, then random sequences of partial refunds (issue 21's property test)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.models import Order
from app.services.common.errors import Refusal
from app.services.payments.ledger import Balance
from app.services.payments.refunds import AskedLine, RefundInput, plan
from app.services.payments.shares import OrderMoney, Source
from app.services.pricing import steps
from app.services.pricing.refunds import FrozenLine, PlacedLine, freeze, part_of, share_of, units_part
from app.services.rules.payment_states import TransactionKind as K
from app.services.rules.payment_states import TransactionStatus as T


@st.composite
def orders(draw: st.DrawFn) -> tuple[list[FrozenLine], int, int]:
    """(frozen lines, shipping, the order's total) of an order priced by the pipeline."""
    n = draw(st.integers(1, 6))
    inputs = [
        steps.LineInput(
            key=f"L{i}",
            product_id=f"P{i}",
            quantity=draw(st.integers(1, 25)),
            price=None,
            agreed_unit=None,
            stored_unit=draw(st.integers(1, 50_000)),
            tax_rate_bp=draw(st.sampled_from([0, 550, 1000, 2000])),
        )
        for i in range(n)
    ]
    rules = [
        steps.DiscountRule(code=f"R{i}", percent_bp=draw(st.integers(1, 9_999)), product_ids=frozenset({f"P{i}"}))
        for i in range(n)
        if draw(st.booleans())
    ]
    voucher = draw(st.integers(0, 30_000))
    order_rules = [steps.OrderDiscountRule(code="ORD", percent_bp=draw(st.integers(0, 2_000)))]
    shipping = draw(st.sampled_from([0, 500, 1500]))
    priced, totals = steps.price_lines(
        inputs, rules=rules, order_rules=order_rules, order_discount_amount=voucher, shipping=shipping
    )
    placed = [
        PlacedLine(id=p.key, quantity=i.quantity, unit=p.unit, promotion=p.discount, net=p.net, tax=p.tax)
        for i, p in zip(inputs, priced, strict=True)
    ]
    # the voucher's part of the order discount, as evaluation records it (capped with the rest at the subtotal)
    voucher_part = min(voucher, totals.order_discount)
    return freeze(placed, totals.order_discount, voucher_part), shipping, totals.total


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.large_base_example])
@given(orders(), st.data())
def test_partial_refunds_never_exceed_a_line_and_all_of_them_give_back_the_total(order, data) -> None:
    lines, shipping, total = order
    refunded: dict[str, int] = {ln.id: 0 for ln in lines}
    given_back: dict[str, int] = {ln.id: 0 for ln in lines}
    # random partial refunds until every unit is back
    while any(refunded[ln.id] < ln.quantity for ln in lines):
        left = [ln for ln in lines if refunded[ln.id] < ln.quantity]
        # at least one unit per round (of the first line left), so that every sequence ends in a few rounds
        asked = {
            ln.id: data.draw(st.integers(1 if n == 0 else 0, ln.quantity - refunded[ln.id]))
            for n, ln in enumerate(left)
        }
        share = share_of(lines, asked, refunded)
        for part in share.lines:
            refunded[part.line_id] += part.quantity
            given_back[part.line_id] += part.amount
        for ln in lines:
            assert given_back[ln.id] <= ln.amount  # never more than the line's paid amount
    assert all(given_back[ln.id] == ln.amount for ln in lines)
    assert sum(given_back.values()) + shipping == total  # every line and the shipping: the order's total


@given(st.integers(0, 10**9), st.integers(1, 1000), st.data())
def test_unit_parts_add_up_exactly_and_never_go_down(total, quantity, data) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, quantity), max_size=10)))
    bounds = [0, *cuts, quantity]
    parts = [units_part(total, quantity, a, b - a) for a, b in zip(bounds, bounds[1:], strict=False)]
    assert sum(parts) == total and all(p >= 0 for p in parts)


def test_a_discounted_line_with_a_voucher_worked_example() -> None:
    """docs/payments.md: 10 units at 4.99, 10 % promotion, a 10.00 voucher over two lines, 20 % tax."""
    inputs = [
        steps.LineInput("A", "PEN", 10, None, None, 499, 2000),
        steps.LineInput("B", "PAPER", 3, None, None, 1250, 2000),
    ]
    rules = [steps.DiscountRule("PENS-10", percent_bp=1000, product_ids=frozenset({"PEN"}))]
    priced, totals = steps.price_lines(inputs, rules=rules, order_discount_amount=1000, shipping=500)
    placed = [
        PlacedLine(p.key, i.quantity, p.unit, p.discount, p.net, p.tax) for i, p in zip(inputs, priced, strict=True)
    ]
    pen, paper = freeze(placed, totals.order_discount, 1000)
    # the pen line: 49.90 gross, 4.99 promotion, net 44.91; voucher share 10.00 * 4491 / 8241 = 5.45 (rounded
    # by largest remainder), tax 20 % of 39.46 = 7.89
    assert (pen.promotion, pen.voucher, pen.tax) == (499, 545, 789)
    three = part_of(pen, 0, 3)
    assert (three.gross, three.promotion, three.voucher, three.tax) == (1497, 150, 164, 237)
    assert three.amount == 1497 - 150 - 164 + 237 == 1420
    assert pen.amount + paper.amount + 500 == totals.total


@dataclass
class _Entry:
    """One simulated ledger entry: what `order_money` reads of a PaymentTransaction and its refund lines."""

    kind: str
    status: str
    amount: int
    units: dict[str, int] = field(default_factory=dict)
    shipping: int = 0


def _money(lines: list[FrozenLine], shipping: int, total: int, ledger: list[_Entry]) -> OrderMoney:
    """The OrderMoney `order_money` would read from such a ledger (one provider payment, no logistic orders)."""
    held = (T.PENDING, T.SUCCEEDED)
    refunds = [e for e in ledger if e.kind == K.REFUND and e.status in held]
    units: dict[str, int] = {}
    for e in refunds:
        for line_id, n in e.units.items():
            units[line_id] = units.get(line_id, 0) + n
    balance = Balance.of((e.kind, e.status, e.amount) for e in ledger)
    source = Source("p1", balance.captured, sum(e.amount for e in refunds))
    return OrderMoney(
        order=Order(total_amount=total, shipping_amount=shipping, currency="EUR", canceled_amount=0),
        lines=tuple(lines),
        refunded_units=units,
        shipping_refunded=any(e.shipping > 0 for e in refunds),
        logistic={},
        balance=balance,
        sources=(source,) if balance.captured else (),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.large_base_example])
@given(orders(), st.data())
def test_random_captures_and_refunds_keep_refunded_within_captured_within_authorized(order, data) -> None:
    """The refund planner (payments/refunds.py `plan`, what refundOrder writes) over random sequences of
    captures, itemized and amount refunds and their callbacks (succeeded or failed): whatever it accepts,
    refunded (succeeded and pending) <= captured <= authorized, and no line gives back more than it cost."""
    lines, shipping, total = order
    ledger = [_Entry(K.AUTHORIZATION, T.SUCCEEDED, total)]
    for _ in range(data.draw(st.integers(1, 12))):
        money = _money(lines, shipping, total, ledger)
        step = data.draw(st.sampled_from(["capture", "refund-lines", "refund-amount", "settle"]))
        if step == "capture" and money.balance.capturable > 0:
            ledger.append(_Entry(K.CAPTURE, T.SUCCEEDED, data.draw(st.integers(1, money.balance.capturable))))
        elif step == "settle":
            pending = [e for e in ledger if e.kind == K.REFUND and e.status == T.PENDING]
            if pending:
                data.draw(st.sampled_from(pending)).status = data.draw(st.sampled_from([T.SUCCEEDED, T.FAILED]))
        elif step.startswith("refund"):
            if step == "refund-lines":
                asked = tuple(AskedLine(ln.id, n) for ln in lines if (n := data.draw(st.integers(0, ln.quantity))) > 0)
                inp = RefundInput(lines=asked, shipping=data.draw(st.booleans()))
            else:
                inp = RefundInput(amount=data.draw(st.integers(1, max(1, total))))
            try:
                chosen = plan(money, inp)
            except Refusal:
                continue
            units = {p.line_id: p.quantity for p in chosen.share.lines}
            ledger.append(_Entry(K.REFUND, T.PENDING, chosen.total, units, chosen.share.shipping))
        after = Balance.of((e.kind, e.status, e.amount) for e in ledger)
        assert after.refunded + after.refund_pending <= after.captured <= after.authorized
        given: dict[str, int] = {}
        for e in ledger:
            if e.kind == K.REFUND and e.status != T.FAILED:
                for line_id, n in e.units.items():
                    given[line_id] = given.get(line_id, 0) + n
        assert all(given.get(ln.id, 0) <= ln.quantity for ln in lines)
