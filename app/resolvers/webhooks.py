"""Operators manage the webhook subscriptions of their stores and read deliveries."""

from __future__ import annotations

import strawberry

from app.resolvers.common import ctx_of, read_page, require_operator, run_mutation, selects
from app.schema.common import PageInfo, user_errors
from app.schema.webhooks import (
    CreateWebhookSubscriptionInput,
    DeleteWebhookSubscriptionPayload,
    UpdateWebhookSubscriptionInput,
    WebhookDelivery,
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookDeliveryStatus,
    WebhookSubscription,
    WebhookSubscriptionPayload,
)
from app.services.common.paging import key_cursor
from app.services.events import webhooks


def _changes(inp: CreateWebhookSubscriptionInput | UpdateWebhookSubscriptionInput) -> webhooks.SubscriptionChanges:
    return webhooks.SubscriptionChanges(
        url=inp.url,
        event_types=[t.value for t in inp.event_types] if inp.event_types is not None else None,
        description=inp.description,
        active=inp.active,
    )


async def webhook_subscriptions(info: strawberry.Info) -> list[WebhookSubscription]:
    caller = require_operator(info)
    async with ctx_of(info).read() as session:
        return [WebhookSubscription.of(s) for s in await webhooks.list_subscriptions(session, caller)]


async def webhook_deliveries(
    info: strawberry.Info,
    subscription_id: strawberry.ID,
    status: WebhookDeliveryStatus | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> WebhookDeliveryConnection:
    require_operator(info)
    counted = selects(info, "totalCount")
    page = await read_page(
        info,
        (first, after, last, before),
        lambda s, caller, window: webhooks.list_deliveries(
            s, caller, str(subscription_id), status.value if status else None, window, with_total=counted
        ),
    )
    edges = [
        WebhookDeliveryEdge(cursor=key_cursor(d.event_id), node=WebhookDelivery.of(d, t)) for d, t in page.deliveries
    ]
    return WebhookDeliveryConnection(
        edges=edges,
        page_info=PageInfo.of([e.cursor for e in edges], page.has_next, page.has_previous),
        total_count=page.total_count or 0,
    )


async def create_webhook_subscription(
    info: strawberry.Info, input: CreateWebhookSubscriptionInput
) -> WebhookSubscriptionPayload:
    caller = require_operator(info)
    outcome = await run_mutation(info, lambda s: webhooks.create_subscription(s, caller, _changes(input)))
    if outcome.value is None:
        return WebhookSubscriptionPayload(subscription=None, secret=None, errors=user_errors(outcome.errors))
    sub, secret = outcome.value
    return WebhookSubscriptionPayload(subscription=WebhookSubscription.of(sub), secret=secret, errors=[])


async def update_webhook_subscription(
    info: strawberry.Info, id: strawberry.ID, input: UpdateWebhookSubscriptionInput
) -> WebhookSubscriptionPayload:
    caller = require_operator(info)
    outcome = await run_mutation(info, lambda s: webhooks.update_subscription(s, caller, str(id), _changes(input)))
    sub = outcome.value
    return WebhookSubscriptionPayload(
        subscription=WebhookSubscription.of(sub) if sub else None, secret=None, errors=user_errors(outcome.errors)
    )


async def delete_webhook_subscription(info: strawberry.Info, id: strawberry.ID) -> DeleteWebhookSubscriptionPayload:
    caller = require_operator(info)
    outcome = await run_mutation(info, lambda s: webhooks.delete_subscription(s, caller, str(id)))
    deleted = outcome.value if outcome.commit else None
    return DeleteWebhookSubscriptionPayload(
        deleted_id=strawberry.ID(deleted) if deleted else None, errors=user_errors(outcome.errors)
    )
