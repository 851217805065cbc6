"""LISTEN/NOTIFY on PostgreSQL: the webhook dispatcher and the payment sweep of every process wake right after
the commit of a transaction that gave them work, instead of at their next poll.

A writer calls `notify(session, channel)` inside its transaction: PostgreSQL holds the notification until the
commit and then delivers it to every connection LISTENing on the channel (a rollback drops it), so a listener
never wakes before the row it is told about is visible. Each process keeps one dedicated connection LISTENing
(`Listener`, app/listener.py). On SQLite `notify` does nothing: there the pollers poll.
"""

from __future__ import annotations

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

# A delivery of the outbox became due (app/dispatcher.py).
OUTBOX = "gateway_outbox"
# A pending payment with an expiry was written (app/sweeper.py).
PAYMENTS = "gateway_payments"
CHANNELS = (OUTBOX, PAYMENTS)

_SENT = "notify_sent"  # the channels already notified in the session's current transaction


async def notify(session: AsyncSession, channel: str) -> None:
    """Tell the listeners of `channel`, at the commit of the session's transaction (PostgreSQL; else nothing).
    One NOTIFY per channel and transaction: PostgreSQL folds identical ones anyway, this saves the round trip."""
    if session.get_bind().dialect.name != "postgresql":
        return
    sent: set[str] = session.sync_session.info.setdefault(_SENT, set())
    if channel in sent:
        return
    await session.execute(select(func.pg_notify(channel, "")))
    sent.add(channel)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_ended(session: Session) -> None:
    session.info.pop(_SENT, None)
