"""The compiling executor answers exactly as graphql-core's general path, errors included."""

from __future__ import annotations

import enum
import gc
import math
import types
import weakref
from datetime import UTC, datetime
from typing import Any

import pytest
import strawberry

from service.graphql import execution
from service.graphql.documents import MAX_KEPT_TEXT_CHARS, ParsedDocuments
from service.graphql.execution import CompilingExecutor


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Tag:
    name: str
    weight: float


@strawberry.type
class Item:
    number: int
    label: str | None
    ratio: float | None
    flag: bool
    colour: Colour
    seen: datetime
    tags: list[Tag]
    scores: list[int]
    must: str | None = strawberry.field(default="x", graphql_type=str)  # non-null in the schema

    @strawberry.field
    def double(self) -> int:
        return self.number * 2

    @strawberry.field
    def tag(self) -> Tag | None:
        return self.tags[0] if self.tags else None

    @strawberry.field
    def fails(self) -> int:
        if self.number == 3:
            raise ValueError("three is not allowed")
        return self.number

    @strawberry.field
    async def later(self) -> int:
        return self.number + 100

    @strawberry.field
    def scaled(self, by: int = 2) -> int:
        return self.number * by


def items(*, bad_must: bool = False) -> list[Item]:
    return [
        Item(
            number=n,
            label=None if n % 2 else f"item {n}",
            ratio=None if n == 0 else n / 7,
            flag=n % 3 == 0,
            colour=Colour.RED if n % 2 else Colour.BLUE,
            seen=datetime(2026, 4, 1 + n, tzinfo=UTC),
            tags=[Tag(name=f"t{n}", weight=n)] if n % 2 else [],
            scores=[n, n + 1],
            must=None if bad_must and n == 4 else "ok",
        )
        for n in range(6)
    ]


def schema(
    *,
    compiled: bool,
    bad_must: bool = False,
    huge: bool = False,
    ratio: float | None = None,
    parsed_once: bool = False,
) -> strawberry.Schema:
    @strawberry.type
    class Query:
        @strawberry.field
        def items(self) -> list[Item]:
            found = items(bad_must=bad_must)
            if huge:
                found[2].number = 2**40
            if ratio is not None:
                found[3].ratio = ratio
                found[3].tags[0].weight = ratio
            return found

    return strawberry.Schema(
        query=Query,
        execution_context_class=CompilingExecutor if compiled else None,
        extensions=[ParsedDocuments] if parsed_once else [],
    )


