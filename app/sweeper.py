"""The periodic expiry of pending payments inside `serve` (also checked whenever a buyer's cart or order
is touched), and the void of authorizations not captured within GATEWAY_AUTHORIZATION_LIFETIME_SECONDS.
Several processes may sweep at once: services/payments/expiry and voids claim rows safely.

Each tick first looks, in a plain read, for one due attempt: an idle tick takes no write lock (SQLite's
BEGIN IMMEDIATE) and leaves no trace (the look runs with instrumentation suppressed). A tick that finds
one runs the sweep as a unit of work under its own root span, `payment sweep`.

On PostgreSQL, while the process's LISTEN connection is up (app/listener.py), the sweep also runs at the
earliest pending attempt's expiry: a transaction that starts a redirect payment sends a NOTIFY
(services/events/notify.py) that makes every process's sweep look up that deadline again after the commit."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db import database_unreachable, run_unit
from app.listener import Listener, wait_any
from app.models import Order, Payment, utcnow
from app.observability.tracing import BackgroundTrace
from app.services.common.outcome import Outcome
from app.services.events import notify
from app.services.payments import releases
from app.services.payments.config import PaymentConfig
from app.services.payments.expiry import SWEEP_BATCH, expire_due, overdue
from app.services.payments.releases import due as release_is_due
from app.services.payments.releases import release_due
from app.services.payments.voids import stale_authorizations, void_stale
from app.services.rules.payment_states import AttemptStatus

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

log = logging.getLogger("app.sweeper")


async def _tick(
    session_factory: async_sessionmaker[AsyncSession],
    tracer_provider: TracerProvider | None,
    name: str,
    due: Select,
    work: Callable[[AsyncSession], Awaitable[int]],
    attribute: str,
) -> int:
    """One tick of a sweep: a plain read of whether anything is `due` (quiet: no span, nothing claimed), and
    only then the work in its own unit of work, traced as `name` with its count as `attribute`."""
    with BackgroundTrace(tracer_provider, name) as poll:
        with poll.quiet():
            async with session_factory() as session:
                found = (await session.execute(due.limit(1))).first() is not None
                await session.rollback()
            if not found:
                return 0
        poll.begin()

        async def unit(session: AsyncSession) -> Outcome[int]:
            return Outcome.done(await work(session))

        done = (await run_unit(session_factory, unit)).value or 0
        poll.set(attribute, done)
        return done


async def sweep_once(
    session_factory: async_sessionmaker[AsyncSession],
    tracer_provider: TracerProvider | None = None,
    config: PaymentConfig | None = None,
) -> int:
    """One tick: the number of attempts expired (0 without a look past the read when none is due); with the
    payment configuration, overdue Stripe attempts are reconciled with Stripe too."""
    return await _tick(
        session_factory,
        tracer_provider,
        "payment sweep",
        select(Payment.id).where(overdue(utcnow())),
        lambda s: expire_due(s, utcnow(), config=config),
        "payments.expired",
    )


async def void_stale_once(
    session_factory: async_sessionmaker[AsyncSession],
    config: PaymentConfig,
    lifetime: timedelta,
    tracer_provider: TracerProvider | None = None,
) -> int:
    """One tick of the authorization sweep: the number of orders whose old authorization was voided."""
    return await _tick(
        session_factory,
        tracer_provider,
        "authorization sweep",
        select(Order.id).where(stale_authorizations(utcnow(), lifetime)),
        lambda s: void_stale(s, utcnow(), lifetime, config),
        "authorizations.voided",
    )


async def release_once(
    session_factory: async_sessionmaker[AsyncSession],
    config: PaymentConfig,
    tracer_provider: TracerProvider | None = None,
) -> int:
    """One tick of the releases (services/payments/releases.py): the number of attempts whose PaymentIntent was
    released at Stripe after their early end."""
    return await _tick(
        session_factory,
        tracer_provider,
        "payment releases",
        select(Payment.id).where(release_is_due(utcnow())),
        lambda s: release_due(s, utcnow(), config),
        "payments.released",
    )


async def next_expiry_in(
    session_factory: async_sessionmaker[AsyncSession], after: datetime | None = None
) -> float | None:
    """Seconds until the earliest pending attempt's expiry, None when no attempt waits for one. Attempts that had
    expired already at `after` (when the sweep that just ran began) and are still pending are left to the
    fallback poll; one that expired since (between that sweep and this look) counts, due now."""
    since = after or utcnow()
    look = select(func.min(Payment.expires_at)).where(
        Payment.status == AttemptStatus.PENDING, Payment.expires_at > since
    )
    with BackgroundTrace(None, "").quiet():
        async with session_factory() as session:
            earliest = await session.scalar(look)
            await session.rollback()
    return None if earliest is None else max((earliest - utcnow()).total_seconds(), 0.0)


async def sweep_payments(
    session_factory: async_sessionmaker[AsyncSession],
    every_seconds: float,
    stop: asyncio.Event,
    tracer_provider: TracerProvider | None = None,
    *,
    authorizations: tuple[PaymentConfig, timedelta] | None = None,
    listener: Listener | None = None,
    listen_every_seconds: float = 30.0,
) -> None:
    """Sweep every `every_seconds`. While `listener` listens (PostgreSQL): every `listen_every_seconds` (the
    fallback) and at the earliest pending attempt's expiry, learnt again whenever a transaction that started a
    payment commits (its NOTIFY), in this process or another."""
    notified = listener.event(notify.PAYMENTS) if listener is not None else None
    # a commit of this process that ended a Stripe attempt early: its intent released at once
    released_here = releases.wakeup = releases.wakeup or asyncio.Event()
    while not stop.is_set():
        if notified is not None:
            notified.clear()
        released_here.clear()
        listening = listener is not None and listener.listening
        period = listen_every_seconds if listening else every_seconds
        try:
            config = authorizations[0] if authorizations is not None else None
            swept_at = utcnow()
            expired = await sweep_once(session_factory, tracer_provider, config)
            if expired:
                log.info("expired %s pending payments", expired)
            if authorizations is not None:
                voided = await void_stale_once(session_factory, *authorizations, tracer_provider)
                if voided:
                    log.info("voided the old authorizations of %s orders", voided)
                released = await release_once(session_factory, authorizations[0], tracer_provider)
                if released:
                    log.info("released %s PaymentIntents of attempts that ended early", released)
            if expired >= SWEEP_BATCH:
                continue  # a full batch: more may be due
            if listening and (due_in := await next_expiry_in(session_factory, swept_at)) is not None:
                period = min(period, due_in + 0.01)
        except Exception as exc:  # noqa: BLE001 - a failed sweep is retried at the next tick
            if database_unreachable(exc):  # an expected fault (connection dropped): one line, no traceback
                log.warning("payment sweep: database connection lost, retrying")
            else:
                log.exception("payment sweep failed")
            period = every_seconds
        await wait_any(notified, released_here, stop, seconds=period)
