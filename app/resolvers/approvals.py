"""B2B purchasing controls: members and roles, approval rules, the approval flow, budgets, payment terms
(docs/b2b.md). Thin: map inputs to service calls and results to payloads."""

from __future__ import annotations

import strawberry

from app.resolvers.common import ctx_of, require_buyer, require_operator, require_user, run_mutation
from app.schema.approval_parts import AccountRole, terms_of
from app.schema.approvals import (
    AccountMember,
    AccountMemberPayload,
    ApprovalPayload,
    ApprovalRule,
    ApprovalRuleInput,
    ApprovalRulePayload,
    Budget,
    BudgetInput,
    BudgetPayload,
    DeletedPayload,
    PaymentTermsInput,
    PaymentTermsPayload,
    RemoveAccountMemberPayload,
    approval_payload,
)
from app.schema.common import forbidden, user_errors
from app.services.approvals import flow
from app.services.purchase_controls import admin


def _currency(info: strawberry.Info) -> str:
    return ctx_of(info).caller.currency


async def account_members(info: strawberry.Info) -> list[AccountMember]:
    caller = require_buyer(info)
    async with ctx_of(info).read() as session:
        members = await admin.list_members(session, caller)
    return [AccountMember.of(m, caller.currency) for m in members]


async def approval_rules(info: strawberry.Info) -> list[ApprovalRule]:
    caller = require_buyer(info)
    async with ctx_of(info).read() as session:
        rules = await admin.list_rules(session, caller)
    return [ApprovalRule.of(r, caller.currency) for r in rules]


async def budgets(info: strawberry.Info, account_id: strawberry.ID | None = None) -> list[Budget]:
    caller = require_user(info)
    if not caller.is_buyer and not caller.is_operator:
        raise forbidden("buyers and operators only")
    async with ctx_of(info).read() as session:
        views = await admin.list_budgets(session, caller, str(account_id) if account_id else None)
    return [Budget.of(v) for v in views]


def _member_payload(info: strawberry.Info, outcome) -> AccountMemberPayload:  # noqa: ANN001
    m = outcome.value if outcome.commit else None
    return AccountMemberPayload(
        member=AccountMember.of(m, _currency(info)) if m is not None else None, errors=user_errors(outcome.errors)
    )


async def add_account_member(
    info: strawberry.Info, email: str, role: AccountRole, approval_limit: str | None = None
) -> AccountMemberPayload:
    caller = require_buyer(info)
    outcome = await run_mutation(info, lambda s: admin.add_member(s, caller, email, role.value, approval_limit))
    return _member_payload(info, outcome)


async def set_account_member_role(
    info: strawberry.Info, user_id: strawberry.ID, role: AccountRole, approval_limit: str | None = None
) -> AccountMemberPayload:
    caller = require_buyer(info)
    outcome = await run_mutation(
        info, lambda s: admin.set_member_role(s, caller, str(user_id), role.value, approval_limit)
    )
    return _member_payload(info, outcome)


async def remove_account_member(info: strawberry.Info, user_id: strawberry.ID) -> RemoveAccountMemberPayload:
    caller = require_buyer(info)
    outcome = await run_mutation(info, lambda s: admin.remove_member(s, caller, str(user_id)))
    removed = outcome.value if outcome.commit else None
    return RemoveAccountMemberPayload(
        removed_user_id=strawberry.ID(removed) if removed else None, errors=user_errors(outcome.errors)
    )


async def create_approval_rule(info: strawberry.Info, input: ApprovalRuleInput) -> ApprovalRulePayload:
    caller = require_buyer(info)
    inp = admin.RuleInput(
        name=input.name,
        min_amount=input.min_amount,
        supplier=input.supplier,
        sku=input.sku,
        requester_role=input.requester_role.value if input.requester_role else None,
        approver_role=input.approver_role.value,
        second_tier_amount=input.second_tier_amount,
        second_tier_role=input.second_tier_role.value if input.second_tier_role else None,
    )
    outcome = await run_mutation(info, lambda s: admin.create_rule(s, caller, inp))
    rule = outcome.value if outcome.commit else None
    return ApprovalRulePayload(
        approval_rule=ApprovalRule.of(rule, caller.currency) if rule is not None else None,
        errors=user_errors(outcome.errors),
    )


