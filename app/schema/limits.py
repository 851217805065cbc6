"""Query limits and error masking.

Over-limit queries are refused before execution with BAD_REQUEST; unexpected exceptions are masked as
INTERNAL (no stack trace, SQL or message leaves the server; the log keeps them).
"""

from __future__ import annotations

import logging

from graphql import (
    FieldNode,
    GraphQLError,
    IntValueNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
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

from app.schema.common import ApiError
from app.settings import Settings

log = logging.getLogger("app.graphql")


def _is_deliberate(error: GraphQLError) -> bool:
    return error.original_error is None or isinstance(error.original_error, GraphQLError)


class GatewayErrors(MaskErrors):
    """Masks unexpected exceptions as INTERNAL and tags request errors (parse, validation, limits)."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda e: not _is_deliberate(e), error_message="Internal error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        log.error("unexpected error at %s", error.path, exc_info=error.original_error)
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL"}
        return masked

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        out = super()._process_errors(errors)
        for e in out:
            if not (e.extensions or {}).get("code"):
                e.extensions = {**(e.extensions or {}), "code": "BAD_REQUEST"}
        return out


def _cost_rule(max_cost: int, default_page: int) -> type[ValidationRule]:
    """Estimated cost: every field costs 1, multiplied by the page sizes (`first`) of the lists above it."""

    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node, *_args) -> None:  # noqa: ANN001
            cost = self._cost(node.selection_set, 1, 0)
            if cost > max_cost:
                self.report_error(
                    ApiError("BAD_REQUEST", f"query cost {cost} exceeds the limit of {max_cost}: ask for less")
                )

        def _cost(self, selection_set, multiplier: int, depth: int) -> int:  # noqa: ANN001
            if selection_set is None or depth > 50:
                return 0
            total = 0
            for sel in selection_set.selections:
                if isinstance(sel, FieldNode):
                    factor = multiplier
                    for arg in sel.arguments or ():
                        if arg.name.value == "first":
                            if isinstance(arg.value, IntValueNode):
                                factor = multiplier * max(1, min(int(arg.value.value), 100))
                            elif isinstance(arg.value, VariableNode):
                                factor = multiplier * 100
                    if sel.name.value in ("products", "orders", "draftOrders", "quotes", "operations") and not any(
                        a.name.value == "first" for a in sel.arguments or ()
                    ):
                        factor = multiplier * default_page
                    total += multiplier + self._cost(sel.selection_set, factor, depth + 1)
                else:
                    total += self._cost(getattr(sel, "selection_set", None), multiplier, depth + 1)
            return total

    CostLimit.__init__ = lambda self, context: ValidationRule.__init__(self, context)  # type: ignore[method-assign]
    return CostLimit


def extensions(settings: Settings) -> list:
    rule = _cost_rule(settings.max_query_cost, settings.default_page_size)
    return [
        GatewayErrors,
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: AddValidationRules([rule]),
        ParserCache,
        ValidationCache,
    ]


_ = ValidationContext  # re-exported type for readers of the rule above
