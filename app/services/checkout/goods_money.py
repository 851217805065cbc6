"""The money that moves with the goods (operators): a capture when a logistic order ships, a refund when units
come back. Shipments and returns are recorded by app/services/shipping; this module adds their money in the
same unit of work, through the one capture path (payments/captures.py `capture_share`) and the one refund
path (payments/refunds.py `refund_order`).

**Capture at shipment** (tenant flag `CAPTURE_ON_SHIPMENT`): when a logistic order becomes SHIPPED (its last
units leave with `createShipment`, or an operator moves it with `transitionLogisticOrder`), the authorized
money of a MANUAL-capture payment (`card-authorize`) is captured for that logistic order's share: its lines'
units not refunded, with their discounts and tax, as refundProposal values them (payments/shares.py). The
shipping goes with the first logistic order to ship; the last one to ship takes the rest of what is due, so
the captures of every logistic order add up to the order's total exactly. Never more than is still
authorized nor more than is due (a capture an operator made before counts). Nothing is authorized (an
automatic capture, a direct method, an unpaid order): nothing happens. The capture's key is the logistic
order's (`shipment:<id>`): a logistic order is captured at most once.
The provider is asked inside the unit of work: unreachable, the shipment is refused with
PAYMENT_SERVICE_UNAVAILABLE and nothing is written (record it again, or capture by hand); a capture the
provider refuses is recorded FAILED and the shipment commits with that error in the payload (capturePayment
can try again).

**Refund at return** (`createReturn` with `refund: true`): the returned units are refunded as
`refundOrder(lines: the returned lines)` would refund them, with the same rules and refusals (a refusal
refuses the return too: nothing is written). The idempotency key names both: the return's id is derived from
it, so a replay answers the first return and its refund and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LogisticOrder, Order, PaymentTransaction, Return
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.outcome import Outcome, service
from app.services.orders import fulfilment
from app.services.orders.scope import get_logistic_order
from app.services.payments import ledger
from app.services.payments.captures import capture_share
from app.services.payments.config import PaymentConfig
from app.services.payments.locking import locked_order
from app.services.payments.refunds import AskedLine, RefundInput, derived_id, refund_order, request_parts
from app.services.payments.shares import OrderMoney, order_money, share_of_logistic
from app.services.rules.payment_states import TransactionKind, TransactionStatus
from app.services.rules.states import LogisticStatus, logistic_ended
from app.services.shipping.reads import returns_by_id
from app.services.shipping.returns import RecordedReturn, record_return
from app.services.shipping.shipments import RecordedShipment, record_shipment

CAPTURE_ON_SHIPMENT = "CAPTURE_ON_SHIPMENT"
L = LogisticStatus
SHIPPED_ALREADY = (L.SHIPPED, L.COMPLETED)
MAX_KEY = 255


# -- capture at shipment -----------------------------------------------------------------------------------


def shipment_capture_amount(money: OrderMoney, logistic_order_id: str) -> int:
    """What shipping this logistic order captures: its share (the shipping with the first to ship), or, for the
    last one to ship, the rest of what is due; within what is still authorized and still due."""
    b, order = money.balance, money.order
    room = min(b.capturable, max(0, ledger.due(order) - b.captured - b.capture_pending))
    if room <= 0:
        return 0
    others = [status for lo, status in money.logistic.items() if lo != logistic_order_id]
    if all(logistic_ended(s) or s in SHIPPED_ALREADY for s in others):
        return room  # the last to ship: whatever is still due (the shipping, if nothing took it)
    first = not any(s in SHIPPED_ALREADY for s in others)
    share = share_of_logistic(money, logistic_order_id, shipping=first and not money.shipping_refunded)
    return min(room, share.total)


async def capture_at_shipment(
    session: AsyncSession, caller: Caller, order: Order, lo: LogisticOrder, *, config: PaymentConfig
) -> list[Problem]:
    """Capture the share of a logistic order that has just become SHIPPED, when the tenant asks for it (the
    order and the logistic order locked by the caller). Returns the problems to answer with the commit."""
    if lo.status != L.SHIPPED or not caller.has_flag(CAPTURE_ON_SHIPMENT):
        return []
    key = f"shipment:{lo.id}"
    if await ledger.keyed(session, order.id, TransactionKind.CAPTURE, key) is not None:
        return []
    amount = shipment_capture_amount(await order_money(session, order), lo.id)
    if amount <= 0:
        return []
    actor = caller.user_email or "operator"
    tx = await capture_share(session, order, amount, config=config, actor=actor, key=key, logistic_order_id=lo.id)
    lo.payment_status = order.payment_status  # `ledger.follow` wrote it for every logistic order
    if tx is not None and tx.status == TransactionStatus.FAILED:
        message = f"{lo.reference} shipped, but the provider refused its capture: {tx.failure}"
        return [Problem(ErrorCode.PAYMENT_SERVICE_UNAVAILABLE, message)]
    return []


async def _locked_for_money(session: AsyncSession, caller: Caller, logistic_id: str) -> None:
    """Take the locks every money operation takes (the order's pending attempts, then the order), before the
    shipment locks the logistic order with its order again. Unknown: the shipment's own NOT_FOUND answers."""
    found = await get_logistic_order(session, caller, logistic_id)
    if found is not None:
        await locked_order(session, caller, found[1].id)


@service
async def ship(
    session: AsyncSession,
    caller: Caller,
    logistic_order_id: str,
    lines: Sequence[tuple[str, int]],
    carrier: str,
    tracking_number: str | None = None,
    *,
    payment: PaymentConfig,
) -> Outcome[RecordedShipment]:
    """createShipment: the shipment (shipping/shipments.py), then the capture of its logistic order's share
    when it is SHIPPED and the tenant captures at shipment."""
    if caller.is_operator and caller.has_flag(CAPTURE_ON_SHIPMENT):
        await _locked_for_money(session, caller, logistic_order_id)
    recorded = await record_shipment(session, caller, logistic_order_id, lines, carrier, tracking_number)
    problems = await capture_at_shipment(session, caller, recorded.order, recorded.logistic_order, config=payment)
    await session.flush()
    return Outcome.done(recorded, errors=problems)


async def move_forward(
    session: AsyncSession, caller: Caller, logistic_id: str, to: str, *, payment: PaymentConfig
) -> Outcome[LogisticOrder]:
    """transitionLogisticOrder's forward moves (fulfilment's), with the capture when the move is to SHIPPED."""
    if to == L.SHIPPED and caller.has_flag(CAPTURE_ON_SHIPMENT):
        await _locked_for_money(session, caller, logistic_id)
    found = await get_logistic_order(session, caller, logistic_id, lock=True)
    if found is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "logistic order not found"))
    lo, order = found
    await fulfilment.move_logistic(session, caller, lo, order, to)
    problems = await capture_at_shipment(session, caller, order, lo, config=payment)
    await session.flush()
    return Outcome.done(lo, errors=problems)


