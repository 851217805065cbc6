"""refundOrder and refundProposal (operators), and the refunds cancellations make: taken money given back,
through one path. `plan` decides what a refund is worth and where its money comes from; `refund_order`
writes it and asks the provider; `propose` answers the same plan without writing anything, so a proposal
is exactly what `refundOrder` would do with the same input (its refusals too).

What can be asked (`RefundInput`):

- **lines** (line id, units) and/or **shipping**: an itemized refund. Each line's units are valued by the
  pure allocation of pricing/refunds.py (`share_of` over the order's frozen lines): its unit price, its
  shares of the line promotion, the voucher and the order promotions, and its tax, split over its units
  cumulatively, half up, so that refunding every unit gives back exactly what the line cost. Units are given
  back in order (a refund of k units after r were refunded takes units r+1..r+k). The shipping is given back
  whole, once.
  `amount` may be left out; given, it must equal what the lines and shipping are worth
  (REFUND_AMOUNT_MISMATCH): the operator confirms the figure refundProposal showed, and a refund made meanwhile
  (which moves which units come next) cannot change it silently.
- **amount** alone (no lines, no shipping): a goodwill refund of that amount (a delay, a damaged box), tied to
  no units; capped like any other by what can be refunded.

Rules (checked under the order's row lock, `locked_order`, so they hold across processes):

- an unknown line, or a line of another order: NOT_FOUND (`field` points at it);
- units already refunded (succeeded and pending refunds; failed ones give their units back) plus those asked
  never exceed what was bought (REFUND_EXCEEDS_ORDERED), the shipping is refunded at most once (the same);
- a line of a canceled or declined logistic order is refused (LINE_CANCELED): that cancellation settled its
  share (refunded it, voided it, or took it off what is due when nothing was paid), and refunding it again
  would give back money never taken. A failed refund of it is retried as an amount;
- succeeded plus pending refunds never exceed what was captured (REFUND_EXCEEDS_CAPTURED);
- the idempotency key is per order: the same key with the same input answers the first result and writes
  nothing; with another input it is IDEMPOTENCY_KEY_REUSED.

Where the money comes from (`Part`): a provider's payment first (the card it was taken from; the oldest
first), then money received outside a provider (recordPayment), which the shop pays back itself: its refund
is a record that settles at once (the direct provider). A refund bigger than what one source can give back is
split into one REFUND transaction per source, sharing a request id; its refunded lines and shipping are
recorded on the last one (the one paid from received money, which cannot fail), so that a provider part that
fails gives its amount back to what can be refunded, as an amount.

Writing (`execute`): the REFUND transactions, PENDING, with their lines; a REFUND_REQUESTED event; then each
provider is asked, inside the unit of work: unreachable, it refuses the whole refund
(PAYMENT_SERVICE_UNAVAILABLE, nothing written). A provider that answers PENDING settles later with its signed
callback (payments/refund_callbacks.py); one that answers at once (direct) settles now (`settle_refund`).
A refundOrder refund gives its amount back to the order's budgets when it settles SUCCEEDED, not when asked.
Every transaction id is derived from the order, the key and the part, and the provider uses it as its own
idempotency key: a retry after a lost connection asks the provider the same question, not a second refund.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.models import Order, OrderEvent, OrderLine, Payment, PaymentTransaction, RefundLine, utcnow
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.money import MoneyError, parse_amount, to_decimal
from app.services.common.outcome import Outcome, service
from app.services.events import outbox
from app.services.orders.redemption import give_back
from app.services.orders.scope import get_order
from app.services.payments import ledger
from app.services.payments.config import PaymentConfig
from app.services.payments.locking import locked_order
from app.services.payments.providers import MoneyRequest, PaymentProvider, ProviderUnavailable, provider_for
from app.services.payments.shares import OrderMoney, Source, order_money
from app.services.pricing.refunds import FrozenLine, Share, share_of
from app.services.purchase_controls import budgets
from app.services.rules.payment_states import TransactionKind, TransactionStatus
from app.services.rules.states import PaymentStatus, is_placed

K, T = TransactionKind, TransactionStatus
MAX_KEY = 255
MAX_REASON = 1000
MAX_LINES = 1000
NOTHING = Share((), 0)


class AskedLine(NamedTuple):
    line_id: str
    quantity: int


@dataclass(frozen=True)
class RefundInput:
    lines: tuple[AskedLine, ...] = ()
    shipping: bool = False
    amount: int | None = None  # minor units, already read by `read_amount`
    reason: str | None = None

    @property
    def itemized(self) -> bool:
        return bool(self.lines) or self.shipping

    def fingerprint(self) -> str:
        """The input as a replay must repeat it (the lines in any order)."""
        body = {
            "lines": sorted([ln.line_id, ln.quantity] for ln in self.lines),
            "shipping": self.shipping,
            "amount": self.amount,
            "reason": self.reason,
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Part:
    """One REFUND transaction of a refund: `amount` paid back from one source."""

    source: Source
    amount: int


@dataclass(frozen=True)
class Plan:
    share: Share  # the units and the shipping given back (empty for an amount alone)
    total: int  # what the refund gives back
    refundable: int  # what could be refunded before it
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Proposal:
    order: Order
    plan: Plan


@dataclass(frozen=True)
class Refunded:
    order: Order
    transactions: list[PaymentTransaction]  # the request's parts (one in most cases)
    replayed: bool  # the key's first result, answered again


def read_amount(text: str | None, at: tuple[str, ...]) -> int | None:
    """The one strict money parser over `amount`, more than zero (INVALID_INPUT at `at`)."""
    if text is None:
        return None
    try:
        amount = parse_amount(text)
    except MoneyError as exc:
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, str(exc), field=(*at, "amount"))) from None
    if amount <= 0:
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, "amount must be more than zero", field=(*at, "amount")))
    return amount


def _check_reason(reason: str | None, at: tuple[str, ...]) -> None:
    if reason is not None and len(reason) > MAX_REASON:
        message = f"reason is limited to {MAX_REASON} characters"
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, message, field=(*at, "reason")))


def plan(money: OrderMoney, inp: RefundInput, *, at: tuple[str, ...] = ()) -> Plan:
    """What the refund `inp` gives back and from where, or a Refusal with every problem of its lines at once.
    Pure: everything it needs is in `money` (read under the order's lock by refundOrder)."""
    if len(inp.lines) > MAX_LINES:
        message = f"at most {MAX_LINES} lines per refund"
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, message, field=(*at, "lines")))
    problems: list[Problem] = []
    asked: dict[str, int] = {}
    for index, (line_id, quantity) in enumerate(inp.lines):
        where = (*at, "lines", str(index))
        line = money.by_id.get(line_id)
        if line is None:
            problems.append(
                Problem(
                    ErrorCode.NOT_FOUND, f"no line {line_id!r} in this order", field=(*where, "lineId"), index=index
                )
            )
            continue

        problem = _line_problem(money, line, quantity, twice=line_id in asked)
        if problem is None:
            asked[line_id] = quantity
            continue
        code, message, name = problem
        problems.append(Problem(code, message, field=(*where, name), index=index, line_id=line_id))
    if inp.shipping:
        if money.shipping_refunded:
            message = "the shipping was refunded already (a succeeded or pending refund)"
            problems.append(Problem(ErrorCode.REFUND_EXCEEDS_ORDERED, message, field=(*at, "shipping")))
        elif money.logistic and not money.live_logistic():
            message = "every logistic order ended: the shipping went with the last one's share"
            problems.append(Problem(ErrorCode.LINE_CANCELED, message, field=(*at, "shipping")))
    if problems:
        raise Refusal(*problems)
    order = money.order
    if inp.itemized:
        share = share_of(
            money.lines, asked, money.refunded_units, shipping=order.shipping_amount if inp.shipping else 0
        )
        if inp.amount is not None and inp.amount != share.total:
            message = (
                f"the lines and shipping asked are worth {to_decimal(share.total)} {order.currency}, not "
                f"{to_decimal(inp.amount)}: leave amount out, or give what refundProposal answers"
            )
            raise Refusal(Problem(ErrorCode.REFUND_AMOUNT_MISMATCH, message, field=(*at, "amount")))
    elif inp.amount is None:
        message = "nothing to refund: give lines, the shipping, or an amount"
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, message, field=(*at, "lines")))
    else:
        share = NOTHING
    total = share.total if inp.itemized else inp.amount or 0
    if total <= 0:
        message = f"what is asked is worth {to_decimal(total)} {order.currency}: nothing to refund"
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, message, field=(*at, "lines")))
    return planned(money, share, total, at=at)


