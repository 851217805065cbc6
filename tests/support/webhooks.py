"""Webhook subscriptions made over the API, shared by the webhook and tracing tests."""

from __future__ import annotations

from tests.support.gateway import SECRETS, Gateway

SUBSCRIBE = """mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) {
  subscription { id url eventTypes active } secret errors { code message field } } }"""
ALL_EVENTS = [
    "ORDER_PLACED",
    "ORDER_PAID",
    "ORDER_PAYMENT_REFUSED",
    "ORDER_CANCELED",
    "LOGISTIC_ORDER_STATUS_CHANGED",
    "DRAFT_ORDER_DELETED",
    "ORDER_SHIPPED",
    "ORDER_RETURNED",
]


async def subscribe(gw: Gateway, operator: dict, url: str, events: list[str] | None = None) -> tuple[str, str]:
    payload = (await gw.data(SUBSCRIBE, {"input": {"url": url, "eventTypes": events or ALL_EVENTS}}, operator))[
        "createWebhookSubscription"
    ]
    assert payload["errors"] == [] and payload["secret"].startswith("whsec_"), payload
    SECRETS.add(payload["secret"])
    return payload["subscription"]["id"], payload["secret"]
