"""The cart-centric flow on the order-first core: the `cart` query and `checkoutCart` (SPEC 9).

`checkoutCart` checks every rule at once and reports each failing one with its field; then, in one unit of
work, it sets the cart's address, shipping method and notes, re-prices it through the pricing pipeline,
reserves stock and starts the payment:
- a DIRECT method places the order (PLACED, AWAITING_PAYMENT) and records the attempt;
- a REDIRECT method holds the order (PAYMENT_PENDING, AUTHORIZATION_PENDING) and returns the provider's URL.
The order is no longer the cart: the next `cart` is a fresh one. A provider that fails to start refuses the
whole unit of work: the cart, the stock and the payments are as they were.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Address, Order, Payment, User, utcnow
from app.services.access.caller import Caller
from app.services.access.viewer import find_account_address
from app.services.checkout.cart import find_cart, get_or_create_cart
from app.services.checkout.methods import usable_payment_method, usable_shipping_method
from app.services.common.errors import ErrorCode, Problem
from app.services.common.idempotency import run_once
from app.services.common.outcome import Outcome, service
from app.services.orders import stock
from app.services.orders.placement import content_of, hold_for_payment, record_placement
from app.services.orders.states import PaymentStatus
from app.services.payments.attempts import latest_payment, start_payment
from app.services.payments.config import PaymentConfig
from app.services.payments.expiry import expire_due
from app.services.payments.states import MethodKind, Purpose
from app.services.pricing.evaluation import Evaluation, evaluate
from app.services.promotions.redemption import redeem

MAX_NOTES = 500
# Issues of the evaluation that the checkout's own checks already report (with the input field).
_COVERED = {
    ErrorCode.ORDER_EMPTY,
    ErrorCode.SHIPPING_ADDRESS_REQUIRED,
    ErrorCode.BILLING_ADDRESS_REQUIRED,
    ErrorCode.ADDRESS_TYPE_MISMATCH,
}


@dataclass(frozen=True)
class CheckoutInput:
    address_id: str
    payment_method_id: str
    shipping_method_id: str
    notes: str | None = None
    return_url: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class CheckoutResult:
    """What a checkout (or a payment of an order) answers: the order and the attempt it started."""

    order: Order
    payment: Payment | None

    @property
    def redirect(self) -> bool:
        return self.payment is not None and self.payment.next_step is not None


def blocking_problems(ev: Evaluation) -> list[Problem]:
    """What blocks turning the cart into an order, beyond what the checkout's own checks report."""
    problems = [Problem(ErrorCode.CART_EMPTY, "the cart is empty")] if not ev.lines else []
    for issue in ev.blocking:
        if issue.code == ErrorCode.SHIPPING_METHOD_UNAVAILABLE:
            problems.append(Problem(issue.code, issue.message, field=("input", "shippingMethodId")))
        elif issue.code not in _COVERED:
            problems.append(issue)  # per line: stock, quantity rules, visibility, availability
    return problems


@service
async def current_cart(session: AsyncSession, caller: Caller) -> Outcome[Order]:
    """The caller's cart, created when first needed (after expiring the caller's overdue payments, which may
    give a cart back)."""
    await expire_due(session, utcnow(), user_id=caller.user_id)
    return Outcome.done(await get_or_create_cart(session, caller))


async def result_of(session: AsyncSession, order: Order) -> CheckoutResult:
    return CheckoutResult(order, await latest_payment(session, order.id))


async def paying_once(
    session: AsyncSession,
    caller: Caller,
    key: str | None,
    operation: str,
    fingerprint: object,
    work: Callable[[], Awaitable[Outcome[Order]]],
) -> Outcome[CheckoutResult]:
    """run_once for the mutations that answer an order and the payment it started (checkoutCart,
    createOrderFromCart, payOrder): a replay answers the same order and attempt."""
    outcome = await run_once(session, caller, key, operation, fingerprint, work)
    value = await result_of(session, outcome.value) if outcome.value is not None else None
    return Outcome(value, outcome.commit, outcome.errors, outcome.warnings)


@service
async def checkout_cart(
    session: AsyncSession, caller: Caller, inp: CheckoutInput, *, payment: PaymentConfig
) -> Outcome[CheckoutResult]:
    fingerprint = {k: v for k, v in asdict(inp).items() if k != "idempotency_key"}
    return await paying_once(
        session,
        caller,
        inp.idempotency_key,
        "checkoutCart",
        fingerprint,
        lambda: _checkout(session, caller, inp, payment),
    )


async def _address_problem(
    session: AsyncSession, caller: Caller, address_id: str
) -> tuple[Address | None, Problem | None]:
    address = await find_account_address(session, caller.tenant_id, caller.account_id or "", address_id)
    field = ("input", "addressId")
    if address is None:
        return None, Problem(ErrorCode.ADDRESS_NOT_FOUND, f"no address {address_id!r} in your account", field=field)
    if not (address.is_shipping and address.is_billing):
        message = f"{address_id!r} is used for shipping and billing: it must be both"
        return None, Problem(ErrorCode.ADDRESS_TYPE_MISMATCH, message, field=field)
    return address, None


async def _checkout(session: AsyncSession, caller: Caller, inp: CheckoutInput, config: PaymentConfig) -> Outcome[Order]:
    await expire_due(session, utcnow(), user_id=caller.user_id)
    cart = await find_cart(session, caller, lock=True)
    problems: list[Problem] = []
    if cart is None:
        problems.append(Problem(ErrorCode.CART_EMPTY, "the cart is empty"))
    user = await session.get(User, caller.user_id) if caller.user_id else None
    if user is None or not user.profile_completed:
        problems.append(Problem(ErrorCode.PROFILE_INCOMPLETE, "complete your profile before checking out"))
    if inp.notes is not None and len(inp.notes) > MAX_NOTES:
        message = f"notes are limited to {MAX_NOTES} characters"
        problems.append(Problem(ErrorCode.NOTES_TOO_LONG, message, field=("input", "notes")))
    address, problem = await _address_problem(session, caller, inp.address_id)
    problems += [problem] if problem else []
    shipping, problem = await usable_shipping_method(session, caller, inp.shipping_method_id)
    problems += [problem] if problem else []
    method, problem = await usable_payment_method(session, caller, inp.payment_method_id, None)
    problems += [problem] if problem else []
    if cart is None:
        return Outcome.refused(*problems)
    # The cart takes what was valid, so that its evaluation (lines, shipping, totals) is the one placed.
    if address is not None:
        cart.shipping_address_id = cart.billing_address_id = address.id
    if shipping is not None:
        cart.shipping_method_id = shipping.id
    if inp.notes is not None and len(inp.notes) <= MAX_NOTES:
        cart.notes = inp.notes
    await session.flush()
    ev = (await evaluate(session, caller, [cart]))[cart.id]
    problems += blocking_problems(ev)
    if method is not None:
        method, problem = await usable_payment_method(session, caller, inp.payment_method_id, content_of(ev))
        problems += [problem] if problem else []
    if problems:
        return Outcome.refused(*problems)
    assert method is not None
    if caller.has_flag("STOCK_CHECK"):
        await stock.reserve(session, ev.lines)
    await redeem(session, ev)
    if method.kind == MethodKind.REDIRECT:
        await hold_for_payment(session, caller.user_email, ev)
    else:
        await record_placement(session, caller.user_email, ev, payment_status=PaymentStatus.AWAITING_PAYMENT)
    await start_payment(session, cart, method, purpose=Purpose.CART, config=config, return_url=inp.return_url)
    await session.flush()
    return Outcome.done(cart)
