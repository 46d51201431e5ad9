"""Each query text parsed once: dashboards send the same few documents again and again.

graphql-core's parser is written in Python: a dashboard of 14 aliased fields takes ~4 ms to parse,
on every request. strawberry's ParserCache parses before the parse step's error handling (a
syntax error or the token limit would escape as a server error); this extension only looks a
document up before the step and keeps it after the step parsed it without error, so refused
documents are refused by the step itself, every time. Texts longer than MAX_KEPT_TEXT_CHARS are
not kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator

from graphql import DocumentNode
from strawberry.extensions import SchemaExtension

#: Query texts kept (least recently used dropped first).
MAX_DOCUMENTS = 256
#: Longer texts are parsed every time: a document holds its whole text (comments, which the token
#: limit does not count, included), so the kept memory is bounded by this times the entries. A
#: dashboard's 14 aliased fields with names are some 2,300 characters.
MAX_KEPT_TEXT_CHARS = 16_384


def kept_text(query: str) -> bool:
    """Whether a query text is short enough for its document (and plans) to be kept."""
    return len(query) <= MAX_KEPT_TEXT_CHARS


#: (query text, parse options) → its document. Documents are immutable: every request shares them.
_documents: OrderedDict[Hashable, DocumentNode] = OrderedDict()


class ParsedDocuments(SchemaExtension):
    """Looks the query text up before parsing; keeps what the parse step made of it."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        key = (context.query, tuple(sorted(context.parse_options.items())))
        keep = bool(context.query) and kept_text(context.query or "")
        found = _documents.get(key) if keep else None
        if found is not None:
            _documents.move_to_end(key)
            context.graphql_document = found
        yield
        document = context.graphql_document
        if found is None and keep and document is not None:
            _documents[key] = document
            if len(_documents) > MAX_DOCUMENTS:
                _documents.popitem(last=False)
