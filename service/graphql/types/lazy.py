"""Back references of the schema's type graph (a series point's prefecture, a revision's report):
a type family names a type of a family above it through the one ``strawberry.lazy`` alias of that
module defined here, for the schema and for building values, so the modules' imports stay acyclic."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, ForwardRef

import strawberry
from strawberry.types.lazy_type import LazyType


class Above:
    """A type family (module) above the one that refers to it, imported when first used.

    Parameters:
        module: the module's dotted path, e.g. ``service.graphql.types.places``.
    """

    def __init__(self, module: str) -> None:
        self._reference = strawberry.lazy(module)
        self._module: ModuleType | None = None

    def type(self, name: str) -> LazyType[Any, Any]:
        """The module's GraphQL type ``name``, for ``strawberry.field(graphql_type=...)``."""
        return self._reference.resolve_forward_ref(ForwardRef(name))

    def get(self, name: str) -> Any:
        """The module's ``name`` (a type, or the function that builds its values) at run time."""
        if self._module is None:
            # By the time a resolver runs, the schema has imported every type family.
            self._module = importlib.import_module(self._reference.module)
        return getattr(self._module, name)


#: The type families that lower ones refer back to (Prefecture, Indicator, Report).
PlacesModule = Above("service.graphql.types.places")
IndicatorsModule = Above("service.graphql.types.indicators")
ReportsModule = Above("service.graphql.types.reports")
