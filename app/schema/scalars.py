"""DateTime as the API reads it: ISO 8601, normalized to UTC (no zone means UTC), within years 1-9999 after
normalization. Anything else is an input error (BAD_REQUEST), never a failure deeper down.

Decimal: answered as a plain decimal string ("12.50"). As an input it must be a string and reaches the field's
service exactly as the client sent it (`DecimalText`): the one strict money parser (services/common/money.py)
reads it there and reports a malformed amount as that field's INVALID_INPUT, with its path and index. Parsing
it here into a `decimal.Decimal` would accept "1_000" or "2.5e-999999999" and lose what was sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from operator import methodcaller
from typing import NewType

from strawberry.schema.types.base_scalars import wrap_parser
from strawberry.types.scalar import ScalarDefinition


def parse_utc_datetime(value: str) -> dt.datetime:
    if not isinstance(value, str) or len(value) > 64:
        raise ValueError("expected an ISO 8601 date-time string")
    parsed = dt.datetime.fromisoformat(value)  # Python 3.11: full ISO 8601, including Z
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("date-time out of range once converted to UTC") from None


DateTimeDefinition = ScalarDefinition(
    name="DateTime",
    description="Date with time, answered in UTC as RFC 3339 (`2026-01-31T09:30:00+00:00`); read as ISO 8601, "
    "as UTC when it has no zone.",
    specified_by_url="https://datatracker.ietf.org/doc/html/rfc3339",
    serialize=methodcaller("isoformat"),
    parse_value=wrap_parser(parse_utc_datetime, "DateTime"),
    parse_literal=None,
    origin=dt.datetime,
)

DecimalText = NewType("DecimalText", str)
"""An input typed `Decimal` in the schema: the client's string as sent, for `parse_amount` / `parse_rate`."""


def _decimal_text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError('expected a decimal string such as "2.50"')
    return value


DecimalDefinition = ScalarDefinition(
    name="Decimal",
    description='An exact decimal number as a string: `-?digits(.dd)?`, such as "12.50" or "20" (never a JSON '
    "number, no exponent or grouping). Amounts have two decimals in answers; rates are percents.",
    specified_by_url="https://speleotrove.com/decimal/daconvs.html",
    serialize=str,
    parse_value=wrap_parser(_decimal_text, "Decimal"),
    parse_literal=None,
    origin=Decimal,
)

SCALAR_OVERRIDES = {dt.datetime: DateTimeDefinition, Decimal: DecimalDefinition, DecimalText: DecimalDefinition}
