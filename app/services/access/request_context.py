"""Resolution of the request headers (SPEC section 3) into a `Caller`, or a refusal."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import ScalarSelect, Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.models import (
    Account,
    AccountStore,
    ApiKey,
    AuthToken,
    Membership,
    Store,
    StoreView,
    Tenant,
    User,
    UserStore,
    utcnow,
)
from app.services.access.caller import Caller
from app.services.common.errors import TopLevelCode
from app.services.common.secrets import digest

CLIENTS = ("ACCOUNT", "OPERATOR")
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
    row = (await session.execute(_caller_query(api_key, wanted_store, client, token, headers))).first()
    if row is None:
        raise _unauth("unknown API key")
    tenant, store = row[0], row[1]

    if client not in CLIENTS:
        raise _unauth("the dj-client header must be ACCOUNT or OPERATOR")
    if token_refusal is not None:
        raise token_refusal

    user, token_id = _user_of(row[2], row[3]) if token is not None else (None, None)
    if user is not None:
        if client == "OPERATOR" and user.role != "OPERATOR":
            raise _forbidden("this user is not an operator")
        if client == "ACCOUNT" and user.role != "BUYER":
            raise _forbidden("operators use dj-client: OPERATOR")

    if store is None:
        raise _forbidden(f"unknown store {wanted_store!r}" if wanted_store else "the tenant has no default store")
    view = await _store_view(session, store, headers.get("dj-store-view"))

    account: Account | None = None
    operator_stores: frozenset[str] = frozenset()
    if user is not None and client == "ACCOUNT":
        account, attached = row[4], row[5]
        if account is None:
            wanted = headers.get("customer-account-id")
            raise _forbidden(
                "customer-account-id is not one of the user's accounts" if wanted else "user has no account"
            )
        if attached is None:
            raise _forbidden("the account is not attached to this store")
    elif user is not None:
        operator_stores = frozenset(
            (await session.scalars(select(UserStore.store_id).where(UserStore.user_id == user.id))).all()
        )
        if store.id not in operator_stores:
            raise _forbidden("the operator is not attached to this store")

    return Caller(
        tenant_id=tenant.id,
        flags=frozenset(tenant.flags or ()),
        client=client,
        store_id=store.id,
        store_view_id=view.id if view else None,
        currency=(view.currency if view and view.currency else store.currency),
        user_id=user.id if user else None,
        user_email=user.email if user else None,
        account_id=account.id if account else None,
        group_id=account.group_id if account else None,
        token_id=token_id,
        operator_store_ids=operator_stores,
    )


def _caller_query(
    api_key: str, wanted_store: str | None, client: str, token: str | None, headers: Mapping[str, str]
) -> Select:
    """One statement for everything a request's caller needs but the store view and an operator's stores:
    the tenant and effective store (named by dj-store, else the default one); with a token, its user; for a
    buyer, the account it acts for and whether that account is attached to the store. Absent parts come back
    as None (outer joins), and resolve_caller refuses them in the order of SPEC section 3."""
    store_match = (
        and_(Store.tenant_id == Tenant.id, Store.external_id == wanted_store)
        if wanted_store
        else Store.id == Tenant.default_store_id
    )
    query = (
        select(Tenant, Store)
        .join(ApiKey, ApiKey.tenant_id == Tenant.id)
        .outerjoin(Store, store_match)
        .where(ApiKey.key_hash == digest(api_key))
    )
    if token is None or client not in CLIENTS:
        return query
    query = (
        query.add_columns(User, AuthToken)
        .outerjoin(AuthToken, and_(AuthToken.token_hash == digest(token), AuthToken.tenant_id == Tenant.id))
        .outerjoin(User, User.id == AuthToken.user_id)
    )
    if client != "ACCOUNT":
        return query
    return (
        query.add_columns(Account, AccountStore.store_id)
        .outerjoin(Account, Account.id == _chosen_account(headers.get("customer-account-id")))
        .outerjoin(AccountStore, and_(AccountStore.account_id == Account.id, AccountStore.store_id == Store.id))
    )


def _chosen_account(wanted: str | None) -> ScalarSelect:
    """The id of the account the buyer acts for: the one named by customer-account-id, else the user's
    default one, else its first; always one of the user's memberships."""
    account, membership = aliased(Account), aliased(Membership)
    query = (
        select(account.id).join(membership, membership.account_id == account.id).where(membership.user_id == User.id)
    )
    if wanted:
        query = query.where(or_(account.id == wanted, account.external_id == wanted))
    else:
        query = query.where(or_(User.default_account_id.is_(None), account.id == User.default_account_id))
    return query.order_by(account.id).limit(1).correlate(User).scalar_subquery()


def _user_of(user: User | None, token: AuthToken | None) -> tuple[User, str]:
    if user is None or token is None:
        raise _unauth("invalid token")
    if token.revoked_at is not None:
        raise _unauth("the token has been revoked")
    if token.expires_at <= utcnow():
        raise _unauth("the token has expired")
    if not user.active:
        raise _unauth("the user is disabled")
    return user, token.id


async def _store_view(session: AsyncSession, store: Store, external_id: str | None) -> StoreView | None:
    if not external_id:
        return None
    view = await session.scalar(
        select(StoreView).where(StoreView.store_id == store.id, StoreView.external_id == external_id)
    )
    if view is None:
        raise _forbidden(f"store view {external_id!r} does not belong to the store")
    return view
