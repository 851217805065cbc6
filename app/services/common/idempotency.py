"""The one idempotency mechanism of every mutation that creates an order or starts a payment.

`run_once(session, caller, key, operation, fingerprint, work)`:
- the fingerprint is computed by the calling service from its own input;
- keyed calls of one account are serialized by a lock on the account row (PostgreSQL, any number of
  processes; on SQLite the write transaction is exclusive anyway), so one key used at once gives one result;
- a known key with the same fingerprint replays the first payload (its order as it is now, with the first
  call's errors and warnings); with another fingerprint it answers IDEMPOTENCY_KEY_REUSED;
- the key is recorded only when the outcome commits: a refused attempt (version conflict, validation
  error, insufficient stock) leaves the key free for the corrected retry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Account, IdempotencyRecord, Order
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, problems_from_json, problems_to_json
from app.services.common.outcome import Outcome

MAX_KEY = 255


def fingerprint_of(operation: str, payload: object) -> str:
    return hashlib.sha256(json.dumps([operation, payload], sort_keys=True, default=str).encode()).hexdigest()


def key_problem(key: str) -> Problem | None:
    if not key or len(key) > MAX_KEY:
        return Problem(
            ErrorCode.INVALID_INPUT,
            f"idempotencyKey must be 1 to {MAX_KEY} characters",
            field=("input", "idempotencyKey"),
        )
    return None


async def run_once(
    session: AsyncSession,
    caller: Caller,
    key: str | None,
    operation: str,
    fingerprint: object,
    work: Callable[[], Awaitable[Outcome[Order]]],
) -> Outcome[Order]:
    if key is None:
        return await work()
    bad = key_problem(key)
    if bad:
        return Outcome.refused(bad)
    await session.execute(select(Account.id).where(Account.id == caller.account_id).with_for_update())
    digest = fingerprint_of(operation, fingerprint)
    first = await session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.tenant_id == caller.tenant_id,
            IdempotencyRecord.account_id == caller.account_id,
            IdempotencyRecord.key == key,
        )
    )
    if first is not None:
        if first.request_hash != digest or first.operation != operation:
            return Outcome.refused(
                Problem(
                    ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "this idempotencyKey was used for a different request",
                    field=("input", "idempotencyKey"),
                )
            )
        recorded = json.loads(first.outcome or "{}")
        return Outcome.done(
            await session.get(Order, first.order_id, populate_existing=True),
            errors=problems_from_json(recorded.get("errors", [])),
            warnings=problems_from_json(recorded.get("warnings", [])),
        )
    outcome = await work()
    if outcome.commit and outcome.value is not None:
        session.add(
            IdempotencyRecord(
                tenant_id=caller.tenant_id,
                account_id=caller.account_id,
                key=key,
                operation=operation,
                request_hash=digest,
                order_id=outcome.value.id,
                outcome=json.dumps(
                    {"errors": problems_to_json(outcome.errors), "warnings": problems_to_json(outcome.warnings)}
                ),
            )
        )
        await session.flush()
    return outcome
