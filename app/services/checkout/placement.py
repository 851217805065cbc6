"""The one placement path. Every mutation that turns a draft into an order or pays an order ends here:
`placeDraftOrder`, `checkoutCart`, `createOrderFromCart` and `payOrder` check only their own input (which
draft, which address, the idempotency key) and call `place`, which owns the rest, in this order:

    role allows placing -> profile rule -> (placed order? pay it) -> evaluate (approvals and budgets too)
    -> blocking problems -> usable payment method -> reserve stock -> spend the budgets
    -> redeem vouchers and promotions -> hold (redirect) or record (direct, none; payment terms' due date)
    -> start the payment -> the source's follow-up (a quote becomes VALIDATED)

One meaning of a redirect payment, whoever starts it: an order that is not placed yet waits for its payment
as PAYMENT_PENDING (payment AUTHORIZATION_PENDING: prices frozen, stock held, no logistic order); the
provider's approval places it (PLACED + PAID), a refusal or an expiry gives the draft back (the cart again
when it came from the cart). An order that is already placed (payOrder) stays PLACED while its payment is
AUTHORIZATION_PENDING. A direct method, or no method, places the order at once (PLACED + AWAITING_PAYMENT).
docs/payments.md has the state diagram.

One unit of work: any refusal rolls back everything (stock, vouchers, lines, the attempt, the idempotency
record); a provider that cannot start the payment refuses too (PAYMENT_SERVICE_UNAVAILABLE).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Payment, User, utcnow
from app.services.access.permissions import Permission, require
from app.services.common import faults
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.idempotency import run_once
from app.services.common.outcome import Outcome
from app.services.orders import stock
from app.services.orders.recording import content_of, hold_for_payment, record_placement
from app.services.orders.redemption import redeem
from app.services.payments.attempts import latest_payment, start_payment, started_here
from app.services.payments.config import PaymentConfig
from app.services.pricing.evaluation import Evaluation, evaluate
from app.services.purchase_controls import budgets, terms
from app.services.rules.methods import PAYMENT_FIELD, placed_content, usable_payment_method
from app.services.rules.payment_states import AttemptStatus, MethodKind, Purpose
from app.services.rules.states import OrderStatus, PaymentStatus, is_placed, move_payment
from app.services.sources import operations, quotes

# Issues of a cart's evaluation that the cart entry points' own input checks already report (with their
# input field): the address a checkout sets, an empty cart (named CART_EMPTY there).
_CART_COVERED = {
    ErrorCode.ORDER_EMPTY,
    ErrorCode.SHIPPING_ADDRESS_REQUIRED,
    ErrorCode.BILLING_ADDRESS_REQUIRED,
    ErrorCode.ADDRESS_TYPE_MISMATCH,
}
# A placed order may get a new attempt only from these payment statuses.
# A new attempt pays the outstanding amount of these (the rest of a partly paid order; again after a void).
PAYABLE = (PaymentStatus.AWAITING_PAYMENT, PaymentStatus.REFUSED, PaymentStatus.PARTIALLY_PAID, PaymentStatus.VOIDED)
PAID_OR_HELD = (
    PaymentStatus.AUTHORIZED,
    PaymentStatus.PAID,
    PaymentStatus.PARTIALLY_REFUNDED,
    PaymentStatus.REFUNDED,
)


@dataclass(frozen=True, kw_only=True)
class PaymentRequest:
    """What every placing or paying mutation's input carries: the payment method (None: place without one),
    where the provider sends the buyer back, and the idempotency key. Each entry point's input extends it."""

    payment_method_id: str | None = None
    return_url: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class CheckoutResult:
    """What every placement and payment answers: the order and its latest payment attempt."""

    order: Order
    payment: Payment | None

    @property
    def next_step(self) -> str | None:
        """Where the buyer continues: the provider's page of an attempt still waiting for the buyer."""
        if self.payment is None or self.payment.status != AttemptStatus.PENDING:
            return None
        return self.payment.next_step

    @property
    def client_secret(self) -> str | None:
        """What the buyer's Stripe.js confirms an attempt still waiting for the buyer with (Stripe methods)."""
        if self.payment is None or self.payment.status != AttemptStatus.PENDING:
            return None
        return self.payment.client_secret


async def paying_once(
    session: AsyncSession,
    caller: Caller,
    operation: str,
    request: object,
    work: Callable[[], Awaitable[Outcome[Order]]],
) -> Outcome[CheckoutResult]:
    """run_once for the four entry points, keyed by the request's `idempotency_key` and fingerprinted by its
    other fields: the order and the attempt this unit of work started; a replay of an idempotent request
    answers the same order and its latest attempt."""
    fingerprint = asdict(request)
    key = fingerprint.pop("idempotency_key")
    outcome = await run_once(session, caller, key, operation, fingerprint, work)
    value = None
    if outcome.value is not None:
        payment = started_here(session, outcome.value.id)
        if payment is None and key is not None:
            payment = await latest_payment(session, outcome.value.id)
        value = CheckoutResult(outcome.value, payment)
    return Outcome(value, outcome.commit, outcome.errors, outcome.warnings)


async def profile_problems(session: AsyncSession, caller: Caller) -> list[Problem]:
    """The profile rule, the same wherever a buyer places or pays an order: a completed profile."""
    user = await session.get(User, caller.user_id) if caller.user_id else None
    if user is None or not user.profile_completed:
        return [Problem(ErrorCode.PROFILE_INCOMPLETE, "complete your profile before placing an order")]
    return []


