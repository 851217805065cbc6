"""Webhook subscriptions and deliveries (operators)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from app.models import WebhookDelivery as DeliveryModel
from app.models import WebhookSubscription as SubscriptionModel
from app.schema.common import Node, PageInfo, UserError
from app.services.events import outbox
from app.services.events.webhooks import delivery_id, event_types_of


@strawberry.enum(description="Events sent to webhooks; the payload `type` is the value in parentheses.")
class WebhookEventType(Enum):
    ORDER_PLACED = outbox.ORDER_PLACED
    ORDER_PAID = outbox.ORDER_PAID
    ORDER_PAYMENT_REFUSED = outbox.PAYMENT_REFUSED
    ORDER_CANCELED = outbox.ORDER_CANCELED
    LOGISTIC_ORDER_STATUS_CHANGED = outbox.LOGISTIC_STATUS_CHANGED
    DRAFT_ORDER_DELETED = outbox.DRAFT_DELETED
    PAYMENT_AUTHORIZED = outbox.PAYMENT_AUTHORIZED
    PAYMENT_RECEIVED = outbox.PAYMENT_RECEIVED
    PAYMENT_CAPTURED = outbox.PAYMENT_CAPTURED
    PAYMENT_VOIDED = outbox.PAYMENT_VOIDED
    PAYMENT_REFUNDED = outbox.PAYMENT_REFUNDED
    PAYMENT_REFUND_FAILED = outbox.PAYMENT_REFUND_FAILED
    ORDER_SHIPPED = outbox.ORDER_SHIPPED
    ORDER_RETURNED = outbox.ORDER_RETURNED
    ORDER_APPROVAL_REQUESTED = outbox.ORDER_APPROVAL_REQUESTED
    ORDER_APPROVED = outbox.ORDER_APPROVED
    ORDER_REJECTED = outbox.ORDER_REJECTED


@strawberry.enum
class WebhookDeliveryStatus(Enum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    DEAD = "DEAD"


@strawberry.type(description="An endpoint that receives the store's events, signed (Standard Webhooks).")
class WebhookSubscription(Node):
    id: strawberry.ID
    url: str
    event_types: list[WebhookEventType]
    active: bool
    description: str | None
    created_at: datetime

    @classmethod
    def of(cls, s: SubscriptionModel) -> WebhookSubscription:
        return cls(
            id=strawberry.ID(s.id),
            url=s.url,
            event_types=[WebhookEventType(t) for t in event_types_of(s)],
            active=s.active,
            description=s.description,
            created_at=s.created_at,
        )


@strawberry.type(
    description="One event for one subscription: DEAD after the last retry failed. Its id joins the event's and the "
    "subscription's ids."
)
class WebhookDelivery(Node):
    event_id: strawberry.ID
    event_type: str
    status: WebhookDeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, d: DeliveryModel, event_type: str) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(delivery_id(d.event_id, d.subscription_id)),
            event_id=strawberry.ID(d.event_id),
            event_type=event_type,
            status=WebhookDeliveryStatus(d.status),
            attempts=d.attempts,
            last_status_code=d.last_status_code,
            last_error=d.last_error,
            next_attempt_at=d.next_attempt_at if d.status == "PENDING" else None,
            delivered_at=d.delivered_at,
            created_at=d.created_at,
        )


@strawberry.type
class WebhookDeliveryEdge:
    cursor: str
    node: WebhookDelivery


@strawberry.type
class WebhookDeliveryConnection:
    edges: list[WebhookDeliveryEdge]
    page_info: PageInfo
    total_count: int


@strawberry.input
class CreateWebhookSubscriptionInput:
    url: str
    event_types: list[WebhookEventType]
    description: str | None = None
    active: bool = True


@strawberry.input
class UpdateWebhookSubscriptionInput:
    url: str | None = None
    event_types: list[WebhookEventType] | None = None
    description: str | None = None
    active: bool | None = None


@strawberry.type
class WebhookSubscriptionPayload:
    subscription: WebhookSubscription | None
    secret: str | None = strawberry.field(
        description="The signing secret (whsec_...): only in the answer of createWebhookSubscription."
    )
    errors: list[UserError]


@strawberry.type
class DeleteWebhookSubscriptionPayload:
    deleted_id: strawberry.ID | None
    errors: list[UserError]
