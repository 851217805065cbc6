"""A graphql-core execution context with a fast path for plain fields.

A listing answers hundreds of fields that are nothing but an attribute read: leaves (`quantity`, `amount`,
`sku`, ...) and small objects (`total`, `unitPrice`, ...). graphql-core runs each one through the general
machinery: a resolve info object, argument coercion, awaitable checks and a dispatch on the return type;
for W3 (20 orders with their lines) that was about a third of the request's function calls
(docs/performance.md). This context answers such a field directly, with the same result: the field's own
resolver (strawberry's attribute read, which never uses the info object), then the leaf type's own output
coercion, or the object's sub-selection with graphql-core's own error handling.

The fast path applies only where nothing can differ: no arguments, a strawberry basic field (no resolver
function, no field extension, no exception handler), no graphql middleware, and a scalar, an enum or an
object type without an `is_type_of` check (not one implementing an interface). Whatever does not go
plainly (a null value, a coercion that fails or refuses) is answered again by the general path, which
raises and locates the error exactly as before: reading an attribute twice has no effect.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, NamedTuple

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    Undefined,
    is_leaf_type,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

_SLOW = object()  # the field takes the general path


class FastLeafExecutionContext(StrawberryGraphQLCoreExecutionContext):
    # Per schema field (by id, with the field to tell a reused id): its _Plan when it may take the fast
    # path, else _SLOW. Fields are built once per schema: the plan serves every request.
    _plans: dict[int, tuple[GraphQLField, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Strawberry always passes a middleware manager; it wraps resolvers only when it holds middleware
        # (a schema extension with a `resolve` hook, such as tracing).
        manager = self.middleware_manager
        self._plain = manager is None or not manager.middlewares
        # Per execution, like graphql-core's own memo of collected sub-fields (keyed by the identity of the
        # field list, kept alive with the entry): the sub-selections answered as a whole, or None.
        self._flat_selections: dict[tuple[GraphQLObjectType, int], tuple[Any, _Flat | None]] = {}

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
                plan = self._plan_of(field_def)
                if plan is not _SLOW:
                    try:
                        value = plan.read(source)
                    except Exception:  # noqa: BLE001 - the general path below raises it where it belongs
                        value = None
                    if value is not None:
                        if plan.object_type is None:
                            coerced = _coerced(plan.leaf_type, value)
                            if coerced is not None:
                                return coerced
                        else:
                            return self._complete_object(plan, value, field_details_list, path, position_context)
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def _plan_of(self, field_def: GraphQLField) -> Any:
        entry = self._plans.get(id(field_def))
        if entry is None or entry[0] is not field_def:  # fields do not hash; ids may be reused
            entry = self._plans[id(field_def)] = (field_def, _plan(field_def))
        return entry[1]

    def collect_and_execute_subfields(  # type: ignore[override]
        self, return_type: GraphQLObjectType, field_details_list: Any, path: Any, result: Any, position_context: Any
    ) -> Any:
        """An object whose selected fields all take the fast path (leaves, and objects whose own selections
        do), such as an order line's `sku quantity unitPrice { amount } total { amount }`, is answered in one
        pass, without a field execution per field; any null or refused value sends the whole object to the
        general path, which answers or reports it exactly."""
        if position_context is None and self._plain:
            flat = self._flat(return_type, field_details_list)
            if flat is not None:
                answered = _answer(flat, result)
                if answered is not None:
                    return answered
        return super().collect_and_execute_subfields(return_type, field_details_list, path, result, position_context)

    def _flat(self, return_type: GraphQLObjectType, field_details_list: Any) -> _Flat | None:
        key = (return_type, id(field_details_list))
        cached = self._flat_selections.get(key)
        if cached is None:
            cached = self._flat_selections[key] = (
                field_details_list,
                self._build_flat(return_type, field_details_list),
            )
        return cached[1]

    def _build_flat(self, return_type: GraphQLObjectType, field_details_list: Any) -> _Flat | None:
        grouped_field_set, new_defer_usages, _forbidden = self.collect_subfields(return_type, field_details_list)
        if new_defer_usages:
            return None
        entries: list[tuple[str, Callable[[Any], Any], GraphQLLeafType | None, _Flat | None]] = []
        for response_name, details in grouped_field_set.items():
            node = details[0].node
            field_def = None if node.arguments else return_type.fields.get(node.name.value)  # __typename: None
            plan = _SLOW if field_def is None else self._plan_of(field_def)
            if plan is _SLOW:
                return None
            if plan.object_type is None:
                entries.append((response_name, plan.read, plan.leaf_type, None))
            else:
                below = self._flat(plan.object_type, details)
                if below is None:
                    return None
                entries.append((response_name, plan.read, None, below))
        return tuple(entries)

    def _complete_object(self, plan: _Plan, value: Any, field_details_list: Any, path: Any, context: Any) -> Any:
        """The sub-selection of a non-null object value, with graphql-core's own error handling for it (as
        in `execute_field` after `complete_value`): an error below is located and propagated the same way."""
        try:
            completed = self.collect_and_execute_subfields(plan.object_type, field_details_list, path, value, context)
        except Exception as raw_error:  # noqa: BLE001 - handled as graphql-core handles it
            self.handle_field_error(raw_error, plan.return_type, field_details_list, path)
            return None
        if not self.is_awaitable(completed):
            return completed

        async def await_completed() -> Any:
            try:
                return await completed
            except Exception as raw_error:  # noqa: BLE001
                self.handle_field_error(raw_error, plan.return_type, field_details_list, path)
                return None

        return await_completed()


# A selection answered in one pass: (response name, read, leaf type or None, the object's own selection).
_Flat = tuple[tuple[str, Callable[[Any], Any], GraphQLLeafType | None, "_Flat | None"], ...]


def _answer(flat: _Flat, source: Any) -> dict[str, Any] | None:
    """The selection's answer on `source`, or None at the first value that does not go plainly."""
    answer: dict[str, Any] = {}
    for response_name, read, leaf, below in flat:
        try:
            value = read(source)
        except Exception:  # noqa: BLE001 - the general path raises it where it belongs
            return None
        if value is None:
            return None
        completed = _answer(below, value) if below is not None else _coerced(leaf, value)  # type: ignore[arg-type]
        if completed is None:
            return None
        answer[response_name] = completed
    return answer


