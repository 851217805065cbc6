"""The purchasing controls of live drafts: which supplier parts need an approval (APPROVAL_REQUIRED) and which
budgets a draft would exceed (BUDGET_EXCEEDED), added to the evaluation's issues so that a draft shows them
before the buyer places and the one placement path refuses them.

A BLOCK budget's BUDGET_EXCEEDED blocks. A REQUIRE_APPROVAL budget's does not: it makes every supplier part of
the draft need an approval (the budget is the whole order's), with the tiers and approver of a rule that also
holds for the part, else one approval by an APPROVER; APPROVAL_REQUIRED is what blocks then.

What is read depends on what the account has (the caller's `controls`, read with the caller): an account
without rules or budgets, or a caller whose role no rule names, pays no statement here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import ApprovalRule, Budget, BudgetCharge, BudgetUsage, Membership, Order, PartApproval, Supplier
from app.services.access.permissions import AccountRole
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.money import to_decimal
from app.services.purchase_controls import periods
from app.services.purchase_controls.budgets import BudgetMode, budget_applies
from app.services.rules.states import priced_live

if TYPE_CHECKING:
    from app.services.pricing.evaluation import Evaluation


@dataclass(frozen=True)
class Part:
    """The lines of one supplier in a draft: what an approval is about (and what becomes a logistic order)."""

    supplier_id: str
    total: int
    skus: frozenset[str]


@dataclass(frozen=True)
class ApprovalNeed:
    supplier_id: str
    supplier_name: str
    rule: ApprovalRule | None  # None: only a REQUIRE_APPROVAL budget asks for it
    tiers: int
    amount: int
    pending: bool  # asked already (the order waits for it)
    over_budget: bool = False  # the draft is over a REQUIRE_APPROVAL budget

    @property
    def approver_role(self) -> str:
        return self.rule.approver_role if self.rule else AccountRole.APPROVER


@dataclass
class BudgetState:
    budget: Budget
    spent: int
    reserved: int
    own_reserved: int  # what this order reserved itself (requestApproval)

    def left_for(self, order_total: int) -> int | None:
        """What is left for the order (its own reservation counted as available), or None when it fits."""
        left = self.budget.amount - self.spent - self.reserved + self.own_reserved
        return left if order_total > left else None


@dataclass
class Controls:
    needs: dict[str, list[ApprovalNeed]] = field(default_factory=dict)  # per order id
    budgets: dict[str, list[BudgetState]] = field(default_factory=dict)  # per order id


def parts_of(ev: Evaluation) -> dict[str, Part]:
    totals: dict[str, int] = defaultdict(int)
    skus: dict[str, set[str]] = defaultdict(set)
    for pl in ev.lines:
        totals[pl.line.supplier_id] += pl.total + pl.tax
        if pl.info is not None:
            skus[pl.line.supplier_id].add(pl.info.variant.sku)
    return {s: Part(s, totals[s], frozenset(skus[s])) for s in sorted(totals)}


def rule_matches(rule: ApprovalRule, part: Part, requester_role: str | None) -> bool:
    return (
        rule.active
        and (rule.min_amount is None or part.total > rule.min_amount)
        and (rule.supplier_id is None or rule.supplier_id == part.supplier_id)
        and (rule.sku is None or rule.sku in part.skus)
        and (rule.requester_role is None or rule.requester_role == requester_role)
    )


def tiers_of(rule: ApprovalRule, amount: int) -> int:
    return 2 if rule.second_tier_amount is not None and amount > rule.second_tier_amount else 1


def _wants_rules(caller: Caller, orders: Sequence[Order]) -> bool:
    if "RULES" not in caller.controls:
        return False
    return "RULES_MINE" in caller.controls or any(o.user_id != caller.user_id for o in orders)


def _wants_budgets(caller: Caller, orders: Sequence[Order]) -> bool:
    return "BUDGET_ACCOUNT" in caller.controls or (
        "BUDGET_CENTRES" in caller.controls and any(o.cost_centre for o in orders)
    )


async def roles_of(session: AsyncSession, account_id: str, user_ids: set[str]) -> dict[str, str]:
    if not user_ids:
        return {}
    rows = await session.execute(
        select(Membership.user_id, Membership.role).where(
            Membership.account_id == account_id, Membership.user_id.in_(user_ids)
        )
    )
    return {u: r for u, r in rows}


async def load_controls(session: AsyncSession, caller: Caller, evals: Mapping[str, Evaluation]) -> Controls:
    """The approval needs and budget states of the caller's live drafts, in a fixed number of statements."""
    found = Controls()
    live = [ev for ev in evals.values() if priced_live(ev.order.status) and ev.order.account_id == caller.account_id]
    if not live or not caller.is_buyer:
        return found
    orders = [ev.order for ev in live]
    matched: dict[str, dict[str, tuple[Part, ApprovalRule | None]]] = {}
    if _wants_rules(caller, orders):
        matched = await _match_rules(session, caller, live)
    over: set[str] = set()
    if _wants_budgets(caller, orders):
        await _load_budgets(session, caller, orders, found)
        for ev in live:
            states = found.budgets.get(ev.order.id, [])
            if any(
                st.budget.mode == BudgetMode.REQUIRE_APPROVAL and st.left_for(ev.totals.total) is not None
                for st in states
            ):
                over.add(ev.order.id)
                for part in parts_of(ev).values():
                    matched.setdefault(ev.order.id, {}).setdefault(part.supplier_id, (part, None))
    if matched:
        await _load_needs(session, matched, over, found)
    return found


