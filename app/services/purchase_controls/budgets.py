"""Budgets reserved like stock (docs/b2b.md): every change of a budget's usage is one conditional atomic
update of its period's row (`spent + reserved + amount <= limit`), in budget-id order, so concurrent buyers of
one account, on any number of gateway processes, never take more than the budget holds.

- requestApproval reserves the waiting order's total (`reserved`);
- placement (the one placement path) gives back what the order reserved and spends its total (`spent`);
- a rejection gives back the reservation; a cancellation gives back what it takes off the order, a refund
  what it gave back once it succeeded (payments/refunds.py `settle_refund`).

A budget's `mode` says what being over it means. BLOCK: the update refuses (BUDGET_EXCEEDED). REQUIRE_APPROVAL:
the order needs an approval (pricing/controls.py); the request for it reserves the total even beyond the limit,
and the placement of the approved order spends it even beyond the limit (the approver's decision overrides
it; a BUDGET_OVERRIDDEN order event says by how much). Any other placement is refused beyond the limit, in
either mode. What is taken beyond the limit is counted like the rest, so later drafts see the budget spent.

Each order's amount per budget is a `BudgetCharge`, so a release gives back exactly what was taken, in the
period it was taken in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Budget, BudgetCharge, BudgetUsage, Order, OrderEvent, utcnow
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.money import to_decimal
from app.services.purchase_controls import periods
from app.services.rules.states import OrderStatus

RESERVED, SPENT, RELEASED = "RESERVED", "SPENT", "RELEASED"


class BudgetMode(StrEnum):
    """What an order over the budget meets: a refusal, or the need of an approval that overrides the limit."""

    BLOCK = "BLOCK"
    REQUIRE_APPROVAL = "REQUIRE_APPROVAL"


@dataclass(frozen=True)
class Overrun:
    """A REQUIRE_APPROVAL budget taken beyond its limit: `over` is how far its period is over it now."""

    budget: Budget
    amount: int
    over: int

    def describe(self, currency: str) -> str:
        b = self.budget
        centre = f"cost centre {b.cost_centre}" if b.cost_centre else "the account"
        return (
            f"the {b.period.lower()}ly budget of {centre} ({to_decimal(b.amount)} {b.currency}) took "
            f"{to_decimal(self.amount)} {currency}, {to_decimal(self.over)} over its limit"
        )


def budget_applies(budget: Budget, order: Order) -> bool:
    """A budget of the whole account applies to every order; one of a cost centre to that centre's orders."""
    return budget.cost_centre is None or budget.cost_centre == order.cost_centre


def _charged(caller: Caller, order: Order) -> bool:
    return "BUDGET_ACCOUNT" in caller.controls or ("BUDGET_CENTRES" in caller.controls and bool(order.cost_centre))


async def _applicable(session: AsyncSession, order: Order) -> list[Budget]:
    budgets = await session.scalars(select(Budget).where(Budget.account_id == order.account_id).order_by(Budget.id))
    return [b for b in budgets if budget_applies(b, order)]


async def _ensure_usage(session: AsyncSession, keys: list[tuple[str, date]]) -> None:
    if not keys:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    await session.execute(
        insert(BudgetUsage)
        .values([{"budget_id": b, "period_start": p, "spent": 0, "reserved": 0} for b, p in keys])
        .on_conflict_do_nothing(index_elements=["budget_id", "period_start"])
    )


