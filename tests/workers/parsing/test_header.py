"""Header rows → columns: months, 累計値, breakdown groups and their errors."""

from __future__ import annotations

import pytest

from workers.parsing import ParseError
from workers.parsing._header import Column, Header, parse_header
from workers.parsing._model import TableContext

CTX = TableContext("f.txt", "b トレーニー")


def header(*rows: str) -> Header:
    return parse_header(
        [(10 + i, [c.strip() for c in row.split("\t")]) for i, row in enumerate(rows)],
        fiscal_year=2026,
        ctx=CTX,
    )


def test_one_row() -> None:
    got = header("\t4月\t累計値")
    assert got.columns == (Column("4月", 4, "total"), Column("累計値", None, "total"))
    assert (got.months, got.breakdowns, got.prints_cumulative, got.rows) == ((4,), ("total",), True, 1)


@pytest.mark.parametrize("label", ["4月", "４月", "2026年4月", "令和8年4月", "4 月", "4月分"])
def test_month_spellings(label: str) -> None:
    assert header(f"\t{label}").months == (4,)


def test_months_in_fiscal_order_and_next_calendar_year() -> None:
    got = header("\t2027年1月\t12月\t4月\t累計")
    assert got.months == (4, 12, 1)


def test_two_rows_with_colspans() -> None:
    got = header(
        "\t4月\t\t\t5月\t\t\t累計値\t\t",
        "\tトレーニー\t出向者\t合計\tトレーニー\t出向者\t合計\tトレーニー\t出向者\t計",
    )
    assert got.months == (4, 5)
    assert got.breakdowns == ("trainee", "seconded", "total")
    assert got.columns[3] == Column("5月 トレーニー", 5, "trainee")
    assert got.columns[8] == Column("累計値 計", None, "total")


def test_the_sample_breakdown_header() -> None:
    got = header("\t4月\t\t", "\tトレーニー\t出向者\t合計")
    assert [c.label for c in got.columns] == ["4月 トレーニー", "4月 出向者", "4月 合計"]


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        (("\t4月\t謎",), 10, "unknown header label '謎'"),
        (("\t4月\t\t累計値",), 10, "a header cell is empty"),
        (("\t4月\t4月",), 10, "duplicate month column '4月'"),
        (("\t累計値\t累計",), 10, "duplicate 累計値 column '累計'"),
        (("\t累計値",), 10, "the header names no month"),
        (("\t13月",), 10, "unknown header label '13月'"),
        (("\t2026年1月",), 10, "'2026年1月' is not a month of fiscal year 2026"),
        (("\t\t4月", "\tトレーニー\t出向者"), 10, "the column 'トレーニー' has no month above it"),
        (("\t4月\t\t", "\tトレーニー\t出向者\t合算"), 11, "unknown header label '合算'"),
        (
            ("\t4月\t\t5月\t", "\tトレーニー\t出向者\t合計"),
            10,
            "5月 does not have the same breakdown columns",
        ),
        (("\t4月\t5月\t6月", "\t合計"), 10, "the month header row is wider than the breakdown row"),
        (("\t4月", "\t合計", "\t合計"), 12, "too many header rows"),
    ],
)
def test_header_errors(rows: tuple[str, ...], line: int, reason: str) -> None:
    with pytest.raises(ParseError) as error:
        header(*rows)
    assert error.value.line == line
    assert error.value.table == "b トレーニー"
    assert reason in error.value.reason
