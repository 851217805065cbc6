"""createOrderFromCart (SPEC 9, the cart-to-order flow): in one unit of work, refresh the cart's prices and
promotions, freeze them with the shipping costs and the voucher, reserve stock, count the voucher, place the
order and empty the cart; on any failure nothing changes. Its own checks are the billing address and the
choice of the payment method; the rest is the one placement path (checkout/placement.py), so the rules are
those of checkoutCart:
- SAVE_ORDER (the seeds' save_order) places the order with no payment (PLACED, AWAITING_PAYMENT), to be paid
  later with payOrder;
- CHECKOUT starts the payment (default method: the store's first active redirect method): a redirect method
  holds the order as PAYMENT_PENDING until the provider answers (a refusal gives the cart back, unchanged),
  a direct one places it (PLACED, AWAITING_PAYMENT).

The billing address is the given one (reused when an identical one, normalized, exists on the account; else
created, for shipping and billing; its country must be a full country name) or the account's saved billing
address (the cart's, else the account's first billing address)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Address, Order, PaymentMethod, utcnow
from app.services.checkout.placement import CheckoutResult, PaymentRequest, paying_once, place
from app.services.common.address_fields import LIMITS
from app.services.common.caller import Caller
from app.services.common.countries import full_country_name
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service
from app.services.orders.cart import find_cart
from app.services.payments.config import PaymentConfig
from app.services.payments.expiry import expire_due
from app.services.rules.methods import usable_payment_method
from app.services.rules.payment_states import MethodKind, Purpose

# The columns' lengths (city and state were 120 here, over the 100 the columns hold: a 500 on PostgreSQL).
ADDRESS_LIMITS = {k: LIMITS[k] for k in ("full_name", "street", "city", "postal_code", "state", "phone")}


@dataclass(frozen=True)
class AddressInput:
    street: str
    city: str
    country: str
    full_name: str | None = None
    postal_code: str | None = None
    state: str | None = None
    phone: str | None = None


@dataclass(frozen=True, kw_only=True)
class CartToOrderInput(PaymentRequest):
    action: str  # CHECKOUT | SAVE_ORDER
    billing_address: AddressInput | None = None


def _norm(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


@service
async def create_order_from_cart(
    session: AsyncSession, caller: Caller, inp: CartToOrderInput, *, payment: PaymentConfig
) -> Outcome[CheckoutResult]:
    work = lambda: _create(session, caller, inp, payment)  # noqa: E731
    return await paying_once(session, caller, "createOrderFromCart", inp, work)


async def _billing_address(
    session: AsyncSession, caller: Caller, cart: Order, given: AddressInput | None
) -> tuple[Address | None, list[Problem]]:
    field = ("input", "billingAddress")
    if given is None:
        saved = None
        if cart.billing_address_id:
            saved = await session.get(Address, cart.billing_address_id)
        if saved is None or saved.deleted_at is not None:  # a deleted address is out of the book
            saved = await session.scalar(
                select(Address)
                .where(
                    Address.account_id == caller.account_id,
                    Address.is_billing.is_(True),
                    Address.deleted_at.is_(None),
                )
                .order_by(Address.is_default.desc(), Address.external_id, Address.id)
            )
        if saved is None:
            return None, [Problem(ErrorCode.BILLING_ADDRESS_REQUIRED, "give a billing address", field=field)]
        return saved, []
    problems = [
        Problem(ErrorCode.INVALID_INPUT, f"{name} is limited to {limit} characters", field=(*field, name))
        for name, limit in ADDRESS_LIMITS.items()
        if len(getattr(given, name) or "") > limit
    ]
    if not given.street.strip() or not given.city.strip():
        problems.append(Problem(ErrorCode.INVALID_INPUT, "street and city are required", field=field))
    country = full_country_name(given.country)
    if country.name is None:
        hint = f': did you mean "{country.suggestion}"?' if country.suggestion else ""
        problems.append(
            Problem(
                ErrorCode.COUNTRY_NAME_NOT_FULL,
                f"country must be a full country name{hint}",
                field=(*field, "country"),
            )
        )
    if problems:
        return None, problems
    wanted = {**asdict(given), "country": country.name}
    live = select(Address).where(Address.account_id == caller.account_id, Address.deleted_at.is_(None))
    for address in await session.scalars(live):
        if all(_norm(getattr(address, k)) == _norm(v) for k, v in wanted.items()) and address.is_billing:
            return address, []  # reuse the identical address
    address = Address(
        tenant_id=caller.tenant_id, account_id=caller.account_id, is_shipping=True, is_billing=True, **wanted
    )
    session.add(address)
    await session.flush()
    return address, []


async def _method(session: AsyncSession, caller: Caller, wanted: str | None) -> tuple[PaymentMethod | None, list]:
    if wanted is not None:
        method, problem = await usable_payment_method(session, caller, wanted, None)
        return method, [problem] if problem else []
    method = await session.scalar(
        select(PaymentMethod)
        .where(
            PaymentMethod.tenant_id == caller.tenant_id,
            PaymentMethod.active.is_(True),
            PaymentMethod.kind == MethodKind.REDIRECT,
        )
        .order_by(PaymentMethod.position, PaymentMethod.code)
    )
    if method is None:
        return None, [Problem(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, "no redirect payment method is active")]
    return method, []


async def _create(
    session: AsyncSession, caller: Caller, inp: CartToOrderInput, config: PaymentConfig
) -> Outcome[Order]:
    await expire_due(session, utcnow(), user_id=caller.user_id)
    cart = await find_cart(session, caller, lock=True)
    if cart is None:
        return Outcome.refused(Problem(ErrorCode.CART_EMPTY, "the cart is empty"))
    address, problems = await _billing_address(session, caller, cart, inp.billing_address)
    method = None
    if inp.action == "CHECKOUT":
        method, found = await _method(session, caller, inp.payment_method_id)
        problems += found
    if address is not None:
        cart.billing_address_id = address.id
        cart.shipping_address_id = cart.shipping_address_id or address.id
    await session.flush()
    chosen = replace(inp, payment_method_id=method.id if method is not None else None)  # SAVE_ORDER: none
    return await place(session, caller, cart, chosen, purpose=Purpose.CART, config=config, problems=problems)
