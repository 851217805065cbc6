"""Webhook dispatcher: delivers pending outbox deliveries, at least once, in event order per order.

Runs inside `serve` (every worker) and as `commerce-gateway dispatch`; any number may run against one
database. A batch is claimed in a short transaction: on PostgreSQL with `FOR UPDATE SKIP LOCKED` (two
dispatchers never claim the same rows), on SQLite under the write lock of `BEGIN IMMEDIATE`. Claimed rows
get a lease (owner, expiry) and the HTTP calls run outside any transaction; a dispatcher that dies mid-way
leaves leases that expire, and another one (or the same after restart) delivers again: the `webhook-id`
header (the event id) lets receivers de-duplicate. Failures are retried with exponential backoff; after
`webhook_max_attempts` the delivery is DEAD (dead letter, visible through the API).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import and_, case, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased
from standardwebhooks.webhooks import Webhook

from app.db import WRITE, database_unreachable, write_gate
from app.listener import Listener, wait_any
from app.models import OutboxEvent, WebhookDelivery, WebhookSubscription, utcnow
from app.observability.logging import get_logger
from app.observability.metrics import WEBHOOK_DELIVERIES, WEBHOOK_LATENCY
from app.observability.tracing import BackgroundTrace
from app.services.events import notify, outbox
from app.settings import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

log = get_logger("app.dispatcher")
USER_AGENT = "commerce-gateway-webhooks/1"


@dataclass
class Claimed:
    event_id: str
    subscription_id: str
    event_type: str
    body: str
    url: str
    secret: str
    attempts: int


def body_of(event: OutboxEvent) -> str:
    """The signed JSON body: the same bytes on every attempt."""
    return json.dumps(
        {
            "id": event.id,
            "type": event.event_type,
            "createdAt": event.created_at.isoformat(),
            "tenantId": event.tenant_id,
            "storeId": event.store_id,
            "data": event.payload,
        },
        separators=(",", ":"),
        sort_keys=True,
    )


def backoff(settings: Settings, attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: base * 2**(attempts-1), capped, with jitter (80-100 %)."""
    delay = min(settings.webhook_retry_base_seconds * 2 ** (attempts - 1), settings.webhook_retry_max_seconds)
    return delay * random.uniform(0.8, 1.0)


