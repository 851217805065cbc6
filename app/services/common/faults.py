"""Named fault-injection points, so tests can prove that a failure at a given step rolls everything back.

Production code calls `await fire("name")`; nothing is registered outside tests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

_hooks: dict[str, Callable[[], Awaitable[None]]] = {}


async def fire(point: str) -> None:
    hook = _hooks.get(point)
    if hook is not None:
        await hook()


def register(point: str, hook: Callable[[], Awaitable[None]]) -> None:
    _hooks[point] = hook


def clear(point: str) -> None:
    _hooks.pop(point, None)
