"""What a query or an export asks for (service.domain.selection), and the fiscal year of a month."""

from __future__ import annotations

import pytest

from service.domain import selection
from service.domain.fiscal import fiscal_year_of
from service.domain.selection import Period, PeriodNames, SelectionError

NAMES = PeriodNames(fiscal_years="fiscal_year", start="from", end="to")


def period(
    fiscal_years: list[int] | None = None,
    months: list[int] | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Period:
    return selection.period(fiscal_years=fiscal_years, months=months, start=start, end=end, names=NAMES)


@pytest.mark.parametrize(
    ("year", "month", "fiscal_year"),
    [(2026, 4, 2026), (2026, 12, 2026), (2027, 1, 2026), (2027, 3, 2026), (2027, 4, 2027)],
)
def test_january_to_march_belong_to_the_fiscal_year_before(year: int, month: int, fiscal_year: int) -> None:
    assert fiscal_year_of(year, month) == fiscal_year


def test_a_year_month_is_read_as_its_fiscal_year() -> None:
    assert selection.parse_year_month("2027-03", "to") == (2026, 3)
    assert selection.parse_year_month(" 2026-04 ", "from") == (2026, 4)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-4", "1-04", "26-04", "2026/04", "0999-04", "9" * 5000 + "-04"]
)
def test_a_year_month_that_is_no_month_is_refused_naming_the_argument(text: str) -> None:
    with pytest.raises(SelectionError) as refused:
        selection.parse_year_month(text, "fromMonth")
    assert str(refused.value) == f"fromMonth must look like 2026-04 (YYYY-MM), got {text[:20]!r}"


def test_fiscal_years_are_sorted_once_each_and_cover_whole_years() -> None:
    wanted = period(fiscal_years=[2026, 2025, 2026])
    assert wanted == Period(fiscal_years=(2025, 2026), months=None, start=None, end=None)
    assert wanted.whole_years and (2025, 3) in wanted and (2024, 3) in wanted


def test_a_range_gives_the_fiscal_years_it_spans_and_holds_its_months_only() -> None:
    wanted = period(start="2026-12", end="2028-02")
    assert wanted.fiscal_years == (2026, 2027) and not wanted.whole_years
    # (fiscal year, month): from December 2026 to February 2028, both included.
    held = {
        (2026, 11): False,
        (2026, 12): True,
        (2026, 3): True,
        (2027, 4): True,
        (2027, 2): True,
        (2027, 3): False,
    }
    assert {when: when in wanted for when in held} == held


def test_months_narrow_each_fiscal_year() -> None:
    wanted = period(fiscal_years=[2026], months=[3, 4])
    assert [(2026, month) in wanted for month in (3, 4, 5)] == [True, True, False]
    with pytest.raises(SelectionError, match=r"^month must be a calendar month 1-12, got 13$"):
        period(fiscal_years=[2026], months=[4, 13])


def test_a_period_needs_years_or_both_ends() -> None:
    with pytest.raises(SelectionError, match=r"^give fiscal_year, or both from and to$"):
        period(start="2026-04")


def test_a_range_spans_at_most_fifty_fiscal_years() -> None:
    assert len(period(start="2000-04", end="2050-03").fiscal_years) == 50
    with pytest.raises(SelectionError, match=r"^from to to may span at most 50 fiscal years$"):
        period(start="2000-04", end="2051-03")


@pytest.mark.parametrize("years", [[1899], [3000], list(range(2000, 2051))])
def test_fiscal_years_outside_the_range_or_too_many_are_refused(years: list[int]) -> None:
    with pytest.raises(SelectionError, match=r"^fiscal_year must be up to 50 years from 1900 to 2999$"):
        period(fiscal_years=years)


def test_prefectures_by_any_name_within_regions_in_jis_order() -> None:
    assert [p.code for p in selection.prefectures(["Tokyo", "08000", "大阪"], None)] == ["08", "13", "27"]
    assert [p.code for p in selection.prefectures(["13", "27"], ["meti_kanto"])] == ["13"]
    assert len(selection.prefectures(None, None)) == 47
    assert selection.prefectures([], None) == selection.prefectures(None, []) == []


def test_the_nation_names_every_prefecture() -> None:
    assert len(selection.prefectures(["00000", "13"], None)) == 47
    assert [p.code for p in selection.prefectures(["00000"], ["shikoku"])] == ["36", "37", "38", "39"]


def test_an_unknown_prefecture_or_region_is_refused_with_the_choices() -> None:
    with pytest.raises(SelectionError) as refused:
        selection.prefectures(["13", "Tokio"], None)
    assert str(refused.value) == (
        "unknown prefecture 'Tokio'; valid choices: JIS codes '01'-'47', e-Stat codes '01000'-'47000', "
        "names like 東京都 or 東京, Tokyo"
    )
    with pytest.raises(SelectionError, match=r"^unknown region 'x'; valid choices: hokkaido, tohoku, .* …$"):
        selection.prefectures(None, ["x"])


def test_an_unknown_name_is_cut_short_in_the_message() -> None:
    with pytest.raises(SelectionError) as refused:
        selection.check_known("indicator", ["a", "x" * 1000], ["a", "b"])
    assert str(refused.value) == f"unknown indicator {'x' * 40!r}; valid choices: a, b"