async def _match_rules(
    session: AsyncSession, caller: Caller, live: list[Evaluation]
) -> dict[str, dict[str, tuple[Part, ApprovalRule | None]]]:
    """Per order, per supplier part, the rule asking for its approval (parts no rule holds for left out)."""
    matched: dict[str, dict[str, tuple[Part, ApprovalRule | None]]] = {}
    rules = list(
        await session.scalars(
            select(ApprovalRule)
            .where(ApprovalRule.account_id == caller.account_id, ApprovalRule.active)
            .order_by(ApprovalRule.created_at, ApprovalRule.id)
        )
    )
    if not rules:
        return matched
    others = {ev.order.user_id for ev in live if ev.order.user_id and ev.order.user_id != caller.user_id}
    roles = await roles_of(session, caller.account_id or "", others)
    if caller.user_id:
        roles[caller.user_id] = caller.account_role or ""
    for ev in live:
        role = roles.get(ev.order.user_id or "")
        for part in parts_of(ev).values():
            matching = [r for r in rules if rule_matches(r, part, role)]
            # the rule asking the most (two tiers over one); among equals, the oldest
            rule = max(matching, key=lambda r: tiers_of(r, part.total), default=None)
            if rule is not None:
                matched.setdefault(ev.order.id, {})[part.supplier_id] = (part, rule)
    return matched


async def _load_needs(
    session: AsyncSession,
    matched: dict[str, dict[str, tuple[Part, ApprovalRule | None]]],
    over: set[str],
    found: Controls,
) -> None:
    """The needs of the matched parts whose approval is not given yet (asked already: `pending`)."""
    rows = await session.execute(
        select(PartApproval.order_id, PartApproval.supplier_id, PartApproval.status).where(
            PartApproval.order_id.in_(list(matched)), PartApproval.active
        )
    )
    decided: dict[tuple[str, str], str] = {}
    for order_id, supplier_id, status in rows:
        decided[(order_id, supplier_id)] = status
    names = dict(
        (
            await session.execute(
                select(Supplier.id, Supplier.name).where(
                    Supplier.id.in_({s for parts in matched.values() for s in parts})
                )
            )
        ).all()
    )
    for order_id, parts in matched.items():
        for supplier_id in sorted(parts):
            part, rule = parts[supplier_id]
            status = decided.get((order_id, part.supplier_id))
            if status == "APPROVED":
                continue
            need = ApprovalNeed(
                part.supplier_id,
                names.get(part.supplier_id, part.supplier_id),
                rule,
                tiers_of(rule, part.total) if rule else 1,
                part.total,
                pending=status == "PENDING",
                over_budget=order_id in over,
            )
            found.needs.setdefault(order_id, []).append(need)


