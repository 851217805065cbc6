"""Bounds on list inputs that the token limit does not catch (one long list of short items)."""

from __future__ import annotations

from collections.abc import Sized

from app.services.common.errors import ErrorCode, Problem, Refusal


def too_many(items: Sized, limit: int, name: str) -> None:
    """Refuse the unit of work when a list input is longer than its limit."""
    if len(items) > limit:
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, f"at most {limit} {name}", field=("input", name)))
