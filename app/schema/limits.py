"""Query limits and error masking.

Over-limit documents are refused before validation and execution with BAD_REQUEST. The limits (depth,
aliases, field nodes after fragment expansion, estimated cost) are measured in one pass over the
document: each fragment is summarised once and its summary reused at every spread, so a document of a
few hundred bytes that expands to millions of fields (`fragment F0 on Query { ...F1 ...F1 }`, 22 levels)
is measured in time linear in its own size, never in the size of its expansion. Fragment cycles are
refused here too (graphql-core's own validation would report them, but some of its rules walk the
expansion first). Only documents within the limits reach graphql-core's validation, whose cost is then
bounded by the limits.

Unexpected exceptions are masked as INTERNAL (no stack trace, SQL or message leaves the server; the log
keeps them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)

from app.observability.record import current_request_id
from app.observability.tracing import GatewayTracing
from app.schema.common import ApiError
from app.schema.docs import served_graphql_schema
from app.schema.observe import RequestObserver, is_deliberate
from app.services.common.errors import TopLevelCode
from app.settings import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

# Counts saturate here: past any configured limit, and Python integers stay small however wide the fan-out.
_CAP = 10**15
# Fragments spreading fragments spreading fragments...: no real client nests this deep, and the memoized
# walk recurses once per level.
_MAX_FRAGMENT_NESTING = 50
_LIST_SIZE = 3  # estimated length of a list field without `first`
_MAX_PAGE = 100
# The parser cache holds 128 documents (strawberry's default); a document it evicted and parsed again is a new
# object and is checked again.
_CHECK_CACHE = 256


class GatewayErrors(MaskErrors):
    """Masks unexpected exceptions as INTERNAL (the HTTP layer tags the other request errors)."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda e: not is_deliberate(e), error_message="Internal error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        # Logged with its traceback by GatewaySchema.process_errors; the request id points at that line.
        masked = super().anonymise_error(error)
        masked.extensions = {"code": TopLevelCode.INTERNAL.value, "requestId": current_request_id()}
        return masked


@dataclass(frozen=True)
class Measure:
    """What a selection set expands to, relative to where it is used (depth 0, list multiplier 1)."""

    depth: int = 0  # deepest field level below (a leaf field is 1)
    fields: int = 0  # field nodes after fragment expansion
    aliases: int = 0  # aliased field nodes after fragment expansion
    cost: int = 0  # estimated resolver calls: every field costs the product of the list sizes above it

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            max(self.depth, other.depth),
            min(self.fields + other.fields, _CAP),
            min(self.aliases + other.aliases, _CAP),
            min(self.cost + other.cost, _CAP),
        )


class Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Measurer:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, default_page: int) -> None:
        self.schema = schema
        self.default_page = default_page
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.memo: dict[str, Measure] = {}
        self.in_progress: list[str] = []

    def fragment(self, name: str) -> Measure:
        if name in self.memo:
            return self.memo[name]
        if name in self.in_progress:
            raise Refused(f"fragment {name} spreads itself (fragment cycle)")
        definition = self.fragments.get(name)
        if definition is None:
            return Measure()  # unknown fragment: validation reports it
        if len(self.in_progress) >= _MAX_FRAGMENT_NESTING:
            raise Refused(f"fragments nested more than {_MAX_FRAGMENT_NESTING} deep")
        self.in_progress.append(name)
        target = self.schema.get_type(definition.type_condition.name.value)
        measure = self.selection_set(definition.selection_set, target)
        self.in_progress.pop()
        self.memo[name] = measure
        return measure

    def selection_set(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None) -> Measure:
        total = Measure()
        if selection_set is None:
            return total
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                total = total + self.field(sel, parent)
            elif isinstance(sel, FragmentSpreadNode):
                total = total + self.fragment(sel.name.value)
            elif isinstance(sel, InlineFragmentNode):
                target = self.schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                total = total + self.selection_set(sel.selection_set, target)
        return total

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Measure:
        definition = getattr(parent, "fields", {}).get(node.name.value) if parent is not None else None
        named = get_named_type(definition.type) if definition is not None else None
        below = self.selection_set(node.selection_set, named)
        factor = self._factor(node, definition) if definition is not None else 1
        return Measure(
            # Introspection adds no depth (as in strawberry's depth limiter); its fields and cost still count.
            depth=0 if node.name.value.startswith("__") else below.depth + 1,
            fields=min(below.fields + 1, _CAP),
            aliases=min(below.aliases + (1 if node.alias else 0), _CAP),
            cost=min(1 + factor * below.cost, _CAP),
        )

    def _factor(self, node: FieldNode, definition) -> int:  # noqa: ANN001
        """How many times the selection below this field runs: `first` for a connection (the default page
        without it, the maximum page for a variable), an estimate for other lists; `edges` and `nodes` are
        already counted by their connection's `first`."""
        first = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
        if isinstance(first, IntValueNode):
            digits = first.value.lstrip("-")
            return _MAX_PAGE if len(digits) > 3 else max(1, min(int(first.value), _MAX_PAGE))
        if isinstance(first, VariableNode):
            return _MAX_PAGE
        if first is None and "first" in definition.args:
            return self.default_page
        field_type = definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else definition.type
        if isinstance(field_type, GraphQLList) and node.name.value not in ("edges", "nodes"):
            return _LIST_SIZE
        return 1


