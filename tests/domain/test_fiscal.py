"""Fiscal-year arithmetic (April to March) and fiscal years named in titles."""

from __future__ import annotations

import pytest

from service.domain import fiscal


def test_fiscal_order() -> None:
    assert [fiscal.fiscal_index(m) for m in fiscal.FISCAL_MONTHS] == list(range(1, 13))
    with pytest.raises(ValueError):
        fiscal.fiscal_index(13)


def test_year_month_puts_january_in_the_next_calendar_year() -> None:
    assert fiscal.year_month(2026, 4) == "2026-04"
    assert fiscal.year_month(2026, 3) == "2027-03"


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("令和8年度よろず支援拠点相談等実績", 2026),
        ("令和元年度", 2019),
        ("平成30年度 実績", 2018),
        ("２０２６年度", 2026),
        ("令和 ８ 年度", 2026),
        ("よろず支援拠点", None),
    ],
)
def test_fiscal_year_from_title(title: str, year: int | None) -> None:
    assert fiscal.fiscal_year_from_title(title) == year
