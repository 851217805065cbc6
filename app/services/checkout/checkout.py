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

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Address, Order, utcnow
from app.services.access.viewer import find_account_address
from app.services.checkout.placement import CheckoutResult, PaymentRequest, paying_once, place, profile_problems
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service
from app.services.orders.cart import find_cart, get_or_create_cart
from app.services.payments.config import PaymentConfig
from app.services.payments.expiry import expire_due
from app.services.rules.methods import usable_payment_method, usable_shipping_method
from app.services.rules.payment_states import Purpose

MAX_NOTES = 500


@dataclass(frozen=True, kw_only=True)
class CheckoutInput(PaymentRequest):
    address_id: str
    shipping_method_id: str
    notes: str | None = None


@service
async def current_cart(session: AsyncSession, caller: Caller) -> Outcome[Order]:
    """The caller's cart, created when first needed (after expiring the caller's overdue payments, which may
    give a cart back)."""
    await expire_due(session, utcnow(), user_id=caller.user_id)
    return Outcome.done(await get_or_create_cart(session, caller))


@service
async def checkout_cart(
    session: AsyncSession, caller: Caller, inp: CheckoutInput, *, payment: PaymentConfig
) -> Outcome[CheckoutResult]:
    return await paying_once(session, caller, "checkoutCart", inp, lambda: _checkout(session, caller, inp, payment))


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
    """The checkout's own input checks (notes, address, shipping method), every one reported at once; the
    cart takes what was valid, then the one placement path decides."""
    await expire_due(session, utcnow(), user_id=caller.user_id)
    cart = await find_cart(session, caller, lock=True)
    problems: list[Problem] = []
    if inp.notes is not None and len(inp.notes) > MAX_NOTES:
        message = f"notes are limited to {MAX_NOTES} characters"
        problems.append(Problem(ErrorCode.NOTES_TOO_LONG, message, field=("input", "notes")))
    address, problem = await _address_problem(session, caller, inp.address_id)
    problems += [problem] if problem else []
    shipping, problem = await usable_shipping_method(session, caller, inp.shipping_method_id)
    problems += [problem] if problem else []
    if cart is None:  # nothing to place: still report every other rule at once
        _, problem = await usable_payment_method(session, caller, inp.payment_method_id or "", None)
        found = [*([problem] if problem else []), *await profile_problems(session, caller)]
        return Outcome.refused(Problem(ErrorCode.CART_EMPTY, "the cart is empty"), *problems, *found)
    # The cart takes what was valid, so that its evaluation (lines, shipping, totals) is the one placed.
    if address is not None:
        cart.shipping_address_id = cart.billing_address_id = address.id
    if shipping is not None:
        cart.shipping_method_id = shipping.id
    if inp.notes is not None and len(inp.notes) <= MAX_NOTES:
        cart.notes = inp.notes
    await session.flush()
    return await place(session, caller, cart, inp, purpose=Purpose.CART, config=config, problems=problems)