def measure_operations(
    schema: GraphQLSchema, document: DocumentNode, default_page: int
) -> Iterator[tuple[OperationDefinitionNode, Measure]]:
    """Each operation of the document with its measure; raises Refused for fragment cycles."""
    measurer = _Measurer(schema, document, default_page)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            root = {"query": schema.query_type, "mutation": schema.mutation_type}.get(definition.operation.value)
            yield definition, measurer.selection_set(definition.selection_set, root)
    for name in measurer.fragments:  # unused fragments may still hide a cycle
        measurer.fragment(name)


def check_document(schema: GraphQLSchema, document: DocumentNode, settings: Settings) -> str | None:
    """Why this document is refused, or None when it is within every limit."""
    try:
        for _operation, m in measure_operations(schema, document, settings.default_page_size):
            # Depth counts nested levels below the root fields (a root field alone is depth 0).
            if m.depth - 1 > settings.max_query_depth:
                return f"query depth {m.depth - 1} exceeds the limit of {settings.max_query_depth}"
            if m.aliases > settings.max_aliases:
                return f"{m.aliases} aliases exceed the limit of {settings.max_aliases}"
            if m.fields > settings.max_fields:
                return f"{m.fields} fields after fragment expansion exceed the limit of {settings.max_fields}"
            if m.cost > settings.max_query_cost:
                return f"query cost {m.cost} exceeds the limit of {settings.max_query_cost}: ask for less"
    except Refused as refused:
        return refused.message
    return None


class DocumentLimits(SchemaExtension):
    """Refuses an over-limit document between parsing and validation: graphql-core's validation rules (some
    of which walk every expanded path) only ever see documents whose expansion is bounded."""

    def __init__(self, check: Callable[[GraphQLSchema, DocumentNode], str | None]) -> None:
        self.check = check

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None:
            reason = self.check(served_graphql_schema(ctx.schema), ctx.graphql_document)
            if reason is not None:
                raise ApiError(TopLevelCode.BAD_REQUEST, reason)
        yield


def extensions(settings: Settings, tracer_provider: TracerProvider | None = None) -> list:
    """Built once per schema: the rules tuple and the limits check are the same objects for every request,
    so the validation cache (keyed by schema, document and rules) hits for every document the parser cache
    returns again, and so does the limits check, keyed by that same document object (nodes hash by
    identity). Measured: 19 hits of 20 for each (benchmarks/README.md)."""
    rules = [] if settings.introspection_enabled else [NoSchemaIntrospectionCustomRule]
    tracing = [lambda: GatewayTracing(tracer_provider=tracer_provider)] if tracer_provider is not None else []

    @lru_cache(maxsize=_CHECK_CACHE)
    def check(schema: GraphQLSchema, document: DocumentNode) -> str | None:
        return check_document(schema, document, settings)

    return [
        *tracing,
        GatewayErrors,
        RequestObserver,
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        ParserCache,
        lambda: DocumentLimits(check),  # before the validation (cache), which it guards
        lambda: AddValidationRules(rules),
        ValidationCache,
    ]
