"""Orders after placement: lookup, listing, and the operator mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from app.resolvers.common import ctx_of, read_page, require_operator, require_user, run_mutation, selects_each
from app.schema.common import PageInfo, bad_request, user_errors
from app.schema.order_parts import LogisticOrder, LogisticOrderStatus
from app.schema.orders import (
    LogisticOrderPayload,
    Order,
    OrderConnection,
    OrderEdge,
    OrderFilter,
    OrderPayload,
    OrderSort,
    commercial_order,
    placed_order,
)
from app.services.checkout import cancellation
from app.services.common.outcome import Outcome
from app.services.orders import fulfilment, scope
from app.services.orders import listing as order_listing


def _filter(f: OrderFilter | None) -> order_listing.OrderFilter | None:
    if f is None:
        return None
    return order_listing.OrderFilter(
        statuses=[s.value for s in f.status] if f.status else None,
        placed=f.placed,
        source_types=[t.value for t in f.source_types] if f.source_types else None,
        source_ids=[str(s) for s in f.source_ids] if f.source_ids else None,
        created_from=f.created_from,
        created_to=f.created_to,
        placed_from=f.placed_from,
        placed_to=f.placed_to,
        reference=f.reference,
        account_ids=[str(a) for a in f.account_ids] if f.account_ids else None,
        metadata=[(m.key, m.value) for m in f.metadata or []],
        overdue=f.overdue,
    )


_SORT_DEPRECATED = "Use orderBy: typed keys and directions (the same sort; a wrong value is a validation error)."


async def orders(
    info: strawberry.Info,
    filter: OrderFilter | None = None,
    sort: Annotated[list[str] | None, strawberry.argument(deprecation_reason=_SORT_DEPRECATED)] = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    order_by: list[OrderSort] | None = None,
) -> OrderConnection:
    require_user(info)
    if sort and order_by:
        raise bad_request("sort with either orderBy or sort, not both")
    keys = [f"{key.field.value}:{key.direction.value}" for key in order_by] if order_by else sort
    counted, with_lines = selects_each(info, ("totalCount",), ("edges", "node", "lines"))

    # The page's lines, when asked for, are read with it: the order nodes answer them without a loader.
    page = await read_page(
        info,
        (first, after, last, before),
        lambda s, caller, window: order_listing.list_orders(
            s, caller, _filter(filter), keys, window, with_total=counted, with_lines=with_lines
        ),
    )
    edges = [
        OrderEdge(node=commercial_order(o, page.lines.get(o.id, []) if with_lines else None), order=o)
        for o in page.orders
    ]
    # pageInfo needs only the first and last cursors; the edges encode theirs when selected.
    ends = [order_listing.order_cursor(o) for o in (page.orders[:1] + page.orders[1:][-1:])]
    return OrderConnection(
        edges=edges,
        page_info=PageInfo.of(ends, page.has_next, page.has_previous),
        total_count=page.total_count or 0,  # 0 only when not selected: never answered
    )


async def order(info: strawberry.Info, id: strawberry.ID) -> Order | None:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        found = await scope.find_order(session, ctx.caller, str(id))
    return placed_order(found)


async def logistic_order(info: strawberry.Info, id: strawberry.ID) -> LogisticOrder | None:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        found = await scope.get_logistic_order(session, ctx.caller, str(id))
    return LogisticOrder.of(found[0]) if found else None


async def transition_logistic_order(
    info: strawberry.Info, id: strawberry.ID, to: LogisticOrderStatus
) -> LogisticOrderPayload:
    caller = require_operator(info)
    config = ctx_of(info).payment_config()
    return _logistic_payload(
        await run_mutation(
            info, lambda s: cancellation.transition_logistic_order(s, caller, str(id), to.value, payment=config)
        )
    )


async def set_logistic_order_incident(
    info: strawberry.Info, id: strawberry.ID, incident: bool, note: str | None = None
) -> LogisticOrderPayload:
    caller = require_operator(info)
    return _logistic_payload(
        await run_mutation(info, lambda s: fulfilment.set_incident(s, caller, str(id), incident, note))
    )


async def cancel_order(info: strawberry.Info, id: strawberry.ID, reason: str | None = None) -> OrderPayload:
    caller = require_operator(info)
    config = ctx_of(info).payment_config()
    outcome = await run_mutation(info, lambda s: cancellation.cancel_order(s, caller, str(id), reason, payment=config))
    return OrderPayload(order=Order.of(outcome.value) if outcome.value else None, errors=user_errors(outcome.errors))


def _logistic_payload(outcome: Outcome) -> LogisticOrderPayload:
    lo = outcome.value
    return LogisticOrderPayload(logistic_order=LogisticOrder.of(lo) if lo else None, errors=user_errors(outcome.errors))
