"""Quotes, operator side: create, replace lines, send, decline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Account, Offer, Quote, QuoteLine, utcnow
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.ids import new_reference, valid_id
from app.services.common.inputs import too_many
from app.services.common.money import MAX_QUANTITY, MoneyError, parse_amount, quantity_in_range
from app.services.common.outcome import Outcome, service
from app.services.rules.source_states import QuoteStatus, check_quote_move, quote_editable, quote_sources_of
from app.services.rules.states import TransitionRefused
from app.services.sources.quotes import effective_quote_status, get_quote

MAX_SOURCE_LINES = 500
# What each operator action moves a quote to (rules/source_states.py has the transition table).
QUOTE_ACTIONS = {"send": QuoteStatus.WAITING_FOR_CUSTOMER, "decline": QuoteStatus.DECLINED_BY_SUPPLIER}


@dataclass
class QuoteLineInput:
    offer_id: str
    quantity: int
    unit_price: str  # a decimal string, as sent


def _quote_line_problems(lines: Sequence[QuoteLineInput]) -> tuple[list[Problem], list[int]]:
    """The problems of the lines, and each line's unit price in minor units. An unreadable price is reported
    alone (the first one): the other checks need the amounts."""
    too_many(lines, MAX_SOURCE_LINES, "lines")
    amounts = []
    for i, ln in enumerate(lines):
        try:
            amounts.append(parse_amount(ln.unit_price))
        except MoneyError as exc:
            problem = Problem(
                ErrorCode.INVALID_INPUT, f"unitPrice: {exc}", index=i, field=("lines", str(i), "unitPrice")
            )
            return [problem], []
    problems = [
        Problem(
            ErrorCode.INVALID_INPUT,
            f"quantity must be 1 to {MAX_QUANTITY} and the unit price not negative",
            index=i,
            field=("lines", str(i)),
        )
        for i, (ln, amount) in enumerate(zip(lines, amounts, strict=True))
        if not quantity_in_range(ln.quantity) or amount < 0
    ]
    return problems, amounts


async def _replace_quote_lines(
    session: AsyncSession, caller: Caller, quote: Quote, lines: Sequence[QuoteLineInput]
) -> None:
    problems, amounts = _quote_line_problems(lines)
    if not amounts and lines:
        raise Refusal(*problems)
    known = set(
        await session.scalars(
            select(Offer.id).where(
                Offer.id.in_([ln.offer_id for ln in lines if valid_id(ln.offer_id)]),
                Offer.tenant_id == caller.tenant_id,
            )
        )
    )
    problems += [
        Problem(ErrorCode.OFFER_UNAVAILABLE, "no such offer", index=i, field=("lines", str(i)))
        for i, ln in enumerate(lines)
        if ln.offer_id not in known
    ]
    if problems:
        raise Refusal(*problems)
    await session.execute(delete(QuoteLine).where(QuoteLine.quote_id == quote.id))
    session.add_all(
        QuoteLine(quote_id=quote.id, offer_id=ln.offer_id, quantity=ln.quantity, unit_amount=amount, position=i)
        for i, (ln, amount) in enumerate(zip(lines, amounts, strict=True))
    )


@service
async def create_quote(
    session: AsyncSession,
    caller: Caller,
    account_id: str,
    name: str | None,
    expires_at: datetime | None,
    lines: Sequence[QuoteLineInput],
) -> Outcome[Quote]:
    account = (
        await session.scalar(
            select(Account).where(
                or_(Account.id == account_id, Account.external_id == account_id), Account.tenant_id == caller.tenant_id
            )
        )
        if valid_id(account_id)
        else None
    )
    if account is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "account not found", field=("input", "accountId")))
    quote = Quote(
        tenant_id=caller.tenant_id,
        account_id=account.id,
        store_id=caller.store_id,
        external_id=new_reference("Q"),
        name=(name or "")[:200] or None,
        status=QuoteStatus.NEW,
        currency=caller.currency,
        expires_at=expires_at,
    )
    session.add(quote)
    await session.flush()
    await _replace_quote_lines(session, caller, quote, lines)
    await session.flush()
    return Outcome.done(quote)


@service
async def update_quote_lines(
    session: AsyncSession, caller: Caller, quote_id: str, lines: Sequence[QuoteLineInput]
) -> Outcome[Quote]:
    quote = await get_quote(session, caller, quote_id, lock=True)
    if quote is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "quote not found"))
    if not quote_editable(quote.status):
        raise Refusal(Problem(ErrorCode.QUOTE_NOT_EDITABLE, f"a {quote.status} quote cannot be changed"))
    await _replace_quote_lines(session, caller, quote, lines)
    await session.flush()
    return Outcome.done(quote)


@service
async def move_quote(session: AsyncSession, caller: Caller, quote_id: str, action: str) -> Outcome[Quote]:
    quote = await get_quote(session, caller, quote_id, lock=True)
    if quote is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "quote not found"))
    target = QUOTE_ACTIONS[action]
    status = effective_quote_status(quote, utcnow())
    try:
        check_quote_move(status, target)
    except TransitionRefused:
        sources = ", ".join(sorted(quote_sources_of(target)))
        message = f"a {status} quote cannot become {target}; allowed from: {sources}"
        raise Refusal(Problem(ErrorCode.INVALID_STATUS_TRANSITION, message)) from None
    if action == "send" and not await session.scalar(select(exists().where(QuoteLine.quote_id == quote.id))):
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, "a quote without lines cannot be sent"))
    quote.status = target
    await session.flush()
    return Outcome.done(quote)
