"""Resolution of the request headers (SPEC section 3) into a `Caller`, or a refusal."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from sqlalchemy import Row, ScalarSelect, Select, and_, bindparam, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.models import (
    Account,
    AccountStore,
    ApiKey,
    ApprovalRule,
    AuthToken,
    Budget,
    Membership,
    Store,
    StoreView,
    Tenant,
    User,
    UserStore,
    utcnow,
)
from app.services.common.caller import ACCOUNT, CLIENTS, OPERATOR, Caller
from app.services.common.errors import TopLevelCode
from app.services.common.secrets import digest

_STORE_SEPARATOR = " "  # store ids are generated tokens without spaces
_MAX_HEADER = 512


class AccessDenied(Exception):
    """The request cannot proceed: UNAUTHENTICATED (HTTP 401) or FORBIDDEN (HTTP 403)."""

    def __init__(self, code: TopLevelCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def http_status(self) -> int:
        return 401 if self.code == TopLevelCode.UNAUTHENTICATED else 403


def _unauth(message: str) -> AccessDenied:
    return AccessDenied(TopLevelCode.UNAUTHENTICATED, message)


def _forbidden(message: str) -> AccessDenied:
    return AccessDenied(TopLevelCode.FORBIDDEN, message)


def parse_authorization(value: str | None) -> str | None:
    """`Bearer <token>` or, for legacy clients, `Token <token>`. None when absent."""
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() not in ("bearer", "token") or not token or " " in token:
        raise _unauth("Authorization must be 'Bearer <token>' or 'Token <token>'")
    return token


async def resolve_caller(session: AsyncSession, headers: Mapping[str, str]) -> Caller:
    for name in ("dj-api-key", "authorization", "dj-store", "dj-store-view", "customer-account-id"):
        if len(headers.get(name) or "") > _MAX_HEADER:
            raise (
                _unauth(f"header {name} is too long")
                if name in ("dj-api-key", "authorization")
                else (_forbidden(f"header {name} is too long"))
            )
    api_key = headers.get("dj-api-key")
    if not api_key:
        raise _unauth("the dj-api-key header is required")
    wanted_store = headers.get("dj-store")
    client = (headers.get("dj-client") or "").strip().upper()
    try:
        token = parse_authorization(headers.get("authorization"))
        token_refusal: AccessDenied | None = None
    except AccessDenied as refused:  # raised below, in the order of the checks
        token, token_refusal = None, refused
    wanted_account = headers.get("customer-account-id")
    with_token = token is not None and client in CLIENTS
    buyer = with_token and client == ACCOUNT
    statement = caller_statement(
        named_store=bool(wanted_store), with_token=with_token, buyer=buyer, named_account=buyer and bool(wanted_account)
    )
    params = {"key": digest(api_key)}
    if wanted_store:
        params["store"] = wanted_store
    if with_token:
        params["token"] = digest(token)
    if buyer and wanted_account:
        params["account"] = wanted_account
    row = (await session.execute(statement, params)).first()
    if row is None:
        raise _unauth("unknown API key")

    if client not in CLIENTS:
        raise _unauth("the dj-client header must be ACCOUNT or OPERATOR")
    if token_refusal is not None:
        raise token_refusal

    user_id = _user_of(row) if token is not None else None
    if user_id is not None:
        if client == OPERATOR and row.role != "OPERATOR":
            raise _forbidden("this user is not an operator")
        if client == ACCOUNT and row.role != "BUYER":
            raise _forbidden("operators use dj-client: OPERATOR")

    if row.store_id is None:
        raise _forbidden(f"unknown store {wanted_store!r}" if wanted_store else "the tenant has no default store")
    view = await _store_view(session, row.store_id, headers.get("dj-store-view"))

    account_id: str | None = None
    operator_stores: frozenset[str] = frozenset()
    if user_id is not None and client == ACCOUNT:
        account_id = row.account_id
        if account_id is None:
            raise _forbidden(
                "customer-account-id is not one of the user's accounts" if wanted_account else "user has no account"
            )
        if row.attached is None:
            raise _forbidden("the account is not attached to this store")
    elif user_id is not None:
        operator_stores = frozenset((row.operator_stores or "").split(_STORE_SEPARATOR)) - {""}
        if row.store_id not in operator_stores:
            raise _forbidden("the operator is not attached to this store")

    return Caller(
        tenant_id=row.tenant_id,
        flags=frozenset(row.flags or ()),
        client=client,
        store_id=row.store_id,
        store_view_id=view.id if view else None,
        currency=(view.currency if view and view.currency else row.currency),
        user_id=user_id,
        user_email=row.email if user_id else None,
        account_id=account_id,
        group_id=row.group_id if account_id else None,
        token_id=row.token_id if user_id else None,
        operator_store_ids=operator_stores,
        account_role=row.account_role if account_id else None,
        controls=_controls(row) if account_id else frozenset(),
    )


_CONTROLS = ("RULES", "RULES_MINE", "BUDGET_ACCOUNT", "BUDGET_CENTRES", "TERMS")


def _controls(row: Row) -> frozenset[str]:
    return frozenset(name for name in _CONTROLS if getattr(row, f"has_{name.lower()}"))


@cache
def caller_statement(*, named_store: bool, with_token: bool, buyer: bool, named_account: bool) -> Select:
    """One statement for everything a request's caller needs but the store view: the tenant and effective
    store (named by dj-store, else the default one); with a token, its user; for a buyer, the account it acts
    for and whether that account is attached to the store; for an operator, the stores it is attached to.
    Absent parts come back as None (outer joins), and resolve_caller refuses them in the order of SPEC
    section 3.

    Built once per shape, with bound parameters (:key, :store, :token, :account), and reading plain columns:
    it runs on every request, so neither statement construction nor ORM entities are paid for each time."""
    store_match = (
        and_(Store.tenant_id == Tenant.id, Store.external_id == bindparam("store"))
        if named_store
        else Store.id == Tenant.default_store_id
    )
    query = (
        select(Tenant.id.label("tenant_id"), Tenant.flags, Store.id.label("store_id"), Store.currency)
        .join(ApiKey, ApiKey.tenant_id == Tenant.id)
        .outerjoin(Store, store_match)
        .where(ApiKey.key_hash == bindparam("key"))
    )
    if not with_token:
        return query
    query = (
        query.add_columns(
            User.id.label("user_id"),
            User.email,
            User.role,
            User.active,
            AuthToken.id.label("token_id"),
            AuthToken.revoked_at,
            AuthToken.expires_at,
        )
        .outerjoin(AuthToken, and_(AuthToken.token_hash == bindparam("token"), AuthToken.tenant_id == Tenant.id))
        .outerjoin(User, User.id == AuthToken.user_id)
    )
    if not buyer:  # an operator: the stores it is attached to, as one string (ids hold no separator)
        stores = (
            select(func.aggregate_strings(UserStore.store_id, _STORE_SEPARATOR))
            .where(UserStore.user_id == User.id)
            .correlate(User)
            .scalar_subquery()
        )
        return query.add_columns(stores.label("operator_stores"))
    return (
        query.add_columns(Account.id.label("account_id"), Account.group_id, AccountStore.store_id.label("attached"))
        .add_columns(*_purchasing_columns())
        .outerjoin(Account, Account.id == _chosen_account(named_account))
        .outerjoin(AccountStore, and_(AccountStore.account_id == Account.id, AccountStore.store_id == Store.id))
    )


def _purchasing_columns() -> list:
    """The buyer's role in the account and which purchasing controls the account has (docs/b2b.md), read in
    the caller's one statement so that accounts without controls pay no statement for them."""
    role = (
        select(Membership.role)
        .where(Membership.user_id == User.id, Membership.account_id == Account.id)
        .correlate(User, Account)
        .scalar_subquery()
    )
    rules = and_(ApprovalRule.account_id == Account.id, ApprovalRule.active)
    budgets = Budget.account_id == Account.id
    return [
        role.label("account_role"),
        exists().where(rules).correlate(Account).label("has_rules"),
        exists()
        .where(rules, or_(ApprovalRule.requester_role.is_(None), ApprovalRule.requester_role == role))
        .correlate(Account, User)
        .label("has_rules_mine"),
        exists().where(budgets, Budget.cost_centre.is_(None)).correlate(Account).label("has_budget_account"),
        exists().where(budgets, Budget.cost_centre.is_not(None)).correlate(Account).label("has_budget_centres"),
        Account.payment_terms.is_not(None).label("has_terms"),
    ]