def blocking_problems(ev: Evaluation, purpose: Purpose) -> list[Problem]:
    """What blocks placing this evaluation, named as the entry point's API names it: a cart's problems
    without the ones its own input checks report, an empty cart as CART_EMPTY, the shipping method as the
    input field that set it."""
    if purpose != Purpose.CART:
        return list(ev.blocking)
    problems = [Problem(ErrorCode.CART_EMPTY, "the cart is empty")] if not ev.lines else []
    for issue in ev.blocking:
        if issue.code == ErrorCode.SHIPPING_METHOD_UNAVAILABLE:
            problems.append(Problem(issue.code, issue.message, field=("input", "shippingMethodId")))
        elif issue.code not in _CART_COVERED:
            problems.append(issue)  # per line: stock, quantity rules, visibility, availability
    return problems


def payability_problem(order: Order) -> Problem | None:
    """Whether a placed order may get a new payment attempt."""
    if order.payment_status in PAID_OR_HELD:
        return Problem(ErrorCode.ORDER_ALREADY_PAID, f"order {order.reference} is already paid")
    if order.status != OrderStatus.PLACED or order.payment_status not in PAYABLE:
        why = (
            "a payment is in progress"
            if order.payment_status == PaymentStatus.AUTHORIZATION_PENDING
            else f"a {order.status} order cannot be paid"
        )
        return Problem(ErrorCode.ORDER_NOT_PAYABLE, why)
    return None


async def place(
    session: AsyncSession,
    caller: Caller,
    order: Order,
    request: PaymentRequest,
    *,
    purpose: Purpose,
    config: PaymentConfig | None,
    problems: Sequence[Problem] = (),
    method_field: tuple[str, ...] = PAYMENT_FIELD,
    approved_by: str | None = None,
) -> Outcome[Order]:
    """Place `order` (locked by the caller) and start its payment with the request's method, or pay it when it
    is placed already. `problems`: what the entry point's own input checks found, reported with the rest (every
    rule at once). `purpose` says what a refused payment does (services/payments/settlement.py). `approved_by`:
    the approver whose approval places the order (approvals/flow.py); it overrides REQUIRE_APPROVAL budgets."""
    method_id, return_url = request.payment_method_id, request.return_url
    require(caller, Permission.PLACE_ORDERS)  # the buyer's role in the account (docs/b2b.md)
    found = [*problems, *await profile_problems(session, caller)]
    if is_placed(order.status):
        return await _pay_placed(session, caller, order, found, method_id, config, return_url, method_field)

    ev = (await evaluate(session, caller, [order]))[order.id]
    found += blocking_problems(ev, purpose) + await operations.check_source_at_placement(session, caller, order)
    method = None
    if method_id is not None:
        method, problem = await usable_payment_method(session, caller, method_id, content_of(ev), field=method_field)
        found += [problem] if problem else []
    if found:
        return Outcome.refused(*found)

    if caller.has_flag("STOCK_CHECK"):
        await stock.reserve(session, ev.lines)
    # conditional, like stock; an approval overrides a REQUIRE_APPROVAL budget (docs/b2b.md)
    await budgets.spend(session, caller, order, ev.totals.total, approved_by=approved_by)
    await redeem(session, ev)
    await faults.fire("placement.after_stock_reserved")
    if method is not None and method.kind == MethodKind.REDIRECT:
        await hold_for_payment(session, caller.user_email, ev)
    else:
        await record_placement(session, caller.user_email, ev, payment_status=PaymentStatus.AWAITING_PAYMENT)
        await terms.set_due_date(session, caller, order, method)
    if method is not None:
        assert config is not None, "a payment method needs the payment configuration"
        await start_payment(session, order, method, purpose=purpose, config=config, return_url=return_url)
    if order.source_type == "QUOTE" and order.source_id:
        await quotes.mark_quote_validated(session, order.source_id)
    await faults.fire("placement.before_commit")
    await session.flush()
    return Outcome.done(order)


async def _pay_placed(
    session: AsyncSession,
    caller: Caller,
    order: Order,
    found: list[Problem],
    method_id: str | None,
    config: PaymentConfig | None,
    return_url: str | None,
    method_field: tuple[str, ...],
) -> Outcome[Order]:
    """A new attempt on a placed order: it stays PLACED; its payment moves to AUTHORIZATION_PENDING
    (redirect) or AWAITING_PAYMENT (direct) until the attempt ends."""
    problem = payability_problem(order)
    if problem is not None:
        return Outcome.refused(*found, problem)
    assert method_id is not None and config is not None, "paying a placed order needs a method"
    method, problem = await usable_payment_method(
        session, caller, method_id, await placed_content(session, order), field=method_field
    )
    if problem is not None or found:
        return Outcome.refused(*found, *([problem] if problem else []))
    assert method is not None
    await start_payment(session, order, method, purpose=Purpose.ORDER, config=config, return_url=return_url)
    if method.kind == MethodKind.REDIRECT:
        move_payment(order, PaymentStatus.AUTHORIZATION_PENDING)
    elif order.payment_status != PaymentStatus.PARTIALLY_PAID:  # a partly paid order waits for the rest as it is
        move_payment(order, PaymentStatus.AWAITING_PAYMENT)
    order.updated_at = utcnow()
    return Outcome.done(order)
