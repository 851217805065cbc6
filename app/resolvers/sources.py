"""Quotes and operations: buyer queries, drafts from a source, operator management."""

from __future__ import annotations

import strawberry

from app.resolvers.common import ctx_of, read_page, require_buyer, require_operator, run_mutation
from app.resolvers.drafts import _payload
from app.schema.common import PageInfo, user_errors
from app.schema.orders import DraftOrderPayload
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
from app.services import idempotency, sources
from app.services.catalog import BadArgument, decode_cursor, encode_cursor
from app.services.errors import ErrorCode, Problem, ServiceError
from app.services.money import MoneyError, parse_amount


def _offset(after: str | None) -> int:
    if not after:
        return 0
    (offset,) = decode_cursor(after, 1)
    if not isinstance(offset, int) or offset < 0:
        raise BadArgument("malformed cursor")
    return offset


def _page_info(edges: list, offset: int, total: int) -> PageInfo:
    return PageInfo.of([e.cursor for e in edges], offset + len(edges) < total, offset > 0)


async def _offset_page(info: strawberry.Info, first: int | None, after: str | None, list_fn) -> tuple:  # noqa: ANN001
    """(rows, total, offset) of a small list paged by offset cursors."""

    async def fetch(session, caller, size) -> tuple:  # noqa: ANN001
        offset = _offset(after)
        rows, total = await list_fn(session, caller, size, offset)
        return rows, total, offset

    return await read_page(info, first, fetch)


async def quotes(info: strawberry.Info, first: int | None = None, after: str | None = None) -> QuoteConnection:
    rows, total, offset = await _offset_page(info, first, after, sources.list_quotes)
    edges = [QuoteEdge(cursor=encode_cursor([offset + i + 1]), node=Quote.of(q)) for i, q in enumerate(rows)]
    return QuoteConnection(edges=edges, page_info=_page_info(edges, offset, total), total_count=total)


async def quote(info: strawberry.Info, id: strawberry.ID) -> Quote | None:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        found = await sources.get_quote(session, ctx.caller, str(id))
    return Quote.of(found) if found else None


async def operations(info: strawberry.Info, first: int | None = None, after: str | None = None) -> OperationConnection:
    rows, total, offset = await _offset_page(info, first, after, sources.list_operations)
    edges = [OperationEdge(cursor=encode_cursor([offset + i + 1]), node=Operation.of(o)) for i, o in enumerate(rows)]
    return OperationConnection(edges=edges, page_info=_page_info(edges, offset, total), total_count=total)


async def operation(info: strawberry.Info, id: strawberry.ID) -> Operation | None:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        found = await sources.get_operation(session, ctx.caller, str(id))
    return Operation.of(found) if found else None


async def create_draft_order_from_quote(
    info: strawberry.Info, quote_id: strawberry.ID, idempotency_key: str | None = None
) -> DraftOrderPayload:
    caller = require_buyer(info)
    result, problems = await run_mutation(
        info,
        lambda s: idempotency.create_once(
            s,
            caller,
            idempotency_key,
            "createDraftOrderFromQuote",
            {"quoteId": str(quote_id)},
            lambda: sources.create_draft_from_quote(s, caller, str(quote_id)),
        ),
    )
    return _payload(result, problems)


async def create_draft_order_from_operation(
    info: strawberry.Info, operation_id: strawberry.ID, full: bool = True, idempotency_key: str | None = None
) -> DraftOrderPayload:
    caller = require_buyer(info)
    result, problems = await run_mutation(
        info,
        lambda s: idempotency.create_once(
            s,
            caller,
            idempotency_key,
            "createDraftOrderFromOperation",
            {"operationId": str(operation_id), "full": full},
            lambda: sources.create_draft_from_operation(s, caller, str(operation_id), full),
        ),
    )
    return _payload(result, problems)


def _quote_lines(lines: list[QuoteLineInput]) -> list[sources.QuoteLineInput]:
    out = []
    for i, ln in enumerate(lines):
        try:
            amount = parse_amount(ln.unit_price)
        except MoneyError as exc:
            raise ServiceError(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    f"unitPrice: {exc}",
                    index=i,
                    field=("lines", str(i), "unitPrice"),
                )
            ) from None
        out.append(sources.QuoteLineInput(offer_id=str(ln.offer_id), quantity=ln.quantity, unit_amount=amount))
    return out


def _op_lines(lines: list[OperationLineInput] | None) -> list[sources.OperationLineInput] | None:
    if lines is None:
        return None
    return [
        sources.OperationLineInput(str(ln.variant_id), ln.min_quantity, ln.max_quantity, ln.recommended_quantity)
        for ln in lines
    ]


def _quote_payload(q, problems) -> QuotePayload:  # noqa: ANN001
    return QuotePayload(quote=Quote.of(q) if q else None, errors=user_errors(problems))


def _operation_payload(o, problems) -> OperationPayload:  # noqa: ANN001
    return OperationPayload(operation=Operation.of(o) if o else None, errors=user_errors(problems))


async def create_quote(info: strawberry.Info, input: CreateQuoteInput) -> QuotePayload:
    caller = require_operator(info)
    return _quote_payload(
        *await run_mutation(
            info,
            lambda s: sources.create_quote(
                s, caller, str(input.account_id), input.name, input.expires_at, _quote_lines(input.lines)
            ),
        )
    )


async def update_quote_lines(
    info: strawberry.Info, quote_id: strawberry.ID, lines: list[QuoteLineInput]
) -> QuotePayload:
    caller = require_operator(info)
    return _quote_payload(
        *await run_mutation(info, lambda s: sources.update_quote_lines(s, caller, str(quote_id), _quote_lines(lines)))
    )


async def send_quote(info: strawberry.Info, quote_id: strawberry.ID) -> QuotePayload:
    caller = require_operator(info)
    return _quote_payload(*await run_mutation(info, lambda s: sources.move_quote(s, caller, str(quote_id), "send")))


async def decline_quote(info: strawberry.Info, quote_id: strawberry.ID) -> QuotePayload:
    caller = require_operator(info)
    return _quote_payload(*await run_mutation(info, lambda s: sources.move_quote(s, caller, str(quote_id), "decline")))


async def create_operation(info: strawberry.Info, input: CreateOperationInput) -> OperationPayload:
    caller = require_operator(info)
    return _operation_payload(
        *await run_mutation(
            info,
            lambda s: sources.create_operation(
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
    return _operation_payload(
        *await run_mutation(
            info, lambda s: sources.update_operation(s, caller, str(id), input.name, _op_lines(input.lines), accounts)
        )
    )


async def set_operation_status(info: strawberry.Info, id: strawberry.ID, status: OperationStatus) -> OperationPayload:
    caller = require_operator(info)
    return _operation_payload(
        *await run_mutation(info, lambda s: sources.set_operation_status(s, caller, str(id), status.value))
    )


async def delete_operation(info: strawberry.Info, id: strawberry.ID) -> DeleteOperationPayload:
    caller = require_operator(info)
    deleted, problems = await run_mutation(info, lambda s: sources.delete_operation(s, caller, str(id)))
    return DeleteOperationPayload(deleted_id=strawberry.ID(deleted) if deleted else None, errors=user_errors(problems))
