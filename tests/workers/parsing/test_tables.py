"""Rows → figures: numbers, prefecture labels and links, total rows, malformed rows."""

from __future__ import annotations

import pytest

from service.domain.reference import prefectures
from workers.parsing import ParseError
from workers.parsing._model import TableContext
from workers.parsing._tables import TOTAL, TableFigures, parse_number, parse_table

CTX = TableContext("f.txt", "2.相談実績件数")


def table(header: list[str], rows: dict[str, str], extra: tuple[str, ...] = ()) -> TableFigures:
    lines = [*header, *extra, *(f"{label}\t{cells}" for label, cells in rows.items())]
    return parse_table(list(enumerate(lines, start=1)), fiscal_year=2026, ctx=CTX)


def every(cells: str) -> dict[str, str]:
    return {p.name: cells for p in prefectures()}


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("0", 0),
        ("1,472", 1472),
        ("１，４７２", 1472),
        (" 12 ", 12),
        ("1000000", 1000000),
        ("007", 7),
        # Zero marks (該当数字なし) read as 0 (issue 12; "-" was refused before).
        ("-", 0),
        ("－", 0),
        ("―", 0),
        ("—", 0),
        ("‐", 0),
    ],
)
def test_numbers(cell: str, value: int) -> None:
    assert parse_number(cell) == value


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("", "the cell is empty"),
        ("12a", "'12a' is not a number"),
        ("-3", "'-3' is negative"),
        ("△3", "'△3' is negative"),
        ("1,47", "'1,47' is not a number"),
        ("1.5", "'1.5' is not a number"),
        ("1000001", "'1000001' is too large (at most 1,000,000)"),
        ("9" * 20, "'999999… (20 digits)' is too large"),
        ("9" * 5000, "(5,000 digits)' is too large"),
        ("…", "'…' marks a figure not available or withheld"),
        ("x", "'x' marks a figure not available or withheld"),
        ("***", "'***' marks a figure not available or withheld"),
    ],
)
def test_not_numbers(cell: str, reason: str) -> None:
    # A monthly figure is at most 1,000,000 (issue 16: every sum must fit GraphQL's 32-bit Int).
    value = parse_number(cell)
    assert not isinstance(value, int) and reason in value.en


def test_labels_links_and_an_unlabelled_total() -> None:
    rows = every("1\t2")
    rows["北海道"] = "0\t0"
    del rows["東京都"]
    rows['<a target="_blank" href="https://tokyo.example/?a=1&amp;b=2">東京</a>'] = "5\t5"
    del rows["大阪府"]
    rows["<A HREF='#'>大阪</A>"] = "6\t6"
    figures = table(["都道府県\t4月\t累計値"], rows, extra=("\t45\t91",))
    assert figures.values[("13", 4, "total")] == 5
    assert figures.values[("27", 4, "total")] == 6
    assert figures.reported_cumulative[("01", "total")] == 0
    assert figures.totals == {(4, "total"): 45}
    assert figures.total_cumulative == {"total": 91}
    assert figures.links == {"13": "https://tokyo.example/?a=1&b=2"}
    assert figures.row_lines[TOTAL] == 2


def test_trailing_empty_cells_are_ignored() -> None:
    figures = table(["\t4月\t"], every("3\t"))
    assert figures.values[("47", 4, "total")] == 3


@pytest.mark.parametrize("label", ["合計", "合 計", "合　計", "計", "全国"])
def test_total_labels(label: str) -> None:
    assert table(["\t4月"], every("1"), extra=(f"{label}\t47",)).totals == {(4, "total"): 47}


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        ({"13": "1"}, 2, "unknown prefecture '13'"),
        ({"Tokio": "1"}, 2, "unknown prefecture 'Tokio'"),
        ({"北海道": "1\t2"}, 2, "the row for 北海道 has 2 values but the header has 1 columns"),
    ],
)
def test_row_errors(rows: dict[str, str], line: int, reason: str) -> None:
    with pytest.raises(ParseError) as error:
        table(["\t4月"], rows | {name: v for name, v in every("1").items() if name not in rows})
    assert (error.value.line, error.value.reason) == (line, reason)


def test_blank_cells_are_kept_aside_until_the_months_are_settled() -> None:
    figures = table(["\t4月\t5月"], every("1\t") | {"北海道": "1\t2"})
    assert figures.blanks[("02", 5, "total")] == 3
    assert ("01", 5, "total") not in figures.blanks and figures.values[("01", 5, "total")] == 2


def test_duplicate_totals_name_both_lines() -> None:
    with pytest.raises(ParseError, match=r"duplicate row for 合計 \(lines 3 and 4\)"):
        table(
            ["\t4月\t\t", "\tトレーニー\t出向者\t合計"],
            every("1\t1\t2"),
            extra=("\t1\t1\t2", "合計\t1\t1\t2"),
        )


def test_a_table_without_header() -> None:
    with pytest.raises(ParseError, match="no header row") as error:
        table([], every("1"))
    assert error.value.line == 1
