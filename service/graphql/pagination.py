"""Relay-style pagination shared by every connection: PageInfo, opaque cursors, page sizes."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import TypeVar

import strawberry

from service.graphql.errors import BadUserInput, LimitExceeded

T = TypeVar("T")


@strawberry.type(description="Pagination state of a connection (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page.")


def encode_cursor(kind: str, item_id: int) -> str:
    """The opaque cursor of an item."""
    return base64.urlsafe_b64encode(f"{kind}:{item_id}".encode()).decode()


def decode_cursor(kind: str, cursor: str) -> int:
    """The item id in a cursor of ``kind``; BAD_USER_INPUT if it is not one of ours."""
    try:
        found, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        # Ids are database integers: a cursor naming a larger one would overflow the query.
        if found == kind and 0 <= int(value) < 2**63:
            return int(value)
    except (ValueError, UnicodeDecodeError):
        pass
    raise BadUserInput(f"invalid cursor {cursor[:40]!r}: pass the endCursor of a previous page")


def page_size(first: int | None, limit: int) -> int:
    """``first`` checked against the configured maximum (the default when absent)."""
    size = limit if first is None else first
    if not 0 <= size <= limit:
        raise LimitExceeded(f"first must be between 0 and {limit}, got {size}")
    return size


def page(
    items: Sequence[T], *, kind: str, ident: Callable[[T], int], size: int, after: str | None
) -> tuple[list[tuple[str, T]], PageInfo]:
    """A page of already ordered ``items``: (cursor, item) pairs and where the page ends."""
    start = 0
    if after is not None:
        after_id = decode_cursor(kind, after)
        ids = [ident(item) for item in items]
        start = ids.index(after_id) + 1 if after_id in ids else len(items)
    chosen = [(encode_cursor(kind, ident(item)), item) for item in items[start : start + size]]
    info = PageInfo(has_next_page=start + size < len(items), end_cursor=chosen[-1][0] if chosen else None)
    return chosen, info