def _line_problem(
    money: OrderMoney, line: FrozenLine, quantity: int, *, twice: bool
) -> tuple[ErrorCode, str, str] | None:
    """What is wrong with asking `quantity` units of `line` back: (code, message, input field), or None."""
    if twice:
        return ErrorCode.INVALID_INPUT, "the line is named twice", "lineId"
    if quantity < 1:
        return ErrorCode.INVALID_INPUT, "quantity must be at least 1", "quantity"
    if money.ended_line(line):
        return ErrorCode.LINE_CANCELED, "its logistic order was canceled or declined: that settled its share", "lineId"
    left = money.remaining(line)
    if quantity > left:
        message = (
            f"{quantity} units asked back, {left} of the {line.quantity} bought are left to refund (succeeded and "
            "pending refunds count)"
        )
        return ErrorCode.REFUND_EXCEEDS_ORDERED, message, "quantity"
    return None


def planned(money: OrderMoney, share: Share, total: int, *, at: tuple[str, ...] = ()) -> Plan:
    """`total` (the value of `share`, or an amount alone) split over the sources, within what is refundable."""
    b, currency = money.balance, money.order.currency
    if total > b.refundable:
        message = (
            f"{to_decimal(total)} {currency} is more than the {to_decimal(max(b.refundable, 0))} that can still be "
            f"refunded (captured {to_decimal(b.captured)}, refunded {to_decimal(b.refunded)}, pending "
            f"{to_decimal(b.refund_pending)})"
        )
        raise Refusal(Problem(ErrorCode.REFUND_EXCEEDS_CAPTURED, message, field=(*at, "amount")))
    parts, left = [], total
    for source in money.sources:
        take = min(left, source.refundable)
        if take > 0:
            parts.append(Part(source, take))
            left -= take
    if left > 0:  # the sources disagree with the balance: never give back what the ledger cannot place
        message = f"{to_decimal(left)} {currency} of the refund has no payment to come from"
        raise Refusal(Problem(ErrorCode.REFUND_EXCEEDS_CAPTURED, message))
    return Plan(share, total, b.refundable, tuple(parts))


