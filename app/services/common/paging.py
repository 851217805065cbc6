"""Paging arguments and opaque cursors, shared by every connection."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select


class BadArgument(ValueError):
    """A query argument out of range or malformed (answered as a BAD_REQUEST top-level error)."""


MAX_CURSOR = 1024


def encode_cursor(values: Sequence[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values), separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list:
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != arity:
            raise ValueError
        return values
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise BadArgument("malformed cursor: pass the cursor of an edge returned by this field") from exc


def page_size(first: int | None, default: int, maximum: int) -> int:
    if first is None:
        return default
    if first < 0:
        raise BadArgument("first must not be negative")
    return min(first, maximum)


def decode_offset(after: str | None) -> int:
    """Offset cursors of small lists (quotes, operations): the position after which the page starts."""
    if not after:
        return 0
    (offset,) = decode_cursor(after, 1)
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise BadArgument("malformed cursor")
    return offset


def offset_cursor(position: int) -> str:
    return encode_cursor([position])


@dataclass(frozen=True)
class Window:
    """Which page of a connection: `size` items after `cursor` (forward: first/after) or before it (backward:
    last/before); no cursor starts from the first (forward) or the last (backward) item."""

    size: int
    cursor: str | None = None
    backward: bool = False

    def page_info(self, more: bool) -> tuple[bool, bool]:
        """(hasNextPage, hasPreviousPage) of a page read in this window, `more` telling whether items lie
        beyond it in the direction of travel. On the cursor's side there are items (the cursor's own and
        what precedes it) exactly when a cursor was given."""
        if self.backward:
            return self.cursor is not None, more
        return more, self.cursor is not None


def window(
    first: int | None, after: str | None, last: int | None, before: str | None, default: int, maximum: int
) -> Window:
    """The page that Relay's paging arguments ask for: first/after forward, last/before backward."""
    backward = last is not None or before is not None
    if backward and (first is not None or after is not None):
        raise BadArgument("page forward (first, after) or backward (last, before), not both at once")
    if backward:
        if last is not None and last < 0:
            raise BadArgument("last must not be negative")
        return Window(page_size(last, default, maximum), before or None, backward=True)
    return Window(page_size(first, default, maximum), after or None)


def keyset(query: Select, column: ColumnElement, page: Window, *, descending: bool = False) -> Select:
    """`query` cut to the window's page over a unique column sorted ascending (or `descending`): the rows
    beyond the cursor, in the order of travel, one more than the page (`keyset_rows` reads them)."""
    reverse = descending != page.backward  # whether the rows are read in descending order
    if page.cursor:
        (value,) = decode_cursor(page.cursor, 1)
        if not isinstance(value, str):
            raise BadArgument("malformed cursor")
        query = query.where(column < value if reverse else column > value)
    return query.order_by(column.desc() if reverse else column.asc()).limit(page.size + 1)


def keyset_rows(rows: list, page: Window) -> tuple[list, bool, bool]:
    """(the page's rows in the sort's order, hasNextPage, hasPreviousPage) of rows read with `keyset`."""
    more, rows = len(rows) > page.size, rows[: page.size]
    if page.backward:
        rows.reverse()
    return (rows, *page.page_info(more))


def key_cursor(value: str) -> str:
    """The cursor of a row paged with `keyset`: its key."""
    return encode_cursor([value])
