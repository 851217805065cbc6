"""Roles of a user in an account and what each may do: the one place every service asks (docs/b2b.md has the
table). A role is a set of named permissions; a service names the permission it needs, never a role."""

from __future__ import annotations

from enum import StrEnum

from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal


class AccountRole(StrEnum):
    ADMIN = "ADMIN"  # manages members, roles, approval rules, budgets; buys and approves
    BUYER = "BUYER"  # creates and places drafts within the rules
    APPROVER = "APPROVER"  # approves supplier parts (within its approval limit); reads the account's orders
    VIEWER = "VIEWER"  # reads the account's drafts and orders


class Permission(StrEnum):
    VIEW_ORDERS = "VIEW_ORDERS"  # read the account's drafts and orders
    EDIT_DRAFTS = "EDIT_DRAFTS"  # create, edit and delete drafts (and the cart)
    PLACE_ORDERS = "PLACE_ORDERS"  # place drafts, ask for approval, pay orders
    APPROVE_ORDERS = "APPROVE_ORDERS"  # approve or reject other users' supplier parts
    MANAGE_MEMBERS = "MANAGE_MEMBERS"  # add and remove members, set their roles
    MANAGE_RULES = "MANAGE_RULES"  # approval rules
    MANAGE_BUDGETS = "MANAGE_BUDGETS"  # budgets and cost centres' limits


P = Permission
ROLE_PERMISSIONS: dict[AccountRole, frozenset[Permission]] = {
    AccountRole.ADMIN: frozenset(Permission),
    AccountRole.BUYER: frozenset({P.VIEW_ORDERS, P.EDIT_DRAFTS, P.PLACE_ORDERS}),
    AccountRole.APPROVER: frozenset({P.VIEW_ORDERS, P.APPROVE_ORDERS}),
    AccountRole.VIEWER: frozenset({P.VIEW_ORDERS}),
}


def permissions_of(role: str | None) -> frozenset[Permission]:
    try:
        return ROLE_PERMISSIONS[AccountRole(role)] if role else frozenset()
    except ValueError:
        return frozenset()


def may(caller: Caller, permission: Permission) -> bool:
    """Whether the caller may do it in the account it acts for. Operators and the gateway itself are not
    account members: they are governed by their own rules (SPEC 3), so this answers True for them."""
    if not caller.is_buyer:
        return True
    return permission in permissions_of(caller.account_role)


def require(caller: Caller, permission: Permission) -> None:
    """Refuse the unit of work (FORBIDDEN) unless the caller's role holds the permission."""
    if not may(caller, permission):
        role = caller.account_role or "no role"
        raise Refusal(
            Problem(ErrorCode.FORBIDDEN, f"your role in this account ({role}) does not allow {permission.value}")
        )