async def _load_budgets(session: AsyncSession, caller: Caller, orders: list[Order], found: Controls) -> None:
    now = periods.now()
    budgets = list(
        await session.scalars(select(Budget).where(Budget.account_id == caller.account_id).order_by(Budget.id))
    )
    applicable = {o.id: [b for b in budgets if budget_applies(b, o)] for o in orders}
    wanted = {b.id: periods.start_of(b.period, now) for bs in applicable.values() for b in bs}
    if not wanted:
        return
    usage = {
        (u.budget_id, u.period_start): u
        for u in await session.scalars(select(BudgetUsage).where(BudgetUsage.budget_id.in_(list(wanted))))
    }
    own: dict[tuple[str, str], int] = defaultdict(int)
    for ch in await session.scalars(
        select(BudgetCharge).where(
            and_(BudgetCharge.order_id.in_([o.id for o in orders]), BudgetCharge.state == "RESERVED")
        )
    ):
        own[(ch.order_id, ch.budget_id)] += ch.amount - ch.released
    for o in orders:
        states = []
        for b in applicable[o.id]:
            u = usage.get((b.id, wanted[b.id]))
            states.append(BudgetState(b, u.spent if u else 0, u.reserved if u else 0, own[(o.id, b.id)]))
        if states:
            found.budgets[o.id] = states


def issues_of(ev: Evaluation, controls: Controls) -> list[Problem]:
    """APPROVAL_REQUIRED per supplier part that needs an approval not given yet (blocking), BUDGET_EXCEEDED per
    budget the draft's total does not fit in (what it reserved itself counted as available to it): blocking
    for a BLOCK budget, not for a REQUIRE_APPROVAL one (its parts need an approval instead)."""
    problems = []
    for need in controls.needs.get(ev.order.id, []):
        tiers = " (two approvals)" if need.tiers == 2 else ""
        state = "waits for approval" if need.pending else "needs approval"
        why = [f"rule '{need.rule.name}'"] if need.rule else []
        why += ["over budget"] if need.over_budget else []
        problems.append(
            Problem(
                ErrorCode.APPROVAL_REQUIRED,
                f"the {need.supplier_name} part ({to_decimal(need.amount)} {ev.order.currency}) {state}{tiers} "
                f"by an {need.approver_role}: {', '.join(why)}",
                field=("parts", need.supplier_id),
            )
        )
    for st in controls.budgets.get(ev.order.id, []):
        left = st.left_for(ev.totals.total)
        if left is None:
            continue
        centre = f"cost centre {st.budget.cost_centre}" if st.budget.cost_centre else "the account"
        blocking = st.budget.mode != BudgetMode.REQUIRE_APPROVAL
        problems.append(
            Problem(
                ErrorCode.BUDGET_EXCEEDED,
                f"the {st.budget.period.lower()}ly budget of {centre} has {to_decimal(max(0, left))} "
                f"{st.budget.currency} left; this order is {to_decimal(ev.totals.total)}"
                + ("" if blocking else ": it needs an approval, which overrides the budget"),
                field=("budgets", st.budget.id),
                blocking=blocking,
            )
        )
    return problems


async def add_issues(session: AsyncSession, caller: Caller, evals: Mapping[str, Evaluation]) -> None:
    """Load the controls of live drafts and add their issues and approval needs to the evaluations."""
    controls = await load_controls(session, caller, evals)
    if not controls.needs and not controls.budgets:
        return
    for ev in evals.values():
        ev.approvals = controls.needs.get(ev.order.id, [])
        ev.issues.extend(issues_of(ev, controls))
