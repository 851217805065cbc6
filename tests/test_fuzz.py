"""Property: whatever valid-looking operation a client sends (random fields, arguments, huge or odd strings,
extreme ints), the gateway never answers with a server error or an INTERNAL error."""

from __future__ import annotations

import pytest
from graphql import StringValueNode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import strategies as gs

from app.schema import schema
from tests.support.gateway import Gateway

pytestmark = pytest.mark.slow

_ODD = [
    "",
    "x",
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00",
    "0001-01-01T00:00:00",
    "not-a-date",
    "1e9999",
    "-1",
    "9" * 40,
    "\u0000",
    "ORD-%",
    "'; --",
]
SCALARS = {
    "DateTime": st.sampled_from(_ODD).map(lambda v: StringValueNode(value=v)),
    "Decimal": st.sampled_from(_ODD).map(lambda v: StringValueNode(value=v)),
}
OPERATIONS = gs.from_schema(schema.as_str(), custom_scalars=SCALARS)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(query=OPERATIONS)
async def test_no_server_error_for_any_operation(gw: Gateway, acme: dict, query: str) -> None:
    resp = await gw.post(query, headers=acme)
    assert resp.status_code < 500, (query, resp.text)
    codes = [(e.get("extensions") or {}).get("code") for e in resp.json().get("errors") or ()]
    assert "INTERNAL" not in codes, (query, resp.text)
    assert all(codes), resp.text  # every top-level error says what kind it is
