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

The context overrides and calls methods of graphql-core's executor whose signatures changed between 3.2 and
3.3. `execution_context_class` hands it out only when those signatures are the ones it was written against
(`EXPECTED_SIGNATURES`, checked once per process with `inspect.signature`) and `GATEWAY_FAST_EXECUTION` is
on; otherwise strawberry's standard context runs every request, after one warning log line.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any, NamedTuple

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLAbstractType,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    GraphQLUnionType,
    Undefined,
    is_leaf_type,
)
from graphql import version as graphql_core_version
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

from app.observability.logging import get_logger

log = get_logger("app.graphql")

# The parameters (names, in order) of every graphql-core callable the fast path overrides or calls, as in the
# tested graphql-core (3.3.0 to 3.3.2, pyproject.toml). Any other shape turns the fast path off.
EXPECTED_SIGNATURES: dict[str, tuple[str, ...]] = {
    "execute_field": ("self", "parent_type", "source", "field_details_list", "path", "position_context"),
    "collect_and_execute_subfields": (
        "self",
        "return_type",
        "field_details_list",
        "path",
        "result",
        "position_context",
    ),
    "collect_subfields": ("self", "return_type", "field_details_list"),
    "handle_field_error": ("self", "raw_error", "return_type", "field_details_list", "path"),
    "is_awaitable": ("value",),
    "GraphQLEnumType.coerce_output_value": ("self", "output_value"),
    "GraphQLScalarType.coerce_output_value": ("output_value",),
    "GraphQLSchema.get_possible_types": ("self", "abstract_type"),
}


def _signature_target(name: str) -> Any:
    owner, _, attribute = name.rpartition(".")
    target = {
        "": StrawberryGraphQLCoreExecutionContext,
        "GraphQLEnumType": GraphQLEnumType,
        "GraphQLScalarType": GraphQLString,  # a scalar's coercion is an attribute of the instance
        "GraphQLSchema": GraphQLSchema,
    }[owner]
    return getattr(target, attribute, None)


def signature_mismatches() -> list[str]:
    """The callables of EXPECTED_SIGNATURES whose parameters differ from the recorded ones (or are missing),
    and the strawberry attribute the plan reads (`StrawberryField.is_basic_field`) if it is gone."""
    mismatches = []
    for name, expected in EXPECTED_SIGNATURES.items():
        target = _signature_target(name)
        try:
            found = tuple(inspect.signature(target).parameters) if target is not None else None
        except (TypeError, ValueError):  # not introspectable: treat as changed
            found = None
        if found != expected:
            mismatches.append(f"{name}{found or ' missing'}")
    if not isinstance(getattr(StrawberryField, "is_basic_field", None), property):
        mismatches.append("StrawberryField.is_basic_field missing")
    return mismatches


@cache
def _fast_path_usable() -> bool:
    """Checked once per process, so the warning is one line however many schemas are built."""
    mismatches = signature_mismatches()
    if mismatches:
        log.warning(
            "execution fast path off: graphql-core differs from the tested version; standard execution is used",
            graphql_core=graphql_core_version,
            mismatches=mismatches,
        )
    return not mismatches


