"""Draft order queries and mutations: map inputs to service calls and results to payloads."""

from __future__ import annotations

import strawberry

from app.observability import metrics
from app.resolvers.checkout import stripe_fields
from app.resolvers.common import ctx_of, read_page, require_buyer, run_mutation, selects
from app.schema.common import PageInfo, user_errors
from app.schema.drafts import (
    CreateDraftOrderInput,
    DeleteDraftOrderPayload,
    DraftOrder,
    DraftOrderConnection,
    DraftOrderEdge,
    DraftOrderLineInput,
    DraftOrderLineUpdateInput,
    DraftOrderPayload,
    PlaceDraftOrderInput,
    PlaceDraftOrderPayload,
    UpdateDraftOrderInput,
)
from app.schema.orders import commercial_order
from app.services.checkout import place_draft
from app.services.common.outcome import Outcome
from app.services.orders import draft_lines, drafts
from app.services.orders.draft_lines import LineRequest
from app.services.orders.drafts import DraftChanges

_FIELDS = {
    "shipping_address_id": "shippingAddressId",
    "billing_address_id": "billingAddressId",
    "shipping_type": "shippingType",
    "customer_reference": "customerReference",
    "notes": "notes",
    "shipping_method_id": "shippingMethodId",
    "cost_centre": "costCentre",
}


def _changes(inp: UpdateDraftOrderInput | None) -> DraftChanges | None:
    if inp is None:
        return None
    given = {camel for name, camel in _FIELDS.items() if getattr(inp, name) is not strawberry.UNSET}
    values = {name: (None if getattr(inp, name) is strawberry.UNSET else getattr(inp, name)) for name in _FIELDS}
    metadata = None if inp.metadata in (None, strawberry.UNSET) else [(m.key, m.value) for m in inp.metadata]
    return DraftChanges(
        shipping_address_id=str(values["shipping_address_id"]) if values["shipping_address_id"] else None,
        billing_address_id=str(values["billing_address_id"]) if values["billing_address_id"] else None,
        shipping_type=values["shipping_type"],
        customer_reference=values["customer_reference"],
        notes=values["notes"],
        shipping_method_id=str(values["shipping_method_id"]) if values["shipping_method_id"] else None,
        metadata=metadata,
        cost_centre=values["cost_centre"],
        given=frozenset(given),
    )


def _line_requests(lines: list[DraftOrderLineInput] | None) -> list[LineRequest]:
    return [
        LineRequest(
            offer_id=str(ln.offer_id) if ln.offer_id else None,
            variant_id=str(ln.variant_id) if ln.variant_id else None,
            quantity=ln.quantity,
            sku=ln.sku or None,
        )
        for ln in lines or []
    ]


def draft_payload(outcome: Outcome) -> DraftOrderPayload:
    order = outcome.value
    return DraftOrderPayload(
        draft_order=DraftOrder.of(order) if order is not None else None,
        errors=user_errors(outcome.errors),
        warnings=user_errors(outcome.warnings),
    )


async def draft_order(info: strawberry.Info, id: strawberry.ID) -> DraftOrder | None:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        order = await drafts.get_draft(session, ctx.caller, str(id))
    return DraftOrder.of(order) if order else None


