"""``@reads("point.value")``: marks a resolver that only returns an attribute path of ``self``.

graphql-core calls such a resolver like any other; the compiled plans of ``execution.py`` read
the path inline instead (a dashboard answer has ~70,000 such fields, and a call costs more than
the read). The resolver's body must return exactly ``self.<path>``: ``tests/graphql`` checks
every marked resolver against its path.
"""

from __future__ import annotations

from collections.abc import Callable
from keyword import iskeyword
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_MARK = "__reads__"


def reads(path: str) -> Callable[[F], F]:
    """Marks the decorated resolver as returning ``self.<path>`` (attribute names joined by dots)."""
    if not all(part.isidentifier() and not iskeyword(part) for part in path.split(".")):
        raise ValueError(f"not an attribute path: {path!r}")

    def mark(resolver: F) -> F:
        setattr(resolver, _MARK, path)
        return resolver

    return mark


def path_read(resolver: Callable[..., Any]) -> str | None:
    """The attribute path a resolver was marked with, or None."""
    found = getattr(resolver, _MARK, None)
    return found if isinstance(found, str) else None