def execution_context_class(fast: bool) -> type[StrawberryGraphQLCoreExecutionContext]:
    """The context a schema executes with: the fast path when the setting allows it (GATEWAY_FAST_EXECUTION)
    and graphql-core has the signatures it expects, else strawberry's standard one. A schema built with
    strawberry exception handlers must not use the fast path (they turn basic fields into resolvers)."""
    if fast and _fast_path_usable():
        return FastLeafExecutionContext
    return StrawberryGraphQLCoreExecutionContext


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
        self._flat_selections: dict[tuple[GraphQLObjectType, int], tuple[Any, _Answer | None]] = {}

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
                # Lists and abstract types: only within a whole object (collect_and_execute_subfields).
                if plan is not _SLOW and plan.item_class is None and plan.abstract_type is None and not plan.checked:
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
        """An object whose selected fields all take the fast path (leaves, objects, lists of objects and
        interface-typed objects whose own selections do, `__typename`), such as an order line's
        `sku quantity unitPrice { amount } total { amount }` or a whole page of orders, is answered in one
        pass, without a field execution per field; any null or refused value sends the whole object to the
        general path, which answers or reports it exactly."""
        if position_context is None and self._plain:
            answer = self._flat(return_type, field_details_list)
            if answer is not None:
                answered = answer(result)
                if answered is not _FAIL:
                    return answered
        return super().collect_and_execute_subfields(return_type, field_details_list, path, result, position_context)

    def _flat(self, return_type: GraphQLObjectType, field_details_list: Any) -> _Answer | None:
        key = (return_type, id(field_details_list))
        cached = self._flat_selections.get(key)
        if cached is None:
            self._flat_selections[key] = (field_details_list, None)  # (a selection cannot contain itself)
            cached = self._flat_selections[key] = (
                field_details_list,
                self._build_flat(return_type, field_details_list),
            )
        return cached[1]

    def _build_flat(self, return_type: GraphQLObjectType, field_details_list: Any) -> _Answer | None:
        grouped_field_set, new_defer_usages, _forbidden = self.collect_subfields(return_type, field_details_list)
        if new_defer_usages:
            return None
        parts: list[_Part] = []
        for response_name, details in grouped_field_set.items():
            node = details[0].node
            if node.name.value == "__typename" and not node.arguments:
                parts.append(_Part(response_name, _constant(return_type.name)))
                continue
            field_def = None if node.arguments else return_type.fields.get(node.name.value)
            plan = _SLOW if field_def is None else self._plan_of(field_def)
            if plan is _SLOW:
                return None
            if plan.leaf_type is not None:
                parts.append(_Part(response_name, plan.read, *_leaf_finish(plan.leaf_type)))
                continue
            part = self._field_answer(plan, details)
            if part is None:
                return None
            parts.append(_Part(response_name, part))
        return _object_answer(parts)

    def _field_answer(self, plan: _Plan, details: Any) -> _Answer | None:
        """How one field of a flat selection is answered, or None if it cannot be."""
        read = plan.read
        if plan.abstract_type is not None:
            runtime = self._runtime_types(plan.abstract_type)
            return lambda source: _answer_abstract(self, read, runtime, details, source)
        below = self._flat(plan.object_type, details)  # type: ignore[arg-type]
        if below is None:
            return None
        if plan.item_class is not None:
            return _list_answer(read, plan.item_class, plan.object_type.is_type_of, below)  # type: ignore[union-attr]
        if plan.checked:
            return _checked_answer(read, plan.object_class, plan.object_type.is_type_of, below)  # type: ignore[union-attr]
        return _nested_answer(read, below)

    def _runtime_types(self, abstract: GraphQLAbstractType) -> dict[type, GraphQLObjectType]:
        """The object types an interface or union may answer as, by the Python class that stands for each."""
        runtime = {}
        for object_type in self.schema.get_possible_types(abstract):
            definition = (object_type.extensions or {}).get("strawberry-definition")
            if definition is not None and isinstance(definition.origin, type):
                runtime[definition.origin] = object_type
        return runtime

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


# The completed value of a field, or of a whole selection, on its source; _FAIL when some value does not go
# plainly (the general path then answers the object).
_Answer = Callable[[Any], Any]
_FAIL = object()


def _constant(value: str) -> _Answer:
    return lambda _source: value


class _Part(NamedTuple):
    """One field of a selection answered as a whole: `call(source)` gives its completed value, or _FAIL.
    A leaf instead has `call` read its raw value, kept as it is when of exactly the type `plain` and
    otherwise finished by `finish` (None or a refused coercion: _FAIL)."""

    response_name: str
    call: Callable[[Any], Any]
    plain: type | None = None
    finish: Callable[[Any], Any] | None = None


class _NeverPlain:
    """The `plain` type of a leaf whose every value is finished (Int's range check, enums, custom scalars)."""


# graphql-core's String, ID and Boolean answer a value of exactly these types unchanged (serialize_string,
# serialize_id, serialize_boolean), and Int an int within 32 bits: no coercion call for the commonest leaves.
_PLAIN_TYPES: dict[GraphQLLeafType, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}


def _leaf_finish(leaf: GraphQLLeafType) -> tuple[type, Callable[[Any], Any]]:
    is_int = leaf is GraphQLInt  # serialize_int answers an int within 32 bits unchanged

    def finish(value: Any) -> Any:
        if value is None:
            return _FAIL
        if is_int and type(value) is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT:
            return value
        coerced = _coerced(leaf, value)
        return _FAIL if coerced is None else coerced

    return (int if is_int else _PLAIN_TYPES.get(leaf, _NeverPlain)), finish


# A selection of 1 to this many fields, whose shape (the kinds of its fields, in order) has been answered
# `_GENERATE_AFTER` times, is answered by a function generated for that shape (below); any other by the loop.
# Generating costs about a millisecond: the count keeps a client sending ever new shapes (the same fields in
# other orders) from making the server generate code for each, and the bounds keep both tables small.
_MAX_GENERATED_FIELDS = 64
_GENERATE_AFTER = 3
_MAX_SHAPES = 512
_shape_uses: dict[tuple[int, ...], int] = {}
_makers: dict[tuple[int, ...], Callable[..., _Answer]] = {}


