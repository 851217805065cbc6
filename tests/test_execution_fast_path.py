"""The fast paths of app/schema/execution.py (plain fields, and objects answered as a whole) answer exactly
what graphql-core's general path answers: same data, same errors at the same paths, for plain values, nulls
where they are allowed and where they are not, values a scalar refuses, enums, fragments, aliases, and
errors raised below a fast-path object. And when it runs at all: only with GATEWAY_FAST_EXECUTION on and
graphql-core's signatures as recorded, else strawberry's standard context after one warning."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from operator import attrgetter

import graphql
import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from structlog.testing import capture_logs

from app.observability.logging import get_logger
from app.schema import build_schema, execution
from app.schema.docs import served_types
from app.schema.execution import FastLeafExecutionContext, answered_from
from app.settings import Settings


@strawberry.enum
class Colour(Enum):
    RED = "RED"
    BLUE = "BLUE"


@strawberry.type
class Price:
    amount: Decimal
    currency: str
    note: str | None

    @strawberry.field
    def fails(self) -> str:
        raise ValueError("below an object")

    @strawberry.field
    async def later(self) -> str:
        return f"{self.currency} later"


@strawberry.type
class Item:
    name: str
    count: int
    colour: Colour
    maybe: int | None
    price: Price
    maybe_price: Price | None
    tags: list[str]


def _items() -> list[Item]:
    good = Item(
        name="pen",
        count=3,
        colour=Colour.RED,
        maybe=None,
        price=Price(amount=Decimal("1.50"), currency="EUR", note=None),
        maybe_price=None,
        tags=["a", "b"],
    )
    broken = Item(
        name=None,  # type: ignore[arg-type]  # a non-null field answering null
        count="many",  # type: ignore[arg-type]  # a value Int refuses
        colour="GREEN",  # type: ignore[arg-type]  # not an enum value
        maybe=7,
        price=None,  # type: ignore[arg-type]
        maybe_price=Price(amount=Decimal("2"), currency="USD", note="x"),
        tags=[],
    )
    too_big = Item(
        name="ream",
        count=2**40,  # beyond GraphQL's 32-bit Int
        colour=Colour.BLUE,
        maybe=None,
        price=Price(amount=Decimal("3"), currency="EUR", note=None),
        maybe_price=None,
        tags=[],
    )
    return [good, broken, too_big]


@strawberry.interface
class Pet:
    name: str


@strawberry.type
class Dog(Pet):
    name: str
    barks: int


@strawberry.type
class Cat(Pet):
    name: str
    lives: int


@strawberry.type
class Shelf:
    pet: Pet
    pets: list[Pet]
    prefetched: strawberry.Private[list[Dog] | None] = None

    @strawberry.field
    @answered_from(lambda shelf: shelf.prefetched)
    def dogs(self) -> list[Dog]:
        return self.prefetched if self.prefetched is not None else [Dog(name="loaded", barks=0)]


def _shelves() -> list[Shelf]:
    rex, tom = Dog(name="rex", barks=3), Cat(name="tom", lives=9)
    nameless = Cat(name=None, lives=1)  # type: ignore[arg-type]
    return [
        Shelf(pet=rex, pets=[rex, tom], prefetched=[rex]),
        Shelf(pet=tom, pets=[tom], prefetched=None),  # its dogs come from the resolver
        Shelf(pet=nameless, pets=[], prefetched=[]),  # a non-null name answering null
    ]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return list(_items())

    @strawberry.field
    def item(self) -> Item:
        return _items()[0]

    @strawberry.field
    def shelves(self) -> list[Shelf | None]:
        return _shelves()

    @strawberry.field
    def shelf(self) -> Shelf:
        return _shelves()[0]


QUERIES = [
    "{ item { name count colour maybe tags price { amount currency note } maybePrice { amount } } }",
    "{ items { name } }",
    "{ items { count } }",
    "{ items { colour } }",
    "{ items { maybe maybePrice { amount currency note } } }",
    "{ items { price { amount } } }",
    "{ item { price { amount fails } } }",
    "{ items { maybePrice { fails } } }",
    "{ item { price { later amount } } }",
    "{ item { a: count b: count __typename price { __typename c: currency } } }",
    "{ item { name count colour price { amount currency } } }",  # answered as a whole
    "{ items { name count price { amount currency } } }",  # the second item falls back
    "{ items { maybe maybePrice { amount } } }",
    "{ item { price { ... on Price { amount } currency } } }",
    "{ shelf { dogs { name barks } } }",  # a marked resolver answering from data held
    "{ shelves { dogs { name } } }",  # ... and running where the data is not held
    "{ shelves { pet { __typename name ... on Dog { barks } ... on Cat { lives } } } }",
    "{ shelves { pets { __typename name } } }",  # a list of an interface: the general path
    "{ shelf { __typename pet { name } dogs { __typename barks } } }",
    # More fields than a generated selection answer holds (app/schema/execution.py): the loop answers it.
    "{ items { " + " ".join(f"c{i}: count" for i in range(70)) + " name colour price { amount } } }",
    "{ item { " + " ".join(f"n{i}: name" for i in range(70)) + " price { amount } } }",
    # Selections left empty by directives.
    "{ item { name @skip(if: true) } }",
    "{ items { price { amount @include(if: false) } name } }",
]


def _run(schema: strawberry.Schema, query: str) -> dict:
    result = asyncio.run(schema.execute(query))
    return {
        "data": result.data,
        "errors": sorted((e.message, tuple(e.path or ())) for e in result.errors or []),
    }


@pytest.mark.parametrize("query", QUERIES)
def test_fast_path_answers_what_the_general_path_answers(query: str) -> None:
    general = strawberry.Schema(query=Query, types=[Dog, Cat])
    fast = strawberry.Schema(query=Query, types=[Dog, Cat], execution_context_class=FastLeafExecutionContext)
    assert _run(fast, query) == _run(general, query)


def test_the_cases_cover_errors_and_the_fast_path_is_taken() -> None:
    fast = strawberry.Schema(query=Query, types=[Dog, Cat], execution_context_class=FastLeafExecutionContext)
    errors = [e for q in QUERIES for e in _run(fast, q)["errors"]]
    assert {path[-1] for _message, path in errors} >= {"name", "count", "colour", "price", "fails"}
    served = served_types(fast)
    plans = {
        name: plan
        for (field, plan) in FastLeafExecutionContext._plans.values()
        for type_name in ("Item", "Price")
        for name, candidate in served[type_name].fields.items()
        if candidate is field
    }
    assert plans["count"].leaf_type is not None and plans["price"].object_type is not None
    assert isinstance(plans["count"].read, attrgetter)  # strawberry's default resolver, read directly
    assert plans["fails"] is plans["later"]  # resolver functions: the general path (_SLOW)


def test_a_shape_answered_often_gets_a_generated_answer_with_the_same_result() -> None:
    """The first answers of a new selection shape come from the loop; from the third on, from a function
    generated for the shape (app/schema/execution.py): the same data and errors either way."""
    query = "{ items { colour count name maybe price { currency amount note } } }"
    general = _run(strawberry.Schema(query=Query, types=[Dog, Cat]), query)
    fast = strawberry.Schema(query=Query, types=[Dog, Cat], execution_context_class=FastLeafExecutionContext)
    execution._makers.clear()
    execution._shape_uses.clear()
    for _ in range(4):
        assert _run(fast, query) == general
    # Item's five fields (leaf, Int, String, nullable Int, object) and Price's three.
    assert {(1, 2, 1, 2, 0), (1, 1, 1)} <= set(execution._makers)


def test_the_shape_tables_stay_bounded() -> None:
    execution._makers.clear()
    execution._shape_uses.clear()
    for n in range(1, execution._MAX_SHAPES + 50):
        execution._bounded_put(execution._shape_uses, (1,) * (n % 60 + 1) + (n,), 1)
    assert len(execution._shape_uses) == execution._MAX_SHAPES


def _counting_run(query: str) -> tuple[dict, list[str]]:
    """The answer, and the fields graphql-core executed one by one (the rest were answered in one pass)."""
    executed: list[str] = []

    class Counting(FastLeafExecutionContext):
        def execute_field(self, parent_type, source, field_details_list, path, position_context):  # noqa: ANN001, ANN201
            executed.append(field_details_list[0].node.name.value)
            return super().execute_field(parent_type, source, field_details_list, path, position_context)

    schema = strawberry.Schema(query=Query, types=[Dog, Cat], execution_context_class=Counting)
    return _run(schema, query), executed


def test_a_selection_of_plain_fields_is_answered_without_a_field_execution_per_field() -> None:
    answer, executed = _counting_run("{ item { name count colour price { amount currency } } }")
    assert answer["data"] == {
        "item": {"name": "pen", "count": 3, "colour": "RED", "price": {"amount": "1.50", "currency": "EUR"}}
    }
    assert executed == ["item"]  # the item's fields, and its price's, in one pass


def test_a_whole_page_of_interface_typed_objects_is_answered_in_one_pass() -> None:
    answer, executed = _counting_run("{ shelf { pet { __typename name ... on Dog { barks } } dogs { name } } }")
    assert answer["data"] == {
        "shelf": {"pet": {"__typename": "Dog", "name": "rex", "barks": 3}, "dogs": [{"name": "rex"}]}
    }
    assert executed == ["shelf"]


# --- when the fast path runs at all (GATEWAY_FAST_EXECUTION, graphql-core's signatures) ---------------------


@pytest.fixture
def fresh_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The once-per-process signature check evaluated again, with a logger of its own for capture_logs (the
    module's logger may already be cached with the app's processors)."""
    monkeypatch.setattr(execution, "log", get_logger("app.graphql"))
    execution._fast_path_usable.cache_clear()
    yield
    execution._fast_path_usable.cache_clear()


