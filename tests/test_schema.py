"""schema.graphql is what the code exports: a generated client never codes against a stale contract."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from graphql import Visitor, parse, print_ast, visit

from app.schema import schema

ROOT = Path(__file__).resolve().parent.parent


class _DropDescriptions(Visitor):
    def enter(self, node, *_):  # noqa: ANN001, ANN002, ANN202
        if getattr(node, "description", None) is not None:
            return replace(node, description=None)
        return None


def test_schema_graphql_matches_the_code() -> None:
    exported = schema.as_str() + "\n"
    checked_in = (ROOT / "schema.graphql").read_text()
    assert checked_in == exported, "schema.graphql drifted: run `commerce-gateway export-schema -o schema.graphql`"


def test_contract_names_of_the_spec_are_present() -> None:
    # Compared without descriptions: documented arguments print one per line, the names and shapes stay.
    document = parse(schema.as_str())
    sdl = print_ast(visit(document, _DropDescriptions()))
    for name in (
        "type Money",
        "type UserError",
        "viewer: Viewer!",
        # Arguments may be added after the contract's (last, before): the contract's come first, unchanged.
        "products(search: String = null, first: Int = null, after: String = null, ",
        "product(id: ID!): Product",
        "draftOrder(id: ID!): DraftOrder",
        "createToken(email: String!, password: String!): CreateTokenPayload!",
        "placeDraftOrder(id: ID!, input: PlaceDraftOrderInput = null): PlaceDraftOrderPayload!",
        "addDraftOrderLines(draftOrderId: ID!, lines: [DraftOrderLineInput!]!, expectedVersion: Int = null)",
    ):
        assert name in sdl, name