def _object_answer(parts: list[_Part]) -> _Answer:
    """The answer of a whole selection: a dict of its fields' completed values in selection order, or _FAIL
    as soon as one field does not go plainly (or any read raises: the general path raises it where it
    belongs). A page answers this for every object of every list, so a selection seen often is a function
    generated for its shape: straight-line code, no Python call for a leaf whose read is a C callable."""
    if not parts or len(parts) > _MAX_GENERATED_FIELDS:
        return _looped_answer(parts)
    kinds = tuple(_kind(part) for part in parts)
    make = _makers.get(kinds)
    if make is None:
        uses = _shape_uses.pop(kinds, 0) + 1
        if uses < _GENERATE_AFTER:
            _bounded_put(_shape_uses, kinds, uses)
            return _looped_answer(parts)
        make = _answer_maker(kinds)
        _bounded_put(_makers, kinds, make)
    return make(
        _FAIL,
        tuple(p.response_name for p in parts),
        tuple(p.call for p in parts),
        tuple(p.plain for p in parts),
        tuple(p.finish for p in parts),
    )


def _bounded_put(table: dict, key: Any, value: Any) -> None:
    """Insert, dropping the oldest entry when the table is full (insertion order is age)."""
    if len(table) >= _MAX_SHAPES:
        del table[next(iter(table))]
    table[key] = value


_OBJECT, _LEAF, _INT = 0, 1, 2  # how a part is answered in a generated selection answer


def _kind(part: _Part) -> int:
    if part.finish is None:
        return _OBJECT
    return _INT if part.plain is int else _LEAF


def _answer_maker(kinds: tuple[int, ...]) -> Callable[..., _Answer]:
    """The factory of selection answers of one shape (the kind of each field, at least one). The generated
    code holds no text of the request: response names, readers and types are arguments of the factory,
    bound once per selection."""
    lines = ["def make(_FAIL, names, calls, plains, finishes):"]
    for i, kind in enumerate(kinds):
        lines.append(f"    n{i} = names[{i}]; c{i} = calls[{i}]")
        if kind != _OBJECT:
            lines.append(f"    t{i} = plains[{i}]; f{i} = finishes[{i}]")
    lines += ["    def answer(source):", "        try:"]
    for i, kind in enumerate(kinds):
        lines.append(f"            v{i} = c{i}(source)")
        if kind != _OBJECT:
            kept = f"type(v{i}) is not t{i}"
            if kind == _INT:  # an Int is kept as it is only within 32 bits
                kept += f" or not {GRAPHQL_MIN_INT} <= v{i} <= {GRAPHQL_MAX_INT}"
            lines += [
                f"            if {kept}:",
                f"                v{i} = f{i}(v{i})",
                f"                if v{i} is _FAIL: return _FAIL",
            ]
        else:
            lines.append(f"            if v{i} is _FAIL: return _FAIL")
    lines += [
        "        except Exception:",
        "            return _FAIL",
        "        return {" + ", ".join(f"n{i}: v{i}" for i in range(len(kinds))) + "}",
        "    return answer",
    ]
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), "<fast path selection>", "exec"), namespace)  # noqa: S102 - no request text
    return namespace["make"]


def _looped_answer(parts: list[_Part]) -> _Answer:
    """`_object_answer` in a loop: the same answer, for a selection with no generated function (empty, over
    `_MAX_GENERATED_FIELDS` fields, or of a shape not yet seen `_GENERATE_AFTER` times)."""

    def answer(source: Any) -> Any:
        completed: dict[str, Any] = {}
        for response_name, call, plain, finish in parts:
            try:
                value = call(source)
            except Exception:  # noqa: BLE001 - the general path raises it where it belongs
                return _FAIL
            if finish is not None and (
                type(value) is not plain or (plain is int and not GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT)
            ):
                value = finish(value)
            if value is _FAIL:
                return _FAIL
            completed[response_name] = value
        return completed

    return answer


def _read(read: Callable[[Any], Any], source: Any) -> Any:
    try:
        value = read(source)
    except Exception:  # noqa: BLE001 - the general path raises it where it belongs
        return _FAIL
    return _FAIL if value is None else value


def _nested_answer(read: Callable[[Any], Any], below: _Answer) -> _Answer:
    def answer(source: Any) -> Any:
        value = _read(read, source)
        return _FAIL if value is _FAIL else below(value)

    return answer


def _checked_answer(
    read: Callable[[Any], Any], object_class: type, is_type_of: Callable[[Any, Any], Any], below: _Answer
) -> _Answer:
    """An object whose type has a check (one implementing an interface, such as a Node): exactly of the class
    its GraphQL type stands for and passing the type's own check, as in a list; else the general path."""

    def answer(source: Any) -> Any:
        value = _read(read, source)
        if value is _FAIL or type(value) is not object_class or is_type_of(value, None) is not True:
            return _FAIL
        return below(value)

    return answer