class Dispatcher:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        batch_size: int = 20,
        client: httpx.AsyncClient | None = None,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.tracer_provider = tracer_provider  # None: no traces (as without OTEL_* variables)
        self.settings = settings
        self.batch_size = batch_size
        self.owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._client = client

    async def claim(self, poll: BackgroundTrace | None = None) -> list[Claimed]:
        """The next batch, leased to this dispatcher. The look for due rows is untraced (`poll.quiet`): an
        idle poll leaves no trace; a poll that found rows begins its trace before taking their leases."""
        poll = poll or BackgroundTrace(None, "")
        now = utcnow()
        d, earlier = WebhookDelivery, aliased(WebhookDelivery)
        # Deliveries of one order to one subscriber go out in event order: not while an earlier one waits.
        blocked = exists().where(
            earlier.subscription_id == d.subscription_id,
            earlier.aggregate_id == d.aggregate_id,
            earlier.status == "PENDING",
            earlier.event_id < d.event_id,
        )
        due = (
            select(d.event_id, d.subscription_id)
            .where(
                d.status == "PENDING",
                d.next_attempt_at <= now,
                (d.lease_until.is_(None)) | (d.lease_until < now),
                ~blocked,
            )
            .order_by(d.event_id)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite serializes on BEGIN IMMEDIATE instead
        )
        async with write_gate(self.session_factory.kw["bind"]), self.session_factory() as session:
            with poll.quiet():
                await session.connection(execution_options=WRITE)
                keys = (await session.execute(due)).all()
                if not keys:
                    await session.rollback()
                    return []
            poll.begin(**{"webhook.claimed": len(keys), "webhook.dispatcher": self.owner})
            lease_until = now + timedelta(seconds=self.settings.webhook_lease_seconds)
            for event_id, subscription_id in keys:
                await session.execute(
                    update(d)
                    .where(d.event_id == event_id, d.subscription_id == subscription_id)
                    .values(lease_owner=self.owner, lease_until=lease_until)
                )
            rows = (
                await session.execute(
                    select(OutboxEvent, WebhookSubscription, d.attempts)
                    .join(d, d.event_id == OutboxEvent.id)
                    .join(WebhookSubscription, WebhookSubscription.id == d.subscription_id)
                    .where(d.lease_owner == self.owner, d.status == "PENDING")
                    .order_by(d.event_id)
                )
            ).all()
            await session.commit()
        return [
            Claimed(ev.id, sub.id, ev.event_type, body_of(ev), sub.url, sub.secret, attempts)
            for ev, sub, attempts in rows
        ]

    async def deliver(self, client: httpx.AsyncClient, item: Claimed, poll: BackgroundTrace | None = None) -> None:
        poll = poll or BackgroundTrace(None, "")
        attributes = {"webhook.event_id": item.event_id, "webhook.event_type": item.event_type}
        with poll.child("webhook delivery", **attributes) as span:
            outcome, status_code = await self._deliver(client, item)
            if span is not None:
                span.set_attribute("webhook.outcome", outcome)
                if status_code is not None:
                    span.set_attribute("http.response.status_code", status_code)

    async def _deliver(self, client: httpx.AsyncClient, item: Claimed) -> tuple[str, int | None]:
        timestamp = utcnow()
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": item.event_id,
            "webhook-timestamp": str(int(timestamp.timestamp())),
            "webhook-signature": Webhook(item.secret).sign(item.event_id, timestamp, item.body),
        }
        status_code, error = None, None
        started = time.perf_counter()
        try:
            resp = await client.post(item.url, content=item.body.encode(), headers=headers)
            status_code = resp.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        WEBHOOK_LATENCY.observe(time.perf_counter() - started)
        return await self._record(item, status_code, error), status_code

    async def _record(self, item: Claimed, status_code: int | None, error: str | None) -> str:
        attempts = item.attempts + 1
        now = utcnow()
        values: dict = {"attempts": attempts, "last_status_code": status_code, "lease_owner": None, "lease_until": None}
        if error is None:
            outcome = "delivered"
            values |= {"status": "DELIVERED", "delivered_at": now, "last_error": None}
        elif attempts >= self.settings.webhook_max_attempts:
            outcome = "dead"
            values |= {"status": "DEAD", "last_error": error}
        else:
            outcome = "retry"
            values |= {
                "last_error": error,
                "next_attempt_at": now + timedelta(seconds=backoff(self.settings, attempts)),
            }
        d = WebhookDelivery
        async with write_gate(self.session_factory.kw["bind"]), self.session_factory() as session:
            await session.connection(execution_options=WRITE)
            await session.execute(
                update(d)
                .where(
                    and_(d.event_id == item.event_id, d.subscription_id == item.subscription_id),
                    d.lease_owner == self.owner,  # a lease lost to another dispatcher is not overwritten
                )
                .values(**values)
            )
            await session.commit()
        WEBHOOK_DELIVERIES.labels(item.event_type, outcome).inc()
        log_method = log.info if outcome == "delivered" else log.warning
        log_method(
            "webhook delivery",
            event_id=item.event_id,
            event_type=item.event_type,
            subscription_id=item.subscription_id,
            attempt=attempts,
            outcome=outcome,
            http_status=status_code,
            error=error,
        )
        return outcome

    async def run_once(self) -> int:
        """Claim one batch and deliver it; returns how many deliveries were attempted. One trace per poll
        that claimed work (its root span `webhook dispatch`), none for an idle poll."""
        with BackgroundTrace(self.tracer_provider, "webhook dispatch") as poll:
            batch = await self.claim(poll)
            if not batch:
                return 0
            client = self._client or httpx.AsyncClient(timeout=self.settings.webhook_timeout_seconds)
            try:
                await asyncio.gather(*(self.deliver(client, item, poll) for item in batch))
            finally:
                if self._client is None:
                    await client.aclose()
            return len(batch)

    async def next_due_in(self, after: datetime | None = None) -> float | None:
        """Seconds until the earliest pending delivery becomes due (a retry's backoff, a lease that expires),
        None when none waits for a time. Rows that were due already at `after` (when the look that just found
        nothing began) are not counted: they are held back by an earlier one of their order, whose delivery
        lets the dispatcher that made it go on to them. A row that became due since `after` (a lease expiring
        between that look and this one) counts, due now: it is looked for again at once, not after the poll."""
        d, now = WebhookDelivery, utcnow()
        since = after or now
        due_at = case((d.lease_until > d.next_attempt_at, d.lease_until), else_=d.next_attempt_at)
        look = select(func.min(due_at)).where(
            d.status == "PENDING", (d.next_attempt_at > since) | (d.lease_until > since)
        )
        with BackgroundTrace(None, "").quiet():
            async with self.session_factory() as session:
                earliest = await session.scalar(look)
                await session.rollback()
        return None if earliest is None else max((earliest - utcnow()).total_seconds(), 0.0)

    async def run(self, stop: asyncio.Event, listener: Listener | None = None) -> None:
        """Until `stop`: deliver while there is work, else wait for a commit that emitted (this process's own,
        or, with a `listener`, any process's NOTIFY) or the poll interval. While the listener listens, the poll
        is the long fallback GATEWAY_LISTEN_POLL_SECONDS, shortened to the next retry or lease expiry."""
        wake = outbox.wakeup = outbox.wakeup or asyncio.Event()
        notified = listener.event(notify.OUTBOX) if listener is not None else None
        log.info("webhook dispatcher started", owner=self.owner)
        while not stop.is_set():
            wake.clear()
            if notified is not None:
                notified.clear()
            listening = listener is not None and listener.listening
            period = self.settings.listen_poll_seconds if listening else self.settings.webhook_poll_seconds
            try:
                looked_at = utcnow()
                done = await self.run_once()
                if not done and listening and (due_in := await self.next_due_in(looked_at)) is not None:
                    period = min(period, due_in + 0.01)
            except Exception as exc:  # noqa: BLE001 - e.g. database briefly unreachable: log, wait, go on
                if database_unreachable(exc):  # an expected fault (connection dropped): one line, retried next poll
                    log.warning("webhook dispatch: database connection lost, retrying")
                else:
                    log.exception("webhook dispatch failed")
                done, period = 0, self.settings.webhook_poll_seconds
            if done:
                continue
            await wait_any(wake, notified, stop, seconds=period)
        log.info("webhook dispatcher stopped", owner=self.owner)