def derived_id(*seed: str) -> str:
    """A transaction id that the same request always gets (26 characters): the provider's idempotency key."""
    digest = hashlib.sha256("\x1f".join(seed).encode()).digest()
    return base64.b32encode(digest).decode().lower()[:26]


@service
async def propose(
    session: AsyncSession, caller: Caller, order_key: str, inp: RefundInput, amount_text: str | None = None
) -> Outcome[Proposal]:
    """refundProposal: `plan` on the order as it is, read without a lock; nothing is written."""
    inp = RefundInput(inp.lines, inp.shipping, read_amount(amount_text, ()), inp.reason)
    order = await get_order(session, caller, order_key)
    if order is None or not is_placed(order.status):
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "order not found", field=("orderId",)))
    money = await order_money(session, order)
    return Outcome.done(Proposal(order, plan(money, inp)))


@service
async def refund_order(
    session: AsyncSession,
    caller: Caller,
    order_key: str,
    inp: RefundInput,
    amount_text: str | None,
    key: str,
    *,
    payment: PaymentConfig,
) -> Outcome[Refunded]:
    at = ("input",)
    inp = RefundInput(inp.lines, inp.shipping, read_amount(amount_text, at), inp.reason)
    if not key.strip() or len(key) > MAX_KEY:
        message = f"idempotencyKey must be 1 to {MAX_KEY} characters"
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, message, field=(*at, "idempotencyKey")))
    _check_reason(inp.reason, at)
    fingerprint = inp.fingerprint()

    order, _ = await locked_order(session, caller, order_key)
    first = await ledger.keyed(session, order.id, K.REFUND, key)
    if first is not None:
        if first.request_hash != fingerprint:
            message = "this idempotencyKey was used for another refund of this order"
            raise Refusal(Problem(ErrorCode.IDEMPOTENCY_KEY_REUSED, message, field=(*at, "idempotencyKey")))
        return Outcome.done(Refunded(order, await request_parts(session, first), replayed=True))
    money = await order_money(session, order)
    chosen = plan(money, inp, at=at)
    txs = await execute(
        session,
        order,
        chosen,
        key=key,
        request_hash=fingerprint,
        reason=inp.reason,
        actor=caller.user_email or "operator",
        config=payment,
        seed=("refund", key),
        releases_budget=True,
    )
    return Outcome.done(Refunded(order, txs, replayed=False))


