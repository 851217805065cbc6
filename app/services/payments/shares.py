"""What units of a placed order are worth, and where the money for them came from: the facts every refund,
refund proposal and cancellation starts from (and a capture of a logistic order's share at shipment), read in
a fixed number of statements whatever the number of lines.

`order_money` reads them: the lines with the amounts frozen at placement (pricing/refunds.py `freeze`, in the
pipeline's line order: position, then id), the units of each line already given back (succeeded and pending
refunds; a failed one gives its units back), whether the shipping was given back, the logistic orders'
statuses, the ledger's balance and the money that can still be refunded per source. The values come from the
pure allocation of pricing/refunds.py; nothing here re-allocates.

`share_of_logistic` is a logistic order's share: every unit of its lines not yet given back, with their
discounts and tax, and the shipping when asked (`shipping=True`), or, by default (`shipping=None`), the
cancellation rule: the shipping goes with the last logistic order that ends (no other one is live) unless it
was refunded already.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, Order, OrderLine, PaymentTransaction, RefundLine
from app.services.payments.ledger import Balance
from app.services.pricing.refunds import FrozenLine, PlacedLine, Share, freeze, share_of
from app.services.rules.payment_states import TransactionKind, TransactionStatus
from app.services.rules.states import logistic_ended

K, T = TransactionKind, TransactionStatus
# A refund counts against what it gives back from the moment it is asked for, until it fails.
HELD = (T.PENDING, T.SUCCEEDED)


@dataclass(frozen=True)
class Source:
    """Money taken for the order from one place: a provider's payment attempt (`payment_id`), or money received
    outside a provider (`payment_id` None: recordPayment's MANUAL entries)."""

    payment_id: str | None
    captured: int  # succeeded captures (or received payments)
    refunded: int  # succeeded and pending refunds paid back from it
    first_at: datetime | None = None  # its first capture: sources are used in that order

    @property
    def refundable(self) -> int:
        return self.captured - self.refunded


@dataclass(frozen=True)
class Held:
    """What a provider's payment attempt holds and nobody took nor released: authorized, less its captures
    (succeeded or pending) and its succeeded voids. A void releases it."""

    payment_id: str
    capturable: int
    first_at: datetime | None = None


@dataclass(frozen=True)
class OrderMoney:
    order: Order
    lines: tuple[FrozenLine, ...]  # the pipeline's line order (position, then id)
    refunded_units: Mapping[str, int]  # per line id: units in succeeded or pending refunds
    shipping_refunded: bool  # a succeeded or pending refund gave the shipping back
    logistic: Mapping[str, str]  # logistic order id -> its status
    balance: Balance
    sources: tuple[Source, ...]  # what can be refunded, per source: providers' payments first, then received money
    held: tuple[Held, ...] = ()  # what can be voided, per payment attempt, oldest first

    by_id: Mapping[str, FrozenLine] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {ln.id: ln for ln in self.lines})

    def remaining(self, line: FrozenLine) -> int:
        """Units of the line not given back (nor asked back by a pending refund)."""
        return line.quantity - self.refunded_units.get(line.id, 0)

    def live_logistic(self, *, besides: str | None = None) -> list[str]:
        """The logistic orders that have not ended (other than `besides`)."""
        return [lo for lo, status in self.logistic.items() if lo != besides and not logistic_ended(status)]

    def ended_line(self, line: FrozenLine) -> bool:
        """The line's logistic order was canceled or declined: its share was settled then."""
        return line.logistic_order_id is not None and logistic_ended(self.logistic.get(line.logistic_order_id, ""))


@dataclass(frozen=True)
class LogisticShare:
    """A logistic order's share of its order: its lines' units not yet given back, and the shipping if
    included. `share.total` is what it is worth (minor units, tax included)."""

    logistic_order_id: str
    share: Share
    units: Mapping[str, int]  # per line id: the units it covers
    already: Mapping[str, int]  # per line id: the units given back before

    @property
    def total(self) -> int:
        return self.share.total

    @property
    def includes_shipping(self) -> bool:
        return self.share.shipping > 0


