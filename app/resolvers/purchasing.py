"""Reorder, requisition lists and quick order by pasted text: map inputs to service calls and results to
payloads."""

from __future__ import annotations

import strawberry

from app.resolvers.common import ctx_of, read_page, require_buyer, run_mutation
from app.resolvers.drafts import draft_payload
from app.schema.common import PageInfo, user_errors
from app.schema.drafts import DraftOrder, DraftOrderPayload
from app.schema.purchasing import (
    AddDraftOrderLinesFromTextPayload,
    CreateRequisitionListInput,
    DeleteRequisitionListPayload,
    PastedLine,
    RequisitionList,
    RequisitionListConnection,
    RequisitionListEdge,
    RequisitionListItemInput,
    RequisitionListPayload,
)
from app.services.common.outcome import Outcome
from app.services.common.paging import decode_offset, offset_cursor
from app.services.orders import pasted_lines
from app.services.requisitions import drafting, lists
from app.services.requisitions.lists import ItemRequest
from app.services.sources import reorder


def _items(items: list[RequisitionListItemInput] | None) -> list[ItemRequest]:
    return [ItemRequest(sku=i.sku, quantity=i.quantity) for i in items or []]


def _list_payload(info: strawberry.Info, outcome: Outcome) -> RequisitionListPayload:
    found = outcome.value
    viewer = ctx_of(info).caller.user_id
    return RequisitionListPayload(
        requisition_list=RequisitionList.of(found, viewer) if found is not None else None,
        errors=user_errors(outcome.errors),
    )


async def requisition_lists(
    info: strawberry.Info, first: int | None = None, after: str | None = None
) -> RequisitionListConnection:
    caller = require_buyer(info)

    async def fetch(session, caller, page) -> tuple:  # noqa: ANN001 - forward paging only (offset cursors)
        offset = decode_offset(after)
        rows, total = await lists.list_lists(session, caller, page.size, offset)
        return rows, total, offset

    rows, total, offset = await read_page(info, (first, after, None, None), fetch)
    edges = [
        RequisitionListEdge(cursor=offset_cursor(offset + i + 1), node=RequisitionList.of(lst, caller.user_id))
        for i, lst in enumerate(rows)
    ]
    return RequisitionListConnection(
        edges=edges,
        page_info=PageInfo.of([e.cursor for e in edges], offset + len(edges) < total, offset > 0),
        total_count=total,
    )


async def requisition_list(info: strawberry.Info, id: strawberry.ID) -> RequisitionList | None:
    caller = require_buyer(info)
    async with ctx_of(info).read() as session:
        found = await lists.get_list(session, caller, str(id))
    return RequisitionList.of(found, caller.user_id) if found else None


async def create_requisition_list(info: strawberry.Info, input: CreateRequisitionListInput) -> RequisitionListPayload:
    caller = require_buyer(info)
    items = _items(input.items)
    return _list_payload(
        info, await run_mutation(info, lambda s: lists.create_list(s, caller, input.name, input.shared, items))
    )


async def rename_requisition_list(info: strawberry.Info, id: strawberry.ID, name: str) -> RequisitionListPayload:
    caller = require_buyer(info)
    return _list_payload(info, await run_mutation(info, lambda s: lists.rename_list(s, caller, str(id), name)))


async def share_requisition_list(
    info: strawberry.Info, id: strawberry.ID, shared: bool = True
) -> RequisitionListPayload:
    caller = require_buyer(info)
    return _list_payload(info, await run_mutation(info, lambda s: lists.share_list(s, caller, str(id), shared)))


async def delete_requisition_list(info: strawberry.Info, id: strawberry.ID) -> DeleteRequisitionListPayload:
    caller = require_buyer(info)
    outcome = await run_mutation(info, lambda s: lists.delete_list(s, caller, str(id)))
    deleted = outcome.value if outcome.commit else None
    return DeleteRequisitionListPayload(
        deleted_id=strawberry.ID(deleted) if deleted else None, errors=user_errors(outcome.errors)
    )


async def add_requisition_list_items(
    info: strawberry.Info, id: strawberry.ID, items: list[RequisitionListItemInput]
) -> RequisitionListPayload:
    caller = require_buyer(info)
    wanted = _items(items)
    return _list_payload(info, await run_mutation(info, lambda s: lists.add_items(s, caller, str(id), wanted)))


async def update_requisition_list_items(
    info: strawberry.Info, id: strawberry.ID, items: list[RequisitionListItemInput]
) -> RequisitionListPayload:
    caller = require_buyer(info)
    wanted = _items(items)
    return _list_payload(info, await run_mutation(info, lambda s: lists.update_items(s, caller, str(id), wanted)))


async def remove_requisition_list_items(
    info: strawberry.Info, id: strawberry.ID, skus: list[str]
) -> RequisitionListPayload:
    caller = require_buyer(info)
    wanted = list(skus)
    return _list_payload(info, await run_mutation(info, lambda s: lists.remove_items(s, caller, str(id), wanted)))


async def create_draft_order_from_requisition_list(
    info: strawberry.Info, requisition_list_id: strawberry.ID, idempotency_key: str | None = None
) -> DraftOrderPayload:
    caller = require_buyer(info)
    return draft_payload(
        await run_mutation(
            info,
            lambda s: drafting.create_draft_from_list(
                s, caller, str(requisition_list_id), idempotency_key=idempotency_key
            ),
            retry_safe=idempotency_key is not None,
        )
    )


async def create_draft_order_from_order(
    info: strawberry.Info, order_id: strawberry.ID, idempotency_key: str | None = None
) -> DraftOrderPayload:
    caller = require_buyer(info)
    return draft_payload(
        await run_mutation(
            info,
            lambda s: reorder.create_draft_from_order(s, caller, str(order_id), idempotency_key=idempotency_key),
            retry_safe=idempotency_key is not None,
        )
    )


async def add_draft_order_lines_from_text(
    info: strawberry.Info, draft_order_id: strawberry.ID, text: str, expected_version: int | None = None
) -> AddDraftOrderLinesFromTextPayload:
    caller = require_buyer(info)
    outcome = await run_mutation(
        info, lambda s: pasted_lines.add_lines_from_text(s, caller, str(draft_order_id), text, expected_version)
    )
    result = outcome.value
    order = result.order if result is not None else None
    return AddDraftOrderLinesFromTextPayload(
        draft_order=DraftOrder.of(order) if order is not None else None,
        lines=[PastedLine.of(ln) for ln in result.lines] if result is not None else [],
        errors=user_errors(outcome.errors),
    )
