"""Helpers shared by resolvers: caller checks and the mutation wrapper."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from strawberry.types.nodes import SelectedField

from app.context import RequestContext
from app.schema.common import bad_request, forbidden, unauthenticated
from app.services.common.caller import Caller
from app.services.common.outcome import Outcome
from app.services.common.paging import BadArgument, window

T = TypeVar("T")


def ctx_of(info: strawberry.Info) -> RequestContext:
    return info.context


def require_buyer(info: strawberry.Info) -> Caller:
    caller = ctx_of(info).caller
    if not caller.is_buyer:
        raise forbidden("this field is for buyers (dj-client: ACCOUNT)")
    if caller.account_id is None:
        raise unauthenticated()
    return caller


def require_operator(info: strawberry.Info) -> Caller:
    caller = ctx_of(info).caller
    if caller.user_id is None:
        raise unauthenticated()
    if not caller.is_operator:
        raise forbidden("operators only (dj-client: OPERATOR with an operator's token)")
    return caller


def require_user(info: strawberry.Info) -> Caller:
    caller = ctx_of(info).caller
    if caller.user_id is None:
        raise unauthenticated()
    return caller


async def run_mutation(
    info: strawberry.Info, work: Callable[..., Awaitable[Outcome[T]]], *, retry_safe: bool = False
) -> Outcome[T]:
    """Run `work(session)` as one unit of work, committed or rolled back as its Outcome says.

    `retry_safe=True` declares that running the work twice gives one effect: resolvers pass it when the
    caller sent an idempotency key (services/common/idempotency.run_once replays the first result). If the
    database connection drops, such work is run once more on a fresh connection; other work answers
    SERVICE_UNAVAILABLE (HTTP 503) instead (docs/security.md)."""
    return await ctx_of(info).unit_of_work(work, retry_safe=retry_safe)


async def read_page(
    info: strawberry.Info,
    paging: tuple[int | None, str | None, int | None, str | None],
    fetch: Callable[..., Awaitable[T]],
) -> T:
    """Read one page with `fetch(session, caller, window)`, the window made of Relay's paging arguments
    `(first, after, last, before)`; bad ones (negative sizes, both directions at once, a malformed cursor)
    become a BAD_REQUEST top-level error."""
    ctx = ctx_of(info)
    try:
        page = window(*paging, ctx.settings.default_page_size, ctx.settings.max_page_size)
        async with ctx.read() as session:
            return await fetch(session, ctx.caller, page)
    except BadArgument as exc:
        raise bad_request(str(exc)) from None


def selects(info: strawberry.Info, *path: str) -> bool:
    """Whether the client selected the sub-field at `path` (GraphQL names, e.g. "totalCount" or "edges",
    "node", "lines") under the field being resolved, directly or through fragments. Lets a resolver skip
    work nobody asked for (`totalCount`: a count(*) per page) or do asked-for work in bulk. A field under
    @skip/@include counts as selected: at worst the work is done for nothing."""
    return selects_each(info, path)[0]


def selects_each(info: strawberry.Info, *paths: tuple[str, ...]) -> tuple[bool, ...]:
    """`selects` for several paths, reading the selection once (strawberry builds it anew on each read)."""
    top = list(info.selected_fields)
    return tuple(_selected(top, path) for path in paths)


def _selected(top: list, path: tuple[str, ...]) -> bool:
    def fields(selections: list, name: str) -> list[SelectedField]:
        found: list[SelectedField] = []
        for sel in selections:
            if isinstance(sel, SelectedField):
                if sel.name == name:
                    found.append(sel)
            else:  # fragment spread or inline fragment: same level
                found.extend(fields(sel.selections or [], name))
        return found

    level = top
    for name in path:
        level = [f for parent in level for f in fields(parent.selections or [], name)]
        if not level:
            return False
    return True
