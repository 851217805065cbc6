"""What ids name, for one caller: the lookup behind `node(id:)` and `nodes(ids:)`.

Every row id comes from `app.models.base.new_id` (milliseconds, a per-process counter and random characters),
so an id names one row of one table: one statement (a UNION ALL over the tables of the types the API shows)
finds the kind of each id, then one scoped read per kind present keeps what the caller may see, with the
rules of the fields that show that kind (an order's parts through the order's scope, `scope_clause`; the
catalog through `visible_products_clause`; quotes, operations, addresses, webhooks through theirs). Whatever is
unknown or not visible is absent from the answer, alike. `nodes` of N ids takes a number of statements bounded
by the number of kinds, whatever N.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, exists, false, literal, null, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Account,
    AccountStore,
    Address,
    LogisticOrder,
    Membership,
    Offer,
    Operation,
    OperationLine,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    PaymentMethod,
    PaymentTransaction,
    Product,
    Promotion,
    Quote,
    QuoteLine,
    RequisitionList,
    Return,
    Shipment,
    ShippingMethod,
    Store,
    StoreView,
    Supplier,
    User,
    Variant,
    Voucher,
    WebhookSubscription,
)
from app.services.catalog.offers import offer_infos
from app.services.catalog.visibility import visible_products_clause
from app.services.common.caller import Caller
from app.services.common.ids import valid_id
from app.services.events import webhooks
from app.services.orders.reads import lines_by_id
from app.services.orders.scope import scope_clause
from app.services.promotions.listing import list_promotions, list_vouchers
from app.services.requisitions.lists import visible_clause as visible_lists_clause
from app.services.shipping.reads import returns_by_id, shipments_by_id
from app.services.sources.operations import operation_lines, visible_operations_clause
from app.services.sources.quotes import quote_scope

MAX_IDS = 100  # nodes(ids:) answers at most this many ids per call

# The tables whose rows the API shows as a Node, by kind.
TABLES: dict[str, Any] = {
    "order": Order,
    "order_line": OrderLine,
    "logistic_order": LogisticOrder,
    "order_event": OrderEvent,
    "payment": Payment,
    "payment_transaction": PaymentTransaction,
    "shipment": Shipment,
    "return": Return,
    "product": Product,
    "variant": Variant,
    "offer": Offer,
    "supplier": Supplier,
    "quote": Quote,
    "quote_line": QuoteLine,
    "operation": Operation,
    "operation_line": OperationLine,
    "promotion": Promotion,
    "voucher": Voucher,
    "payment_method": PaymentMethod,
    "shipping_method": ShippingMethod,
    "address": Address,
    "account": Account,
    "user": User,
    "store": Store,
    "store_view": StoreView,
    "webhook_subscription": WebhookSubscription,
    "requisition_list": RequisitionList,
}
# Parts of an order: visible exactly when their order is (the order's id comes with the kind).
ORDER_PARTS = ("order_line", "logistic_order", "order_event", "payment", "payment_transaction", "shipment", "return")
WEBHOOK_DELIVERY = "webhook_delivery"  # no row id of its own: `webhooks.delivery_id`


@dataclass(frozen=True)
class Found:
    """What an id names: its kind, what the API builds it from, and for an order's part the order."""

    kind: str
    value: Any
    order: Order | None = None


def _kinds_statement(ids: list[str]):  # noqa: ANN202 - a compound select
    parts = []
    for kind, table in TABLES.items():
        order_id = table.id if kind == "order" else table.order_id if kind in ORDER_PARTS else null()
        parts.append(
            select(
                literal(kind, String).label("kind"), table.id.label("id"), cast(order_id, String).label("order_id")
            ).where(table.id.in_(ids))
        )
    return union_all(*parts)