async def request_parts(session: AsyncSession, first: PaymentTransaction) -> list[PaymentTransaction]:
    """The transactions of the refund request `first` began, in order."""
    return list(
        await session.scalars(
            select(PaymentTransaction)
            .where(
                PaymentTransaction.order_id == first.order_id,
                PaymentTransaction.request_id == (first.request_id or first.id),
            )
            .order_by(PaymentTransaction.created_at, PaymentTransaction.id)
        )
    )


async def execute(
    session: AsyncSession,
    order: Order,
    chosen: Plan,
    *,
    key: str | None,
    request_hash: str | None,
    reason: str | None,
    actor: str,
    config: PaymentConfig,
    seed: tuple[str, ...],
    logistic_order_id: str | None = None,
    releases_budget: bool = False,
) -> list[PaymentTransaction]:
    """Write the plan's REFUND transactions (PENDING) and its lines, then ask each provider; the caller holds
    the order's lock. ProviderUnavailable refuses the whole unit of work. `releases_budget` (refundOrder): each
    transaction gives its amount back to the order's budgets when it succeeds (`settle_refund`); a
    cancellation's refunds do not, the cancellation gave its share back itself."""
    txs: list[PaymentTransaction] = []
    last = len(chosen.parts) - 1
    for i, part in enumerate(chosen.parts):
        tx = ledger.entry(
            order,
            K.REFUND,
            part.amount,
            status=T.PENDING,
            payment_id=part.source.payment_id,
            logistic_order_id=logistic_order_id,
            key=key if i == 0 else None,
            reason=reason,
            actor=actor,
            shipping_amount=chosen.share.shipping if i == last else 0,
        )
        tx.id = derived_id(order.id, *seed, str(i))
        tx.request_id = txs[0].id if txs else tx.id
        tx.request_hash = request_hash
        tx.releases_budget = releases_budget
        txs.append(tx)
    session.add_all(txs)
    await session.flush()
    if chosen.share.lines:
        await session.execute(
            insert(RefundLine),
            [
                {"transaction_id": txs[-1].id, "order_line_id": p.line_id, "quantity": p.quantity, "amount": p.amount}
                for p in chosen.share.lines
            ],
        )
    units = sum(p.quantity for p in chosen.share.lines)
    detail = f"{to_decimal(chosen.total)} {order.currency} asked back" + (
        f": {units} units of {len(chosen.share.lines)} lines" if units else ""
    )
    if chosen.share.shipping:
        detail += (", " if units else ": ") + "the shipping"
    if len(txs) > 1:
        detail += f" (in {len(txs)} parts)"
    if reason:
        detail += f" ({reason})"
    session.add(
        OrderEvent(
            order_id=order.id, logistic_order_id=logistic_order_id, type="REFUND_REQUESTED", actor=actor, detail=detail
        )
    )
    attempts = await payments_of(session, [p.source.payment_id for p in chosen.parts])
    for tx, part in zip(txs, chosen.parts, strict=True):
        attempt = attempts.get(part.source.payment_id or "")
        try:
            provider = refund_provider(attempt, config)
            answer = await provider.refund(
                MoneyRequest(
                    transaction_id=tx.id,
                    payment_reference=attempt.provider_reference if attempt else None,
                    order_key=order.reference,
                    amount=tx.amount,
                    currency=tx.currency,
                    reason=reason,
                    callback_url=config.refund_callback_url,
                )
            )
        except ProviderUnavailable as exc:
            message = f"the payment service could not be asked for the refund: {exc}; nothing was refunded"
            raise Refusal(Problem(ErrorCode.PAYMENT_SERVICE_UNAVAILABLE, message)) from None
        if answer.status == T.PENDING:
            tx.provider_reference = answer.reference
        else:
            await settle_refund(
                session,
                order,
                tx,
                T(answer.status),
                reference=answer.reference,
                failure=answer.failure,
                actor=f"payment:{provider.name}",
            )
    await session.flush()
    return txs


async def payments_of(session: AsyncSession, ids: list[str | None]) -> dict[str, Payment]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    return {p.id: p for p in await session.scalars(select(Payment).where(Payment.id.in_(wanted)))}


