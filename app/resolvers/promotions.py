"""Vouchers on drafts, createOrderFromCart, and the operators' lists of promotions and vouchers."""

from __future__ import annotations

import strawberry

from app.resolvers.checkout import stripe_fields
from app.resolvers.common import ctx_of, read_page, require_buyer, require_operator, run_mutation, selects
from app.resolvers.drafts import draft_payload
from app.schema.common import PageInfo, user_errors
from app.schema.drafts import DraftOrder, DraftOrderPayload
from app.schema.orders import Order
from app.schema.promotions import (
    CreateOrderFromCartInput,
    CreateOrderFromCartPayload,
    Promotion,
    PromotionConnection,
    PromotionEdge,
    Voucher,
    VoucherConnection,
    VoucherEdge,
)
from app.services.checkout.cart_to_order import AddressInput, CartToOrderInput, create_order_from_cart
from app.services.common.paging import Window, key_cursor, keyset_rows
from app.services.promotions import listing, vouchers


async def apply_voucher(info: strawberry.Info, draft_order_id: strawberry.ID, code: str) -> DraftOrderPayload:
    caller = require_buyer(info)
    return draft_payload(
        await run_mutation(info, lambda s: vouchers.apply_voucher(s, caller, str(draft_order_id), code))
    )


async def remove_voucher(info: strawberry.Info, draft_order_id: strawberry.ID) -> DraftOrderPayload:
    caller = require_buyer(info)
    return draft_payload(await run_mutation(info, lambda s: vouchers.remove_voucher(s, caller, str(draft_order_id))))


async def create_order_from_cart_field(
    info: strawberry.Info, input: CreateOrderFromCartInput
) -> CreateOrderFromCartPayload:
    caller = require_buyer(info)
    address = input.billing_address
    inp = CartToOrderInput(
        action=input.action.value,
        billing_address=AddressInput(
            street=address.street,
            city=address.city,
            country=address.country,
            full_name=address.full_name,
            postal_code=address.postal_code,
            state=address.state,
            phone=address.phone,
        )
        if address
        else None,
        payment_method_id=str(input.payment_method_id) if input.payment_method_id else None,
        return_url=input.return_url,
        idempotency_key=input.idempotency_key,
    )
    config = ctx_of(info).payment_config()
    outcome = await run_mutation(
        info,
        lambda s: create_order_from_cart(s, caller, inp, payment=config),
        retry_safe=inp.idempotency_key is not None,
    )
    result = outcome.value if outcome.commit else None
    return CreateOrderFromCartPayload(
        order=Order.of(result.order) if result else None,
        next_step=result.next_step if result else None,
        errors=user_errors(outcome.errors),
        draft_order=DraftOrder.of(result.order) if result else None,
        **stripe_fields(result, config),
    )


async def promotions(
    info: strawberry.Info,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> PromotionConnection:
    require_operator(info)
    counted = selects(info, "totalCount")

    async def fetch(session, caller, window: Window) -> tuple:  # noqa: ANN001
        rows = await listing.list_promotions(session, caller, page=window)
        total = await listing.count_promotions(session, caller) if counted else 0
        return (*keyset_rows(rows, window), total)

    rows, has_next, has_previous, total = await read_page(info, (first, after, last, before), fetch)
    edges = [PromotionEdge(cursor=key_cursor(p.code), node=Promotion.of(p, products)) for p, products in rows]
    return PromotionConnection(
        edges=edges, page_info=PageInfo.of([e.cursor for e in edges], has_next, has_previous), total_count=total
    )


async def vouchers_list(
    info: strawberry.Info,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> VoucherConnection:
    require_operator(info)
    counted = selects(info, "totalCount")

    async def fetch(session, caller, window: Window) -> tuple:  # noqa: ANN001
        rows = await listing.list_vouchers(session, caller, page=window)
        total = await listing.count_vouchers(session, caller) if counted else 0
        return (*keyset_rows(rows, window), total)

    rows, has_next, has_previous, total = await read_page(info, (first, after, last, before), fetch)
    edges = [VoucherEdge(cursor=key_cursor(v.code), node=Voucher.of(v, code)) for v, code in rows]
    return VoucherConnection(
        edges=edges, page_info=PageInfo.of([e.cursor for e in edges], has_next, has_previous), total_count=total
    )
