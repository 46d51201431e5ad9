"""The report's title: the fiscal year (and month) only from the line naming the report."""

from __future__ import annotations

import pytest

from tests.support.sample import edited, parse, sample_text
from workers.parsing import ParseError, parse_report
from workers.parsing._title import names_report


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("令和8年度よろず支援拠点相談等実績", True),
        ("【令和８年度】よろず支援拠点 相談等実績", True),
        ("2026年度 よろず支援拠点相談実績", True),
        ("令和8年4月分", True),
        ("令和8年4月分 よろず支援拠点相談等実績", True),
        ("令和8年度よろず支援拠点相談等実績（令和8年4月末時点）", True),
        ("令和8年度 よろず支援拠点相談等実績（5月10日更新）", True),
        ("令和7年度実績", False),
        ("令和7年度よろず支援拠点相談等実績を公開しました", False),
        ("令和6年度｜令和7年度｜令和8年度", False),
        ("令和8年5月10日更新", False),
        ("よろず支援拠点相談等実績", False),
    ],
)
def test_names_report(line: str, names: bool) -> None:
    assert names_report(line) is names


def test_links_to_other_years_above_the_title_are_not_read() -> None:
    text = "ホーム\n令和7年度実績\n令和6年度実績\n" + sample_text()
    assert parse(text.encode()).fiscal_year == 2026


def test_a_month_of_report_title_names_the_year_and_the_month() -> None:
    report = parse(edited({3: "# 令和9年1月分"}))
    # January 2027 is in fiscal year 2026, whose April comes before it.
    assert (report.fiscal_year, report.months) == (2026, (4,))


def test_two_report_titles_of_different_years_are_refused_naming_both() -> None:
    with pytest.raises(ParseError) as error:
        parse(edited({1: "令和7年度よろず支援拠点相談等実績"}))
    message = str(error.value)
    assert "different fiscal years" in message
    assert "'令和7年度よろず支援拠点相談等実績' (line 1) reads 2025" in message
    assert "'令和8年度よろず支援拠点相談等実績' (line 3) reads 2026" in message
    assert "年度が一致しません" in error.value.message_ja


def test_several_years_without_a_report_title_are_refused() -> None:
    with pytest.raises(ParseError, match="several fiscal years are named and no line is the report's title"):
        parse(edited({1: "令和7年度", 3: "# 令和8年度"}))


def test_one_year_without_a_report_title_is_read() -> None:
    assert parse(edited({3: "# 令和8年度 実績表"})).fiscal_year == 2026


def test_the_upload_gives_the_year_a_file_lacks() -> None:
    data = edited({3: "# よろず支援拠点相談等実績"})
    assert parse_report(data, filename="a.txt", fiscal_year=2026).fiscal_year == 2026
    with pytest.raises(ParseError, match="no fiscal year"):
        parse_report(data, filename="a.txt")


def test_the_upload_and_the_title_must_agree() -> None:
    with pytest.raises(ParseError, match="names fiscal year 2026 but the upload gives 2025") as error:
        parse_report(sample_text().encode(), filename="a.txt", fiscal_year=2025)
    assert error.value.line == 3


@pytest.mark.parametrize(
    "other",
    ["令和7年度の実績はこちら", "2026年3月31日 令和7年度2月分の実績を掲載しました。", "令和7年度"],
)
def test_a_title_without_a_year_takes_none_from_other_lines(other: str) -> None:
    # The report's own title names no year; a link or news line's year is another report's.
    with pytest.raises(ParseError) as error:
        parse(edited({1: other, 3: "# よろず支援拠点相談等実績"}))
    message = str(error.value)
    assert "no fiscal year (年度) in the title 'よろず支援拠点相談等実績'" in message
    assert f"'{other}' (line 1)" in message and "fiscalYear" in message
    assert "表題に年度を記載するか" in error.value.message_ja


def test_a_title_without_a_year_takes_the_year_given_with_the_upload() -> None:
    data = edited({1: "令和7年度の実績はこちら", 3: "# よろず支援拠点相談等実績"})
    assert parse_report(data, filename="r.txt", fiscal_year=2026).fiscal_year == 2026


@pytest.mark.parametrize("title", ["R8年度よろず支援拠点相談等実績", "Ｒ８年度 よろず支援拠点相談等実績"])
def test_an_abbreviated_era_names_the_year(title: str) -> None:
    assert parse(edited({1: "令和7年度の実績はこちら", 3: f"# {title}"})).fiscal_year == 2026
