"""The stored range of figures: the largest monthly value whose national year fits Int, and beyond."""

from __future__ import annotations

from dataclasses import replace

import pytest

from service.domain.ranges import INT_MAX
from service.domain.ranges import STORABLE_MONTHLY as MAX_MONTHLY
from tests.support.paths import SEED
from workers.parsing import ParsedReport, ParseError, parse_report
from workers.storable import check_storable


def seed_with(**changes: object) -> ParsedReport:
    """The seed with its first table's figures changed (``values``, ``totals`` …)."""
    parsed = parse_report(SEED.read_bytes(), filename="seed.txt")
    first = parsed.tables[0]
    updated = {name: {**getattr(first, name), **value} for name, value in changes.items()}  # type: ignore[dict-item]
    return replace(parsed, tables=(replace(first, **updated), *parsed.tables[1:]))


def test_a_year_of_the_largest_monthly_value_everywhere_fits_int() -> None:
    assert 47 * 12 * MAX_MONTHLY <= INT_MAX < 47 * 12 * (MAX_MONTHLY + 1)


def test_the_seed_is_storable() -> None:
    check_storable(parse_report(SEED.read_bytes(), filename="seed.txt"))


def test_the_largest_monthly_value_is_storable() -> None:
    check_storable(seed_with(values={("13", 4, "total"): MAX_MONTHLY}))


@pytest.mark.parametrize("value", [MAX_MONTHLY + 1, 2**31, 2**63 - 1, -1])
def test_a_monthly_value_out_of_range_is_refused_naming_the_cell(value: int) -> None:
    parsed = seed_with(values={("13", 4, "total"): value})
    with pytest.raises(ParseError) as raised:
        check_storable(parsed)
    table = parsed.tables[0]
    assert raised.value.table == table.title and raised.value.line == table.line
    assert f"東京都, column '4月': {value:,} is outside the figures the service stores" in str(raised.value)


def test_a_printed_total_beyond_int_is_refused() -> None:
    with pytest.raises(ParseError, match=r"合計, column '4月': 2,147,483,648 is outside"):
        check_storable(seed_with(totals={(4, "total"): 2**31}))