def test_the_tested_graphql_core_has_the_expected_signatures(fresh_check: None) -> None:
    assert execution.signature_mismatches() == []
    with capture_logs() as logs:
        assert execution.execution_context_class(True) is FastLeafExecutionContext
    assert logs == []


def test_a_changed_graphql_core_signature_falls_back_to_standard_execution_with_one_warning(
    fresh_check: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def execute_field(self, parent_type, source, field_nodes, path):  # noqa: ANN001, ANN202 - 3.2's shape
        raise AssertionError("not called")

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "execute_field", execute_field)
    with capture_logs() as logs:
        chosen = [execution.execution_context_class(True) for _ in range(3)]  # e.g. three schemas built
    assert chosen == [StrawberryGraphQLCoreExecutionContext] * 3
    assert len(logs) == 1
    (line,) = logs
    assert line["log_level"] == "warning" and line["event"].startswith("execution fast path off")
    assert line["mismatches"] == ["execute_field('self', 'parent_type', 'source', 'field_nodes', 'path')"]
    assert line["graphql_core"] == graphql.version


def test_the_setting_off_builds_the_schema_with_strawberrys_standard_context(
    fresh_check: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_schema(Settings(env="test", fast_execution=False)).execution_context_class is (
        StrawberryGraphQLCoreExecutionContext
    )
    assert build_schema(Settings(env="test", fast_execution=True)).execution_context_class is FastLeafExecutionContext
    monkeypatch.setenv("GATEWAY_FAST_EXECUTION", "false")  # as CI exports it for one run of the suite
    assert Settings(database_url="sqlite+aiosqlite://", env="test").fast_execution is False
