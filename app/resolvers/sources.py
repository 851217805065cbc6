"""Quotes and operations: buyer queries, drafts from a source, operator management."""

from __future__ import annotations

import strawberry

from app.resolvers.common import ctx_of, read_page, require_buyer, require_operator, run_mutation
from app.resolvers.drafts import draft_payload
from app.schema.common import PageInfo, user_errors
from app.schema.drafts import DraftOrderPayload
from app.schema.sources import (
    CreateOperationInput,
    CreateQuoteInput,
    DeleteOperationPayload,
    Operation,
    OperationConnection,
    OperationEdge,
    OperationLineInput,
    OperationPayload,
    OperationStatus,
    Quote,
    QuoteConnection,
    QuoteEdge,
    QuoteLineInput,
    QuotePayload,
    UpdateOperationInput,
)
from app.services.common.outcome import Outcome
from app.services.common.paging import Window, decode_offset, offset_cursor
from app.services.sources import operation_admin, operations, quote_admin, quotes


def _page_info(edges: list, offset: int, total: int) -> PageInfo:
    return PageInfo.of([e.cursor for e in edges], offset + len(edges) < total, offset > 0)


async def _offset_page(info: strawberry.Info, paging: tuple, list_fn) -> tuple:  # noqa: ANN001
    """(rows, total, offset) of a small list paged by offset cursors (a cursor is an item's 1-based position),
    forward (first/after) or backward (last/before)."""

    async def fetch(session, caller, window: Window) -> tuple:  # noqa: ANN001
        if not window.backward:
            offset = decode_offset(window.cursor)
            rows, total = await list_fn(session, caller, window.size, offset)
            return rows, total, offset
        if window.cursor:
            end = max(decode_offset(window.cursor) - 1, 0)  # the items before the cursor's
        else:
            _, end = await list_fn(session, caller, 0, 0)  # from the last item: count them first
        offset = max(end - window.size, 0)
        rows, total = await list_fn(session, caller, end - offset, offset)
        return rows, total, offset

    return await read_page(info, paging, fetch)


