"""Every object of a Node type that the dashboard or docs/queries select also selects ``id``.

That is what lets a normalising cache (Apollo's InMemoryCache, urql's graphcache) key the answers
with no type policies; tests/e2e/test_apollo_cache.py runs the real InMemoryCache on them.
"""

from __future__ import annotations

import pytest
from graphql import (
    FieldNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    InlineFragmentNode,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    parse,
    validate,
    visit,
)

from service.graphql.schema import schema
from tests.support.dashboard_queries import dashboard_documents, docs_documents

GRAPHQL = schema._schema
NODE = GRAPHQL.get_type("Node")
DOCUMENTS = {f"queries.ts:{k}": v for k, v in dashboard_documents().items()} | {
    f"docs/queries/{k}.graphql": v for k, v in docs_documents().items()
}


def is_node(type_: object) -> bool:
    named = get_named_type(type_)  # type: ignore[arg-type]
    if named is NODE:
        return True
    return isinstance(named, GraphQLObjectType | GraphQLInterfaceType) and NODE in named.interfaces


class MissingIds(Visitor):
    """Collects the paths of Node selections without an ``id`` field."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.missing: list[str] = []

    def enter_selection_set(self, node: SelectionSetNode, *_: object) -> None:
        parent = self.type_info.get_parent_type()
        if parent is None or not is_node(parent):
            return
        names = {s.name.value for s in node.selections if isinstance(s, FieldNode) and s.alias is None}
        if "id" not in names and not all(isinstance(s, InlineFragmentNode) for s in node.selections):
            self.missing.append(f"{parent.name} at line {node.loc.source.get_location(node.loc.start).line}")  # type: ignore[union-attr]


def test_the_dashboard_sends_every_kind_of_operation() -> None:
    # A change to how queries.ts is written must not empty this test.
    assert {"CHOICES", "OVERVIEW", "PREFECTURE", "REPORTS", "UPLOAD", "REPORT_STATUS", "REPORT"} <= set(
        dashboard_documents()
    )


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_node_selects_its_id(name: str) -> None:
    document = parse(DOCUMENTS[name])
    assert validate(GRAPHQL, document) == []
    type_info = TypeInfo(GRAPHQL)
    finder = MissingIds(type_info)
    visit(document, TypeInfoVisitor(type_info, finder))
    assert finder.missing == [], f"{name} selects Node objects without `id`: {finder.missing}"


def test_the_check_finds_a_node_without_id() -> None:
    type_info = TypeInfo(GRAPHQL)
    finder = MissingIds(type_info)
    visit(parse('{ prefecture(code: "13") { id area { code } } }'), TypeInfoVisitor(type_info, finder))
    assert finder.missing == ["Region at line 1"]
