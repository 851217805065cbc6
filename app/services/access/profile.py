"""updateProfile: the buyer completes its own profile, which checkout requires (PROFILE_INCOMPLETE).

A profile is complete when it has what an order names its buyer with: an email (every user has one, it is
how they sign in), a first name and a last name. Setting both names completes it (`profile_completed`), so
a buyer needs no operator to become able to check out. A name cannot be cleared (an empty value is refused),
and a profile completed by an import stays completed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service

REQUIRED = ("first_name", "last_name")
LIMITS = {name: User.__table__.c[name].type.length for name in REQUIRED}


@dataclass(frozen=True)
class ProfileChange:
    """None: unchanged."""

    first_name: str | None = None
    last_name: str | None = None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def is_complete(user: User) -> bool:
    return all((getattr(user, name) or "").strip() for name in REQUIRED)


@service
async def update_profile(session: AsyncSession, caller: Caller, change: ProfileChange) -> Outcome[User]:
    values: dict[str, str] = {}
    problems: list[Problem] = []
    for f in fields(change):
        raw = getattr(change, f.name)
        if raw is None:
            continue
        text, path = " ".join(raw.split()), ("input", _camel(f.name))
        if not text:
            problems.append(Problem(ErrorCode.INVALID_INPUT, f"{_camel(f.name)} cannot be empty", field=path))
        elif len(text) > LIMITS[f.name]:
            message = f"{_camel(f.name)} is limited to {LIMITS[f.name]} characters"
            problems.append(Problem(ErrorCode.INVALID_INPUT, message, field=path))
        values[f.name] = text
    if problems:
        return Outcome.refused(*problems)
    user = await session.scalar(
        select(User)
        .where(User.id == caller.user_id, User.tenant_id == caller.tenant_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if user is None:  # a token outlives no user (tokens cascade), but answer plainly if it ever did
        return Outcome.refused(Problem(ErrorCode.NOT_FOUND, "no such user"))
    for name, value in values.items():
        setattr(user, name, value)
    if is_complete(user):
        user.profile_completed = True
    await session.flush()
    return Outcome.done(user)