# -- refund at return --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnWithRefund:
    recorded: RecordedReturn
    refund: list[PaymentTransaction]  # the refund's transactions (empty: no refund asked)
    replayed: bool = False


def _check_key(key: str | None, *, required: bool) -> None:
    if key is None and not required:
        return
    if key is None or not key.strip() or len(key) > MAX_KEY:
        message = f"idempotencyKey must be 1 to {MAX_KEY} characters" + (" with refund: true" if required else "")
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, message, field=("input", "idempotencyKey")))


@service
async def take_back(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    lines: Sequence[tuple[str, int, bool]],
    reason: str | None = None,
    *,
    refund: bool = False,
    key: str | None = None,
    payment: PaymentConfig,
) -> Outcome[ReturnWithRefund]:
    """createReturn: the return (shipping/returns.py) and, with `refund`, the refund of its units (see the
    module's rules). The key makes it idempotent: a replay answers the first return and its refund."""
    _check_key(key, required=refund)
    return_id = None
    if key is not None:
        if not caller.is_operator:
            raise Refusal(Problem(ErrorCode.FORBIDDEN, "operators only"))
        order, _ = await locked_order(session, caller, order_id)  # the money's lock order, before the return's
        return_id = derived_id("return", order.id, key)[:26]
        if await session.scalar(select(Return.id).where(Return.id == return_id)) is not None:
            return Outcome.done(await _replayed(session, order, return_id, key))
    recorded = await record_return(session, caller, order_id, lines, reason, return_id=return_id)
    if not refund:
        return Outcome.done(ReturnWithRefund(recorded, []))
    assert key is not None
    asked = RefundInput(
        lines=tuple(AskedLine(line_id, quantity) for line_id, quantity, _ in lines),
        reason=reason or f"return {recorded.view.ret.id}",
    )
    refunded = await refund_order(session, caller, recorded.order.id, asked, None, key, payment=payment)
    if not refunded.commit or refunded.value is None:
        raise Refusal(*refunded.errors)  # nothing of the return either
    return Outcome.done(
        ReturnWithRefund(recorded, refunded.value.transactions, replayed=refunded.value.replayed),
        errors=refunded.errors,
    )


async def _replayed(session: AsyncSession, order: Order, return_id: str, key: str) -> ReturnWithRefund:
    view = (await returns_by_id(session, [return_id]))[return_id]
    first = await ledger.keyed(session, order.id, TransactionKind.REFUND, key)
    refund = await request_parts(session, first) if first is not None else []
    return ReturnWithRefund(RecordedReturn(view, order), refund, replayed=True)
