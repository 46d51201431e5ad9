"""One printed figure: zero marks, withheld marks, and the range every stored figure keeps."""

from __future__ import annotations

import pytest

from service.domain.ranges import PLAUSIBLE_MONTHLY as MAX_MONTHLY
from service.domain.ranges import PLAUSIBLE_PRINTED as MAX_PRINTED
from workers.parsing._cells import read_cell
from workers.parsing._text import Text


def test_the_range_fits_graphql_int_for_every_sum_of_a_year() -> None:
    # GraphQL's Int is 32-bit: a year's sum over 47 prefectures must fit, and so must a printed total.
    assert 47 * 12 * MAX_MONTHLY == MAX_PRINTED < 2**31 - 1


@pytest.mark.parametrize(
    ("cell", "value"), [("", None), ("  ", None), ("－", 0), ("―", 0), ("0", 0), ("1,000,000", 1000000)]
)
def test_cells(cell: str, value: int | None) -> None:
    assert read_cell(cell) == value


def test_printed_totals_take_the_larger_range() -> None:
    assert read_cell("564,000,000", limit=MAX_PRINTED) == 564_000_000
    too_large = read_cell("564,000,001", limit=MAX_PRINTED)
    assert isinstance(too_large, Text) and too_large.en == "'564,000,001' is too large (at most 564,000,000)"
    assert too_large.ja == "「564,000,001」は大きすぎます（上限 564,000,000）"


@pytest.mark.parametrize("cell", ["x", "X", "×", "…", "...", "***", "＊＊＊", "--", "不明", "秘匿"])
def test_withheld_marks_are_no_figure(cell: str) -> None:
    reason = read_cell(cell)
    assert isinstance(reason, Text) and "not available or withheld" in reason.en
    assert "不明または秘匿" in reason.ja