async def find(session: AsyncSession, caller: Caller, ids: Sequence[str]) -> dict[str, Found]:
    """The ids among `ids` that name something the caller may see, each with what it names."""
    wanted = list(dict.fromkeys(i for i in ids if valid_id(i)))
    if not wanted:
        return {}
    by_kind: dict[str, list[str]] = {}
    order_of: dict[str, str] = {}
    plain = [i for i in wanted if "." not in i]  # row ids hold no dot; delivery ids do
    if plain:
        for kind, row_id, order_id in (await session.execute(_kinds_statement(plain))).all():
            by_kind.setdefault(kind, []).append(row_id)
            if order_id is not None:
                order_of[row_id] = order_id
    found: dict[str, Found] = {}
    if order_of:
        orders = {
            o.id: o
            for o in await session.scalars(
                select(Order).where(Order.id.in_(set(order_of.values())), scope_clause(caller))
            )
        }
        for row_id, order_id in order_of.items():
            if order_id in orders and row_id in by_kind.get("order", ()):
                found[row_id] = Found("order", orders[order_id], orders[order_id])
        for kind in ORDER_PARTS:
            visible = [i for i in by_kind.get(kind, []) if order_of.get(i) in orders]
            if visible:
                for row_id, value in (await _order_parts(session, kind, visible)).items():
                    found[row_id] = Found(kind, value, orders[order_of[row_id]])
    for kind, kind_ids in by_kind.items():
        if kind in ORDER_PARTS or kind == "order":
            continue
        for row_id, value in (await _READERS[kind](session, caller, kind_ids)).items():
            found[row_id] = Found(kind, value)
    deliveries = [i for i in wanted if "." in i]
    if deliveries and caller.is_operator:
        for row_id, value in (await webhooks.deliveries_by_id(session, caller, deliveries)).items():
            found[row_id] = Found(WEBHOOK_DELIVERY, value)
    return found


async def _order_parts(session: AsyncSession, kind: str, ids: list[str]) -> dict[str, Any]:
    if kind == "order_line":
        return await lines_by_id(session, ids)
    if kind == "shipment":
        return await shipments_by_id(session, ids)
    if kind == "return":
        return await returns_by_id(session, ids)
    table = TABLES[kind]
    return {row.id: row for row in await session.scalars(select(table).where(table.id.in_(ids)))}


async def _rows(session: AsyncSession, table: Any, ids: list[str], *where: ColumnElement[bool]) -> dict[str, Any]:  # noqa: ANN401
    return {row.id: row for row in await session.scalars(select(table).where(table.id.in_(ids), *where))}


