"""Text from a client may not contain NUL or an unpaired surrogate: PostgreSQL can neither store
nor compare NUL, and a lone surrogate (``"\\ud800"`` in JSON variables) cannot be encoded to send.

A NUL in an argument (``caseStudies(industry: "a\\u0000")``) reached the database as a parameter and
failed there as an internal error. It is refused before execution with BAD_USER_INPUT instead,
whether it came in the document's string literals or in the variables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, ExecutionResult, GraphQLError, StringValueNode, Visitor, visit
from strawberry.extensions import SchemaExtension

MESSAGE = "text arguments may not contain NUL (\\u0000) characters or unpaired surrogates (\\ud800-\\udfff)"
#: What no database text can hold: NUL, and UTF-16 surrogates standing alone.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class _FindNul(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        self.found = self.found or "\x00" in node.value


def may_spell_nul(query: str | None) -> bool:
    """Whether the query text could hold a NUL: raw, or escaped (``\\u0000``, ``\\u{0}``)."""
    return query is None or "\x00" in query or "\\u" in query


def has_nul(document: DocumentNode | None, variables: object, *, query: str | None = None) -> bool:
    """Whether a string literal of ``document`` or any string in ``variables`` holds a NUL.

    The document is walked only when its text (``query``, if given) has a NUL or an escape at all:
    dashboards send large documents with neither, many times a second.
    """
    if document is not None and may_spell_nul(query):
        finder = _FindNul()
        visit(document, finder)
        if finder.found:
            return True
    pending = [variables]  # a stack, not recursion: variables may nest as deep as JSON allows
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


class RefuseNul(SchemaExtension):
    """Refuses, before executing, an operation whose text arguments hold a NUL."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if has_nul(context.graphql_document, context.variables, query=context.query):
            context.result = ExecutionResult(
                data=None, errors=[GraphQLError(MESSAGE, extensions={"code": "BAD_USER_INPUT"})]
            )
        yield