async def delete_approval_rule(info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
    caller = require_buyer(info)
    outcome = await run_mutation(info, lambda s: admin.delete_rule(s, caller, str(id)))
    return DeletedPayload(
        deleted_id=strawberry.ID(outcome.value) if outcome.commit and outcome.value else None,
        errors=user_errors(outcome.errors),
    )


def _budget_caller(info: strawberry.Info):  # noqa: ANN202
    caller = require_user(info)
    if not caller.is_buyer and not caller.is_operator:
        raise forbidden("buyers and operators only")
    return caller


async def set_budget(info: strawberry.Info, input: BudgetInput) -> BudgetPayload:
    caller = _budget_caller(info)
    account = str(input.account_id) if input.account_id else None
    outcome = await run_mutation(
        info,
        lambda s: admin.set_budget(
            s,
            caller,
            account,
            input.cost_centre,
            input.period.value,
            input.amount,
            input.mode.value if input.mode else None,
        ),
    )
    view = outcome.value if outcome.commit else None
    return BudgetPayload(budget=Budget.of(view) if view is not None else None, errors=user_errors(outcome.errors))


async def delete_budget(info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
    caller = _budget_caller(info)
    outcome = await run_mutation(info, lambda s: admin.delete_budget(s, caller, str(id)))
    return DeletedPayload(
        deleted_id=strawberry.ID(outcome.value) if outcome.commit and outcome.value else None,
        errors=user_errors(outcome.errors),
    )


async def set_account_payment_terms(
    info: strawberry.Info, account_id: strawberry.ID, terms: PaymentTermsInput | None = None
) -> PaymentTermsPayload:
    caller = require_operator(info)
    kind, days = (terms.type.value, terms.days) if terms else (None, None)
    outcome = await run_mutation(info, lambda s: admin.set_payment_terms(s, caller, str(account_id), kind, days))
    account = outcome.value if outcome.commit else None
    return PaymentTermsPayload(
        payment_terms=terms_of(account) if account is not None else None, errors=user_errors(outcome.errors)
    )


async def request_approval(
    info: strawberry.Info,
    draft_order_id: strawberry.ID,
    comment: str | None = None,
    place_rest: bool = False,
    payment_method_id: strawberry.ID | None = None,
    expected_version: int | None = None,
) -> ApprovalPayload:
    caller = require_buyer(info)
    outcome = await run_mutation(
        info,
        lambda s: flow.request_approval(
            s,
            caller,
            str(draft_order_id),
            comment,
            place_rest=place_rest,
            payment_method_id=str(payment_method_id) if payment_method_id else None,
            expected_version=expected_version,
            payment=ctx_of(info).payment_config(),
        ),
    )
    return approval_payload(outcome)


async def _decide(
    info: strawberry.Info, id: strawberry.ID, parts: list[strawberry.ID] | None, comment: str | None, approve: bool
) -> ApprovalPayload:
    caller = require_buyer(info)
    chosen = [str(p) for p in parts] if parts is not None else None
    outcome = await run_mutation(
        info,
        lambda s: flow.decide(
            s, caller, str(id), chosen, comment, approve=approve, payment=ctx_of(info).payment_config()
        ),
    )
    return approval_payload(outcome)


async def approve_draft_order(
    info: strawberry.Info, id: strawberry.ID, parts: list[strawberry.ID] | None = None, comment: str | None = None
) -> ApprovalPayload:
    return await _decide(info, id, parts, comment, approve=True)


async def reject_draft_order(
    info: strawberry.Info, id: strawberry.ID, parts: list[strawberry.ID] | None = None, comment: str | None = None
) -> ApprovalPayload:
    return await _decide(info, id, parts, comment, approve=False)
