"""Placement of a draft: re-validate, reserve stock, freeze prices, split per supplier, record.

All in the caller's unit of work: any failure rolls back the whole placement (stock, lines, logistic
orders, events, idempotency record). Stock is reserved with a conditional UPDATE (never below zero),
in offer-id order so concurrent placements touching the same offers cannot deadlock on PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    IdempotencyRecord,
    LogisticOrder,
    Offer,
    Order,
    OrderEvent,
    OrderLine,
    new_id,
    utcnow,
)
from app.services import faults, outbox, sources
from app.services.caller import Caller
from app.services.drafts import get_order, not_found
from app.services.errors import ErrorCode, Problem, ServiceError
from app.services.evaluation import evaluate
from app.services.idempotency import key_problem, request_hash

PLACEABLE = ("DRAFT", "DRAFT_ON_HOLD")


@dataclass
class PlaceResult:
    order: Order | None
    errors: list[Problem] = field(default_factory=list)


async def claim_idempotency_key(
    session: AsyncSession, caller: Caller, key: str, operation: str, payload: dict, order_id: str
) -> Order | None | Problem:
    """Record `key` for this request. Returns the order of an earlier identical request (replay), a
    Problem when the key was used for another request, or None when this request is the first."""
    bad = key_problem(key)
    if bad:
        return bad
    digest = request_hash(operation, payload)
    record = IdempotencyRecord(
        tenant_id=caller.tenant_id,
        account_id=caller.account_id,
        key=key,
        operation=operation,
        request_hash=digest,
        order_id=order_id,
    )
    try:
        async with session.begin_nested():
            session.add(record)
            await session.flush()
        return None
    except IntegrityError:
        # Another request holds the key (on PostgreSQL the insert waited for it to commit).
        pass
    first = await session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.tenant_id == caller.tenant_id,
            IdempotencyRecord.account_id == caller.account_id,
            IdempotencyRecord.key == key,
        )
    )
    if first is None or first.request_hash != digest:
        return Problem(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "this idempotencyKey was used for a different request",
            field=("input", "idempotencyKey"),
        )
    return await session.get(Order, first.order_id, populate_existing=True)


async def place_draft(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    *,
    payment_method_id: str | None = None,
    idempotency_key: str | None = None,
    expected_version: int | None = None,
) -> PlaceResult:
    if idempotency_key is not None:
        payload = {"id": order_id, "paymentMethodId": payment_method_id, "expectedVersion": expected_version}
        if await get_order(session, caller, order_id) is None:
            raise not_found()
        claimed = await claim_idempotency_key(session, caller, idempotency_key, "placeDraftOrder", payload, order_id)
        if isinstance(claimed, Problem):
            return PlaceResult(None, [claimed])
        if claimed is not None:
            return PlaceResult(claimed)

    order = await get_order(session, caller, order_id, lock=True)
    if order is None:
        raise not_found()
    if order.status in ("PLACED", "CANCELED") and order.placed_at is not None:
        return PlaceResult(order)  # already placed: same order, nothing reserved again
    if expected_version is not None and expected_version != order.version:
        return PlaceResult(
            order,
            [
                Problem(
                    ErrorCode.VERSION_CONFLICT,
                    f"the draft is at version {order.version}, not {expected_version}",
                    field=("input", "expectedVersion"),
                )
            ],
        )
    if order.status not in PLACEABLE:
        return PlaceResult(order, [Problem(ErrorCode.ORDER_NOT_EDITABLE, f"a {order.status} order cannot be placed")])

    ev = (await evaluate(session, caller, [order]))[order.id]
    blocking = ev.blocking + await sources.check_source_at_placement(session, caller, order)
    if payment_method_id is not None:
        # No payment method is configured yet: any given one is unavailable.
        blocking.append(
            Problem(
                ErrorCode.PAYMENT_METHOD_UNAVAILABLE,
                "this payment method is not available",
                field=("input", "paymentMethodId"),
            )
        )
    if blocking:
        raise ServiceError(*blocking)  # rolls back the idempotency claim too: a fixed draft may retry the key

    if caller.has_flag("STOCK_CHECK"):
        for pl in sorted(ev.lines, key=lambda pl: pl.line.offer_id):
            reserved = await session.execute(
                update(Offer)
                .where(Offer.id == pl.line.offer_id, Offer.stock >= pl.line.quantity)
                .values(stock=Offer.stock - pl.line.quantity)
            )
            if reserved.rowcount != 1:
                sku = pl.info.variant.sku if pl.info else pl.line.offer_id
                raise ServiceError(
                    Problem(ErrorCode.INSUFFICIENT_STOCK, f"{sku}: not enough stock left", line_id=pl.line.id)
                )
    await faults.fire("placement.after_stock_reserved")

    now = utcnow()
    by_supplier: dict[str, list] = defaultdict(list)
    for pl in ev.lines:
        by_supplier[pl.line.supplier_id].append(pl)
    logistic_rows = []
    line_rows = []
    for n, (supplier_id, priced) in enumerate(sorted(by_supplier.items()), start=1):
        lo_id = new_id()
        logistic_rows.append(
            {
                "id": lo_id,
                "tenant_id": order.tenant_id,
                "order_id": order.id,
                "supplier_id": supplier_id,
                "reference": f"{order.reference}-{n}",
                "status": "ORDER_CREATED",
                "payment_status": "AWAITING_PAYMENT",
                "incident": False,
                "currency": order.currency,
                "total_amount": sum(pl.total + pl.tax for pl in priced),
                "created_at": now,
                "updated_at": now,
            }
        )
        line_rows += [
            {
                "id": pl.line.id,
                "logistic_order_id": lo_id,
                "unit_amount": pl.unit_amount,
                "tax_rate_bp": pl.info.price.tax_rate_bp if pl.info and pl.info.price else pl.line.tax_rate_bp,
                "tax_amount": pl.tax,
                "discount_amount": pl.discount,
                "total_amount": pl.total,
            }
            for pl in priced
        ]
    await session.execute(insert(LogisticOrder), logistic_rows)
    await session.execute(update(OrderLine), line_rows)  # bulk UPDATE by primary key: one executemany
    actor = caller.user_email
    await session.execute(
        insert(OrderEvent),
        [
            {
                "id": new_id(),
                "order_id": order.id,
                "type": "ORDER_PLACED",
                "at": now,
                "actor": actor,
                "detail": f"{len(ev.lines)} lines, total {ev.total} minor units {order.currency}",
            },
            *(
                {
                    "id": new_id(),
                    "order_id": order.id,
                    "logistic_order_id": row["id"],
                    "type": "LOGISTIC_ORDER_CREATED",
                    "at": now,
                    "actor": actor,
                    "detail": row["reference"],
                }
                for row in logistic_rows
            ),
        ],
    )
    order.subtotal_amount, order.shipping_amount, order.tax_amount = ev.subtotal, ev.shipping, ev.tax
    order.discount_amount, order.total_amount = ev.discount, ev.total
    order.status = "PLACED"
    order.payment_status = "AWAITING_PAYMENT"
    order.placed_at = now
    order.updated_at = now
    order.is_cart = False
    order.version += 1
    if order.source_type == "QUOTE" and order.source_id:
        await sources.mark_quote_validated(session, order.source_id)
    await outbox.emit_order(session, outbox.ORDER_PLACED, order)
    await faults.fire("placement.before_commit")
    await session.flush()
    return PlaceResult(order)