def _list_answer(
    read: Callable[[Any], Any], item_class: type, is_type_of: Callable[[Any, Any], Any] | None, below: _Answer
) -> _Answer:
    """A list of objects, each exactly of the class its GraphQL type stands for and passing the type's own
    check as graphql-core would run it (strawberry's ignores the info object); anything else takes the
    general path."""

    def answer(source: Any) -> Any:
        items = _read(read, source)
        if not isinstance(items, list):
            return _FAIL
        completed = []
        for item in items:
            if type(item) is not item_class or (is_type_of is not None and is_type_of(item, None) is not True):
                return _FAIL
            value = below(item)
            if value is _FAIL:
                return _FAIL
            completed.append(value)
        return completed

    return answer


def _answer_abstract(
    context: FastLeafExecutionContext,
    read: Callable[[Any], Any],
    runtime: dict[type, GraphQLObjectType],
    details: Any,
    source: Any,
) -> Any:
    """An interface- or union-typed object: its object type is the one whose class it is exactly, and its
    selection (fragments on that type included) is answered as a whole."""
    value = _read(read, source)
    if value is _FAIL:
        return _FAIL
    object_type = runtime.get(type(value))
    if object_type is None or (object_type.is_type_of is not None and object_type.is_type_of(value, None) is not True):
        return _FAIL
    below = context._flat(object_type, details)
    return _FAIL if below is None else below(value)


def _coerced(leaf: GraphQLLeafType, value: Any) -> Any:
    """The leaf's output coercion, or None where it fails or refuses (the general path then reports it)."""
    try:
        coerced = leaf.coerce_output_value(value)
    except Exception:  # noqa: BLE001
        return None
    return None if coerced is Undefined else coerced


class _Plan(NamedTuple):
    read: Callable[[Any], Any]  # the field's value on its source (None: it cannot be read plainly)
    return_type: GraphQLOutputType
    leaf_type: GraphQLLeafType | None
    object_type: GraphQLObjectType | None  # an object, or the items of a list of objects
    item_class: type | None = None  # a list of objects: the Python class of its items
    abstract_type: GraphQLAbstractType | None = None  # an interface or union (only within a whole object)
    # An object whose type has an `is_type_of` check (only within a whole object): the class it stands for.
    object_class: type | None = None

    @property
    def checked(self) -> bool:
        return self.object_class is not None


def answered_from(
    read: Callable[[Any], Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Marks a resolver whose answer `read(source)` gives without the info object when it can (data the
    source already holds), None when it cannot: the fast path then reads it, else the resolver runs.
    Without `read`, the resolver itself is a function of its source alone and is read as it is. `read`
    must have no effect (the general path may run after it)."""

    def mark(resolver: Callable[..., Any]) -> Callable[..., Any]:
        resolver.fast_read = read or resolver  # type: ignore[attr-defined]
        return resolver

    return mark


def _plan(field_def: GraphQLField) -> _Plan | object:
    if field_def.args:
        return _SLOW
    read = _fast_read(field_def)
    if read is None:
        return _SLOW
    named = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
    if is_leaf_type(named):
        return _Plan(read, field_def.type, named, None)
    if isinstance(named, GraphQLObjectType):
        if named.is_type_of is None:
            return _Plan(read, field_def.type, None, named)  # an object whose type needs no check
        definition = (named.extensions or {}).get("strawberry-definition")
        if definition is not None and isinstance(definition.origin, type):
            return _Plan(read, field_def.type, None, named, object_class=definition.origin)
        return _SLOW
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        return _Plan(read, field_def.type, None, None, None, named)
    if isinstance(named, GraphQLList) and isinstance(named.of_type, GraphQLNonNull):
        item = named.of_type.of_type
        if not isinstance(item, GraphQLObjectType):
            return _SLOW
        definition = (item.extensions or {}).get("strawberry-definition")
        if definition is not None and isinstance(definition.origin, type):
            return _Plan(read, field_def.type, None, item, definition.origin)
    return _SLOW


def _fast_read(field_def: GraphQLField) -> Callable[[Any], Any] | None:
    """How the fast path reads the field: a strawberry basic field (an attribute read that ignores the info
    object), or a resolver marked with `answered_from`; None for any other field."""
    field = (field_def.extensions or {}).get("strawberry-definition")
    if not isinstance(field, StrawberryField):
        return None
    if field.is_basic_field:  # no resolver, no extension: strawberry reads the attribute, ignoring info
        return _reader(field_def)
    resolver = field.base_resolver
    if resolver is None or field.extensions:
        return None
    return getattr(resolver.wrapped_func, "fast_read", None)


def _reader(field_def: GraphQLField) -> Callable[[Any], Any]:
    """What strawberry's basic-field resolver does, without its two calls per field: the default resolver
    (getattr unless the schema config says otherwise) on the field's Python name."""
    field = (field_def.extensions or {}).get("strawberry-definition")
    if field is not None and field.default_resolver is getattr:
        return attrgetter(field.python_name)
    resolve = field_def.resolve
    return lambda source: resolve(source, None)
