"""capturePayment (operators): take part or all of what an approved MANUAL-capture payment holds.

- The amount defaults to everything still capturable (authorized - captured - voided - pending captures);
  more is CAPTURE_EXCEEDS_AUTHORIZED, nothing capturable is NOTHING_TO_CAPTURE. Partial captures are
  allowed: the rest stays authorized (the order is PARTIALLY_PAID until the captured amount reaches what the
  order is due, then PAID).
- The key makes it idempotent per order: the same key with the same amount answers the first result.
- The provider is called inside the unit of work, with the ledger entry's id as its idempotency key: an
  unreachable provider refuses the call (PAYMENT_SERVICE_UNAVAILABLE) and nothing is written; a FAILED
  answer is recorded (the entry FAILED, with the provider's reason) and committed with the error.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Payment, PaymentTransaction
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.money import MoneyError, parse_amount, to_decimal
from app.services.common.outcome import Outcome, service
from app.services.events import outbox
from app.services.payments import ledger
from app.services.payments.config import PaymentConfig
from app.services.payments.locking import locked_order
from app.services.payments.provider_calls import ask_provider, record_answer
from app.services.rules.payment_states import TransactionKind, TransactionStatus
from app.services.rules.states import PaymentStatus

K, T = TransactionKind, TransactionStatus
MAX_KEY = 255


def capturable_by_payment(rows: list[PaymentTransaction]) -> dict[str, int]:
    """What each authorized attempt still holds that can be captured (pending captures reserve theirs)."""
    held: dict[str, int] = defaultdict(int)
    for tx in rows:
        if tx.payment_id is None or tx.status == T.FAILED:
            continue
        if tx.kind == K.AUTHORIZATION and tx.status == T.SUCCEEDED:
            held[tx.payment_id] += tx.amount
        elif tx.kind == K.CAPTURE or (tx.kind == K.VOID and tx.status == T.SUCCEEDED):
            held[tx.payment_id] -= tx.amount
    return {pid: amount for pid, amount in held.items() if amount > 0}


async def capture_share(
    session: AsyncSession,
    order: Order,
    amount: int,
    *,
    config: PaymentConfig,
    actor: str,
    key: str | None,
    logistic_order_id: str | None = None,
) -> PaymentTransaction | None:
    """Capture `amount` (at most what is capturable) of the order, locked by the caller, from its authorized
    attempts, oldest first; one CAPTURE entry per attempt used. Returns the last entry written (None when
    nothing was capturable). Raises Refusal when the provider cannot be reached."""
    rows = (await ledger.transactions(session, [order.id]))[order.id]
    holding = capturable_by_payment(rows)
    last = None
    for n, (payment_id, available) in enumerate(holding.items()):
        if amount <= 0:
            break
        take = min(available, amount)
        payment = await session.get(Payment, payment_id)
        assert payment is not None
        tx = ledger.entry(
            order,
            K.CAPTURE,
            take,
            status=T.PENDING,
            payment_id=payment_id,
            logistic_order_id=logistic_order_id,
            key=key if n == 0 or key is None else f"{key}:{n + 1}",  # keys are unique per order and kind
            actor=actor,
        )
        session.add(tx)
        await ask_provider(session, order, payment, tx, "capture", config)
        await record_answer(session, order, payment, tx, outbox.PAYMENT_CAPTURED, actor=actor)
        amount -= take
        last = tx
    before = order.payment_status
    await ledger.follow(session, order)
    if order.payment_status == PaymentStatus.PAID and before != PaymentStatus.PAID:
        await outbox.emit_order(session, outbox.ORDER_PAID, order)
    return last


@service
async def capture_payment(
    session: AsyncSession,
    caller: Caller,
    order_key: str,
    amount_text: str | None,
    key: str,
    *,
    config: PaymentConfig,
) -> Outcome[ledger.Written]:
    amount = None
    if amount_text is not None:
        try:
            amount = parse_amount(amount_text)
        except MoneyError as exc:
            raise Refusal(Problem(ErrorCode.INVALID_INPUT, str(exc), field=("input", "amount"))) from None
        if amount <= 0:
            raise Refusal(Problem(ErrorCode.INVALID_INPUT, "amount must be more than zero", field=("input", "amount")))
    if not key.strip() or len(key) > MAX_KEY:
        message = f"idempotencyKey must be 1 to {MAX_KEY} characters"
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, message, field=("input", "idempotencyKey")))

    order, _ = await locked_order(session, caller, order_key)
    first = await ledger.keyed(session, order.id, K.CAPTURE, key)
    if first is not None:
        if amount is not None and first.amount != amount:
            message = "this idempotencyKey was used for another amount on this order"
            raise Refusal(Problem(ErrorCode.IDEMPOTENCY_KEY_REUSED, message, field=("input", "idempotencyKey")))
        return Outcome.done(ledger.Written(order, first, replayed=True))
    capturable = (await ledger.balance(session, order.id)).capturable
    if capturable <= 0:
        message = f"order {order.reference} holds no authorized amount to capture"
        raise Refusal(Problem(ErrorCode.NOTHING_TO_CAPTURE, message))
    if amount is not None and amount > capturable:
        message = f"{to_decimal(amount)} is more than the {to_decimal(capturable)} {order.currency} authorized"
        raise Refusal(Problem(ErrorCode.CAPTURE_EXCEEDS_AUTHORIZED, message, field=("input", "amount")))
    tx = await capture_share(
        session,
        order,
        capturable if amount is None else amount,
        config=config,
        actor=caller.user_email or "operator",
        key=key,
    )
    assert tx is not None
    await session.flush()
    if tx.status == T.FAILED:
        problem = Problem(ErrorCode.PAYMENT_SERVICE_UNAVAILABLE, f"the provider refused the capture: {tx.failure}")
        return Outcome.done(ledger.Written(order, tx), errors=[problem])  # recorded: commits with its error
    return Outcome.done(ledger.Written(order, tx))
