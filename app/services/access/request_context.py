"""Resolution of the request headers (SPEC section 3) into a `Caller`, or a refusal."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

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
    # Tenant and effective store in one statement: the store named by dj-store, else the default one.
    wanted_store = headers.get("dj-store")
    store_match = (
        and_(Store.tenant_id == Tenant.id, Store.external_id == wanted_store)
        if wanted_store
        else Store.id == Tenant.default_store_id
    )
    row = (
        await session.execute(
            select(Tenant, Store)
            .join(ApiKey, ApiKey.tenant_id == Tenant.id)
            .outerjoin(Store, store_match)
            .where(ApiKey.key_hash == digest(api_key))
        )
    ).first()
    if row is None:
        raise _unauth("unknown API key")
    tenant, store = row

    client = (headers.get("dj-client") or "").strip().upper()
    if client not in CLIENTS:
        raise _unauth("the dj-client header must be ACCOUNT or OPERATOR")

    user, token_id = await _user_from_token(session, tenant.id, parse_authorization(headers.get("authorization")))
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
        account = await _account(session, user, headers.get("customer-account-id"), store.id)
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


async def _user_from_token(session: AsyncSession, tenant_id: str, token: str | None) -> tuple[User | None, str | None]:
    if token is None:
        return None, None
    row = (
        await session.execute(
            select(User, AuthToken)
            .join(AuthToken, AuthToken.user_id == User.id)
            .where(AuthToken.token_hash == digest(token), AuthToken.tenant_id == tenant_id)
        )
    ).first()
    if row is None:
        raise _unauth("invalid token")
    user, tok = row
    if tok.revoked_at is not None:
        raise _unauth("the token has been revoked")
    if tok.expires_at <= utcnow():
        raise _unauth("the token has expired")
    if not user.active:
        raise _unauth("the user is disabled")
    return user, tok.id


async def _store_view(session: AsyncSession, store: Store, external_id: str | None) -> StoreView | None:
    if not external_id:
        return None
    view = await session.scalar(
        select(StoreView).where(StoreView.store_id == store.id, StoreView.external_id == external_id)
    )
    if view is None:
        raise _forbidden(f"store view {external_id!r} does not belong to the store")
    return view


async def _account(session: AsyncSession, user: User, wanted: str | None, store_id: str) -> Account:
    """The account the buyer acts for, and whether it is attached to the store, in one statement."""
    query = (
        select(Account, AccountStore.store_id)
        .join(Membership, Membership.account_id == Account.id)
        .outerjoin(AccountStore, and_(AccountStore.account_id == Account.id, AccountStore.store_id == store_id))
        .where(Membership.user_id == user.id)
    )
    if wanted:
        query = query.where(or_(Account.id == wanted, Account.external_id == wanted))
    elif user.default_account_id:
        query = query.where(Account.id == user.default_account_id)
    row = (await session.execute(query.order_by(Account.id).limit(1))).first()
    if row is None:
        raise _forbidden("customer-account-id is not one of the user's accounts" if wanted else "user has no account")
    account, attached = row
    if attached is None:
        raise _forbidden("the account is not attached to this store")
    return account
