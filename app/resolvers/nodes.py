"""`node(id:)` and `nodes(ids:)`: any object by its id, as the field that shows it would (app/services/nodes)."""

from __future__ import annotations

import asyncio

import strawberry

from app.resolvers.common import ctx_of
from app.schema.catalog import Offer, Product, Supplier, Variant
from app.schema.common import Node, bad_request
from app.schema.drafts import DraftOrderLine
from app.schema.order_parts import LogisticOrder, OrderEvent, OrderLine
from app.schema.orders import commercial_order
from app.schema.payments import Payment, PaymentMethod, PaymentTransaction, ShippingMethod
from app.schema.promotions import Promotion, Voucher
from app.schema.purchasing import RequisitionList
from app.schema.shipping_parts import Return, Shipment
from app.schema.sources import Operation, OperationLine, Quote, QuoteLine
from app.schema.viewer import Account, Address, CustomerUser, Store, StoreView
from app.schema.webhooks import WebhookDelivery, WebhookSubscription
from app.services.nodes import lookup
from app.services.nodes.lookup import Found
from app.services.rules import states

_BUILD = {
    "order": lambda f: commercial_order(f.value),
    "logistic_order": lambda f: LogisticOrder.of(f.value),
    "order_event": lambda f: OrderEvent.of(f.value),
    "payment": lambda f: Payment.of(f.value),
    "payment_transaction": lambda f: PaymentTransaction.of(f.value),
    "shipment": lambda f: Shipment.of(f.value),
    "return": lambda f: Return.of(f.value),
    "product": lambda f: Product.of(f.value),
    "variant": lambda f: Variant.of(*f.value),
    "offer": lambda f: Offer.of(f.value.offer, known=f.value),
    "supplier": lambda f: Supplier.of(f.value),
    "quote": lambda f: Quote.of(f.value),
    "quote_line": lambda f: QuoteLine.of(f.value[0], f.value[1].currency),
    "operation": lambda f: Operation.of(f.value),
    "operation_line": lambda f: OperationLine.of(*f.value),
    "promotion": lambda f: Promotion.of(*f.value),
    "voucher": lambda f: Voucher.of(*f.value),
    "payment_method": lambda f: PaymentMethod.of(f.value),
    "shipping_method": lambda f: ShippingMethod.of(f.value),
    "address": lambda f: Address.of(f.value),
    "account": lambda f: Account.of(f.value),
    "user": lambda f: CustomerUser.of(f.value),
    "store": lambda f: Store.of(f.value),
    "store_view": lambda f: StoreView.of(f.value),
    "webhook_subscription": lambda f: WebhookSubscription.of(f.value),
    lookup.WEBHOOK_DELIVERY: lambda f: WebhookDelivery.of(*f.value),
    "requisition_list": lambda f: RequisitionList.of(*f.value),
}


async def _build(info: strawberry.Info, found: Found | None) -> Node | None:
    if found is None:
        return None
    if found.kind == "order_line":
        order = found.order
        if states.is_draft(order.status):
            # A draft's line is priced live, as DraftOrder.lines shows it (the evaluation loader batches drafts).
            evaluation = await info.context.loaders.evaluation.load(order.id)
            priced = next((pl for pl in evaluation.lines if pl.line.id == found.value.id), None) if evaluation else None
            return DraftOrderLine.of(priced, order.currency) if priced else None
        return OrderLine.of(found.value, order.currency)
    return _BUILD[found.kind](found)


async def _find(info: strawberry.Info, ids: list[str]) -> dict[str, Found]:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        return await lookup.find(session, ctx.caller, ids)


async def node(info: strawberry.Info, id: strawberry.ID) -> Node | None:
    found = await _find(info, [str(id)])
    return await _build(info, found.get(str(id)))


async def nodes(info: strawberry.Info, ids: list[strawberry.ID]) -> list[Node | None]:
    if len(ids) > lookup.MAX_IDS:
        raise bad_request(f"nodes takes at most {lookup.MAX_IDS} ids")
    found = await _find(info, [str(i) for i in ids])
    # Together, so that the loaders a node needs (a draft line's evaluation) batch across the ids.
    return list(await asyncio.gather(*(_build(info, found.get(str(i))) for i in ids)))
