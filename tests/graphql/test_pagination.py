"""The one pager every connection uses: Relay's cut (after/before, then first, then last)."""

from __future__ import annotations

import pytest

from service.graphql.errors import BadUserInput
from service.graphql.types.pagination import PageRequest, decode_cursor, encode_cursor, paginate

NUMBERS = [50, 40, 30, 20, 10]  # newest first, as reports are listed


def page(
    first: int | None = None, after: int | None = None, last: int | None = None, before: int | None = None
):  # type: ignore[no-untyped-def]
    request = PageRequest.of(
        first=first,
        after=None if after is None else encode_cursor("n", (-after,)),
        last=last,
        before=None if before is None else encode_cursor("n", (-before,)),
        limit=3,
    )
    connection = paginate(NUMBERS, kind="n", order=lambda n: (-n,), request=request, node=lambda n: n)
    info = connection.page_info
    return [e.node for e in connection.edges], info.has_previous_page, info.has_next_page


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({}, ([50, 40, 30], False, True)),  # the limit is the default page
        ({"first": 2}, ([50, 40], False, True)),
        ({"first": 2, "after": 40}, ([30, 20], True, True)),
        ({"first": 3, "after": 30}, ([20, 10], True, False)),
        ({"last": 2}, ([20, 10], True, False)),
        ({"last": 2, "before": 20}, ([40, 30], True, True)),
        ({"after": 50, "before": 10}, ([40, 30, 20], True, True)),
        ({"first": 1, "last": 1, "after": 50}, ([40], True, True)),
        ({"first": 0}, ([], False, True)),
        ({"first": 2, "after": 35}, ([30, 20], True, True)),  # the item the cursor came from is gone
        ({"first": 2, "after": 10}, ([], True, False)),
        ({"last": 2, "before": 50}, ([], False, True)),
    ],
)
def test_relay_cut(arguments: dict[str, int], expected: tuple[list[int], bool, bool]) -> None:
    assert page(**arguments) == expected


def test_cursors_are_opaque_and_checked() -> None:
    cursor = encode_cursor("report", (-12,))
    assert "12" not in cursor and decode_cursor("report", cursor) == (-12,)
    for bad in (encode_cursor("case", (1,)), "not a cursor", "", "cmVwb3J0Og=="):
        with pytest.raises(BadUserInput, match="invalid cursor"):
            decode_cursor("report", bad)


@pytest.mark.parametrize("arguments", [{"first": 4}, {"last": 4}, {"first": -1}, {"last": -1}])
def test_page_sizes_are_bounded(arguments: dict[str, int]) -> None:
    with pytest.raises(BadUserInput, match="MAX_PAGE_SIZE"):
        PageRequest.of(**{"first": None, "last": None, **arguments}, after=None, before=None, limit=3)
