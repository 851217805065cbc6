"""recordPayment (operators): money received outside a provider (a bank wire, cash on delivery), written to the
order's ledger as a MANUAL transaction.

- Partial amounts are allowed, up to what is outstanding; more is OVERPAYMENT, with nothing written. The order
  is PARTIALLY_PAID until the outstanding amount is zero, then PAID (`order.paid`).
- The key makes it idempotent: the same key with the same amount and reference answers the first result and
  writes nothing; with another amount or reference it is IDEMPOTENCY_KEY_REUSED. Keys are per order.
- A redirect payment the buyer is still on the page of ends (CANCELED: its later approval is refused, 409),
  since it asks for an amount that is no longer owed; a direct attempt waiting for this money ends APPROVED
  once the order is paid in full.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import OrderEvent, Payment
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.money import MoneyError, parse_amount, to_decimal
from app.services.common.outcome import Outcome, service
from app.services.events import outbox
from app.services.payments import ledger
from app.services.payments.locking import locked_order
from app.services.payments.settlement import end_direct, end_pending
from app.services.rules.payment_states import AttemptStatus, TransactionKind
from app.services.rules.states import OrderStatus, PaymentStatus

MAX_KEY = 255
MAX_REFERENCE = 200


def _input_problem(message: str, *field: str) -> Refusal:
    return Refusal(Problem(ErrorCode.INVALID_INPUT, message, field=("input", *field)))


@service
async def record_payment(
    session: AsyncSession, caller: Caller, order_key: str, amount_text: str, reference: str | None, key: str
) -> Outcome[ledger.Written]:
    try:
        amount = parse_amount(amount_text)
    except MoneyError as exc:
        raise _input_problem(str(exc), "amount") from None
    if amount <= 0:
        raise _input_problem("amount must be more than zero", "amount")
    if not key.strip() or len(key) > MAX_KEY:
        raise _input_problem(f"idempotencyKey must be 1 to {MAX_KEY} characters", "idempotencyKey")
    if reference is not None and len(reference) > MAX_REFERENCE:
        raise _input_problem(f"reference is limited to {MAX_REFERENCE} characters", "reference")

    order, attempts = await locked_order(session, caller, order_key)
    first = await ledger.keyed(session, order.id, TransactionKind.MANUAL, key)
    if first is not None:
        if first.amount != amount or first.provider_reference != reference:
            message = "this idempotencyKey was used for another amount or reference on this order"
            raise Refusal(Problem(ErrorCode.IDEMPOTENCY_KEY_REUSED, message, field=("input", "idempotencyKey")))
        return Outcome.done(ledger.Written(order, first, replayed=True))  # a replay: the first result, nothing written
    if order.status != OrderStatus.PLACED:
        raise Refusal(Problem(ErrorCode.ORDER_NOT_PAYABLE, f"a {order.status} order takes no payment"))
    owed = ledger.outstanding(order, await ledger.balance(session, order.id))
    if amount > owed:
        message = f"{to_decimal(amount)} is more than the {to_decimal(owed)} {order.currency} outstanding"
        raise Refusal(Problem(ErrorCode.OVERPAYMENT, message, field=("input", "amount")))

    actor = caller.user_email or "operator"
    redirects = [p for p in attempts if p.waits_for_buyer]
    if redirects:
        await end_pending(session, order, redirects, actor=actor, detail="payment received by the shop")
    tx = ledger.entry(order, TransactionKind.MANUAL, amount, key=key, reference=reference, actor=actor)
    session.add(tx)
    settled = await ledger.follow(session, order)
    paid_in_full = ledger.outstanding(order, settled) == 0
    if paid_in_full:
        await _approve_waiting(session, [p for p in attempts if not p.waits_for_buyer])
    detail = f"{to_decimal(amount)} {order.currency} received" + (f" ({reference})" if reference else "")
    session.add(OrderEvent(order_id=order.id, type="PAYMENT_RECEIVED", actor=actor, detail=detail))
    await outbox.emit_order(session, outbox.PAYMENT_RECEIVED, order, transaction=outbox.transaction_snapshot(tx))
    if paid_in_full and order.payment_status == PaymentStatus.PAID:
        await outbox.emit_order(session, outbox.ORDER_PAID, order)
    await session.flush()
    return Outcome.done(ledger.Written(order, tx))


async def _approve_waiting(session: AsyncSession, attempts: list[Payment]) -> None:
    """A direct attempt (bank wire, pay on delivery) that waited for this money is answered: APPROVED."""
    for payment in attempts:
        await end_direct(session, payment, AttemptStatus.APPROVED, detail="paid in full (recordPayment)")
