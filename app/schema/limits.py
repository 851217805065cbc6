"""Query limits and error masking.

Over-limit queries are refused before execution with BAD_REQUEST; unexpected exceptions are masked as
INTERNAL (no stack trace, SQL or message leaves the server; the log keeps them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    IntValueNode,
    OperationDefinitionNode,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from app.observability.record import current_request_id
from app.observability.tracing import GatewayTracing
from app.schema.common import ApiError
from app.schema.observe import RequestObserver
from app.settings import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider


def _is_deliberate(error: GraphQLError) -> bool:
    return error.original_error is None or isinstance(error.original_error, GraphQLError)


class GatewayErrors(MaskErrors):
    """Masks unexpected exceptions as INTERNAL (the HTTP layer tags the other request errors)."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda e: not _is_deliberate(e), error_message="Internal error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        # Logged with its traceback by GatewaySchema.process_errors; the request id points at that line.
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL", "requestId": current_request_id()}
        return masked


def _cost_rule(max_cost: int, default_page: int, list_size: int = 3) -> type[ValidationRule]:
    """Estimated cost: every field costs 1 times the sizes of the lists above it. A field with `first`
    multiplies by it (or by the default page size for a connection without it); any other list field
    by `list_size`; `edges` and `nodes` are already counted by their connection's `first`."""

    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:  # noqa: ANN002
            schema = self.context.schema
            root = {"query": schema.query_type, "mutation": schema.mutation_type}.get(node.operation.value)
            cost = self._cost(node.selection_set, root, 1, 0)
            if cost > max_cost:
                self.report_error(
                    ApiError("BAD_REQUEST", f"query cost {cost} exceeds the limit of {max_cost}: ask for less")
                )

        def _cost(self, selection_set, parent, multiplier: int, depth: int) -> int:  # noqa: ANN001
            if selection_set is None or parent is None or depth > 50:
                return 0
            total = 0
            for sel in selection_set.selections:
                if isinstance(sel, FieldNode):
                    field = getattr(parent, "fields", {}).get(sel.name.value)
                    if field is None:
                        continue
                    field_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
                    factor = 1
                    first = next((a.value for a in sel.arguments or () if a.name.value == "first"), None)
                    if isinstance(first, IntValueNode):
                        factor = max(1, min(int(first.value), 100))
                    elif isinstance(first, VariableNode) or (first is None and "first" in field.args):
                        factor = 100 if first is not None else default_page
                    elif isinstance(field_type, GraphQLList) and sel.name.value not in ("edges", "nodes"):
                        factor = list_size
                    total += multiplier + self._cost(
                        sel.selection_set, get_named_type(field_type), multiplier * factor, depth + 1
                    )
                elif isinstance(sel, FragmentSpreadNode):
                    fragment = self.context.get_fragment(sel.name.value)
                    if fragment is not None:
                        target = self.context.schema.get_type(fragment.type_condition.name.value)
                        total += self._cost(fragment.selection_set, target, multiplier, depth + 1)
                else:
                    condition = getattr(sel, "type_condition", None)
                    target = self.context.schema.get_type(condition.name.value) if condition else parent
                    total += self._cost(sel.selection_set, target, multiplier, depth + 1)
            return total

    return CostLimit


def extensions(settings: Settings, tracer_provider: TracerProvider | None = None) -> list:
    rule = _cost_rule(settings.max_query_cost, settings.default_page_size)
    tracing = [lambda: GatewayTracing(tracer_provider=tracer_provider)] if tracer_provider is not None else []
    return [
        *tracing,
        GatewayErrors,
        RequestObserver,
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: AddValidationRules([rule]),
        ParserCache,
        ValidationCache,
    ]