async def quotes_page(
    info: strawberry.Info,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> QuoteConnection:
    rows, total, offset = await _offset_page(info, (first, after, last, before), quotes.list_quotes)
    edges = [QuoteEdge(cursor=offset_cursor(offset + i + 1), node=Quote.of(q)) for i, q in enumerate(rows)]
    return QuoteConnection(edges=edges, page_info=_page_info(edges, offset, total), total_count=total)


async def quote(info: strawberry.Info, id: strawberry.ID) -> Quote | None:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        found = await quotes.get_quote(session, ctx.caller, str(id))
    return Quote.of(found) if found else None


async def operations_page(
    info: strawberry.Info,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> OperationConnection:
    rows, total, offset = await _offset_page(info, (first, after, last, before), operations.list_operations)
    edges = [OperationEdge(cursor=offset_cursor(offset + i + 1), node=Operation.of(o)) for i, o in enumerate(rows)]
    return OperationConnection(edges=edges, page_info=_page_info(edges, offset, total), total_count=total)


async def operation(info: strawberry.Info, id: strawberry.ID) -> Operation | None:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        found = await operations.get_operation(session, ctx.caller, str(id))
    return Operation.of(found) if found else None


async def create_draft_order_from_quote(
    info: strawberry.Info, quote_id: strawberry.ID, idempotency_key: str | None = None
) -> DraftOrderPayload:
    caller = require_buyer(info)
    return draft_payload(
        await run_mutation(
            info,
            lambda s: quotes.create_draft_from_quote(s, caller, str(quote_id), idempotency_key=idempotency_key),
            retry_safe=idempotency_key is not None,
        )
    )


async def create_draft_order_from_operation(
    info: strawberry.Info, operation_id: strawberry.ID, full: bool = True, idempotency_key: str | None = None
) -> DraftOrderPayload:
    caller = require_buyer(info)
    return draft_payload(
        await run_mutation(
            info,
            lambda s: operations.create_draft_from_operation(
                s, caller, str(operation_id), full, idempotency_key=idempotency_key
            ),
            retry_safe=idempotency_key is not None,
        )
    )


def _quote_lines(lines: list[QuoteLineInput]) -> list[quote_admin.QuoteLineInput]:
    return [
        quote_admin.QuoteLineInput(offer_id=str(ln.offer_id), quantity=ln.quantity, unit_price=ln.unit_price)
        for ln in lines
    ]


def _op_lines(lines: list[OperationLineInput] | None) -> list[operation_admin.OperationLineInput] | None:
    if lines is None:
        return None
    return [
        operation_admin.OperationLineInput(
            str(ln.variant_id), ln.min_quantity, ln.max_quantity, ln.recommended_quantity
        )
        for ln in lines
    ]


def _quote_payload(outcome: Outcome) -> QuotePayload:
    q = outcome.value
    return QuotePayload(quote=Quote.of(q) if q else None, errors=user_errors(outcome.errors))


def _operation_payload(outcome: Outcome) -> OperationPayload:
    o = outcome.value
    return OperationPayload(operation=Operation.of(o) if o else None, errors=user_errors(outcome.errors))


async def create_quote(info: strawberry.Info, input: CreateQuoteInput) -> QuotePayload:
    caller = require_operator(info)
    lines = _quote_lines(input.lines)
    return _quote_payload(
        await run_mutation(
            info,
            lambda s: quote_admin.create_quote(s, caller, str(input.account_id), input.name, input.expires_at, lines),
        )
    )


async def update_quote_lines(
    info: strawberry.Info, quote_id: strawberry.ID, lines: list[QuoteLineInput]
) -> QuotePayload:
    caller = require_operator(info)
    wanted = _quote_lines(lines)
    return _quote_payload(
        await run_mutation(info, lambda s: quote_admin.update_quote_lines(s, caller, str(quote_id), wanted))
    )


async def send_quote(info: strawberry.Info, quote_id: strawberry.ID) -> QuotePayload:
    caller = require_operator(info)
    return _quote_payload(await run_mutation(info, lambda s: quote_admin.move_quote(s, caller, str(quote_id), "send")))


async def decline_quote(info: strawberry.Info, quote_id: strawberry.ID) -> QuotePayload:
    caller = require_operator(info)
    return _quote_payload(
        await run_mutation(info, lambda s: quote_admin.move_quote(s, caller, str(quote_id), "decline"))
    )


async def create_operation(info: strawberry.Info, input: CreateOperationInput) -> OperationPayload:
    caller = require_operator(info)
    return _operation_payload(
        await run_mutation(
            info,
            lambda s: operation_admin.create_operation(
                s,
                caller,
                input.name,
                input.type.value,
                input.starts_at,
                input.ends_at,
                _op_lines(input.lines) or [],
                [str(a) for a in input.account_ids or []],
            ),
        )
    )


async def update_operation(info: strawberry.Info, id: strawberry.ID, input: UpdateOperationInput) -> OperationPayload:
    caller = require_operator(info)
    accounts = [str(a) for a in input.account_ids] if input.account_ids is not None else None
    lines = _op_lines(input.lines)
    return _operation_payload(
        await run_mutation(
            info, lambda s: operation_admin.update_operation(s, caller, str(id), input.name, lines, accounts)
        )
    )


async def set_operation_status(info: strawberry.Info, id: strawberry.ID, status: OperationStatus) -> OperationPayload:
    caller = require_operator(info)
    return _operation_payload(
        await run_mutation(info, lambda s: operation_admin.set_operation_status(s, caller, str(id), status.value))
    )


async def delete_operation(info: strawberry.Info, id: strawberry.ID) -> DeleteOperationPayload:
    caller = require_operator(info)
    outcome = await run_mutation(info, lambda s: operation_admin.delete_operation(s, caller, str(id)))
    deleted = outcome.value if outcome.commit else None
    return DeleteOperationPayload(
        deleted_id=strawberry.ID(deleted) if deleted else None, errors=user_errors(outcome.errors)
    )
