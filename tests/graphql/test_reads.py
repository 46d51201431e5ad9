"""``@reads``: a marked resolver returns exactly its path, and compiled plans read the path inline."""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any

import pytest
import strawberry

from service.graphql.execution import CompilingExecutor
from service.graphql.reads import path_read, reads
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
    """``a.b`` when the function's body is ``return self.a.b`` and nothing else (docstring aside)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    statements = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(statements) != 1 or not isinstance(statements[0], ast.Return):
        return None
    node, parts = statements[0].value, []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join(reversed(parts)) if isinstance(node, ast.Name) and node.id == "self" else None


def test_every_marked_resolver_returns_exactly_its_path() -> None:
    marked = _marked_resolvers()
    assert {name for name, _, _ in marked} >= {
        "Observation.value",
        "Observation.prefecture",
        "SeriesPoint.rank",
    }
    assert [(name, path) for name, function, path in marked if _returned_path(function) != path] == []


def test_the_check_tells_a_resolver_that_computes() -> None:
    def computes(self: Any) -> int:
        return self.point.value + 1  # type: ignore[no-any-return]

    def reads_other(self: Any) -> int:
        return self.point.rank  # type: ignore[no-any-return]

    assert _returned_path(computes) is None
    assert _returned_path(reads_other) == "point.rank"


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
