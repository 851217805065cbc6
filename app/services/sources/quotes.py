"""Quotes, buyer side: reading them and starting a draft from one (SPEC 8).

A quote feeds at most one live draft, `DRAFT_ON_HOLD` (lines locked at the agreed prices). Lines that
cannot be bought now are skipped with a warning. A quote past its expiry reads as EXPIRED.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order, Quote, QuoteLine, utcnow
from app.services.catalog.offers import offer_infos
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.idempotency import run_once
from app.services.common.ids import valid_id
from app.services.common.outcome import Outcome, service
from app.services.rules.source_states import QuoteStatus, check_quote_move, quote_orderable, quote_status_at
from app.services.rules.states import IN_PROGRESS, OrderStatus
from app.services.sources.revalidation import SourceLine, draft_with_lines, refuse_if_empty, revalidate


def quote_scope(caller: Caller) -> ColumnElement[bool]:
    """The quotes a caller may see: an operator's stores' quotes, a buyer's account's quotes."""
    if caller.is_operator_client:
        return and_(Quote.tenant_id == caller.tenant_id, Quote.store_id.in_(caller.operator_store_ids))
    return and_(Quote.tenant_id == caller.tenant_id, Quote.account_id == (caller.account_id or ""))


async def get_quote(session: AsyncSession, caller: Caller, quote_id: str, *, lock: bool = False) -> Quote | None:
    if not valid_id(quote_id):
        return None
    q = select(Quote).where(or_(Quote.id == quote_id, Quote.external_id == quote_id), quote_scope(caller))
    if lock:
        q = q.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(q)


def effective_quote_status(quote: Quote, now: datetime) -> QuoteStatus:
    return quote_status_at(quote.status, quote.expires_at, now)


async def list_quotes(session: AsyncSession, caller: Caller, first: int, offset: int) -> tuple[list[Quote], int]:
    clause = quote_scope(caller)
    if caller.is_buyer:
        clause = and_(clause, Quote.store_id == caller.store_id)
    total = await session.scalar(select(func.count()).select_from(Quote).where(clause))
    rows = await session.scalars(
        select(Quote).where(clause).order_by(Quote.created_at.desc(), Quote.id).offset(offset).limit(first)
    )
    return list(rows), int(total or 0)


async def quote_lines(session: AsyncSession, quote_ids: Sequence[str]) -> dict[str, list[QuoteLine]]:
    grouped: dict[str, list[QuoteLine]] = defaultdict(list)
    for ln in await session.scalars(
        select(QuoteLine).where(QuoteLine.quote_id.in_(quote_ids)).order_by(QuoteLine.position, QuoteLine.id)
    ):
        grouped[ln.quote_id].append(ln)
    return grouped


@service
async def create_draft_from_quote(
    session: AsyncSession, caller: Caller, quote_id: str, *, idempotency_key: str | None = None
) -> Outcome[Order]:
    return await run_once(
        session,
        caller,
        idempotency_key,
        "createDraftOrderFromQuote",
        {"quoteId": quote_id},
        lambda: _draft_from_quote(session, caller, quote_id),
    )


async def _draft_from_quote(session: AsyncSession, caller: Caller, quote_id: str) -> Outcome[Order]:
    quote = await get_quote(session, caller, quote_id, lock=True)
    if quote is None:
        return Outcome.refused(Problem(ErrorCode.NOT_FOUND, "quote not found"))
    live = await session.scalar(
        select(Order).where(
            Order.source_type == "QUOTE",
            Order.source_id == quote.id,
            Order.status.in_(IN_PROGRESS),
            Order.account_id == caller.account_id,
        )
    )
    if live is not None:
        return Outcome.done(live)  # a quote feeds at most one live draft
    status = effective_quote_status(quote, utcnow())
    if not quote_orderable(status) or quote.store_id != caller.store_id:
        reason = f"the quote is {status}" if not quote_orderable(status) else "the quote is for another store"
        return Outcome.refused(Problem(ErrorCode.QUOTE_NOT_ELIGIBLE, reason))
    lines = (await quote_lines(session, [quote.id]))[quote.id]
    infos = await offer_infos(session, caller, [ln.offer_id for ln in lines])
    asked = [
        SourceLine(
            info=infos.get(ln.offer_id),
            sku=infos[ln.offer_id].variant.sku if ln.offer_id in infos else ln.offer_id,
            quantity=ln.quantity,
            agreed=ln.unit_amount,
        )
        for ln in lines
    ]
    kept, warnings = revalidate(asked, stock_check=caller.has_flag("STOCK_CHECK"))
    refuse_if_empty(kept, warnings, ErrorCode.NO_LINES_AVAILABLE, "no line of this quote can be bought now")
    order = await draft_with_lines(session, caller, kept, source=("QUOTE", quote.id), status=OrderStatus.DRAFT_ON_HOLD)
    return Outcome.done(order, warnings=warnings)


async def mark_quote_validated(session: AsyncSession, quote_id: str) -> None:
    quote = await session.get(Quote, quote_id)
    if quote is not None:
        check_quote_move(quote.status, QuoteStatus.VALIDATED)
        quote.status = QuoteStatus.VALIDATED
