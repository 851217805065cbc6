"""Managing an account's purchasing controls: members and their roles (account ADMIN), approval rules
(account ADMIN), budgets (account ADMIN or an operator), payment terms (operators). docs/b2b.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Account, ApprovalRule, Budget, BudgetUsage, Membership, Supplier, User
from app.services.access.permissions import AccountRole, Permission, require
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.ids import valid_id
from app.services.common.money import MoneyError, parse_amount
from app.services.common.outcome import Outcome, service
from app.services.purchase_controls import periods
from app.services.purchase_controls.budgets import BudgetMode
from app.services.purchase_controls.terms import PaymentTerms

MAX_NAME = 200
MAX_COST_CENTRE = 50


def _invalid(message: str, *field: str) -> Refusal:
    return Refusal(Problem(ErrorCode.INVALID_INPUT, message, field=field or None))


def _role(value: str, *field: str) -> AccountRole:
    try:
        return AccountRole(value)
    except ValueError:
        raise _invalid(f"unknown role {value!r}", *field) from None


def _amount(text: str | None, *field: str) -> int | None:
    if text is None:
        return None
    try:
        value = parse_amount(text)
    except MoneyError as exc:
        raise _invalid(str(exc), *field) from None
    if value < 0:
        raise _invalid("the amount cannot be negative", *field)
    return value


# ---- members -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    user: User
    role: str
    approval_limit: int | None


async def list_members(session: AsyncSession, caller: Caller) -> list[Member]:
    """The account's members (any member sees them: who to ask for an approval)."""
    rows = await session.execute(
        select(User, Membership.role, Membership.approval_limit)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.account_id == caller.account_id)
        .order_by(User.email)
    )
    return [Member(u, r, limit) for u, r, limit in rows]


async def _member(session: AsyncSession, caller: Caller, user_id: str) -> tuple[User, Membership]:
    row = (
        (
            await session.execute(
                select(User, Membership)
                .join(Membership, Membership.user_id == User.id)
                .where(
                    Membership.account_id == caller.account_id, or_(User.id == user_id, User.email == user_id.lower())
                )
                .with_for_update(of=Membership)
            )
        ).first()
        if valid_id(user_id) or "@" in user_id
        else None
    )
    if row is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "no such member of the account", field=("userId",)))
    return row[0], row[1]


async def _admins(session: AsyncSession, account_id: str) -> int:
    return (
        await session.scalar(
            select(func.count()).where(Membership.account_id == account_id, Membership.role == AccountRole.ADMIN)
        )
        or 0
    )


@service
async def add_member(
    session: AsyncSession, caller: Caller, email: str, role: str, approval_limit: str | None
) -> Outcome[Member]:
    """addAccountMember: a customer user of the tenant joins the account with a role."""
    require(caller, Permission.MANAGE_MEMBERS)
    wanted = _role(role, "role")
    limit = _amount(approval_limit, "approvalLimit")
    user = await session.scalar(
        select(User).where(User.tenant_id == caller.tenant_id, User.email == email.strip().lower()[:254])
    )
    if user is None or user.role != "BUYER":
        raise Refusal(Problem(ErrorCode.NOT_FOUND, f"no customer user {email!r}", field=("email",)))
    existing = await session.get(Membership, (user.id, caller.account_id))
    if existing is not None:
        raise _invalid(f"{user.email} is a member already (setAccountMemberRole changes the role)", "email")
    session.add(Membership(user_id=user.id, account_id=caller.account_id, role=wanted, approval_limit=limit))
    if user.default_account_id is None:
        user.default_account_id = caller.account_id
    await session.flush()
    return Outcome.done(Member(user, wanted, limit))


@service
async def set_member_role(
    session: AsyncSession, caller: Caller, user_id: str, role: str, approval_limit: str | None
) -> Outcome[Member]:
    require(caller, Permission.MANAGE_MEMBERS)
    wanted = _role(role, "role")
    limit = _amount(approval_limit, "approvalLimit")
    user, membership = await _member(session, caller, user_id)
    if membership.role == AccountRole.ADMIN and wanted != AccountRole.ADMIN:
        if await _admins(session, membership.account_id) <= 1:
            raise Refusal(Problem(ErrorCode.LAST_ADMIN, "the account's last ADMIN keeps the role", field=("role",)))
    membership.role, membership.approval_limit = wanted, limit
    await session.flush()
    return Outcome.done(Member(user, wanted, limit))


