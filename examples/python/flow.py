"""The storefront flow of docs/clients.md with the client ariadne-codegen generated from schema.graphql and
queries.graphql: token, catalog, draft, lines, issues, addresses, placement, orders list, draft from a quote.

Usage: .venv/bin/python flow.py http://127.0.0.1:8000/graphql   (prints one JSON line; exits 1 on failure)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import sys
from decimal import Decimal

from storefront_client import StorefrontClient
from storefront_client.exceptions import GraphQLClientHttpError
from storefront_client.input_types import DraftOrderLineInput

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
    return {"client": "python", "steps": steps, "order": order.reference, "total": str(order.total.amount)}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(flow(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/graphql"))))
