"""Relay pagination shared by every connection: one generic Connection, PageInfo, opaque cursors.

A connection pages an already ordered list. Each item has a sort key (a tuple of integers,
ascending in list order) and its cursor is that key, encoded. A cursor therefore still points
between the right items after the item it came from is deleted, and ``after``/``before`` are
found by bisection rather than by looking the item up.
"""

from __future__ import annotations

import base64
import binascii
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

import strawberry

from service.graphql.errors import BadUserInput

T = TypeVar("T")
N = TypeVar("N")

SortKey = tuple[int, ...]

FirstArgument = Annotated[
    int | None,
    strawberry.argument(description="Page size from the start (or from `after`); at most MAX_PAGE_SIZE."),
]
AfterArgument = Annotated[
    str | None, strawberry.argument(description="Items after this cursor (a previous page's `endCursor`).")
]
LastArgument = Annotated[
    int | None,
    strawberry.argument(description="Page size from the end (or from `before`); at most MAX_PAGE_SIZE."),
]
BeforeArgument = Annotated[
    str | None,
    strawberry.argument(description="Items before this cursor (a previous page's `startCursor`)."),
]


@strawberry.type(description="Pagination state of a connection (Relay PageInfo).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items come before this page.")
    start_cursor: str | None = strawberry.field(
        description="Cursor of the page's first item; pass as `before` for the page before."
    )
    end_cursor: str | None = strawberry.field(
        description="Cursor of the page's last item; pass as `after` for the next page."
    )


@strawberry.type(description="An item in a page, with its position (Relay edge).")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="Opaque position of this item.")
    node: N = strawberry.field(description="The item.")


@strawberry.type(description="A page of items in the list's order (Relay connection).")
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page lies in the whole list.")
    total_count: int = strawberry.field(description="Number of items matching the filter, on all pages.")


@dataclass(frozen=True)
class PageRequest:
    """The ``first``/``after``/``last``/``before`` arguments of a connection field, checked."""

    first: int | None
    after: str | None
    last: int | None
    before: str | None

    @classmethod
    def of(
        cls, *, first: int | None, after: str | None, last: int | None, before: str | None, limit: int
    ) -> PageRequest:
        """The arguments checked against the page-size limit; the first ``limit`` items by default."""
        for name, size in (("first", first), ("last", last)):
            if size is not None and not 0 <= size <= limit:
                raise BadUserInput(f"{name} must be between 0 and {limit} (MAX_PAGE_SIZE), got {size}")
        if first is None and last is None:
            first = limit
        return cls(first=first, after=after, last=last, before=before)


def encode_cursor(kind: str, key: SortKey) -> str:
    """The opaque cursor of an item of ``kind`` with sort key ``key``."""
    return base64.urlsafe_b64encode(f"{kind}:{','.join(map(str, key))}".encode()).decode()


def decode_cursor(kind: str, cursor: str) -> SortKey:
    """The sort key in a cursor of ``kind``; BAD_USER_INPUT if it is not one of ours."""
    try:
        found, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if found == kind and value:
            key = tuple(int(part) for part in value.split(","))
            # Keys are database integers: a cursor naming a larger one would overflow the query.
            if all(-(2**63) <= part < 2**63 for part in key):
                return key
    except (ValueError, UnicodeDecodeError, binascii.Error):
        pass
    raise BadUserInput(f"invalid cursor {cursor[:40]!r}: pass a startCursor or endCursor this list gave")


def paginate(
    items: Sequence[T],
    *,
    kind: str,
    order: Callable[[T], SortKey],
    request: PageRequest,
    node: Callable[[T], N],
) -> Connection[N]:
    """A page of ``items`` (sorted by ``order``, ascending), as the Relay specification cuts it:
    ``after``/``before`` first, then ``first``, then ``last``."""
    keys = [order(item) for item in items]
    start, end = 0, len(items)
    if request.after is not None:
        start = bisect_right(keys, decode_cursor(kind, request.after))
    if request.before is not None:
        end = max(start, bisect_left(keys, decode_cursor(kind, request.before)))
    lo, hi = start, end
    if request.first is not None:
        hi = min(hi, lo + request.first)
    if request.last is not None:
        lo = max(lo, hi - request.last)
    edges = [Edge(cursor=encode_cursor(kind, keys[i]), node=node(items[i])) for i in range(lo, hi)]
    info = PageInfo(
        # Items cut off by ``first``/``last`` or lying past the cursors both count: a client
        # paging either way learns whether there is more in that direction.
        has_next_page=hi < len(items),
        has_previous_page=lo > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, total_count=len(items))