async def draft_orders(
    info: strawberry.Info,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> DraftOrderConnection:
    # Buyers only: each draft is priced live for its account; operators list drafts with
    # orders(filter: {placed: false}), which shows stored totals and stays batched across accounts.
    require_buyer(info)
    counted = selects(info, "totalCount")
    page = await read_page(
        info,
        (first, after, last, before),
        lambda s, caller, window: drafts.list_drafts(s, caller, window, with_total=counted),
    )
    edges = [DraftOrderEdge(cursor=drafts.draft_cursor(o), node=DraftOrder.of(o)) for o in page.orders]
    return DraftOrderConnection(
        edges=edges,
        page_info=PageInfo.of([e.cursor for e in edges], page.has_next, page.has_previous),
        total_count=page.total_count or 0,  # 0 only when not selected: never answered
    )


async def create_draft_order(info: strawberry.Info, input: CreateDraftOrderInput | None = None) -> DraftOrderPayload:
    caller = require_buyer(info)
    lines = _line_requests(input.lines if input else None)
    changes = _changes(input)
    key = input.idempotency_key if input else None
    return draft_payload(
        await run_mutation(
            info,
            lambda s: drafts.create_draft(s, caller, changes, lines, idempotency_key=key),
            retry_safe=key is not None,
        )
    )


async def update_draft_order(
    info: strawberry.Info, id: strawberry.ID, input: UpdateDraftOrderInput, expected_version: int | None = None
) -> DraftOrderPayload:
    caller = require_buyer(info)
    return draft_payload(
        await run_mutation(info, lambda s: drafts.update_draft(s, caller, str(id), _changes(input), expected_version))
    )


async def add_draft_order_lines(
    info: strawberry.Info,
    draft_order_id: strawberry.ID,
    lines: list[DraftOrderLineInput],
    expected_version: int | None = None,
) -> DraftOrderPayload:
    caller = require_buyer(info)
    requests = _line_requests(lines)
    return draft_payload(
        await run_mutation(
            info, lambda s: draft_lines.add_lines(s, caller, str(draft_order_id), requests, expected_version)
        )
    )


async def update_draft_order_lines(
    info: strawberry.Info,
    draft_order_id: strawberry.ID,
    lines: list[DraftOrderLineUpdateInput],
    expected_version: int | None = None,
) -> DraftOrderPayload:
    caller = require_buyer(info)
    updates = [(str(ln.line_id), ln.quantity) for ln in lines]
    return draft_payload(
        await run_mutation(
            info, lambda s: draft_lines.update_lines(s, caller, str(draft_order_id), updates, expected_version)
        )
    )


async def remove_draft_order_lines(
    info: strawberry.Info,
    draft_order_id: strawberry.ID,
    line_ids: list[strawberry.ID],
    expected_version: int | None = None,
) -> DraftOrderPayload:
    caller = require_buyer(info)
    ids = [str(i) for i in line_ids]
    return draft_payload(
        await run_mutation(
            info, lambda s: draft_lines.remove_lines(s, caller, str(draft_order_id), ids, expected_version)
        )
    )


async def sync_draft_order(info: strawberry.Info, id: strawberry.ID) -> DraftOrderPayload:
    caller = require_buyer(info)
    return draft_payload(await run_mutation(info, lambda s: drafts.sync_draft(s, caller, str(id))))


async def delete_draft_order(info: strawberry.Info, id: strawberry.ID) -> DeleteDraftOrderPayload:
    caller = require_buyer(info)
    outcome = await run_mutation(info, lambda s: drafts.delete_draft(s, caller, str(id)))
    deleted = outcome.value if outcome.commit else None
    return DeleteDraftOrderPayload(
        deleted_id=strawberry.ID(deleted) if deleted else None, errors=user_errors(outcome.errors)
    )


async def place_draft_order(
    info: strawberry.Info, id: strawberry.ID, input: PlaceDraftOrderInput | None = None
) -> PlaceDraftOrderPayload:
    caller = require_buyer(info)
    inp = input or PlaceDraftOrderInput()
    request = place_draft.PlaceDraftInput(
        order_id=str(id),
        payment_method_id=str(inp.payment_method_id) if inp.payment_method_id else None,
        expected_version=inp.expected_version,
        return_url=inp.return_url,
        idempotency_key=inp.idempotency_key,
    )
    outcome = await run_mutation(
        info,
        lambda s: place_draft.place_draft(s, caller, request, payment=ctx_of(info).payment_config()),
        retry_safe=inp.idempotency_key is not None,
    )
    metrics.observe_placement([p.code.value for p in outcome.errors])
    result = outcome.value if outcome.commit else None
    return PlaceDraftOrderPayload(
        order=commercial_order(result.order) if result is not None else None,
        next_step=result.next_step if result is not None else None,
        errors=user_errors(outcome.errors),
        draft_order=DraftOrder.of(result.order) if result is not None else None,
        **stripe_fields(result, ctx_of(info).payment_config()),
    )
