"""An order's payment ledger: the one place its money is added up.

Every movement of money is a `PaymentTransaction` row (AUTHORIZATION, CAPTURE, VOID, REFUND, MANUAL), PENDING
until the provider answers, then SUCCEEDED or FAILED. The amounts below are sums over those rows, computed by
`Balance` from one grouped query (or from rows already loaded), never stored elsewhere:

    authorized   = succeeded AUTHORIZATION + succeeded MANUAL      (what was ever secured)
    captured     = succeeded CAPTURE + succeeded MANUAL            (what was taken)
    voided       = succeeded VOID                                  (authorizations released, not taken)
    refunded     = succeeded REFUND                                (given back)
    capturable   = authorized - captured - voided - pending CAPTURE
    refundable   = captured - refunded - pending REFUND            (a pending refund already counts)
    due          = order total - canceled_amount                   (what the live part of the order costs)
    outstanding  = max(0, due - captured)                          (still to be collected; an authorization
                                                                    does not count until it is captured)

`refunded <= captured <= authorized` always holds: captures and refunds are checked against `capturable` and
`refundable` under the order's row lock, and a pending amount is reserved until its answer.

The order's payment status follows from the balance once money was held (`status_of`), through the
transition table of rules/states.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, Order, PaymentTransaction, utcnow
from app.services.rules.payment_states import TransactionKind, TransactionStatus
from app.services.rules.states import PaymentStatus, move_payment

K, T = TransactionKind, TransactionStatus


@dataclass(frozen=True)
class Balance:
    authorized: int = 0
    captured: int = 0
    voided: int = 0
    refunded: int = 0
    capture_pending: int = 0
    refund_pending: int = 0

    @property
    def capturable(self) -> int:
        return self.authorized - self.captured - self.voided - self.capture_pending

    @property
    def refundable(self) -> int:
        return self.captured - self.refunded - self.refund_pending

    @classmethod
    def of(cls, sums: Iterable[tuple[str, str, int]]) -> Balance:
        """From (kind, status, amount) rows or sums."""
        total: dict[tuple[str, str], int] = defaultdict(int)
        for kind, status, amount in sums:
            total[(kind, status)] += int(amount)
        ok = T.SUCCEEDED
        return cls(
            authorized=total[(K.AUTHORIZATION, ok)] + total[(K.MANUAL, ok)],
            captured=total[(K.CAPTURE, ok)] + total[(K.MANUAL, ok)],
            voided=total[(K.VOID, ok)],
            refunded=total[(K.REFUND, ok)],
            capture_pending=total[(K.CAPTURE, T.PENDING)],
            refund_pending=total[(K.REFUND, T.PENDING)],
        )


@dataclass(frozen=True)
class Written:
    """What an operation on an order's money answers: the order, the ledger entry it wrote, and whether this
    was a replay of an earlier call with the same key (the first call's entry: nothing written)."""

    order: Order
    transaction: PaymentTransaction
    replayed: bool = False


def due(order: Order) -> int:
    """What the live part of the order costs: its total less what cancellations took off."""
    return order.total_amount - order.canceled_amount


def outstanding(order: Order, balance: Balance) -> int:
    return max(0, due(order) - balance.captured)


async def balances(session: AsyncSession, order_ids: Iterable[str]) -> dict[str, Balance]:
    """The balances of many orders in one statement (orders without transactions: a zero balance)."""
    ids = list(dict.fromkeys(order_ids))
    rows = (
        await session.execute(
            select(
                PaymentTransaction.order_id,
                PaymentTransaction.kind,
                PaymentTransaction.status,
                func.sum(PaymentTransaction.amount),
            )
            .where(PaymentTransaction.order_id.in_(ids))
            .group_by(PaymentTransaction.order_id, PaymentTransaction.kind, PaymentTransaction.status)
        )
    ).all()
    grouped: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for order_id, kind, status, amount in rows:
        grouped[order_id].append((kind, status, amount))
    return {oid: Balance.of(grouped.get(oid, ())) for oid in ids}


async def balance(session: AsyncSession, order_id: str) -> Balance:
    return (await balances(session, [order_id]))[order_id]


async def transactions(session: AsyncSession, order_ids: Iterable[str]) -> dict[str, list[PaymentTransaction]]:
    """Every order's ledger, oldest first, in one statement."""
    ids = list(dict.fromkeys(order_ids))
    rows = await session.scalars(
        select(PaymentTransaction)
        .where(PaymentTransaction.order_id.in_(ids))
        .order_by(PaymentTransaction.created_at, PaymentTransaction.id)
    )
    grouped: dict[str, list[PaymentTransaction]] = {oid: [] for oid in ids}
    for row in rows:
        grouped[row.order_id].append(row)
    return grouped


def status_of(order: Order, balance: Balance) -> PaymentStatus | None:
    """The payment status the ledger gives the order, or None while no money is held or taken (the
    attempts say where it stands then: awaiting, pending, refused, voided)."""
    if balance.refunded > 0 and balance.refunded >= balance.captured:
        return PaymentStatus.REFUNDED
    if balance.refunded > 0:
        return PaymentStatus.PARTIALLY_REFUNDED
    if balance.captured > 0:
        return PaymentStatus.PAID if balance.captured >= due(order) else PaymentStatus.PARTIALLY_PAID
    if balance.capturable > 0 or balance.capture_pending > 0:
        return PaymentStatus.AUTHORIZED
    return None  # VOIDED is set by the void itself: after it, a new attempt's answer says where it stands


async def follow(session: AsyncSession, order: Order) -> Balance:
    """Move the order's payment status (and its logistic orders') to what its ledger says; the caller holds
    the order's row lock. Returns the balance it read."""
    await session.flush()
    now = await balance(session, order.id)
    wanted = status_of(order, now)
    if wanted is not None:
        await set_status(session, order, wanted)
    return now


async def set_status(session: AsyncSession, order: Order, wanted: PaymentStatus) -> None:
    """Move the order's payment status through the transition table, its logistic orders' with it."""
    if wanted != order.payment_status:
        move_payment(order, wanted)
        order.updated_at = utcnow()
        await session.execute(
            update(LogisticOrder).where(LogisticOrder.order_id == order.id).values(payment_status=wanted)
        )


def entry(
    order: Order,
    kind: TransactionKind,
    amount: int,
    *,
    status: TransactionStatus = T.SUCCEEDED,
    payment_id: str | None = None,
    logistic_order_id: str | None = None,
    key: str | None = None,
    reference: str | None = None,
    reason: str | None = None,
    actor: str | None = None,
    shipping_amount: int = 0,
) -> PaymentTransaction:
    """A new ledger row for the order (the caller adds it to the session under the order's lock)."""
    now = utcnow()
    return PaymentTransaction(
        order_id=order.id,
        payment_id=payment_id,
        logistic_order_id=logistic_order_id,
        kind=kind,
        status=status,
        amount=amount,
        currency=order.currency,
        shipping_amount=shipping_amount,
        provider_reference=reference,
        idempotency_key=key,
        reason=reason,
        actor=actor,
        created_at=now,
        settled_at=None if status == T.PENDING else now,
    )


async def keyed(session: AsyncSession, order_id: str, kind: TransactionKind, key: str) -> PaymentTransaction | None:
    """The order's transaction of this kind made with this idempotency key, if any (a replay)."""
    return await session.scalar(
        select(PaymentTransaction).where(
            PaymentTransaction.order_id == order_id,
            PaymentTransaction.kind == kind,
            PaymentTransaction.idempotency_key == key,
        )
    )
