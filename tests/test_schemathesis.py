"""schemathesis over the whole GraphQL schema, as buyer and as operator (fixed seed): no 5xx, no INTERNAL.
Complements tests/test_fuzz.py (hypothesis-graphql with hand-picked odd scalars): schemathesis generates
its own operations, arguments and selections for every root field."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from tests.support.gateway import Gateway

pytestmark = pytest.mark.slow

# Custom scalars need a strategy: decimal strings (valid and odd ones) and date-times, as GraphQL string literals.
_DECIMALS = ["0", "2.50", "-1.00", "1e18", "99999999999999999999", "1_000", " 2.50 ", "abc", ""]
_DATES = ["2026-11-30T10:00:00Z", "2026-11-30", "not a date", "9999-12-31T23:59:59+14:00"]
schemathesis.graphql.scalar("Decimal", st.sampled_from(_DECIMALS).map(lambda v: nodes.String(v)))
schemathesis.graphql.scalar("DateTime", st.sampled_from(_DATES).map(lambda v: nodes.String(v)))

SCHEMA = schemathesis.graphql.from_path(Path(__file__).parent.parent / "schema.graphql")
CASES_PER_CLIENT = 200
COUNTS: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)


@pytest.fixture(params=["ACCOUNT", "OPERATOR"])
async def caller(request: pytest.FixtureRequest, gw: Gateway) -> dict:
    if request.param == "ACCOUNT":
        return await gw.as_user("buyer@acme.example")
    return await gw.as_user("operator@demo.example", client="OPERATOR")


@settings(
    max_examples=CASES_PER_CLIENT,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(case=SCHEMA.as_strategy())
async def test_schemathesis_no_server_error(gw: Gateway, caller: dict, case) -> None:  # noqa: ANN001
    resp = await gw.post(case.body, headers=caller)
    counts = COUNTS[f"{caller['dj-client']}/{gw.settings.database_url.split(':')[0]}"]
    counts["cases"] += 1
    counts["5xx"] += resp.status_code >= 500
    codes = [(e.get("extensions") or {}).get("code") for e in resp.json().get("errors") or ()]
    counts["INTERNAL"] += "INTERNAL" in codes
    assert resp.status_code < 500, (case.body, resp.text)
    assert "INTERNAL" not in codes, (case.body, resp.text)
    assert all(codes), resp.text


def test_schemathesis_counts_report() -> None:
    """Prints the counts of the runs above (pytest -s), for the record."""
    for name, counts in sorted(COUNTS.items()):
        print(f"schemathesis {name}: {dict(counts)}")
    assert all(c["5xx"] == 0 and c["INTERNAL"] == 0 for c in COUNTS.values())