async def _take(session: AsyncSession, order: Order, amount: int, state: str, *, beyond: bool) -> list[Overrun]:
    """Add `amount` to each applicable budget's spent (or reserved) in the current period, never above the
    budget, or refuse the unit of work (BUDGET_EXCEEDED). `beyond`: a REQUIRE_APPROVAL budget takes it above
    its limit too (an approval asked or given), and the overruns are returned."""
    budgets = await _applicable(session, order)
    overruns: list[Overrun] = []
    if not budgets or amount <= 0:
        return overruns
    now = periods.now()
    keys = [(b.id, periods.start_of(b.period, now)) for b in budgets]
    await _ensure_usage(session, keys)
    column = BudgetUsage.spent if state == SPENT else BudgetUsage.reserved
    for budget, (budget_id, start) in zip(budgets, keys, strict=True):
        taken = await session.execute(
            update(BudgetUsage)
            .where(
                BudgetUsage.budget_id == budget_id,
                BudgetUsage.period_start == start,
                BudgetUsage.spent + BudgetUsage.reserved + amount <= budget.amount,
            )
            .values({column.key: column + amount})
        )
        if taken.rowcount != 1 and beyond and budget.mode == BudgetMode.REQUIRE_APPROVAL:
            where = (BudgetUsage.budget_id == budget_id, BudgetUsage.period_start == start)
            await session.execute(update(BudgetUsage).where(*where).values({column.key: column + amount}))
            used = await session.scalar(select(BudgetUsage.spent + BudgetUsage.reserved).where(*where))
            overruns.append(Overrun(budget, amount, max(0, (used or 0) - budget.amount)))
        elif taken.rowcount != 1:
            centre = f"cost centre {budget.cost_centre}" if budget.cost_centre else "the account"
            raise Refusal(
                Problem(
                    ErrorCode.BUDGET_EXCEEDED,
                    f"the {budget.period.lower()}ly budget of {centre} ({to_decimal(budget.amount)} "
                    f"{budget.currency}) cannot take {to_decimal(amount)} more",
                    field=("budgets", budget.id),
                )
            )
        session.add(
            BudgetCharge(budget_id=budget_id, period_start=start, order_id=order.id, state=state, amount=amount)
        )
    await session.flush()
    return overruns


async def _give_back(session: AsyncSession, order: Order, states: tuple[str, ...], amount: int | None) -> int:
    """Give back up to `amount` (None: all) of the order's charges in `states`, per budget; returns the most
    given back to one budget."""
    charges = list(
        await session.scalars(
            select(BudgetCharge)
            .where(BudgetCharge.order_id == order.id, BudgetCharge.state.in_(states))
            .order_by(BudgetCharge.budget_id, BudgetCharge.id)
            .with_for_update()
        )
    )
    most = 0
    for ch in charges:
        left = ch.amount - ch.released
        back = left if amount is None else min(left, amount)
        if back <= 0:
            continue
        column = BudgetUsage.spent if ch.state == SPENT else BudgetUsage.reserved
        await session.execute(
            update(BudgetUsage)
            .where(BudgetUsage.budget_id == ch.budget_id, BudgetUsage.period_start == ch.period_start)
            .values({column.key: column - back})
        )
        ch.released += back
        if ch.released >= ch.amount:
            ch.state = RELEASED
        most = max(most, back)
    await session.flush()
    return most


async def reserve(session: AsyncSession, caller: Caller, order: Order, amount: int) -> list[Overrun]:
    """requestApproval: hold the waiting order's total (replacing what it held before); a REQUIRE_APPROVAL
    budget holds it beyond its limit (the approval asked is about that), and says so in the overruns."""
    await _give_back(session, order, (RESERVED,), None)
    if not _charged(caller, order):
        return []
    return await _take(session, order, amount, RESERVED, beyond=True)


async def spend(
    session: AsyncSession, caller: Caller, order: Order, amount: int, *, approved_by: str | None = None
) -> list[Overrun]:
    """Placement: what the order reserved goes back (only a request for approval reserves), its total is spent.
    `approved_by` (the approval flow's placement of approved parts): a REQUIRE_APPROVAL budget is spent beyond
    its limit, recorded as a BUDGET_OVERRIDDEN order event by that approver."""
    if order.status == OrderStatus.PENDING_APPROVAL:
        await _give_back(session, order, (RESERVED,), None)
    if not _charged(caller, order):
        return []
    overruns = await _take(session, order, amount, SPENT, beyond=approved_by is not None)
    for o in overruns:
        detail = f"approved over budget: {o.describe(order.currency)}"
        session.add(
            OrderEvent(order_id=order.id, type="BUDGET_OVERRIDDEN", at=utcnow(), actor=approved_by, detail=detail)
        )
    return overruns


async def release_reservation(session: AsyncSession, order: Order) -> None:
    """A rejection (the order back to a draft): its reservation goes back."""
    await _give_back(session, order, (RESERVED,), None)


async def release(session: AsyncSession, order: Order, amount: int | None = None) -> None:
    """A cancellation (amount None: all that is left) or a refund / a canceled logistic order's share: what it
    spent goes back to its budgets, in the period it was spent in."""
    await _give_back(session, order, (SPENT,), amount)
