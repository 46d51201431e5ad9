"""Query limits: how deep, how many aliases and how long names a GraphQL document may have, checked
in linear time.
(The other limits: request bodies in ``service.http.body_size``, the field budget in ``graphql.cost``.)

A fragment may be spread many times, and each spread may spread others: 21 fragments each
spreading the next twice stand for 2²¹ copies of the last one. Walking every spread (as
strawberry's limiters do) takes exponential time, so each fragment is measured once and its
measure reused wherever it is spread. Checking still has a time budget (``MAX_QUERY_CHECK_MS``)
in case a document finds another way to be slow; past it the query is refused, not run.
(Introspection nesting is limited by graphql-core's MaxIntrospectionDepthRule, one of its rules.)
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)


@dataclass(frozen=True)
class Measure:
    """How deep a selection set nests fields, and how many aliases it stands for once expanded."""

    depth: int
    aliases: int


class OverBudget(Exception):
    """Measuring took longer than the time budget."""


class DocumentMeasurer:
    """Measures selection sets of one document, each fragment once (memoised by name).

    Parameters:
        fragments: the document's fragment definitions by name.
        budget_seconds: how long measuring may take in all before ``OverBudget``.
    """

    def __init__(self, fragments: dict[str, FragmentDefinitionNode], *, budget_seconds: float) -> None:
        self.fragments = fragments
        self.deadline = time.perf_counter() + budget_seconds
        self.memo: dict[str, Measure] = {}
        self.in_progress: set[str] = set()
        self.steps = 0

    def selection_set(self, selections: SelectionSetNode) -> Measure:
        """The depth (fields on the longest path, the leaf counted) and aliases of ``selections``."""
        depth = aliases = 0
        for selection in selections.selections:
            self._tick()
            if isinstance(selection, FieldNode):
                measure = self.field(selection)
            elif isinstance(selection, InlineFragmentNode):
                measure = self.selection_set(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                measure = self.fragment(selection.name.value)
            else:  # pragma: no cover - the three kinds above are all GraphQL has
                continue
            depth, aliases = max(depth, measure.depth), aliases + measure.aliases
        return Measure(depth, aliases)

    def field(self, node: FieldNode) -> Measure:
        """A field: one level more than what it selects; introspection is limited by its own rule."""
        alias = 1 if node.alias is not None else 0
        if node.selection_set is None or node.name.value.startswith("__"):
            return Measure(1, alias)
        below = self.selection_set(node.selection_set)
        return Measure(below.depth + 1, below.aliases + alias)

    def fragment(self, name: str) -> Measure:
        """A fragment's measure, computed on its first spread; unknown or cyclic ones measure nothing
        (validation reports those itself)."""
        known = self.memo.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.in_progress:
            return Measure(0, 0)
        self.in_progress.add(name)
        measure = self.selection_set(definition.selection_set)
        self.in_progress.discard(name)
        self.memo[name] = measure
        return measure

    def _tick(self) -> None:
        # Reading the clock on every node would cost more than the walk itself.
        self.steps += 1
        if self.steps % 1024 == 0 and time.perf_counter() > self.deadline:
            raise OverBudget


def limit_error(setting: str, message: str, node: object | None = None) -> GraphQLError:
    """The one shape of a query limit error: names the setting, code LIMIT_EXCEEDED."""
    nodes = [node] if node is not None else None
    return GraphQLError(
        f"query limit {setting} exceeded: {message}",
        nodes,  # type: ignore[arg-type]
        extensions={"code": "LIMIT_EXCEEDED"},
    )


def document_limits(
    *, max_depth: int, max_aliases: int, budget_ms: int, max_name_length: int = 100
) -> type[ValidationRule]:
    """A validation rule refusing documents that nest deeper than ``max_depth`` fields below the
    root, hold more than ``max_aliases`` aliases once fragments are expanded, hold a name (an alias
    above all: each item of a list repeats it in the answer) longer than ``max_name_length``, or
    cannot be measured within ``budget_ms``."""

    class DocumentLimits(ValidationRule):
        def enter_name(self, node: NameNode, *_: object) -> None:
            if len(node.value) > max_name_length:
                self.report_error(
                    limit_error(
                        "MAX_NAME_LENGTH",
                        f"a name of {len(node.value):,} characters, the limit is {max_name_length}",
                        node,
                    )
                )

        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            fragments = {
                d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
            }
            measurer = DocumentMeasurer(fragments, budget_seconds=budget_ms / 1000)
            aliases = 0
            try:
                for definition in document.definitions:
                    if not isinstance(definition, OperationDefinitionNode):
                        continue
                    measure = measurer.selection_set(definition.selection_set)
                    aliases += measure.aliases
                    # The root's fields are level 0, as strawberry's QueryDepthLimiter counted.
                    if measure.depth - 1 > max_depth:
                        context.report_error(
                            limit_error(
                                "MAX_QUERY_DEPTH",
                                f"the operation nests fields {measure.depth - 1} levels below the root, "
                                f"the limit is {max_depth}",
                                definition,
                            )
                        )
            except OverBudget:
                context.report_error(
                    limit_error(
                        "MAX_QUERY_CHECK_MS",
                        f"the document could not be checked within {budget_ms} ms; "
                        "send fewer fragments or fields",
                    )
                )
                return
            except RecursionError:
                context.report_error(
                    limit_error("MAX_QUERY_DEPTH", "the document nests too deeply to be checked")
                )
                return
            if aliases > max_aliases:
                context.report_error(
                    limit_error(
                        "MAX_QUERY_ALIASES",
                        f"{aliases:,} aliases once fragments are expanded, the limit is {max_aliases:,}",
                    )
                )

    return DocumentLimits