async def _products(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    return await _rows(session, Product, ids, visible_products_clause(caller))


async def _variants(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    """A variant of a visible product (buyers: an active one), as `Product.variants` lists them."""
    query = (
        select(Variant, Product)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.id.in_(ids), visible_products_clause(caller))
    )
    if caller.is_buyer:
        query = query.where(Variant.active.is_(True))
    return {v.id: (v, p) for v, p in (await session.execute(query)).all()}


async def _offers(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    """An offer `Variant.offers` would list: of a visible product, priced for the caller (buyers: active)."""
    infos = await offer_infos(session, caller, ids)
    return {
        offer_id: info
        for offer_id, info in infos.items()
        if info.visible and info.price is not None and (not caller.is_buyer or info.offer.active)
    }


async def _suppliers(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    return await _rows(session, Supplier, ids, Supplier.tenant_id == caller.tenant_id)


async def _quotes(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    return await _rows(session, Quote, ids, quote_scope(caller))


async def _quote_lines(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    rows = await session.execute(
        select(QuoteLine, Quote)
        .join(Quote, Quote.id == QuoteLine.quote_id)
        .where(QuoteLine.id.in_(ids), quote_scope(caller))
    )
    return {line.id: (line, quote) for line, quote in rows.all()}


async def _operations(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    return await _rows(session, Operation, ids, visible_operations_clause(caller))


async def _operation_lines(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    """A line of a visible operation that `Operation.lines` shows the caller (buyers: of visible products)."""
    operation_ids = list(
        await session.scalars(
            select(OperationLine.operation_id)
            .join(Operation, Operation.id == OperationLine.operation_id)
            .where(OperationLine.id.in_(ids), visible_operations_clause(caller))
            .distinct()
        )
    )
    if not operation_ids:
        return {}
    wanted = set(ids)
    lines = await operation_lines(session, caller, operation_ids)
    return {line.id: (line, variant) for rows in lines.values() for line, variant in rows if line.id in wanted}


async def _promotions(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    if not caller.is_operator:
        return {}  # operators read promotions (Query.promotions)
    return {p.id: (p, products) for p, products in await list_promotions(session, caller, ids)}


async def _vouchers(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    if not caller.is_operator:
        return {}  # operators read vouchers (Query.vouchers)
    return {v.id: (v, code) for v, code in await list_vouchers(session, caller, ids)}


async def _payment_methods(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    return await _rows(session, PaymentMethod, ids, PaymentMethod.tenant_id == caller.tenant_id)


async def _shipping_methods(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    return await _rows(session, ShippingMethod, ids, ShippingMethod.tenant_id == caller.tenant_id)


def _visible_accounts(caller: Caller) -> ColumnElement[bool]:
    """Accounts a caller may see: a buyer those it is a member of; an operator those of its stores."""
    if caller.is_operator:
        return exists().where(
            AccountStore.account_id == Account.id, AccountStore.store_id.in_(caller.operator_store_ids)
        )
    if caller.user_id is None:
        return false()
    return exists().where(Membership.account_id == Account.id, Membership.user_id == caller.user_id)


async def _accounts(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    return await _rows(session, Account, ids, Account.tenant_id == caller.tenant_id, _visible_accounts(caller))


async def _addresses(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    """An address of the account book (`Account.addresses`: the buyer's account, an operator's stores'
    accounts), or one an order the caller may see names (orders keep deleted or replaced addresses)."""
    if caller.is_operator:
        book = exists().where(
            AccountStore.account_id == Address.account_id, AccountStore.store_id.in_(caller.operator_store_ids)
        )
    else:
        book = Address.account_id == (caller.account_id or "")
    named = exists().where(
        or_(Order.shipping_address_id == Address.id, Order.billing_address_id == Address.id), scope_clause(caller)
    )
    return await _rows(
        session,
        Address,
        ids,
        Address.tenant_id == caller.tenant_id,
        or_(and_(book, Address.deleted_at.is_(None)), named),
    )


async def _users(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    """The caller itself (`viewer.user`)."""
    mine = [i for i in ids if i == caller.user_id]
    return await _rows(session, User, mine, User.tenant_id == caller.tenant_id) if mine else {}


def _visible_store_ids(caller: Caller) -> list[str]:
    return sorted(caller.operator_store_ids) if caller.is_operator else [caller.store_id]


async def _stores(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    """The caller's store (`viewer.store`), an operator's stores."""
    return await _rows(
        session, Store, ids, Store.tenant_id == caller.tenant_id, Store.id.in_(_visible_store_ids(caller))
    )


async def _store_views(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    return await _rows(session, StoreView, ids, StoreView.store_id.in_(_visible_store_ids(caller)))


async def _webhook_subscriptions(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    if not caller.is_operator:
        return {}
    return await _rows(
        session,
        WebhookSubscription,
        ids,
        WebhookSubscription.tenant_id == caller.tenant_id,
        WebhookSubscription.store_id.in_(caller.operator_store_ids),
    )


async def _requisition_lists(session: AsyncSession, caller: Caller, ids: list[str]) -> dict[str, Any]:
    """A list of the buyer's account it may see (`requisitionLists`), with who looks (ownedByViewer)."""
    rows = await _rows(session, RequisitionList, ids, visible_lists_clause(caller))
    return {row_id: (lst, caller.user_id) for row_id, lst in rows.items()}


_READERS = {
    "product": _products,
    "variant": _variants,
    "offer": _offers,
    "supplier": _suppliers,
    "quote": _quotes,
    "quote_line": _quote_lines,
    "operation": _operations,
    "operation_line": _operation_lines,
    "promotion": _promotions,
    "voucher": _vouchers,
    "payment_method": _payment_methods,
    "shipping_method": _shipping_methods,
    "address": _addresses,
    "account": _accounts,
    "user": _users,
    "store": _stores,
    "store_view": _store_views,
    "webhook_subscription": _webhook_subscriptions,
    "requisition_list": _requisition_lists,
}
