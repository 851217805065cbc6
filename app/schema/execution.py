"""A graphql-core execution context with a fast path for plain leaf fields.

A listing answers hundreds of fields that are nothing but an attribute read and a scalar coercion
(`quantity`, `amount`, `sku`, ...). graphql-core runs each one through the general machinery: a resolve
info object, argument coercion, awaitable checks and a dispatch on the return type; for W3 (20 orders with
their lines) that was about a third of the request (docs/performance.md). This context answers such a field
directly, with the same result: the field's own resolver (strawberry's attribute read, which never uses the
info object) and the type's own output coercion.

The fast path applies only where nothing can differ: no arguments, a strawberry basic field (no resolver
function, no field extension, no exception handler), a scalar or enum type, no graphql middleware. Whatever
does not go plainly (a null value, a coercion that fails or refuses) is answered again by the general path,
which raises and locates the error exactly as before: reading an attribute twice has no effect.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLField, GraphQLLeafType, GraphQLNonNull, GraphQLObjectType, Undefined, is_leaf_type
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

_SLOW = object()  # the field takes the general path


class FastLeafExecutionContext(StrawberryGraphQLCoreExecutionContext):
    # Per schema field (by id, with the field to tell a reused id): its (resolver, leaf type) when it may
    # take the fast path, else _SLOW. Fields are built once per schema: the plan serves every request.
    _plans: dict[int, tuple[GraphQLField, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Strawberry always passes a middleware manager; it wraps resolvers only when it holds middleware
        # (a schema extension with a `resolve` hook, such as tracing).
        manager = self.middleware_manager
        self._plain = manager is None or not manager.middlewares

    def execute_field(  # type: ignore[override]
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        if not node.arguments and self._plain:
            field_def = parent_type.fields.get(node.name.value)
            if field_def is not None:
                entry = self._plans.get(id(field_def))
                if entry is None or entry[0] is not field_def:  # fields do not hash; ids may be reused
                    entry = self._plans[id(field_def)] = (field_def, _plan(field_def))
                plan = entry[1]
                if plan is not _SLOW:
                    resolve, leaf = plan
                    try:
                        value = resolve(source, None)
                        if value is not None:
                            coerced = leaf.coerce_output_value(value)
                            if coerced is not None and coerced is not Undefined:
                                return coerced
                    except Exception:  # noqa: BLE001, S110 - the general path below raises it where it belongs
                        pass
        return super().execute_field(parent_type, source, field_details_list, path, position_context)


def _plan(field_def: GraphQLField) -> Any:
    resolve = field_def.resolve
    # Strawberry's resolver for a basic field: an attribute read that ignores the info object.
    if field_def.args or getattr(resolve, "__name__", "") != "_get_basic_result":
        return _SLOW
    named = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
    if not is_leaf_type(named):
        return _SLOW
    leaf: GraphQLLeafType = named
    return resolve, leaf
