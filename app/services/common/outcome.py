"""What a unit of work produced, and whether it commits.

Every service entry point that writes returns an `Outcome`. The mutation wrapper commits when
`outcome.commit` is true and rolls back otherwise; it never infers it from "returned vs raised":

- `Outcome.done(value, errors=..., warnings=...)`: commit. Errors here are per-item refusals of a
  partially applied request (a line edit where some lines were invalid), or a recorded attempt (a payment
  refused by its provider is stored with the order back in draft).
- `Outcome.refused(*errors)`: roll back everything; the value (when given) is read after the rollback.

Deep helpers may raise `Refusal`; the `@service` decorator of the entry point turns it into a refused
Outcome, so the decision stays inside the service layer.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, ParamSpec, TypeVar

from app.services.common.errors import Problem, Refusal

T = TypeVar("T")
P = ParamSpec("P")


@dataclass
class Outcome(Generic[T]):
    value: T | None
    commit: bool
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @classmethod
    def done(cls, value: T | None, *, errors: Iterable[Problem] = (), warnings: Iterable[Problem] = ()) -> Outcome[T]:
        return cls(value, True, list(errors), list(warnings))

    @classmethod
    def refused(cls, *errors: Problem, value: T | None = None, warnings: Iterable[Problem] = ()) -> Outcome[T]:
        return cls(value, False, list(errors), list(warnings))

    @classmethod
    def from_refusal(cls, refusal: Refusal) -> Outcome[T]:
        """Blocking problems are the errors; non-blocking notes (skipped source lines) the warnings."""
        return cls.refused(
            *(p for p in refusal.problems if p.blocking),
            value=refusal.value,  # type: ignore[arg-type]
            warnings=[p for p in refusal.problems if not p.blocking],
        )


def service(fn: Callable[P, Awaitable[Outcome[T]]]) -> Callable[P, Awaitable[Outcome[T]]]:
    """Mark a service entry point: a `Refusal` raised anywhere below becomes a refused Outcome."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> Outcome[T]:
        try:
            return await fn(*args, **kwargs)
        except Refusal as refusal:
            return Outcome.from_refusal(refusal)

    return wrapper
