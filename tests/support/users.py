"""Users beyond the demo data's, and the `Caller` of a demo user for service-level tests (no HTTP)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import ApiKey, AuthToken, User, utcnow
from app.services.access.request_context import resolve_caller
from app.services.common.caller import Caller
from app.services.common.secrets import digest, new_token
from app.services.importer import import_data
from tests.support.gateway import API_KEY, Gateway


async def extra_buyers(gw: Gateway, n: int) -> list[dict]:
    users = [
        {
            "email": f"buyer{i}@acme.example",
            "password": "demo-password",
            "role": "BUYER",
            "accounts": ["ACME"],
            "defaultAccount": "ACME",
            "profileCompleted": True,
        }
        for i in range(n)
    ]
    async with gw.session_factory() as s, s.begin():
        await import_data(s, {"tenants": [{"externalId": "demo", "name": "Demo", "users": users}]})
    return list(await asyncio.gather(*(gw.as_user(u["email"]) for u in users)))


async def caller_for(
    session: AsyncSession, email: str, *, client: str = "ACCOUNT", key: str = API_KEY, **headers: str
) -> Caller:
    """The `Caller` the gateway builds for `email` signed in with `client` (ACCOUNT or OPERATOR): a token row
    is added for the user (no password check, no argon2) and the request headers are resolved by the gateway's
    own `resolve_caller`, so store, account, group and operator stores come out as over HTTP. `headers` adds
    request headers by their HTTP name with `_` for `-` (dj_store="...", customer_account_id="...")."""
    tenant_id = await session.scalar(select(ApiKey.tenant_id).where(ApiKey.key_hash == digest(key)))
    user = await session.scalar(select(User).where(User.tenant_id == tenant_id, User.email == email))
    assert user is not None, f"no user {email} for that API key"
    token = new_token()
    expires_at = utcnow() + timedelta(hours=1)
    session.add(AuthToken(tenant_id=tenant_id, user_id=user.id, token_hash=digest(token), expires_at=expires_at))
    await session.flush()
    wanted = {"dj-api-key": key, "dj-client": client, "authorization": f"Bearer {token}"}
    wanted.update({name.replace("_", "-"): value for name, value in headers.items()})
    return await resolve_caller(session, wanted)


async def gateway_caller(gw: Gateway, email: str, *, client: str = "ACCOUNT") -> Caller:
    """`caller_for` on the gateway's own database, committed: for tests that set up over HTTP and then call a
    service directly (the token row must not hold SQLite's write lock while the gateway writes)."""
    async with gw.session_factory() as session, session.begin():
        return await caller_for(session, email, client=client)
