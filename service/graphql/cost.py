"""The query cost limit: how many fields an operation may resolve, counting list sizes (beside
``query_limits``' depth and aliases, which a document alone decides).

The cost of an operation is the number of field values it can produce: each field counts once per
object it is selected on, and a list of objects multiplies what is selected below it by its
expected length. Fragment spreads and inline fragments are expanded where they are used, so a
fragment spread five times costs five times (alias and depth limits alone are bypassed that way).
Lengths come from the arguments where the schema lets a client choose them (``first``, the
``observations`` filters) and from the reference data where they are fixed (47 prefectures).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from service.domain import reference
from service.graphql.query_limits import limit_error
from service.settings import get_settings

#: Object lists whose length the reference data fixes (at most), by field name.
_FIXED_LENGTHS = {
    "prefectures": 47,
    "ranking": 47,
    "regions": 17,
    "indicators": 12,
    "points": 12,
}
#: An object list with neither a fixed length nor a ``first`` argument.
_DEFAULT_LENGTH = 50


def _count(*values: object) -> int | None:
    """How many values a single-or-list argument pair names; None when neither is given."""
    given = [v for v in values if v is not None]
    if not given:
        return None
    return sum(len(v) if isinstance(v, list) else 1 for v in given)


def _observations(arguments: Mapping[str, Any]) -> int:
    """At most one figure per indicator breakdown, fiscal year, month and prefecture asked for."""
    breakdowns = {spec.code: len(spec.breakdowns) for spec in reference.indicator_catalogue()}
    named = [arguments.get("indicator"), *(arguments.get("indicators") or [])]
    width = sum(1 if arguments.get("breakdown") else breakdowns.get(code, 1) for code in named if code)
    years = _count(arguments.get("fiscalYear"), arguments.get("fiscalYears"))
    if years is None:
        years = _span(arguments.get("fromMonth"), arguments.get("toMonth"))
    months = _count(arguments.get("month"), arguments.get("months")) or 12
    prefectures = _count(arguments.get("prefecture"), arguments.get("prefectures")) or 47
    return max(width, 1) * years * min(months, 12) * min(prefectures, 47)


def _span(start: object, end: object) -> int:
    """Fiscal years a ``fromMonth``–``toMonth`` range touches (1 when it cannot be read)."""
    try:
        return max(int(str(end)[:4]) - int(str(start)[:4]) + 1, 1)
    except ValueError:
        return 1


def _length(field_name: str, arguments: Mapping[str, Any], page: int | None) -> int:
    """The expected length of an object list."""
    if field_name == "observations":
        return _observations(arguments)
    if field_name in ("edges", "nodes") and page is not None:
        return page
    return _FIXED_LENGTHS.get(field_name, _DEFAULT_LENGTH)


class _Walk:
    """One operation's cost, walking its selections with the variables it was sent."""

    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, variables: VariableValues, max_page: int
    ) -> None:
        self.schema, self.variables, self.max_page = schema, variables, max_page
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[tuple[str, str, int | None], int] = {}
        self.in_progress: set[tuple[str, str, int | None]] = set()

    def cost(self, selections: SelectionSetNode, parent: GraphQLNamedType, page: int | None = None) -> int:
        """Field values produced by one object's ``selections``, fragments expanded."""
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += 1
                fields = parent.fields if isinstance(parent, GraphQLObjectType) else {}
                definition = fields.get(selection.name.value)
                if definition is not None and selection.selection_set is not None:
                    total += self.below(selection, definition, page)
                # else a leaf, __typename, or a field validation will reject anyway
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(selection.selection_set, on or parent, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, parent, page)
        return total

    def fragment(self, name: str, parent: GraphQLNamedType, page: int | None) -> int:
        """A fragment's cost, computed once per page length however often it is spread (a fragment
        spreading the next one twice, 21 deep, would otherwise take 2²¹ walks)."""
        key = (name, parent.name, page)
        known = self.memo.get(key)
        if known is not None:
            return known
        fragment = self.fragments.get(name)
        if fragment is None or key in self.in_progress:
            return 0  # validation refuses unknown and cyclic fragments before execution
        self.in_progress.add(key)
        on = self.schema.get_type(fragment.type_condition.name.value)
        cost = self.cost(fragment.selection_set, on or parent, page)
        self.in_progress.discard(key)
        self.memo[key] = cost
        return cost

    def below(self, node: FieldNode, definition: GraphQLField, page: int | None) -> int:
        """What a field with a selection set costs under it, times the length of its list."""
        assert node.selection_set is not None
        try:
            arguments = get_argument_values(definition, node, self.variables)
        except GraphQLError:
            arguments = {}
        first = arguments.get("first")
        inner_page = min(first, self.max_page) if isinstance(first, int) else None
        if "first" in definition.args and inner_page is None:
            inner_page = self.max_page
        length = 1
        if isinstance(get_nullable_type(definition.type), GraphQLList):
            length = _length(node.name.value, arguments, page)
        return length * self.cost(node.selection_set, get_named_type(definition.type), inner_page)


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    max_page: int = 100,
) -> int:
    """The cost of the operation ``document`` and ``operation_name`` name (0 if there is none)."""
    operation: OperationDefinitionNode | None = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    coerced = get_variable_values(schema, operation.variable_definitions or (), dict(variables or {}))
    root = schema.get_root_type(operation.operation)
    if isinstance(coerced, list) or root is None:
        return 0  # execution reports bad variables itself
    return _Walk(schema, document, coerced, max_page).cost(operation.selection_set, root)


class QueryCostLimiter(SchemaExtension):
    """Refuses, before executing, an operation whose cost is above ``MAX_QUERY_COST``."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        settings = get_settings()
        if context.graphql_document is not None:
            cost = operation_cost(
                context.schema._schema,
                context.graphql_document,
                operation_name=context.operation_name,
                variables=context.variables,
                max_page=settings.max_page_size,
            )
            if cost > settings.max_query_cost:
                message = (
                    f"this query may resolve about {cost:,} fields "
                    f"(lists counted by their length), the limit is {settings.max_query_cost:,}; "
                    "ask for fewer fields, indicators, years or prefectures at a time, or page with first"
                )
                context.result = ExecutionResult(data=None, errors=[limit_error("MAX_QUERY_COST", message)])
        yield
