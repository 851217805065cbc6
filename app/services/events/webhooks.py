"""Webhook subscriptions, managed by operators for the stores they are attached to, and their deliveries."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import OutboxEvent, WebhookDelivery, WebhookSubscription, utcnow
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.ids import valid_id
from app.services.common.outcome import Outcome, service
from app.services.common.paging import Window, keyset, keyset_rows
from app.services.events.outbox import EVENT_TYPES

MAX_URL = 2000
MAX_DESCRIPTION = 200


@dataclass
class SubscriptionChanges:
    url: str | None = None
    event_types: list[str] | None = None
    description: str | None = None
    active: bool | None = None


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def event_types_of(sub: WebhookSubscription) -> list[str]:
    return [t for t in sub.event_types.split(",") if t]


def _check(ch: SubscriptionChanges) -> list[Problem]:
    problems = []
    if ch.url is not None:
        parts = urlsplit(ch.url)
        if len(ch.url) > MAX_URL or parts.scheme not in ("http", "https") or not parts.hostname:
            problems.append(Problem(ErrorCode.INVALID_INPUT, "url must be an http(s) URL", field=("input", "url")))
    if ch.event_types is not None:
        unknown = [t for t in ch.event_types if t not in EVENT_TYPES]
        if not ch.event_types or unknown:
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    f"eventTypes: at least one of {', '.join(EVENT_TYPES)}",
                    field=("input", "eventTypes"),
                )
            )
    if ch.description is not None and len(ch.description) > MAX_DESCRIPTION:
        problems.append(
            Problem(
                ErrorCode.INVALID_INPUT,
                f"description is limited to {MAX_DESCRIPTION} characters",
                field=("input", "description"),
            )
        )
    return problems


def _scope(caller: Caller):  # noqa: ANN202
    return (WebhookSubscription.tenant_id == caller.tenant_id) & WebhookSubscription.store_id.in_(
        caller.operator_store_ids
    )


async def list_subscriptions(session: AsyncSession, caller: Caller) -> list[WebhookSubscription]:
    return list(
        await session.scalars(select(WebhookSubscription).where(_scope(caller)).order_by(WebhookSubscription.id))
    )


async def find_subscription(session: AsyncSession, caller: Caller, subscription_id: str) -> WebhookSubscription | None:
    if not valid_id(subscription_id):
        return None
    return await session.scalar(
        select(WebhookSubscription).where(_scope(caller), WebhookSubscription.id == subscription_id)
    )


async def _get(session: AsyncSession, caller: Caller, subscription_id: str) -> WebhookSubscription:
    found = await find_subscription(session, caller, subscription_id)
    if found is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "webhook subscription not found"))
    return found


@service
async def create_subscription(
    session: AsyncSession, caller: Caller, ch: SubscriptionChanges
) -> Outcome[tuple[WebhookSubscription, str]]:
    """For the caller's current store. Returns the subscription and its secret (shown this once)."""
    problems = _check(ch)
    if ch.url is None or ch.event_types is None:
        problems.append(Problem(ErrorCode.INVALID_INPUT, "url and eventTypes are required", field=("input",)))
    if caller.store_id not in caller.operator_store_ids:
        problems.append(Problem(ErrorCode.FORBIDDEN, "you are not attached to this store"))
    if problems:
        return Outcome.refused(*problems)
    secret = new_secret()
    sub = WebhookSubscription(
        tenant_id=caller.tenant_id,
        store_id=caller.store_id,
        url=ch.url,
        secret=secret,
        event_types="," + ",".join(dict.fromkeys(ch.event_types)) + ",",
        active=True if ch.active is None else ch.active,
        description=ch.description,
    )
    session.add(sub)
    await session.flush()
    return Outcome.done((sub, secret))


@service
async def update_subscription(
    session: AsyncSession, caller: Caller, subscription_id: str, ch: SubscriptionChanges
) -> Outcome[WebhookSubscription]:
    problems = _check(ch)
    if problems:
        return Outcome.refused(*problems)
    sub = await _get(session, caller, subscription_id)
    if ch.url is not None:
        sub.url = ch.url
    if ch.event_types is not None:
        sub.event_types = "," + ",".join(dict.fromkeys(ch.event_types)) + ","
    if ch.description is not None:
        sub.description = ch.description
    if ch.active is not None:
        sub.active = ch.active
    sub.updated_at = utcnow()
    await session.flush()
    return Outcome.done(sub)


@service
async def delete_subscription(session: AsyncSession, caller: Caller, subscription_id: str) -> Outcome[str]:
    sub = await _get(session, caller, subscription_id)
    await session.delete(sub)  # its deliveries go with it (ON DELETE CASCADE)
    await session.flush()
    return Outcome.done(sub.id)


@dataclass
class DeliveryPage:
    deliveries: list[tuple[WebhookDelivery, str]]  # with the event type
    has_next: bool
    has_previous: bool
    total_count: int | None  # None: not counted (not selected)


async def list_deliveries(
    session: AsyncSession,
    caller: Caller,
    subscription_id: str,
    status: str | None,
    page: Window,
    with_total: bool = True,
) -> DeliveryPage:
    """Newest first (keyset on the event id: ids sort in creation order), with the event type; nothing for a
    subscription that is not the caller's."""
    sub = await find_subscription(session, caller, subscription_id)
    if sub is None:
        return DeliveryPage([], False, False, 0 if with_total else None)
    clause = WebhookDelivery.subscription_id == sub.id
    if status is not None:
        clause = and_(clause, WebhookDelivery.status == status)
    total = None
    if with_total:
        total = int(await session.scalar(select(func.count()).select_from(WebhookDelivery).where(clause)) or 0)
    query = (
        select(WebhookDelivery, OutboxEvent.event_type)
        .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
        .where(clause)
    )
    rows = (await session.execute(keyset(query, WebhookDelivery.event_id, page, descending=True))).all()
    listed, has_next, has_previous = keyset_rows([(d, t) for d, t in rows], page)
    return DeliveryPage(listed, has_next, has_previous, total)


def delivery_id(event_id: str, subscription_id: str) -> str:
    """A delivery's id: its event's and its subscription's ids (a delivery is one event for one subscription)."""
    return f"{event_id}.{subscription_id}"


def split_delivery_id(value: str) -> tuple[str, str] | None:
    """The (event id, subscription id) a delivery id names, or None when it is no delivery id."""
    event_id, dot, subscription_id = value.partition(".")
    if not dot or not valid_id(event_id) or not valid_id(subscription_id) or "." in subscription_id:
        return None
    return event_id, subscription_id


async def deliveries_by_id(
    session: AsyncSession, caller: Caller, ids: Sequence[str]
) -> dict[str, tuple[WebhookDelivery, str]]:
    """Deliveries by their ids (`delivery_id`) with their event types, for the subscriptions the caller may see
    (one statement)."""
    keys = [key for key in (split_delivery_id(i) for i in ids) if key is not None]
    if not keys:
        return {}
    rows = await session.execute(
        select(WebhookDelivery, OutboxEvent.event_type)
        .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(
            _scope(caller),
            or_(*(and_(WebhookDelivery.event_id == e, WebhookDelivery.subscription_id == s) for e, s in keys)),
        )
    )
    return {delivery_id(d.event_id, d.subscription_id): (d, t) for d, t in rows.all()}
