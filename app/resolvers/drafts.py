"""Draft order queries and mutations: map inputs to service calls and results to payloads."""

from __future__ import annotations

from dataclasses import asdict

import strawberry

from app.observability import metrics
from app.resolvers.common import ctx_of, read_page, require_buyer, run_mutation
from app.schema.common import PageInfo, user_errors
from app.schema.orders import (
    CreateDraftOrderInput,
    DeleteDraftOrderPayload,
    DraftOrder,
    DraftOrderConnection,
    DraftOrderEdge,
    DraftOrderLineInput,
    DraftOrderLineUpdateInput,
    DraftOrderPayload,
    Order,
    PlaceDraftOrderInput,
    PlaceDraftOrderPayload,
    UpdateDraftOrderInput,
)
from app.services import drafts, idempotency, placement
from app.services.drafts import DraftChanges, LineRequest

_FIELDS = {
    "shipping_address_id": "shippingAddressId",
    "billing_address_id": "billingAddressId",
    "shipping_type": "shippingType",
    "customer_reference": "customerReference",
    "notes": "notes",
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
        metadata=metadata,
        given=frozenset(given),
    )


def _line_requests(lines: list[DraftOrderLineInput] | None) -> list[LineRequest]:
    return [
        LineRequest(
            offer_id=str(ln.offer_id) if ln.offer_id else None,
            variant_id=str(ln.variant_id) if ln.variant_id else None,
            quantity=ln.quantity,
        )
        for ln in lines or []
    ]


def _payload(result: drafts.DraftResult | None, problems: list) -> DraftOrderPayload:
    if result is None:  # aborted: blocking problems are the errors, notes (skipped source lines) warnings
        return DraftOrderPayload(
            draft_order=None,
            errors=user_errors([p for p in problems if p.blocking]),
            warnings=user_errors([p for p in problems if not p.blocking]),
        )
    return DraftOrderPayload(
        draft_order=DraftOrder.of(result.order) if result.order else None,
        errors=user_errors(result.errors),
        warnings=user_errors(result.warnings),
    )


async def draft_order(info: strawberry.Info, id: strawberry.ID) -> DraftOrder | None:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        order = await drafts.get_draft(session, ctx.caller, str(id))
    return DraftOrder.of(order) if order else None


async def draft_orders(
    info: strawberry.Info, first: int | None = None, after: str | None = None
) -> DraftOrderConnection:
    # Buyers only: each draft is priced live for its account; operators list drafts with
    # orders(filter: {placed: false}), which shows stored totals and stays batched across accounts.
    require_buyer(info)
    page = await read_page(info, first, lambda s, caller, size: drafts.list_drafts(s, caller, size, after))
    edges = [DraftOrderEdge(cursor=drafts.draft_cursor(o), node=DraftOrder.of(o)) for o in page.orders]
    return DraftOrderConnection(
        edges=edges,
        page_info=PageInfo.of([e.cursor for e in edges], page.has_next, after is not None),
        total_count=page.total_count,
    )


async def create_draft_order(info: strawberry.Info, input: CreateDraftOrderInput | None = None) -> DraftOrderPayload:
    caller = require_buyer(info)
    lines = _line_requests(input.lines if input else None)
    changes = _changes(input)
    key = input.idempotency_key if input else None
    fingerprint = {"changes": asdict(changes) if changes else None, "lines": [asdict(ln) for ln in lines]}
    result, problems = await run_mutation(
        info,
        lambda s: idempotency.create_once(
            s, caller, key, "createDraftOrder", fingerprint, lambda: drafts.create_draft(s, caller, changes, lines)
        ),
    )
    return _payload(result, problems)


async def update_draft_order(
    info: strawberry.Info, id: strawberry.ID, input: UpdateDraftOrderInput, expected_version: int | None = None
) -> DraftOrderPayload:
    caller = require_buyer(info)
    result, problems = await run_mutation(
        info, lambda s: drafts.update_draft(s, caller, str(id), _changes(input), expected_version)
    )
    return _payload(result, problems)


async def add_draft_order_lines(
    info: strawberry.Info,
    draft_order_id: strawberry.ID,
    lines: list[DraftOrderLineInput],
    expected_version: int | None = None,
) -> DraftOrderPayload:
    caller = require_buyer(info)
    result, problems = await run_mutation(
        info, lambda s: drafts.add_lines(s, caller, str(draft_order_id), _line_requests(lines), expected_version)
    )
    return _payload(result, problems)


async def update_draft_order_lines(
    info: strawberry.Info,
    draft_order_id: strawberry.ID,
    lines: list[DraftOrderLineUpdateInput],
    expected_version: int | None = None,
) -> DraftOrderPayload:
    caller = require_buyer(info)
    updates = [(str(ln.line_id), ln.quantity) for ln in lines]
    result, problems = await run_mutation(
        info, lambda s: drafts.update_lines(s, caller, str(draft_order_id), updates, expected_version)
    )
    return _payload(result, problems)


async def remove_draft_order_lines(
    info: strawberry.Info,
    draft_order_id: strawberry.ID,
    line_ids: list[strawberry.ID],
    expected_version: int | None = None,
) -> DraftOrderPayload:
    caller = require_buyer(info)
    result, problems = await run_mutation(
        info,
        lambda s: drafts.remove_lines(s, caller, str(draft_order_id), [str(i) for i in line_ids], expected_version),
    )
    return _payload(result, problems)


async def sync_draft_order(info: strawberry.Info, id: strawberry.ID) -> DraftOrderPayload:
    caller = require_buyer(info)
    result, problems = await run_mutation(info, lambda s: drafts.sync_draft(s, caller, str(id)))
    return _payload(result, problems)


async def delete_draft_order(info: strawberry.Info, id: strawberry.ID) -> DeleteDraftOrderPayload:
    caller = require_buyer(info)
    deleted, problems = await run_mutation(info, lambda s: drafts.delete_draft(s, caller, str(id)))
    return DeleteDraftOrderPayload(deleted_id=strawberry.ID(deleted) if deleted else None, errors=user_errors(problems))


async def place_draft_order(
    info: strawberry.Info, id: strawberry.ID, input: PlaceDraftOrderInput | None = None
) -> PlaceDraftOrderPayload:
    caller = require_buyer(info)
    inp = input or PlaceDraftOrderInput()
    result, problems = await run_mutation(
        info,
        lambda s: placement.place_draft(
            s,
            caller,
            str(id),
            payment_method_id=str(inp.payment_method_id) if inp.payment_method_id else None,
            idempotency_key=inp.idempotency_key,
            expected_version=inp.expected_version,
        ),
    )
    metrics.observe_placement([p.code.value for p in (problems if result is None else result.errors)])
    if result is None:
        return PlaceDraftOrderPayload(order=None, next_step=None, errors=user_errors(problems))
    order = result.order
    placed = order is not None and order.placed_at is not None
    return PlaceDraftOrderPayload(
        order=Order.of(order) if placed else None, next_step=None, errors=user_errors(result.errors)
    )
