"""Paging arguments and opaque cursors, shared by every connection."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence


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