async def order_money(session: AsyncSession, order: Order) -> OrderMoney:
    """The order's money facts in four statements (lines, refunded units, ledger sums, logistic orders)."""
    rows = list(
        await session.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.position, OrderLine.id)
        )
    )
    placed = [
        PlacedLine(
            id=ln.id,
            quantity=ln.quantity,
            unit=ln.unit_amount,
            promotion=ln.discount_amount,
            net=ln.total_amount,
            tax=ln.tax_amount,
            logistic_order_id=ln.logistic_order_id,
        )
        for ln in rows
    ]
    line_discounts = sum(ln.discount_amount for ln in rows)
    frozen = freeze(placed, order.discount_amount - line_discounts, order.voucher_discount_amount)

    units = dict(
        (
            await session.execute(
                select(RefundLine.order_line_id, func.sum(RefundLine.quantity))
                .join(PaymentTransaction, PaymentTransaction.id == RefundLine.transaction_id)
                .where(PaymentTransaction.order_id == order.id, PaymentTransaction.status.in_(HELD))
                .group_by(RefundLine.order_line_id)
            )
        ).all()
    )

    sums = (
        await session.execute(
            select(
                PaymentTransaction.payment_id,
                PaymentTransaction.kind,
                PaymentTransaction.status,
                func.sum(PaymentTransaction.amount),
                func.sum(PaymentTransaction.shipping_amount),
                func.min(PaymentTransaction.created_at),
            )
            .where(PaymentTransaction.order_id == order.id)
            .group_by(PaymentTransaction.payment_id, PaymentTransaction.kind, PaymentTransaction.status)
        )
    ).all()
    balance = Balance.of((kind, status, amount) for _, kind, status, amount, _, _ in sums)
    shipping_refunded = any(
        kind == K.REFUND and status in HELD and (shipping or 0) > 0 for _, kind, status, _, shipping, _ in sums
    )
    captured: dict[str | None, int] = defaultdict(int)
    refunded: dict[str | None, int] = defaultdict(int)
    first: dict[str | None, datetime] = {}
    for payment_id, kind, status, amount, _, at in sums:
        if status == T.SUCCEEDED and kind in (K.CAPTURE, K.MANUAL):
            captured[payment_id] += int(amount)
            first[payment_id] = min(first.get(payment_id, at), at)
        elif kind == K.REFUND and status in HELD:
            refunded[payment_id] += int(amount)
    sources = [Source(pid, captured[pid], refunded.get(pid, 0), first.get(pid)) for pid in captured]
    holding: dict[str, int] = defaultdict(int)
    held_at: dict[str, datetime] = {}
    for payment_id, kind, status, amount, _, at in sums:
        if payment_id is None:
            continue
        if kind == K.AUTHORIZATION and status == T.SUCCEEDED:
            holding[payment_id] += int(amount)
            held_at[payment_id] = at
        elif (kind == K.CAPTURE and status in HELD) or (kind == K.VOID and status == T.SUCCEEDED):
            holding[payment_id] -= int(amount)
    held = sorted(
        (Held(pid, amount, held_at.get(pid)) for pid, amount in holding.items() if amount > 0),
        key=lambda h: (h.first_at is None, h.first_at or 0, h.payment_id),
    )
    # a provider's money first (it goes back to the buyer's card by itself), oldest first; received money last
    sources.sort(key=lambda s: (s.payment_id is None, s.first_at is None, s.first_at or 0, s.payment_id or ""))

    logistic = dict(
        (
            await session.execute(
                select(LogisticOrder.id, LogisticOrder.status)
                .where(LogisticOrder.order_id == order.id)
                .order_by(LogisticOrder.id)
            )
        ).all()
    )
    return OrderMoney(
        order=order,
        lines=tuple(frozen),
        refunded_units={k: int(v) for k, v in units.items()},
        shipping_refunded=shipping_refunded,
        logistic=logistic,
        balance=balance,
        sources=tuple(sources),
        held=tuple(held),
    )


def share_of_logistic(money: OrderMoney, logistic_order_id: str, *, shipping: bool | None = None) -> LogisticShare:
    """The logistic order's share: every unit of its lines not yet given back, and the shipping when
    `shipping` is True; None applies the cancellation rule (the shipping goes with the last logistic order to
    end, unless it was refunded already)."""
    lines = [ln for ln in money.lines if ln.logistic_order_id == logistic_order_id]
    asked = {ln.id: money.remaining(ln) for ln in lines}
    already = {ln.id: money.refunded_units.get(ln.id, 0) for ln in lines}
    if shipping is None:
        shipping = not money.shipping_refunded and not money.live_logistic(besides=logistic_order_id)
    share = share_of(lines, asked, already, shipping=money.order.shipping_amount if shipping else 0)
    return LogisticShare(logistic_order_id, share, asked, already)


async def logistic_share(
    session: AsyncSession, order: Order, logistic_order_id: str, *, shipping: bool | None = None
) -> LogisticShare:
    """`share_of_logistic` read from the database (four statements)."""
    return share_of_logistic(await order_money(session, order), logistic_order_id, shipping=shipping)