def _coerced(leaf: GraphQLLeafType, value: Any) -> Any:
    """The leaf's output coercion, or None where it fails or refuses (the general path then reports it)."""
    try:
        coerced = leaf.coerce_output_value(value)
    except Exception:  # noqa: BLE001
        return None
    return None if coerced is Undefined else coerced


class _Plan(NamedTuple):
    read: Callable[[Any], Any]  # the field's value on its source
    return_type: GraphQLOutputType
    leaf_type: GraphQLLeafType | None
    object_type: GraphQLObjectType | None


def _plan(field_def: GraphQLField) -> _Plan | object:
    resolve = field_def.resolve
    # Strawberry's resolver for a basic field: an attribute read that ignores the info object.
    if field_def.args or getattr(resolve, "__name__", "") != "_get_basic_result":
        return _SLOW
    named = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
    if is_leaf_type(named):
        return _Plan(_reader(field_def), field_def.type, named, None)
    if isinstance(named, GraphQLObjectType) and named.is_type_of is None:
        return _Plan(_reader(field_def), field_def.type, None, named)  # an object whose type needs no check
    return _SLOW


def _reader(field_def: GraphQLField) -> Callable[[Any], Any]:
    """What strawberry's basic-field resolver does, without its two calls per field: the default resolver
    (getattr unless the schema config says otherwise) on the field's Python name."""
    field = (field_def.extensions or {}).get("strawberry-definition")
    if field is not None and field.default_resolver is getattr:
        return attrgetter(field.python_name)
    resolve = field_def.resolve
    return lambda source: resolve(source, None)
