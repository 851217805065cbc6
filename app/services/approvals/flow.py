"""The approval flow of a draft's supplier parts (docs/b2b.md has the diagram).

    requestApproval        the parts that need an approval (controls.py) wait: the draft is PENDING_APPROVAL
                           (lines locked, priced, no stock held), its total reserved in its budgets; with
                           `placeRest` the parts that need none are split off into their own order and placed
    approveDraftOrder      an approver (never the requester) approves parts, tier by tier; a part approved in
                           full is placed at once, split off when other parts still wait
    rejectDraftOrder       rejected parts stay in the draft; once no part waits, what was approved is placed
                           and the draft (the rejected parts, with their live issues) is a DRAFT again

Every placement goes through the one placement path (checkout/placement.py `place`), as the requester, so
stock, budgets, the payment method and every rule are checked again at that moment; a refusal there refuses
the approval and nothing changes. Every step is an order event and a webhook."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Membership, Order, OrderEvent, OrderLine, OrderMetadata, PartApproval, utcnow
from app.services.access.permissions import AccountRole, Permission, require
from app.services.checkout.placement import PaymentRequest, place, profile_problems
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.ids import new_reference
from app.services.common.money import to_decimal
from app.services.common.outcome import Outcome, service
from app.services.events import outbox
from app.services.orders.editing import locked_draft
from app.services.orders.scope import get_order, not_found
from app.services.payments.config import PaymentConfig
from app.services.pricing.controls import ApprovalNeed
from app.services.pricing.evaluation import Evaluation, evaluate, freeze
from app.services.purchase_controls import budgets
from app.services.rules.methods import find_payment_method
from app.services.rules.payment_states import MethodKind, Purpose
from app.services.rules.states import OrderStatus, check_order_move

MAX_COMMENT = 1000
PENDING, APPROVED, REJECTED = "PENDING", "APPROVED", "REJECTED"


@dataclass(frozen=True)
class ApprovalResult:
    """The order the call was about (a draft again, still waiting, or placed) and the orders it placed."""

    order: Order
    placed: list[Order]


def _check_comment(comment: str | None) -> None:
    if comment is not None and len(comment) > MAX_COMMENT:
        message = f"comment is limited to {MAX_COMMENT} characters"
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, message, field=("comment",)))


def _event(order: Order, type_: str, actor: str | None, detail: str | None) -> OrderEvent:
    return OrderEvent(order_id=order.id, type=type_, at=utcnow(), actor=actor, detail=detail)


async def _evaluate(session: AsyncSession, caller: Caller, order: Order) -> Evaluation:
    return (await evaluate(session, caller, [order]))[order.id]


async def split(session: AsyncSession, order: Order, supplier_ids: Sequence[str], status: OrderStatus) -> Order:
    """A new order of the same buyer with the lines of `supplier_ids` moved out of `order`: the same addresses,
    references, notes, metadata, cost centre, shipping and payment method (the voucher stays with `order`)."""
    part = Order(
        tenant_id=order.tenant_id,
        store_id=order.store_id,
        account_id=order.account_id,
        user_id=order.user_id,
        reference=new_reference(),
        status=status,
        payment_status=order.payment_status,
        version=1,
        currency=order.currency,
        source_type=order.source_type,
        source_id=order.source_id,
        shipping_address_id=order.shipping_address_id,
        billing_address_id=order.billing_address_id,
        shipping_type=order.shipping_type,
        customer_reference=order.customer_reference,
        notes=order.notes,
        payment_method_id=order.payment_method_id,
        shipping_method_id=order.shipping_method_id,
        cost_centre=order.cost_centre,
    )
    part.reference_ci = part.reference.lower()
    session.add(part)
    await session.flush()
    await session.execute(
        update(OrderLine)
        .where(OrderLine.order_id == order.id, OrderLine.supplier_id.in_(list(supplier_ids)))
        .values(order_id=part.id)
    )
    for md in list(await session.scalars(select(OrderMetadata).where(OrderMetadata.order_id == order.id))):
        session.add(OrderMetadata(order_id=part.id, key=md.key, value=md.value))
    detail = f"{len(supplier_ids)} supplier part(s) moved from {order.reference} to {part.reference}"
    session.add(_event(order, "ORDER_SPLIT", None, detail))
    session.add(_event(part, "ORDER_SPLIT", None, detail))
    await session.flush()
    return part


def _as_requester(caller: Caller, order: Order, role: str | None, email: str | None) -> Caller:
    """The caller placing an approved part: the requester (it is their order), in the approver's request."""
    controls = caller.controls | ({"RULES_MINE"} if "RULES" in caller.controls else set())
    return replace(caller, user_id=order.user_id, user_email=email, account_role=role, controls=frozenset(controls))


