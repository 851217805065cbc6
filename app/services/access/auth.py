"""Tokens: created from email and password, opaque, expiring, revocable, stored as digests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuthToken, User, utcnow
from app.services.access.throttle import Policy, address_key, begin_attempt, email_key, record_failure, record_success
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service
from app.services.common.secrets import digest, new_token, verify_password

MAX_EMAIL = 254
MAX_PASSWORD = 1024


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class SignInRefused:
    """Wrong credentials or throttled: an outcome that commits with its error, because the failure counters
    written by the attempt must be kept."""

    retry_after: int = 0  # seconds, for RATE_LIMITED


@dataclass(frozen=True)
class SignInPolicies:
    email: Policy
    address: Policy


@service
async def create_token(
    session: AsyncSession,
    tenant_id: str,
    email: str,
    password: str,
    ttl_seconds: int,
    *,
    client_address: str,
    policies: SignInPolicies,
) -> Outcome[IssuedToken | SignInRefused]:
    email = email.strip().lower()
    if not email or len(email) > MAX_EMAIL or "@" not in email:
        return Outcome.refused(
            Problem(ErrorCode.INVALID_INPUT, "email must be an address of at most 254 characters", field=("email",))
        )
    if not password or len(password) > MAX_PASSWORD:
        return Outcome.refused(
            Problem(ErrorCode.INVALID_INPUT, "password must be 1 to 1024 characters", field=("password",))
        )
    # The email's key comes first (throttle.begin_attempt). Unknown emails get counters too.
    attempt = await begin_attempt(
        session,
        [(email_key(tenant_id, email), policies.email), (address_key(client_address), policies.address)],
    )
    if attempt.retry_after:
        message = f"too many failed sign-ins: retry in {attempt.retry_after} s"
        return Outcome.done(SignInRefused(attempt.retry_after), errors=[Problem(ErrorCode.RATE_LIMITED, message)])
    user = await session.scalar(select(User).where(User.tenant_id == tenant_id, User.email == email))
    # Same cost (one argon2 verification) whether or not the email exists.
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        record_failure(attempt)
        return Outcome.done(SignInRefused(), errors=[Problem(ErrorCode.INVALID_CREDENTIALS, "wrong email or password")])
    record_success(attempt)
    token = new_token()
    expires_at = utcnow() + timedelta(seconds=ttl_seconds)
    session.add(AuthToken(tenant_id=tenant_id, user_id=user.id, token_hash=digest(token), expires_at=expires_at))
    return Outcome.done(IssuedToken(token=token, expires_at=expires_at))


@service
async def revoke_token(session: AsyncSession, caller: Caller, token: str | None) -> Outcome[bool]:
    """Revoke the given token (of the caller) or, without one, the token of the current request."""
    query = update(AuthToken).where(AuthToken.tenant_id == caller.tenant_id, AuthToken.revoked_at.is_(None))
    if token:
        if len(token) > 512:
            return Outcome.done(False)
        query = query.where(AuthToken.token_hash == digest(token), AuthToken.user_id == caller.user_id)
    elif caller.token_id:
        query = query.where(AuthToken.id == caller.token_id)
    else:
        return Outcome.done(False)
    result = await session.execute(query.values(revoked_at=utcnow()))
    return Outcome.done(result.rowcount > 0)
