"""Idempotency keys for mutations that create an order: the same key with the same input returns the first
result; with another input it answers IDEMPOTENCY_KEY_REUSED. Keys are scoped to the account.

Keyed creations of one account are serialized by locking the account row (PostgreSQL; on SQLite the write
transaction is exclusive anyway), so two concurrent requests with one key can never both create."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Account, IdempotencyRecord, Order
from app.services.caller import Caller
from app.services.drafts import DraftResult
from app.services.errors import ErrorCode, Problem

MAX_KEY = 255


def request_hash(operation: str, payload: dict) -> str:
    return hashlib.sha256(json.dumps([operation, payload], sort_keys=True, default=str).encode()).hexdigest()


def key_problem(key: str) -> Problem | None:
    if not key or len(key) > MAX_KEY:
        return Problem(
            ErrorCode.INVALID_INPUT,
            f"idempotencyKey must be 1 to {MAX_KEY} characters",
            field=("input", "idempotencyKey"),
        )
    return None


async def create_once(
    session: AsyncSession,
    caller: Caller,
    key: str | None,
    operation: str,
    payload: dict,
    create: Callable[[], Awaitable[DraftResult]],
) -> DraftResult:
    if key is None:
        return await create()
    bad = key_problem(key)
    if bad:
        return DraftResult(None, [bad])
    await session.execute(select(Account.id).where(Account.id == caller.account_id).with_for_update())
    digest = request_hash(operation, payload)
    first = await session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.tenant_id == caller.tenant_id,
            IdempotencyRecord.account_id == caller.account_id,
            IdempotencyRecord.key == key,
        )
    )
    if first is not None:
        if first.request_hash != digest:
            return DraftResult(
                None,
                [
                    Problem(
                        ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "this idempotencyKey was used for a different request",
                        field=("input", "idempotencyKey"),
                    )
                ],
            )
        return DraftResult(await session.get(Order, first.order_id, populate_existing=True))
    result = await create()
    if result.order is not None:
        session.add(
            IdempotencyRecord(
                tenant_id=caller.tenant_id,
                account_id=caller.account_id,
                key=key,
                operation=operation,
                request_hash=digest,
                order_id=result.order.id,
            )
        )
        await session.flush()
    return result
