"""``@reads("point.value")``: marks a resolver that only returns an expression over attributes of ``self``;
``Built``: a list of objects kept as the parts they are made of.

graphql-core calls such a resolver like any other; the compiled plans of ``execution.py`` read
the expression inline instead (a dashboard answer has ~70,000 such fields, and a call costs more
than the read). An expression is an attribute path (``point.value``), an item of one indexed by
another (``series.id_tails[point.month]``), or a sum of those. The resolver's body must return
exactly ``self.<expression>``: ``tests/graphql`` checks every marked resolver against it.

A type whose objects are only their parts (``__plan_parts__ = ("point", "series")``, no other
state) can be answered as ``Built(Type, parts)``: graphql-core's general path gets an object
built per item, while a plan whose every field reads the parts reads them from the tuples, and no
object is made at all.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Sequence
from keyword import iskeyword
from typing import Any, Generic, TypeVar, overload

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

_MARK = "__reads__"
#: The parts a type's objects are made of, in the order of ``Built``'s tuples.
PARTS = "__plan_parts__"


def reads(expression: str) -> Callable[[F], F]:
    """Marks the decorated resolver as returning ``self.<expression>`` (see the module's text)."""
    _require_expression(expression)

    def mark(resolver: F) -> F:
        setattr(resolver, _MARK, expression)
        return resolver

    return mark


def path_read(resolver: Callable[..., Any]) -> str | None:
    """The expression a resolver was marked with, or None."""
    found = getattr(resolver, _MARK, None)
    return found if isinstance(found, str) else None


def names_in(expression: str) -> frozenset[str]:
    """The attribute names an expression starts from; empty when it is not one ``@reads`` allows
    (names, attributes, items and ``+`` only: nothing that calls, so inlining it runs no code
    but attribute reads, item lookups and additions)."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return frozenset()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if iskeyword(node.id) or not isinstance(node.ctx, ast.Load):
                return frozenset()
            found.add(node.id)
        elif not isinstance(node, _ALLOWED):
            return frozenset()
    return frozenset(found)


def _require_expression(expression: str) -> None:
    if not names_in(expression):
        raise ValueError(f"not an attribute path (or a sum or item of them): {expression!r}")


_ALLOWED = (ast.Expression, ast.Attribute, ast.Subscript, ast.BinOp, ast.Add, ast.Load)


def inline(expression: str, name: str) -> str:
    """The expression with each name it starts from written as ``name`` formats it: with
    ``"source.{}"``, ``point.value`` becomes ``source.point.value``."""

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            return ast.parse(name.format(node.id), mode="eval").body

    return ast.unparse(Rename().visit(ast.parse(expression, mode="eval")))


def reader(expression: str) -> Callable[[Any], Any]:
    """A function of the object returning the expression (what the general path of a plan
    that cannot inline calls)."""
    _require_expression(expression)
    code = compile(f"lambda self: {inline(expression, 'self.{}')}", "<reads>", "eval")
    function: Callable[[Any], Any] = eval(code, {"__builtins__": {}})  # checked: reads only
    return function


def parts_of(kind: type) -> tuple[str, ...] | None:
    """The parts ``kind``'s objects are made of, when it declares them."""
    found = getattr(kind, PARTS, None)
    return found if isinstance(found, tuple) and all(isinstance(n, str) for n in found) else None


class Built(Sequence[T], Generic[T]):
    """Objects of ``kind`` kept as the tuples of their parts (``kind.__plan_parts__``); each object
    is built (without ``__init__``) when read."""

    __slots__ = ("_names", "kind", "parts")

    def __init__(self, kind: type[T], parts: list[tuple[Any, ...]]) -> None:
        names = parts_of(kind)
        if names is None:
            raise TypeError(f"{kind.__name__} declares no {PARTS}")
        self.kind, self.parts, self._names = kind, parts, names

    def build(self, parts: tuple[Any, ...]) -> T:
        made: T = object.__new__(self.kind)
        for name, value in zip(self._names, parts, strict=True):
            setattr(made, name, value)
        return made

    def __len__(self) -> int:
        return len(self.parts)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Built[T]: ...
    def __getitem__(self, index: int | slice) -> T | Built[T]:
        if isinstance(index, slice):
            return Built(self.kind, self.parts[index])
        return self.build(self.parts[index])

    def __iter__(self) -> Iterator[T]:
        return map(self.build, self.parts)