QUERIES = [
    "{ items { number label ratio flag colour seen scores double } }",
    "{ items { __typename n: number ...F tags { name weight } tag { name } } } fragment F on Item { label }",
    "query($s: Boolean!) { items { number label @skip(if: $s) ratio @include(if: $s) } }",
    "{ items { number fails } }",
    "{ items { number later } }",
    "{ items { scaled(by: 3) } }",
    "{ items { number must } }",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("variant", [{}, {"bad_must": True}, {"huge": True}])
async def test_same_answer_as_the_general_path(query: str, variant: dict[str, Any]) -> None:
    variables = {"s": True}
    general = await schema(compiled=False, **variant).execute(query, variables)
    compiled = await schema(compiled=True, **variant).execute(query, variables)
    assert compiled.data == general.data
    assert [(e.message, e.path) for e in compiled.errors or []] == [
        (e.message, e.path) for e in general.errors or []
    ]


@pytest.mark.parametrize("ratio", [math.nan, math.inf, -math.inf, 2**53 + 1, -(2**60) - 1])
async def test_floats_graphql_core_refuses_are_refused_alike(ratio: float) -> None:
    query = "{ items { number ratio tags { weight } } }"
    general = await schema(compiled=False, ratio=ratio).execute(query)
    compiled = await schema(compiled=True, ratio=ratio).execute(query)
    assert general.errors and all(
        e.message.startswith("Float cannot represent non numeric value") for e in general.errors
    )
    assert compiled.data == general.data
    assert [(e.message, e.path) for e in compiled.errors or []] == [
        (e.message, e.path) for e in general.errors
    ]


async def test_lists_of_plain_objects_are_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[bool] = []
    original = CompilingExecutor._list_plan

    def spy(self: CompilingExecutor, *args: Any) -> Any:
        entry = original(self, *args)
        used.append(entry.plan is not None)
        return entry

    monkeypatch.setattr(CompilingExecutor, "_list_plan", spy)
    result = await schema(compiled=True).execute("{ items { ratio tags { weight } tag { name } } }")
    assert result.errors is None and result.data is not None
    assert result.data["items"][1] == {"ratio": 1 / 7, "tags": [{"weight": 1.0}], "tag": {"name": "t1"}}
    assert used == [True]
    used.clear()
    await schema(compiled=True).execute("{ items { later } }")  # an async resolver: the general path
    assert used == [False]


@strawberry.interface
class Named:
    @strawberry.field
    def handle(self) -> str:
        return f"#{type(self).__name__}"


@strawberry.type
class Member(Named):
    number: int


@strawberry.type
class Special(Member):
    """A subclass: graphql-core's ``is_type_of`` passes it as a Member; the plan must not guess."""


async def test_types_that_implement_an_interface_are_compiled_for_their_own_class(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    completed: list[bool] = []
    original = CompilingExecutor.complete_list_value

    def spy(self: CompilingExecutor, *args: Any) -> Any:
        completed.append(self._list_plan(args[0], args[1]).plan is not None)
        return original(self, *args)

    monkeypatch.setattr(CompilingExecutor, "complete_list_value", spy)

    def members_schema(*, compiled: bool, special: bool) -> strawberry.Schema:
        @strawberry.type
        class Query:
            @strawberry.field
            def members(self) -> list[Member]:
                return [(Special if special and n == 1 else Member)(number=n) for n in range(3)]

        executor = CompilingExecutor if compiled else None
        return strawberry.Schema(query=Query, types=[Special], execution_context_class=executor)

    query = "{ members { __typename number handle } }"
    for special in (False, True):
        general = await members_schema(compiled=False, special=special).execute(query)
        answer = await members_schema(compiled=True, special=special).execute(query)
        assert (answer.data, answer.errors) == (general.data, general.errors)
    assert completed[0] is True  # a plan exists for Member, which implements Named
    assert answer.data == {
        "members": [
            {"__typename": "Member", "number": 0, "handle": "#Member"},
            {"__typename": "Member", "number": 1, "handle": "#Special"},
            {"__typename": "Member", "number": 2, "handle": "#Member"},
        ]
    }


#: Which places had their name completed (``Place.name`` records each call).
NAMED: list[str] = []


@strawberry.type
class Place:
    label: strawberry.Private[str]

    @strawberry.field
    def name(self) -> str:
        NAMED.append(self.label)
        return self.label


@strawberry.type
class Visit:
    number: int
    place: Place


SHARED_PLACE = Place(label="shared")


@strawberry.type
class VisitQuery:
    @strawberry.field
    def first(self) -> list[Visit]:
        return [Visit(number=n, place=SHARED_PLACE) for n in range(5)]

    @strawberry.field
    def second(self) -> list[Visit]:
        SHARED_PLACE.label = "renamed"  # between two lists: the second must see the change
        return [Visit(number=n, place=SHARED_PLACE) for n in range(5)]


async def test_an_object_that_many_items_point_at_is_completed_once_per_list() -> None:
    SHARED_PLACE.label = "shared"
    NAMED.clear()
    compiled = strawberry.Schema(query=VisitQuery, execution_context_class=CompilingExecutor)
    result = await compiled.execute("{ first { number place { name } } }")
    assert result.errors is None and result.data is not None
    assert [v["place"] for v in result.data["first"]] == [{"name": "shared"}] * 5
    assert NAMED == ["shared"]
    NAMED.clear()
    result = await compiled.execute("{ first { place { name } } second { place { name } } }")
    assert result.errors is None and result.data is not None
    assert result.data["second"] == [{"place": {"name": "renamed"}}] * 5
    assert len(NAMED) == 2


async def test_a_plan_is_compiled_once_for_the_same_document(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[int] = []
    original = CompilingExecutor._compile_list

    def spy(self: CompilingExecutor, *args: Any) -> Any:
        compiled.append(1)
        return original(self, *args)

    monkeypatch.setattr(CompilingExecutor, "_compile_list", spy)
    served = schema(compiled=True, parsed_once=True)
    for _ in range(3):
        result = await served.execute("{ items { number label tags { name } } }")
        assert result.errors is None
    assert len(compiled) == 1
    # Without the parse cache each request has its own nodes, so its own plan.
    for _ in range(2):
        await schema(compiled=True).execute("{ items { number label tags { name } } }")
    assert len(compiled) == 3


async def test_a_document_with_directives_is_compiled_for_its_variables() -> None:
    query = "query($s: Boolean!) { items { number label @skip(if: $s) ratio @include(if: $s) } }"
    served, general = schema(compiled=True), schema(compiled=False)
    for skip in (True, False, True):
        answer = await served.execute(query, {"s": skip})
        assert answer.data == (await general.execute(query, {"s": skip})).data
        assert answer.data is not None and ("label" in answer.data["items"][0]) is not skip


async def test_the_plans_of_a_long_text_are_not_kept() -> None:
    kept_before = len(execution._plans)
    padded = "{ items { number label } }\n#" + "x" * MAX_KEPT_TEXT_CHARS
    result = await schema(compiled=True, parsed_once=True).execute(padded)
    assert result.errors is None and result.data is not None and len(result.data["items"]) == 6
    assert len(execution._plans) == kept_before


async def test_a_plan_dropped_from_the_cache_is_freed_without_the_garbage_collector() -> None:
    served = schema(compiled=True, parsed_once=True)
    query = "{ items { number label } }  # freed"
    assert (await served.execute(query)).errors is None
    key = next(key for key, entry in execution._plans.items() if entry.nodes[0].loc.source.body == query)
    compiled = [weakref.ref(f) for f in _generated(execution._plans[key].plan)]
    assert compiled, "no generated function found"
    gc.disable()
    try:
        del execution._plans[key]
        alive = [f() for f in compiled if f() is not None]
        assert alive == [], "a generated function is kept by a reference cycle until a full collection"
    finally:
        gc.enable()


def _generated(plan: Any) -> list[types.FunctionType]:
    """The functions a plan was compiled into (``<plan>`` code), found through closures and globals."""
    found, pending, seen = [], [plan], set()
    while pending:
        function = pending.pop()
        if not isinstance(function, types.FunctionType) or id(function) in seen:
            continue
        seen.add(id(function))
        pending += [cell.cell_contents for cell in function.__closure__ or ()]
        if function.__code__.co_filename == "<plan>":
            found.append(function)
            pending += list(function.__globals__.values())
    return found
