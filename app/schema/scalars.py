"""DateTime as the API reads it: ISO 8601, normalized to UTC (no zone means UTC), within years 1-9999 after
normalization. Anything else is an input error (BAD_REQUEST), never a failure deeper down."""

from __future__ import annotations

import datetime as dt
from operator import methodcaller

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
    description="Date with time (ISO 8601); read as UTC when it has no zone, answered in UTC",
    specified_by_url=None,
    serialize=methodcaller("isoformat"),
    parse_value=wrap_parser(parse_utc_datetime, "DateTime"),
    parse_literal=None,
    origin=dt.datetime,
)

SCALAR_OVERRIDES = {dt.datetime: DateTimeDefinition}
