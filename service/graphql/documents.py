"""Each query text parsed once: dashboards send the same few documents again and again.

graphql-core's parser is written in Python: a dashboard of 14 aliased fields takes ~4 ms to parse,
on every request. strawberry's ParserCache parses before the parse step's error handling (a
syntax error or the token limit would escape as a server error); this extension only looks a
document up before the step and keeps it after the step parsed it without error, so refused
documents are refused by the step itself, every time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator

from graphql import DocumentNode
from strawberry.extensions import SchemaExtension

#: Query texts kept (least recently used dropped first). Each is bounded by MAX_QUERY_TOKENS.
MAX_DOCUMENTS = 256

#: (query text, parse options) → its document. Documents are immutable: every request shares them.
_documents: OrderedDict[Hashable, DocumentNode] = OrderedDict()


class ParsedDocuments(SchemaExtension):
    """Looks the query text up before parsing; keeps what the parse step made of it."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        key = (context.query, tuple(sorted(context.parse_options.items())))
        found = _documents.get(key) if context.query else None
        if found is not None:
            _documents.move_to_end(key)
            context.graphql_document = found
        yield
        document = context.graphql_document
        if found is None and context.query and document is not None:
            _documents[key] = document
            if len(_documents) > MAX_DOCUMENTS:
                _documents.popitem(last=False)