async def _place(
    session: AsyncSession,
    caller: Caller,
    order: Order,
    config: PaymentConfig | None,
    *,
    purpose: Purpose,
    approved_by: str | None = None,
) -> Order:
    outcome = await place(
        session,
        caller,
        order,
        PaymentRequest(payment_method_id=order.payment_method_id),
        purpose=purpose,
        config=config,
        approved_by=approved_by,
    )
    if not outcome.commit:
        raise Refusal(*outcome.errors)
    return order


@service
async def request_approval(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    comment: str | None,
    *,
    place_rest: bool = False,
    payment_method_id: str | None = None,
    expected_version: int | None = None,
    payment: PaymentConfig | None = None,
) -> Outcome[ApprovalResult]:
    _check_comment(comment)
    require(caller, Permission.PLACE_ORDERS)
    order = await locked_draft(session, caller, order_id, expected_version, lines=True)
    found = await profile_problems(session, caller)
    if payment_method_id is not None:
        method = await find_payment_method(session, caller, payment_method_id)
        if method is None or not method.active or method.kind != MethodKind.DIRECT:
            message = "an order placed on approval is paid with a DIRECT method (or none): the approver cannot pay"
            found.append(Problem(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, message, field=("paymentMethodId",)))
        else:
            order.payment_method_id = method.id
    ev = await _evaluate(session, caller, order)
    needs = ev.approvals
    if not needs:
        found.append(Problem(ErrorCode.APPROVAL_NOT_REQUIRED, "no approval rule holds for this draft: place it"))
    found += [p for p in ev.blocking if p.code != ErrorCode.APPROVAL_REQUIRED]
    if found:
        return Outcome.refused(*found)

    placed: list[Order] = []
    waiting = {n.supplier_id for n in needs}
    free = sorted({pl.line.supplier_id for pl in ev.lines} - waiting)
    if place_rest and free:
        rest = await split(session, order, free, OrderStatus.DRAFT)
        placed.append(await _place(session, caller, rest, payment, purpose=Purpose.DRAFT))
        ev = await _evaluate(session, caller, order)
    check_order_move(order.status, OrderStatus.PENDING_APPROVAL)
    order.status = OrderStatus.PENDING_APPROVAL
    await freeze(session, ev)
    overruns = await budgets.reserve(session, caller, order, ev.totals.total)
    for need in needs:
        session.add(_approval(order, need, caller, comment, over_budget=need.over_budget or bool(overruns)))
    parts = ", ".join(
        f"{n.supplier_name} ({to_decimal(n.amount)} {order.currency})" + (" over budget" if n.over_budget else "")
        for n in needs
    )
    session.add(
        _event(order, "APPROVAL_REQUESTED", caller.user_email, f"{parts}" + (f": {comment}" if comment else ""))
    )
    await outbox.emit_order(
        session,
        outbox.ORDER_APPROVAL_REQUESTED,
        order,
        parts=sorted(waiting),
        comment=comment,
        placed=[o.id for o in placed],
    )
    await session.flush()
    return Outcome.done(ApprovalResult(order, placed))


def _approval(
    order: Order, need: ApprovalNeed, caller: Caller, comment: str | None, *, over_budget: bool
) -> PartApproval:
    return PartApproval(
        order_id=order.id,
        supplier_id=need.supplier_id,
        rule_id=need.rule.id if need.rule else None,
        over_budget=over_budget,
        status=PENDING,
        active=True,
        amount=need.amount,
        tiers_needed=need.tiers,
        tiers_approved=0,
        requested_by_id=caller.user_id,
        requested_by=caller.user_email,
        request_comment=comment,
    )


