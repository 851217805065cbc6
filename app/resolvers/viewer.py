"""The viewer query and the token mutations."""

from __future__ import annotations

import strawberry

from app.resolvers.common import ctx_of, require_user, run_mutation
from app.schema.approval_parts import AccountRole
from app.schema.common import user_errors
from app.schema.viewer import (
    Account,
    ClientType,
    CreateTokenPayload,
    CustomerUser,
    RevokeTokenPayload,
    Store,
    StoreView,
    Viewer,
)
from app.services.access import auth
from app.services.access.permissions import permissions_of
from app.services.access.throttle import Policy
from app.services.access.viewer import load_viewer


async def viewer(info: strawberry.Info) -> Viewer:
    ctx = ctx_of(info)
    async with ctx.read() as session:
        data = await load_viewer(session, ctx.caller)
    return Viewer(
        client_type=ClientType(ctx.caller.client),
        user=CustomerUser.of(data.user) if data.user else None,
        account=Account.of(data.account) if data.account else None,
        store=Store.of(data.store),
        store_view=StoreView.of(data.store_view) if data.store_view else None,
        currency=ctx.caller.currency,
        account_role=AccountRole(ctx.caller.account_role) if ctx.caller.account_role else None,
        account_permissions=sorted(permissions_of(ctx.caller.account_role)),
    )


async def create_token(info: strawberry.Info, email: str, password: str) -> CreateTokenPayload:
    ctx = ctx_of(info)
    st = ctx.settings
    policies = auth.SignInPolicies(
        email=Policy(st.login_free_failures, st.login_max_backoff_seconds),
        address=Policy(st.login_free_failures_per_address, st.login_max_backoff_seconds),
    )
    client = ctx.request.client.host if ctx.request.client else "unknown"
    outcome = await run_mutation(
        info,
        lambda s: auth.create_token(
            s, ctx.caller.tenant_id, email, password, st.token_ttl_seconds, client_address=client, policies=policies
        ),
    )
    issued = outcome.value if isinstance(outcome.value, auth.IssuedToken) else None
    if isinstance(outcome.value, auth.SignInRefused) and outcome.value.retry_after:
        ctx.request.state.retry_after = outcome.value.retry_after  # sent as the Retry-After header (app/asgi.py)
    return CreateTokenPayload(
        token=issued.token if issued else None,
        expires_at=issued.expires_at if issued else None,
        errors=user_errors(outcome.errors),
    )


async def revoke_token(info: strawberry.Info, token: str | None = None) -> RevokeTokenPayload:
    caller = require_user(info)
    outcome = await run_mutation(info, lambda s: auth.revoke_token(s, caller, token))
    return RevokeTokenPayload(revoked=bool(outcome.value), errors=user_errors(outcome.errors))
