"""Sign-in throttling that holds across processes and hosts: the counters live in the database.

Two keys per attempt: the email (per tenant, stored as a digest) and the client address. A few failures
are free; each failure after that blocks the key for twice as long as the one before (1 s, 2 s, 4 s ...,
up to a maximum). While a key is blocked, attempts are refused with RATE_LIMITED before the password is
looked at, so a blocked attempt costs no argon2 verification and counts nothing. Counters older than
WINDOW start over; a successful sign-in clears the email's counter (not the address's).

Both keys exist whether or not the email belongs to a user, so the answers and the work done (one argon2
verification, the same rows written) are the same for unknown and known emails.

The rows are locked for the attempt (`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the write
transaction is BEGIN IMMEDIATE), so concurrent attempts on one key, from any process, are counted one
after another: no burst of parallel guesses gets past the counter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import LoginThrottle, utcnow
from app.services.common.secrets import digest

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Policy:
    free_failures: int
    max_backoff_seconds: int

    def backoff(self, failures: int) -> float:
        """Seconds to block after `failures` failures in a row (0 while they are free)."""
        if failures < self.free_failures:
            return 0.0
        return float(min(self.max_backoff_seconds, 2 ** min(failures - self.free_failures, 30)))


@dataclass
class Attempt:
    """The locked counters of one sign-in attempt."""

    rows: list[tuple[LoginThrottle, Policy]]
    email_key: str
    retry_after: int  # seconds; 0 when the attempt may go on to the password check


def email_key(tenant_id: str, email: str) -> str:
    return f"email:{digest(f'{tenant_id}:{email}')}"


def address_key(address: str) -> str:
    return f"addr:{address[:100]}"


async def begin_attempt(
    session: AsyncSession,
    keys: list[tuple[str, Policy]],
    now: datetime | None = None,
) -> Attempt:
    """Lock (creating them if needed) the counters of these keys and say whether the attempt is blocked."""
    now = now or utcnow()
    await _ensure_rows(session, sorted(k for k, _ in keys), now)
    ordered = sorted(keys)  # one lock order for every process: no deadlock between two attempts
    query = select(LoginThrottle).where(LoginThrottle.key.in_([k for k, _ in ordered])).with_for_update()
    found = {row.key: row for row in await session.scalars(query.execution_options(populate_existing=True))}
    rows = [(found[k], policy) for k, policy in ordered]
    retry = 0.0
    for row, _policy in rows:
        if row.updated_at < now - WINDOW:
            row.failures, row.blocked_until = 0, None
        if row.blocked_until is not None and row.blocked_until > now:
            retry = max(retry, (row.blocked_until - now).total_seconds())
    return Attempt(rows=rows, email_key=keys[0][0], retry_after=math.ceil(retry))


def record_failure(attempt: Attempt, now: datetime | None = None) -> None:
    now = now or utcnow()
    for row, policy in attempt.rows:
        row.failures += 1
        row.updated_at = now
        seconds = policy.backoff(row.failures)
        row.blocked_until = now + timedelta(seconds=seconds) if seconds else None


def record_success(attempt: Attempt) -> None:
    for row, _policy in attempt.rows:
        if row.key == attempt.email_key:
            row.failures, row.blocked_until = 0, None


async def _ensure_rows(session: AsyncSession, keys: list[str], now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    await session.execute(
        insert(LoginThrottle)
        .values([{"key": k, "failures": 0, "updated_at": now} for k in keys])
        .on_conflict_do_nothing(index_elements=["key"])
    )