@service
async def remove_member(session: AsyncSession, caller: Caller, user_id: str) -> Outcome[str]:
    require(caller, Permission.MANAGE_MEMBERS)
    user, membership = await _member(session, caller, user_id)
    if membership.role == AccountRole.ADMIN and await _admins(session, membership.account_id) <= 1:
        raise Refusal(Problem(ErrorCode.LAST_ADMIN, "the account's last ADMIN cannot be removed", field=("userId",)))
    await session.delete(membership)
    if user.default_account_id == membership.account_id:
        user.default_account_id = None
    await session.flush()
    return Outcome.done(user.id)


# ---- approval rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleInput:
    name: str
    min_amount: str | None = None
    supplier: str | None = None  # id or external id
    sku: str | None = None
    requester_role: str | None = None
    approver_role: str = AccountRole.APPROVER
    second_tier_amount: str | None = None
    second_tier_role: str | None = None


async def list_rules(session: AsyncSession, caller: Caller) -> list[ApprovalRule]:
    return list(
        await session.scalars(
            select(ApprovalRule)
            .where(ApprovalRule.account_id == caller.account_id)
            .order_by(ApprovalRule.created_at, ApprovalRule.id)
        )
    )


@service
async def create_rule(session: AsyncSession, caller: Caller, inp: RuleInput) -> Outcome[ApprovalRule]:
    require(caller, Permission.MANAGE_RULES)
    at = "input"
    if not 1 <= len(inp.name.strip()) <= MAX_NAME:
        raise _invalid(f"name must be 1 to {MAX_NAME} characters", at, "name")
    supplier_id = None
    if inp.supplier is not None:
        supplier_id = (
            await session.scalar(
                select(Supplier.id).where(
                    Supplier.tenant_id == caller.tenant_id,
                    or_(Supplier.id == inp.supplier, Supplier.external_id == inp.supplier),
                )
            )
            if valid_id(inp.supplier)
            else None
        )
        if supplier_id is None:
            raise Refusal(Problem(ErrorCode.NOT_FOUND, f"no supplier {inp.supplier!r}", field=(at, "supplier")))
    rule = ApprovalRule(
        tenant_id=caller.tenant_id,
        account_id=caller.account_id,
        name=inp.name.strip(),
        min_amount=_amount(inp.min_amount, at, "minAmount"),
        supplier_id=supplier_id,
        sku=inp.sku.strip().upper() if inp.sku else None,
        requester_role=_role(inp.requester_role, at, "requesterRole") if inp.requester_role else None,
        approver_role=_role(inp.approver_role, at, "approverRole"),
        second_tier_amount=_amount(inp.second_tier_amount, at, "secondTierAmount"),
        second_tier_role=_role(inp.second_tier_role, at, "secondTierRole") if inp.second_tier_role else None,
        active=True,
    )
    session.add(rule)
    await session.flush()
    return Outcome.done(rule)


@service
async def delete_rule(session: AsyncSession, caller: Caller, rule_id: str) -> Outcome[str]:
    require(caller, Permission.MANAGE_RULES)
    rule = await session.get(ApprovalRule, rule_id) if valid_id(rule_id) else None
    if rule is None or rule.account_id != caller.account_id:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "no such approval rule", field=("id",)))
    await session.delete(rule)
    await session.flush()
    return Outcome.done(rule_id)


# ---- budgets -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetView:
    budget: Budget
    period_start: date
    period_end: date
    spent: int
    reserved: int


async def _account_for(session: AsyncSession, caller: Caller, account: str | None) -> str:
    """The account a budget or terms call is about: the buyer's own; an operator names one of the tenant."""
    if caller.is_buyer:
        return caller.account_id or ""
    found = (
        await session.scalar(
            select(Account.id).where(
                Account.tenant_id == caller.tenant_id, or_(Account.id == account, Account.external_id == account)
            )
        )
        if account and valid_id(account)
        else None
    )
    if found is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, f"no account {account!r}", field=("accountId",)))
    return found


