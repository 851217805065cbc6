"""schema.graphql is what the code exports: a generated client never codes against a stale contract."""

from __future__ import annotations

from pathlib import Path

from app.schema import schema

ROOT = Path(__file__).resolve().parent.parent


def test_schema_graphql_matches_the_code() -> None:
    exported = schema.as_str() + "\n"
    checked_in = (ROOT / "schema.graphql").read_text()
    assert checked_in == exported, "schema.graphql drifted: run `commerce-gateway export-schema -o schema.graphql`"


def test_contract_names_of_the_spec_are_present() -> None:
    sdl = schema.as_str()
    for name in (
        "type Money",
        "type UserError",
        "viewer: Viewer!",
        "products(search: String = null, first: Int = null, after: String = null): ProductConnection!",
        "product(id: ID!): Product",
        "draftOrder(id: ID!): DraftOrder",
        "createToken(email: String!, password: String!): CreateTokenPayload!",
        "placeDraftOrder(id: ID!, input: PlaceDraftOrderInput = null): PlaceDraftOrderPayload!",
        "addDraftOrderLines(draftOrderId: ID!, lines: [DraftOrderLineInput!]!, expectedVersion: Int = null)",
    ):
        assert name in sdl, name