def refund_provider(attempt: Payment | None, config: PaymentConfig) -> PaymentProvider:
    """Who gives the money back: the provider of the attempt it was taken with; money received outside a
    provider goes back the same way (the direct provider: a record the shop honours, settled at once)."""
    if attempt is None:
        return provider_for("direct", config)
    # a background task without GATEWAY_PUBLIC_URL reaches the sandbox where the attempt's page was
    return provider_for(attempt.provider or "", config.reaching(attempt.next_step), attempt.provider_account)


async def settle_refund(
    session: AsyncSession,
    order: Order,
    tx: PaymentTransaction,
    to: TransactionStatus,
    *,
    actor: str,
    reference: str | None = None,
    failure: str | None = None,
) -> bool:
    """A PENDING refund's outcome, applied once (a conditional UPDATE; the caller holds the order's lock).
    SUCCEEDED: the order's payment status follows the ledger (PARTIALLY_REFUNDED, REFUNDED), `payment.refunded`;
    a refundOrder refund gives its amount back to the order's budgets (`releases_budget`), in this unit of
    work, once (the UPDATE moves a PENDING row once: a replayed callback finds it settled); a fully refunded
    order gives its voucher and promotion usage back. FAILED: its amount (and its units) can be refunded
    again, `payment.refund_failed`, and no budget gets anything back. False when it was no longer pending
    (nothing done)."""
    values: dict[str, object] = {"status": to, "settled_at": utcnow()}
    if reference:
        values["provider_reference"] = reference
    if to == T.FAILED:
        values["failure"] = (failure or "refused by the payment service")[:2000]
    moved = await session.execute(
        update(PaymentTransaction)
        .where(PaymentTransaction.id == tx.id, PaymentTransaction.status == T.PENDING)
        .values(**values)
    )
    if moved.rowcount != 1:
        return False
    for name, value in values.items():
        set_committed_value(tx, name, value)
    amount = f"{to_decimal(tx.amount)} {tx.currency}"
    if to == T.SUCCEEDED:
        await ledger.follow(session, order)
        if tx.releases_budget:
            await budgets.release(session, order, tx.amount)  # given back: back to the budgets (docs/b2b.md)
        session.add(
            OrderEvent(
                order_id=order.id,
                logistic_order_id=tx.logistic_order_id,
                type="REFUND_SUCCEEDED",
                actor=actor,
                detail=f"{amount} refunded",
            )
        )
        await outbox.emit_order(session, outbox.PAYMENT_REFUNDED, order, transaction=outbox.transaction_snapshot(tx))
        if order.payment_status == PaymentStatus.REFUNDED:
            await give_back(session, order)  # a second time gives nothing: the usage rows are gone
    else:
        session.add(
            OrderEvent(
                order_id=order.id,
                logistic_order_id=tx.logistic_order_id,
                type="REFUND_FAILED",
                actor=actor,
                detail=f"{amount} not refunded: {tx.failure}",
            )
        )
        await outbox.emit_order(
            session, outbox.PAYMENT_REFUND_FAILED, order, transaction=outbox.transaction_snapshot(tx)
        )
    await session.flush()
    return True


async def refund_share(
    session: AsyncSession,
    order: Order,
    money: OrderMoney,
    share: Share,
    amount: int,
    *,
    reason: str | None,
    actor: str,
    config: PaymentConfig,
    seed: tuple[str, ...],
    logistic_order_id: str | None = None,
) -> list[PaymentTransaction]:
    """A cancellation's refund, through the same path: `share` itemized when `amount` is its whole value;
    less (part of it was never taken), `amount` alone. Nothing when `amount` is zero."""
    if amount <= 0:
        return []
    chosen = planned(money, share if amount == share.total else NOTHING, amount)
    return await execute(
        session,
        order,
        chosen,
        key=None,
        request_hash=None,
        reason=reason,
        actor=actor,
        config=config,
        seed=seed,
        logistic_order_id=logistic_order_id,
    )


async def refund_lines(session: AsyncSession, transaction_ids: list[str]) -> dict[str, list[RefundLine]]:
    """The refunded lines of many transactions in one statement (a dataloader's batch)."""
    grouped: dict[str, list[RefundLine]] = {tid: [] for tid in transaction_ids}
    if not transaction_ids:
        return grouped
    rows = await session.scalars(
        select(RefundLine)
        .join(OrderLine, OrderLine.id == RefundLine.order_line_id)
        .where(RefundLine.transaction_id.in_(transaction_ids))
        .order_by(OrderLine.position, OrderLine.id)
    )
    for row in rows:
        grouped[row.transaction_id].append(row)
    return grouped