async def list_budgets(session: AsyncSession, caller: Caller, account: str | None = None) -> list[BudgetView]:
    """The budgets with what they spent and hold in the current period (a buyer: its account's). An account the
    operator cannot name (unknown, another tenant's, empty) has none to show: a read answers empty, not an error."""
    try:
        account_id = await _account_for(session, caller, account)
    except Refusal:
        return []
    budgets = list(
        await session.scalars(
            select(Budget).where(Budget.account_id == account_id).order_by(Budget.cost_centre, Budget.id)
        )
    )
    now = periods.now()
    starts = {b.id: periods.start_of(b.period, now) for b in budgets}
    usage = {
        (u.budget_id, u.period_start): u
        for u in (
            await session.scalars(select(BudgetUsage).where(BudgetUsage.budget_id.in_(list(starts)))) if starts else []
        )
    }
    views = []
    for b in budgets:
        u = usage.get((b.id, starts[b.id]))
        views.append(
            BudgetView(b, starts[b.id], periods.end_of(b.period, now), u.spent if u else 0, u.reserved if u else 0)
        )
    return views


@service
async def set_budget(
    session: AsyncSession,
    caller: Caller,
    account: str | None,
    cost_centre: str | None,
    period: str,
    amount: str,
    mode: str | None = None,
) -> Outcome[BudgetView]:
    """setBudget: create or change the budget of an account (or one of its cost centres) for a period kind;
    `mode` None keeps a budget's mode (BLOCK for a new one)."""
    if caller.is_buyer:
        require(caller, Permission.MANAGE_BUDGETS)
    account_id = await _account_for(session, caller, account)
    centre = cost_centre.strip() if cost_centre else None
    if centre is not None and not 1 <= len(centre) <= MAX_COST_CENTRE:
        raise _invalid(f"costCentre must be 1 to {MAX_COST_CENTRE} characters", "input", "costCentre")
    try:
        kind = periods.BudgetPeriod(period)
    except ValueError:
        raise _invalid(f"unknown period {period!r}", "input", "period") from None
    value = _amount(amount, "input", "amount")
    assert value is not None
    try:
        wanted = BudgetMode(mode) if mode is not None else None
    except ValueError:
        raise _invalid(f"unknown budget mode {mode!r}", "input", "mode") from None
    budget = await session.scalar(
        select(Budget)
        .where(
            Budget.account_id == account_id,
            Budget.period == kind,
            Budget.cost_centre.is_(None) if centre is None else Budget.cost_centre == centre,
        )
        .with_for_update()
    )
    if budget is None:
        budget = Budget(
            tenant_id=caller.tenant_id,
            account_id=account_id,
            cost_centre=centre,
            period=kind,
            amount=value,
            mode=wanted or BudgetMode.BLOCK,
        )
        session.add(budget)
    else:
        budget.amount = value
        budget.mode = wanted or budget.mode
    await session.flush()
    views = [v for v in await list_budgets(session, caller, account_id) if v.budget.id == budget.id]
    return Outcome.done(views[0])


@service
async def delete_budget(session: AsyncSession, caller: Caller, budget_id: str) -> Outcome[str]:
    if caller.is_buyer:
        require(caller, Permission.MANAGE_BUDGETS)
    budget = await session.get(Budget, budget_id) if valid_id(budget_id) else None
    allowed = budget is not None and (
        budget.account_id == caller.account_id if caller.is_buyer else budget.tenant_id == caller.tenant_id
    )
    if not allowed or budget is None:
        raise Refusal(Problem(ErrorCode.NOT_FOUND, "no such budget", field=("id",)))
    await session.execute(delete(Budget).where(Budget.id == budget.id))
    return Outcome.done(budget_id)


# ---- payment terms (operators) -----------------------------------------------------------------------


@service
async def set_payment_terms(
    session: AsyncSession, caller: Caller, account: str, terms: str | None, days: int | None
) -> Outcome[Account]:
    account_id = await _account_for(session, caller, account)
    row = await session.get(Account, account_id)
    assert row is not None
    if terms is None:
        row.payment_terms, row.payment_terms_days = None, None
    else:
        try:
            kind = PaymentTerms(terms)
        except ValueError:
            raise _invalid(f"unknown payment terms {terms!r}", "terms") from None
        if kind == PaymentTerms.NET and (days is None or not 0 <= days <= 365):
            raise _invalid("NET terms take 0 to 365 days", "days")
        row.payment_terms, row.payment_terms_days = kind, days if kind == PaymentTerms.NET else None
    await session.flush()
    return Outcome.done(row)
