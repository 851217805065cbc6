"""Cart, payment and shipping methods, checkoutCart, payOrder."""

from __future__ import annotations

import strawberry

from app.observability import metrics
from app.resolvers.common import ctx_of, require_buyer, run_mutation
from app.schema.checkout import (
    CheckoutCartInput,
    CheckoutCartPayload,
    ClientSecretPayment,
    DirectPayment,
    PaymentMethod,
    PayOrderPayload,
    RedirectPayment,
    ShippingMethod,
)
from app.schema.common import unauthenticated, user_errors
from app.schema.drafts import DraftOrder
from app.schema.orders import commercial_order
from app.services.checkout import checkout, listing
from app.services.checkout import pay_order as paying
from app.services.checkout.checkout import CheckoutInput
from app.services.checkout.placement import CheckoutResult
from app.services.common.outcome import Outcome
from app.services.payments.config import PaymentConfig


def result_of(
    value: CheckoutResult | None, publishable_key: str = ""
) -> RedirectPayment | DirectPayment | ClientSecretPayment | None:
    if value is None:
        return None
    order = commercial_order(value.order)
    if value.client_secret is not None:
        return ClientSecretPayment(
            client_secret=value.client_secret,
            publishable_key=publishable_key,
            order_key=value.order.reference,
            order=order,
        )
    if value.next_step is not None:
        return RedirectPayment(next_step=value.next_step, order_key=value.order.reference, order=order)
    return DirectPayment(order_key=value.order.reference, order=order)


def stripe_fields(value: CheckoutResult | None, config: PaymentConfig) -> dict[str, str | None]:
    """clientSecret and publishableKey of a payload with a `nextStep` (placeDraftOrder, createOrderFromCart)."""
    secret = value.client_secret if value is not None else None
    if secret is None:
        return {"client_secret": None, "publishable_key": None}
    return {"client_secret": secret, "publishable_key": publishable_key_of(value, config)}


def publishable_key_of(value: CheckoutResult | None, config: PaymentConfig) -> str:
    """The publishable key of the Stripe account the attempt lives in (the tenant's own, or the deployment's)."""
    keys = config.stripe_keys(value.payment.provider_account if value is not None and value.payment else None)
    return keys.publishable_key if keys is not None else ""


async def cart(info: strawberry.Info) -> DraftOrder:
    caller = require_buyer(info)
    if caller.user_id is None:
        raise unauthenticated()
    # Safe to run again: get-or-create under the cart's unique index.
    outcome = await run_mutation(info, lambda s: checkout.current_cart(s, caller), retry_safe=True)
    assert outcome.value is not None
    return DraftOrder.of(outcome.value)


async def payment_methods(info: strawberry.Info, draft_order_id: strawberry.ID | None = None) -> list[PaymentMethod]:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        found = await listing.payment_methods(session, ctx.caller, str(draft_order_id) if draft_order_id else None)
    return [PaymentMethod.of(m) for m in found]


async def shipping_methods(info: strawberry.Info, draft_order_id: strawberry.ID | None = None) -> list[ShippingMethod]:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        found = await listing.shipping_methods(session, ctx.caller, str(draft_order_id) if draft_order_id else None)
    return [ShippingMethod.of(m) for m in found]


def _placed_draft(outcome: Outcome[CheckoutResult]) -> DraftOrder | None:
    """The checked-out cart under its DraftOrder type, as it now is (checkoutCart's `draftOrder`)."""
    return DraftOrder.of(outcome.value.order) if outcome.commit and outcome.value is not None else None


def _payload(outcome: Outcome[CheckoutResult], config: PaymentConfig) -> tuple:
    codes = {p.code.value for p in outcome.errors}
    if "PAYMENT_SERVICE_UNAVAILABLE" in codes:
        metrics.observe_payment("UNAVAILABLE")
    elif outcome.commit and outcome.value is not None and outcome.value.payment is not None:
        metrics.observe_payment("STARTED")
    if "INSUFFICIENT_STOCK" in codes:
        metrics.STOCK_REFUSED.inc()
    value = outcome.value if outcome.commit else None
    return result_of(value, publishable_key_of(value, config)), user_errors(outcome.errors)


async def checkout_cart(info: strawberry.Info, input: CheckoutCartInput) -> CheckoutCartPayload:
    caller = require_buyer(info)
    inp = CheckoutInput(
        address_id=str(input.address_id),
        payment_method_id=str(input.payment_method_id),
        shipping_method_id=str(input.shipping_method_id),
        notes=input.notes,
        return_url=input.return_url,
        idempotency_key=input.idempotency_key,
    )
    config = ctx_of(info).payment_config()
    outcome = await run_mutation(
        info,
        lambda s: checkout.checkout_cart(s, caller, inp, payment=config),
        retry_safe=inp.idempotency_key is not None,
    )
    result, errors = _payload(outcome, config)
    return CheckoutCartPayload(result=result, errors=errors, draft_order=_placed_draft(outcome))


async def pay_order(
    info: strawberry.Info,
    order_key: str,
    payment_method_id: strawberry.ID,
    idempotency_key: str | None = None,
    return_url: str | None = None,
) -> PayOrderPayload:
    caller = require_buyer(info)
    request = paying.PayOrderInput(
        order_key=order_key,
        payment_method_id=str(payment_method_id),
        return_url=return_url,
        idempotency_key=idempotency_key,
    )
    config = ctx_of(info).payment_config()
    result, errors = _payload(
        await run_mutation(
            info,
            lambda s: paying.pay_order(s, caller, request, payment=config),
            retry_safe=idempotency_key is not None,
        ),
        config,
    )
    return PayOrderPayload(result=result, errors=errors)
