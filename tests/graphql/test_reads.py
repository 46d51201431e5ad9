"""``@reads``: a marked resolver returns exactly its path, and compiled plans read the path inline."""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any

import pytest
import strawberry

from service.graphql.execution import CompilingExecutor
from service.graphql.reads import Built, names_in, path_read, reads
from service.graphql.schema import schema as service_schema


def _marked_resolvers() -> list[tuple[str, Any, str]]:
    found = []
    for type_ in service_schema.schema_converter.type_map.values():
        definition = type_.definition
        for field in getattr(definition, "fields", []):
            resolver = field.base_resolver
            path = None if resolver is None else path_read(resolver.wrapped_func)
            if path is not None:
                found.append((f"{definition.name}.{field.python_name}", resolver.wrapped_func, path))
    return found


def _returned_path(function: Any) -> str | None:
    """The expression over ``self`` the function's body returns and does nothing else (docstring
    aside), written without ``self.``: ``a.b`` for ``return self.a.b``; None when the body does
    more, or reads anything but attributes of ``self``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    statements = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(statements) != 1 or not isinstance(statements[0], ast.Return) or statements[0].value is None:
        return None

    class WithoutSelf(ast.NodeTransformer):
        def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
            if isinstance(node.value, ast.Name) and node.value.id == "self":
                return ast.Name(id=node.attr, ctx=ast.Load())
            return self.generic_visit(node)

    stripped = WithoutSelf().visit(statements[0].value)
    return ast.unparse(stripped) if names_in(ast.unparse(stripped)) else None


def _same(returned: str | None, marked: str) -> bool:
    return returned is not None and ast.dump(ast.parse(returned)) == ast.dump(ast.parse(marked))


def test_every_marked_resolver_returns_exactly_its_path() -> None:
    marked = _marked_resolvers()
    assert {name for name, _, _ in marked} >= {
        "Observation.value",
        "Observation.prefecture",
        "SeriesPoint.rank",
    }
    assert "Observation.id" in {name for name, _, _ in marked}
    assert [
        (name, path) for name, function, path in marked if not _same(_returned_path(function), path)
    ] == []


def test_the_check_tells_a_resolver_that_computes() -> None:
    def computes(self: Any) -> int:
        return self.point.value + 1  # type: ignore[no-any-return]

    def reads_other(self: Any) -> int:
        return self.point.rank  # type: ignore[no-any-return]

    def calls(self: Any) -> int:
        return self.point.value()  # type: ignore[no-any-return]

    def joins(self: Any) -> str:
        return self.series.head + self.series.tails[self.point.month]  # type: ignore[no-any-return]

    assert not _same(_returned_path(computes), "point.value")
    assert _returned_path(calls) is None
    assert _returned_path(reads_other) == "point.rank"
    assert _same(_returned_path(joins), "series.head + series.tails[point.month]")
    assert not _same(_returned_path(joins), "series.head + series.tails[point.rank]")


@pytest.mark.parametrize("path", ["", "a..b", "point.class", "1x", "a b"])
def test_only_attribute_paths_are_marks(path: str) -> None:
    with pytest.raises(ValueError, match="not an attribute path"):
        reads(path)


#: How many times the marked resolver below was called.
CALLS: list[int] = []


@strawberry.type
class Inner:
    amount: int


@strawberry.type
class Row:
    inner: strawberry.Private[Inner]

    @strawberry.field
    @reads("inner.amount")
    def amount(self) -> int:
        CALLS.append(1)
        return self.inner.amount


@strawberry.type
class RowsQuery:
    @strawberry.field
    def rows(self) -> list[Row]:
        return [Row(inner=Inner(amount=n)) for n in range(4)]

    @strawberry.field
    def bad(self) -> list[Row]:
        return [Row(inner=Inner(amount=2**40 if n == 2 else n)) for n in range(4)]


async def test_a_plan_reads_the_path_and_the_general_path_calls_the_resolver() -> None:
    CALLS.clear()
    compiled = strawberry.Schema(query=RowsQuery, execution_context_class=CompilingExecutor)
    general = strawberry.Schema(query=RowsQuery)
    answer = await compiled.execute("{ rows { amount } }")
    assert answer.errors is None and answer.data == {"rows": [{"amount": n} for n in range(4)]}
    assert CALLS == []
    assert (await general.execute("{ rows { amount } }")).data == answer.data
    assert len(CALLS) == 4
    # A value the plan cannot complete exactly: the general path answers, error and all.
    wrong, expected = (
        await compiled.execute("{ bad { amount } }"),
        await general.execute("{ bad { amount } }"),
    )
    assert wrong.data == expected.data
    assert [(e.message, e.path) for e in wrong.errors or []] == [
        (e.message, e.path) for e in expected.errors or []
    ]


@strawberry.type
class Pair:
    """A type made of two parts only, listed as ``Built`` tuples."""

    left: strawberry.Private[Inner]
    right: strawberry.Private[Inner]
    __plan_parts__ = ("left", "right")

    @strawberry.field
    @reads("left.amount + right.amount")
    def total(self) -> int:
        CALLS.append(1)
        return self.left.amount + self.right.amount

    @strawberry.field
    def doubled(self) -> int:
        return 2 * self.left.amount


@strawberry.type
class PairsQuery:
    @strawberry.field
    def pairs(self) -> list[Pair]:
        return Built(Pair, [(Inner(amount=n), Inner(amount=10 * n)) for n in range(4)])  # type: ignore[return-value]

    @strawberry.field
    def bad_pairs(self) -> list[Pair]:
        return Built(Pair, [(Inner(amount=n), Inner(amount=2**40 if n == 2 else n)) for n in range(4)])  # type: ignore[return-value]


@pytest.mark.parametrize(
    "query",
    [
        "{ pairs { total __typename } }",  # read from the tuples: no object is built
        "{ pairs { total doubled } }",  # a method needs the object: each one is built
        "{ badPairs { total } }",  # a value the plan cannot complete: the general path's error
    ],
)
async def test_a_built_list_answers_as_a_list_of_its_objects(
    query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    general = await strawberry.Schema(query=PairsQuery).execute(query)
    built: list[int] = []
    build = Built.build
    monkeypatch.setattr(Built, "build", lambda self, parts: built.append(1) or build(self, parts))
    CALLS.clear()
    compiled = await strawberry.Schema(query=PairsQuery, execution_context_class=CompilingExecutor).execute(
        query
    )
    assert compiled.data == general.data
    assert [(e.message, e.path) for e in compiled.errors or []] == [
        (e.message, e.path) for e in general.errors or []
    ]
    if "doubled" in query:
        assert len(built) == 4 and CALLS == []
    elif "bad" not in query:
        assert built == [] and CALLS == []
        assert compiled.data == {"pairs": [{"total": 11 * n, "__typename": "Pair"} for n in range(4)]}