async def _pending_order(session: AsyncSession, caller: Caller, order_id: str) -> tuple[Order, list[PartApproval]]:
    order = await get_order(session, caller, order_id, lock=True)
    if order is None:
        raise not_found()
    if order.status != OrderStatus.PENDING_APPROVAL:
        message = f"a {order.status} order does not wait for an approval"
        raise Refusal(Problem(ErrorCode.ORDER_NOT_PENDING_APPROVAL, message))
    rows = list(
        await session.scalars(
            select(PartApproval)
            .where(PartApproval.order_id == order.id, PartApproval.active)
            .order_by(PartApproval.supplier_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    return order, rows


def _chosen(rows: list[PartApproval], parts: Sequence[str] | None) -> list[PartApproval]:
    pending = [r for r in rows if r.status == PENDING]
    if parts is None:
        return pending
    by_supplier = {r.supplier_id: r for r in pending}
    problems = [
        Problem(
            ErrorCode.ORDER_NOT_PENDING_APPROVAL,
            f"part {p!r} does not wait for an approval",
            field=("parts", str(i)),
            index=i,
        )
        for i, p in enumerate(parts)
        if p not in by_supplier
    ]
    if problems:
        raise Refusal(*problems)
    return [by_supplier[p] for p in dict.fromkeys(parts)]


async def _approver_check(session: AsyncSession, caller: Caller, rows: list[PartApproval], *, approving: bool) -> None:
    """Never the requester; the role the rule names for the tier (ADMIN holds every tier); within the
    approver's own limit; a second tier by another user than the first."""
    from app.models import ApprovalRule  # noqa: PLC0415 - local: only the decisions read rules

    rules = {
        r.id: r
        for r in await session.scalars(
            select(ApprovalRule).where(ApprovalRule.id.in_({x.rule_id for x in rows if x.rule_id}))
        )
    }
    limit = await session.scalar(
        select(Membership.approval_limit).where(
            Membership.user_id == caller.user_id, Membership.account_id == caller.account_id
        )
    )
    problems = []
    for i, row in enumerate(rows):
        if row.requested_by_id == caller.user_id:
            problems.append(
                Problem(
                    ErrorCode.APPROVAL_NOT_ALLOWED, "you asked for this approval: another approver decides", index=i
                )
            )
            continue
        rule = rules.get(row.rule_id or "")
        tier = row.tiers_approved + 1
        needed = (
            (rule.approver_role if rule else AccountRole.APPROVER)
            if tier == 1
            else ((rule.second_tier_role if rule else None) or AccountRole.ADMIN)
        )
        if caller.account_role not in (needed, AccountRole.ADMIN):
            problems.append(
                Problem(ErrorCode.APPROVAL_NOT_ALLOWED, f"tier {tier} of this part is decided by an {needed}", index=i)
            )
        elif approving and tier == 2 and row.first_approver_id == caller.user_id:
            problems.append(Problem(ErrorCode.APPROVAL_NOT_ALLOWED, "the second approval is another user's", index=i))
        elif limit is not None and row.amount > limit:
            problems.append(
                Problem(
                    ErrorCode.APPROVAL_NOT_ALLOWED,
                    f"the part is above your approval limit of {to_decimal(limit)}",
                    index=i,
                )
            )
    if problems:
        raise Refusal(*problems)


@service
async def decide(
    session: AsyncSession,
    caller: Caller,
    order_id: str,
    parts: Sequence[str] | None,
    comment: str | None,
    *,
    approve: bool,
    payment: PaymentConfig | None = None,
) -> Outcome[ApprovalResult]:
    """approveDraftOrder (approve=True) and rejectDraftOrder: decide the named parts (all waiting ones when
    None), then place what is approved and give the draft back when nothing waits any more."""
    _check_comment(comment)
    require(caller, Permission.APPROVE_ORDERS)
    order, rows = await _pending_order(session, caller, order_id)
    chosen = _chosen(rows, parts)
    await _approver_check(session, caller, chosen, approving=approve)
    now = utcnow()
    for row in chosen:
        if approve:
            row.tiers_approved += 1
            if row.tiers_approved == 1:
                row.first_approver_id = caller.user_id
            done = row.tiers_approved >= row.tiers_needed
            row.status = APPROVED if done else PENDING
        else:
            row.status = REJECTED
        if row.status != PENDING:
            row.decided_by, row.decision_comment, row.decided_at = caller.user_email, comment, now
        tier = f" (tier {row.tiers_approved} of {row.tiers_needed})" if approve and row.tiers_needed > 1 else ""
        what = "PART_APPROVED" if approve else "PART_REJECTED"
        session.add(
            _event(order, what, caller.user_email, f"{row.supplier_id}{tier}" + (f": {comment}" if comment else ""))
        )
    await session.flush()  # the decisions are what the placement's evaluation reads
    event = outbox.ORDER_APPROVED if approve else outbox.ORDER_REJECTED
    await outbox.emit_order(session, event, order, parts=[r.supplier_id for r in chosen], comment=comment)
    placed = await _settle(session, caller, order, rows, payment)
    await session.flush()
    return Outcome.done(ApprovalResult(order, placed))


async def _requester(session: AsyncSession, caller: Caller, order: Order, rows: list[PartApproval]) -> Caller:
    from app.models import User  # noqa: PLC0415

    user = await session.get(User, order.user_id) if order.user_id else None
    role = await session.scalar(
        select(Membership.role).where(Membership.user_id == order.user_id, Membership.account_id == order.account_id)
    )
    return _as_requester(caller, order, role, user.email if user else (rows[0].requested_by if rows else None))


async def _settle(
    session: AsyncSession, caller: Caller, order: Order, rows: list[PartApproval], config: PaymentConfig | None
) -> list[Order]:
    pending = [r for r in rows if r.status == PENDING]
    approved = [r for r in rows if r.status == APPROVED]
    rejected = [r for r in rows if r.status == REJECTED]
    if not approved and pending:
        return []
    requester = await _requester(session, caller, order, rows)
    lines = list(await session.scalars(select(OrderLine.supplier_id).where(OrderLine.order_id == order.id)))
    asked = {r.supplier_id for r in rows}
    free = sorted(set(lines) - asked)
    if not pending and not rejected:  # every part approved: the order itself is placed
        await _place_approved(session, requester, order, config, caller)
        for r in rows:
            r.active = False
        await session.flush()
        return [order]
    placed = []
    to_place = sorted({r.supplier_id for r in approved} | (set(free) if not pending else set()))
    if to_place:
        part = await split(session, order, to_place, OrderStatus.PENDING_APPROVAL)
        for r in approved:
            r.order_id = part.id
        await session.flush()
        await budgets.release_reservation(session, order)  # reserved again below for what still waits
        await _place_approved(session, requester, part, config, caller)
        for r in approved:
            r.active = False
        await session.flush()
        placed.append(part)
    if pending:  # still waiting: its reservation follows what is left in it
        ev = await _evaluate(session, requester, order)
        await freeze(session, ev)
        overruns = await budgets.reserve(session, requester, order, ev.totals.total)
        for r in pending:
            r.over_budget = r.over_budget or bool(overruns)
        return placed
    for r in rejected:
        r.active = False
    await session.flush()
    check_order_move(order.status, OrderStatus.DRAFT)
    order.status = OrderStatus.DRAFT
    await budgets.release_reservation(session, order)
    ev = await _evaluate(session, requester, order)
    await freeze(session, ev)
    session.add(_event(order, "APPROVAL_ENDED", caller.user_email, "rejected parts are a draft again"))
    return placed


async def _place_approved(
    session: AsyncSession, requester: Caller, order: Order, config: PaymentConfig | None, approver: Caller
) -> None:
    """As the requester; the approver's decision overrides REQUIRE_APPROVAL budgets (a BUDGET_OVERRIDDEN event
    by the approver when the order goes beyond one; budgets.py)."""
    await _place(
        session, requester, order, config, purpose=Purpose.DRAFT, approved_by=approver.user_email or "approver"
    )


async def approvals_by_order(session: AsyncSession, order_ids: Sequence[str]) -> dict[str, list[PartApproval]]:
    """Per order, its part approvals (every request's, oldest first): one statement for any number of orders."""
    found: dict[str, list[PartApproval]] = {}
    for row in await session.scalars(
        select(PartApproval)
        .where(PartApproval.order_id.in_(list(order_ids)))
        .order_by(PartApproval.created_at, PartApproval.id)
    ):
        found.setdefault(row.order_id, []).append(row)
    return found
