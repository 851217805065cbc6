"""Payment terms of an account (docs/b2b.md): NET n days, END_OF_MONTH, ON_RECEIPT. An order placed with a
DIRECT method by an account with terms gets `paymentDueAt`; money received settles it (recordPayment)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Account, Order, PaymentMethod
from app.services.common.caller import Caller
from app.services.rules.payment_states import MethodKind


class PaymentTerms(StrEnum):
    NET = "NET"  # due `days` days after placement
    END_OF_MONTH = "END_OF_MONTH"  # due at the end of the month of placement (the first instant of the next)
    ON_RECEIPT = "ON_RECEIPT"  # due at once (on receipt of the invoice, sent at placement)


def due_date(terms: str, days: int | None, placed_at: datetime) -> datetime:
    if terms == PaymentTerms.NET:
        return placed_at + timedelta(days=days or 0)
    if terms == PaymentTerms.END_OF_MONTH:
        year, month = (placed_at.year + 1, 1) if placed_at.month == 12 else (placed_at.year, placed_at.month + 1)
        return datetime(year, month, 1, tzinfo=UTC)
    return placed_at


async def set_due_date(session: AsyncSession, caller: Caller, order: Order, method: PaymentMethod | None) -> None:
    """At placement: a DIRECT method and an account with terms make the order due at its terms' date."""
    if method is None or method.kind != MethodKind.DIRECT or "TERMS" not in caller.controls:
        return
    account = await session.get(Account, order.account_id)
    if account is None or account.payment_terms is None or order.placed_at is None:
        return
    order.payment_due_at = due_date(account.payment_terms, account.payment_terms_days, order.placed_at)
