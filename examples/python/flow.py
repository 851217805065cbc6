"""The storefront flow of docs/clients.md with the client ariadne-codegen generated from schema.graphql and
queries.graphql: token, catalog, draft, lines, issues, addresses, placement, orders list, draft from a quote,
cart checkout with a redirect payment approved on the sandbox page.

Usage: .venv/bin/python flow.py http://127.0.0.1:8000/graphql   (prints one JSON line; exits 1 on failure)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import sys
from decimal import Decimal

import httpx
from storefront_client import StorefrontClient
from storefront_client.exceptions import GraphQLClientHttpError
from storefront_client.input_types import CheckoutCartInput, DraftOrderLineInput

TENANT = {
    "dj-api-key": "demo-tenant-key",
    "dj-client": "ACCOUNT",
    # GraphQL over HTTP: a missing token then answers 401 like a bad one (see docs/clients.md).
    "accept": "application/graphql-response+json, application/json;q=0.9",
}


def check(condition: object, message: str) -> None:
    if not condition:
        raise SystemExit(f"flow check failed: {message}")


async def flow(url: str) -> dict:
    steps: list[str] = []
    anonymous = StorefrontClient(url=url, headers=TENANT)
    try:
        await anonymous.my_orders()
        check(False, "orders without a token must fail")
    except GraphQLClientHttpError as exc:
        check(exc.status_code == 401, f"401 expected, got {exc.status_code}")
        check(exc.response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", "UNAUTHENTICATED")
        check(exc.response.headers["www-authenticate"].startswith("Bearer"), "WWW-Authenticate")
    steps.append("unauthenticated")

    signed = (await anonymous.sign_in("buyer@acme.example", "demo-password")).create_token
    check(signed.token and not signed.errors, "createToken")
    check(isinstance(signed.expires_at, dt.datetime) and signed.expires_at.tzinfo is not None, "DateTime parsed")
    buyer = StorefrontClient(url=url, headers={**TENANT, "authorization": f"Bearer {signed.token}"})
    steps.append("token")

    account = (await buyer.me()).viewer.account
    check(account is not None, "the buyer acts for an account")
    shipping = next(a for a in account.addresses if a.is_shipping)
    billing = next(a for a in account.addresses if a.is_billing)

    catalog = await buyer.catalog(first=50)
    offers = [o for e in catalog.products.edges for v in e.node.variants for o in v.offers if o.available]
    check(offers, "an available offer")
    offer = offers[0]
    check(isinstance(offer.price.amount, Decimal), "Decimal parsed")
    steps.append("catalog")

    created = (await buyer.create_draft()).create_draft_order
    check(created.draft_order and not created.errors, "createDraftOrder")
    draft = created.draft_order
    steps.append("draft")

    quantity = math.ceil(offer.min_quantity / offer.pack_size) * offer.pack_size
    added = (
        await buyer.add_lines(draft.id, [DraftOrderLineInput(offerId=offer.id, quantity=quantity)], draft.version)
    ).add_draft_order_lines
    check(added.draft_order and not added.errors and len(added.draft_order.lines) == 1, "addDraftOrderLines")
    steps.append("lines")

    blocking = {i.code.value for i in added.draft_order.issues if i.blocking}
    check({"SHIPPING_ADDRESS_REQUIRED", "BILLING_ADDRESS_REQUIRED"} <= blocking, f"issues {blocking}")
    steps.append("issues")

    updated = (
        await buyer.set_addresses(draft.id, shipping.id, billing.id, added.draft_order.version)
    ).update_draft_order
    check(updated.draft_order and not any(i.blocking for i in updated.draft_order.issues), "no blocking issue")
    steps.append("addresses")

    placed = (await buyer.place(draft.id, f"py-flow-{draft.id}")).place_draft_order
    check(placed.order and not placed.errors and placed.order.status.value == "PLACED", "placeDraftOrder")
    order = placed.order
    check(order.logistic_orders, "split into logistic orders")
    steps.append("placement")

    orders = await buyer.my_orders()
    check(any(e.node.id == order.id for e in orders.orders.edges), "the order is listed")
    steps.append("orders")

    now = dt.datetime.now(dt.UTC)
    quotes = [e.node for e in (await buyer.my_quotes()).quotes.edges]
    quote = next(q for q in quotes if q.status.value == "WAITING_FOR_CUSTOMER" and q.expires_at and q.expires_at > now)
    from_quote = (await buyer.draft_from_quote(quote.id)).create_draft_order_from_quote
    quote_draft = from_quote.draft_order
    check(quote_draft and quote_draft.status.value == "DRAFT_ON_HOLD" and quote_draft.lines, "draft from quote")
    check(quote_draft.source and quote_draft.source.type_.value == "QUOTE", "the draft names its quote")
    steps.append("quote draft")

    # Cart checkout with a redirect payment: the gateway answers the sandbox page's URL; the buyer's browser
    # opens it and approves; the sandbox calls the gateway back, which places the order as paid.
    cart = (await buyer.my_cart()).cart
    cart_offer = next(
        (
            o
            for e in catalog.products.edges
            for v in e.node.variants
            for o in v.offers
            if o.available and v.sku in ("NOTEBOOK", "PAPER-A4")
        ),
        None,
    )
    check(cart_offer, "an offer of NOTEBOOK or PAPER-A4")
    filled = (
        await buyer.add_lines(cart.id, [DraftOrderLineInput(offerId=cart_offer.id, quantity=10)], cart.version)
    ).add_draft_order_lines
    check(not filled.errors and filled.draft_order and len(filled.draft_order.lines) == 1, "cart lines")
    checkout = (
        await buyer.checkout_cart(
            CheckoutCartInput(addressId="ACME-HQ", paymentMethodId="card-redirect", shippingMethodId="standard")
        )
    ).checkout_cart
    check(not checkout.errors, f"checkoutCart errors {[(e.code.value, e.message) for e in checkout.errors]}")
    payment = checkout.result
    check(payment and payment.typename__ == "RedirectPayment", f"RedirectPayment expected, got {payment}")
    check(payment.order.status.value == "PAYMENT_PENDING", f"order {payment.order.status}")
    async with httpx.AsyncClient(follow_redirects=False) as browser:
        page = await browser.get(payment.next_step)
        check(page.status_code == 200 and '<form method="post">' in page.text, "the payment page")
        check('name="decision" value="approve"' in page.text, "the page offers approve")
        decision = await browser.post(payment.next_step, data={"decision": "approve"})
    location = decision.headers.get("location", "")
    check(decision.status_code == 303 and "status=APPROVED" in location, f"approve: {decision.status_code} {location}")
    paid = (await buyer.order_payment(payment.order_key)).order
    check(paid and paid.status.value == "PLACED" and paid.payment_status.value == "PAID", f"paid order {paid}")
    steps.append("cart checkout")
    return {"client": "python", "steps": steps, "order": order.reference, "total": str(order.total.amount)}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(flow(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/graphql"))))