def _chosen_account(named: bool) -> ScalarSelect:
    """The id of the account the buyer acts for: the one named by customer-account-id (:account), else the
    user's default one, else its first; always one of the user's memberships."""
    account, membership = aliased(Account), aliased(Membership)
    query = (
        select(account.id).join(membership, membership.account_id == account.id).where(membership.user_id == User.id)
    )
    if named:
        query = query.where(or_(account.id == bindparam("account"), account.external_id == bindparam("account")))
    else:
        query = query.where(or_(User.default_account_id.is_(None), account.id == User.default_account_id))
    return query.order_by(account.id).limit(1).correlate(User).scalar_subquery()


def _user_of(row: Row) -> str:
    """The token's user id, once the token and the user are good."""
    if row.user_id is None or row.token_id is None:
        raise _unauth("invalid token")
    if row.revoked_at is not None:
        raise _unauth("the token has been revoked")
    if row.expires_at <= utcnow():
        raise _unauth("the token has expired")
    if not row.active:
        raise _unauth("the user is disabled")
    return row.user_id


async def _store_view(session: AsyncSession, store_id: str, external_id: str | None) -> StoreView | None:
    if not external_id:
        return None
    view = await session.scalar(
        select(StoreView).where(StoreView.store_id == store_id, StoreView.external_id == external_id)
    )
    if view is None:
        raise _forbidden(f"store view {external_id!r} does not belong to the store")
    return view
