"""parse_report on the sample against seed-expected.json, on variants of it, and on broken reports."""

from __future__ import annotations

import random
import re

import pytest

from service.domain.reference import prefectures
from tests.support.reportgen import expected, render_report, seed_values
from tests.support.sample import edited, figures, mapped, parse, sample_lines, sample_text
from workers.parsing import ParsedReport, ParseError

TRAINEES = "b トレーニーの受け入れ人数や出向の受け入れ人数"


@pytest.fixture(scope="module")
def sample() -> ParsedReport:
    return parse(sample_text().encode())


def test_report_header(sample: ParsedReport) -> None:
    assert sample.title == "令和8年度よろず支援拠点相談等実績"
    assert sample.fiscal_year == expected()["fiscal_year"] == 2026
    assert sample.months == (4,)
    assert sample.encoding == "utf-8"
    assert sample.warnings == ()
    assert sample.filename == "sample.txt"


def test_every_monthly_value(sample: ParsedReport) -> None:
    got = {(t.indicator_code, p, m, b): v for t in sample.tables for (p, m, b), v in t.values.items()}
    assert len(got) == sample.value_count == 658
    assert got == seed_values()


def test_every_printed_cumulative(sample: ParsedReport) -> None:
    got = {
        (t.indicator_code, p, t.months[-1]): v
        for t in sample.tables
        for (p, b), v in t.reported_cumulative.items()
        if b == "total"
    }
    rows = expected()["reported_cumulative"]
    assert isinstance(rows, list)
    assert len(rows) == 329
    assert got == {(r["indicator"], r["prefecture"], r["through_month"]): r["value"] for r in rows}
    assert all(r["fiscal_year"] == 2026 for r in rows)


def test_every_printed_total(sample: ParsedReport) -> None:
    got = {(t.indicator_code, m, b): v for t in sample.tables for (m, b), v in t.totals.items()}
    rows = expected()["reported_totals"]
    assert isinstance(rows, list)
    assert len(rows) == 14
    assert got == {(r["indicator"], r["month"], r["breakdown"]): r["value"] for r in rows}
    cumulative = {t.indicator_code: t.total_cumulative for t in sample.tables if t.prints_cumulative}
    assert cumulative["onestop.consultations"] == {"total": 29824}
    assert len(cumulative) == 7


def test_tables_metadata(sample: ParsedReport) -> None:
    tables = expected()["tables"]
    assert isinstance(tables, list)
    got = [
        {
            "indicator": t.indicator_code,
            "section": t.section,
            "title": t.title,
            "months": list(t.months),
            "rows": len({p for p, _, _ in t.values}) + (1 if t.totals else 0),
        }
        for t in sample.tables
    ]
    assert got == tables


def test_table_details(sample: ParsedReport) -> None:
    by_code = {t.indicator_code: t for t in sample.tables}
    numbers = ["1", "2", "4", "5", "6", "2", "⑨a", "⑨b", "⑨c", "1", "2", "5"]
    assert [t.number for t in sample.tables] == numbers
    assert all(t.catalogued for t in sample.tables)
    trainees = by_code["onestop.skill_sharing.trainees"]
    assert trainees.breakdowns == ("trainee", "seconded", "total")
    assert trainees.line == 460
    assert trainees.values[("35", 4, "trainee")] == 1
    assert not trainees.prints_cumulative
    assert trainees.reported_cumulative == {}
    consultations = by_code["onestop.consultations"]
    assert (consultations.line, consultations.unit, consultations.name) == (65, "件", "相談実績件数")
    assert consultations.values[("40", 4, "total")] == 2360  # 福岡県 "2,360"
    assert consultations.links == {}  # every href is "#"


@pytest.mark.parametrize(
    "variant",
    [
        "bom",
        "cp932",
        "crlf",
        "fullwidth",
        "short_names",
        "shuffled",
        "spaced_total",
        "no_markdown",
        "fullwidth_sections",
    ],
)
def test_variants_give_identical_figures(sample: ParsedReport, variant: str) -> None:
    report = parse(_variant(variant))
    assert figures(report) == figures(sample)
    assert report.encoding == {"bom": "utf-8-sig", "cp932": "cp932"}.get(variant, "utf-8")


def _variant(name: str) -> bytes:
    text = sample_text()
    if name == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    if name == "cp932":
        return text.encode("cp932")
    if name == "crlf":
        return text.replace("\n", "\r\n").encode()
    if name == "fullwidth":
        wide = str.maketrans("0123456789,", "０１２３４５６７８９，")
        return mapped(lambda _, line: line.translate(wide) if "\t" in line else line)
    if name == "short_names":
        names = {p.name: p.short_name for p in prefectures()}
        return mapped(lambda _, line: re.sub("|".join(names), lambda m: names[m.group()], line, count=1))
    if name == "shuffled":
        return _shuffled()
    if name == "spaced_total":
        return mapped(lambda _, line: line.replace("合計\t", "合 計\t"))
    if name == "no_markdown":
        return mapped(lambda _, line: line.lstrip("# "))
    assert name == "fullwidth_sections"
    wide = str.maketrans("()12", "（）１２")
    return mapped(lambda _, line: line.translate(wide) if "窓口" in line or "センター" in line else line)


def _shuffled() -> bytes:
    lines = sample_lines()
    rng = random.Random(8)
    start = 0
    while start < len(lines):
        if "\t" not in lines[start]:
            start += 1
            continue
        end = start
        while end < len(lines) and "\t" in lines[end]:
            end += 1
        headers = 2 if lines[start] == "\t4月\t\t" else 1
        body = lines[start + headers : end]
        rng.shuffle(body)
        lines[start + headers : end] = body
        start = end
    return "\n".join(lines).encode()


def test_real_links_are_kept() -> None:
    report = parse(
        edited({11: "<a class=\"x\" href='https://example.jp/a?x=1&amp;y=2'>北海道</a>\t489\t489"})
    )
    assert report.tables[0].links == {"01": "https://example.jp/a?x=1&y=2"}
    assert report.tables[0].values[("01", 4, "total")] == 489


def test_an_era_or_western_title() -> None:
    assert parse(edited({3: "# 令和元年度よろず支援拠点相談等実績"})).fiscal_year == 2019
    assert parse(edited({3: "# 平成30年度よろず支援拠点相談等実績"})).fiscal_year == 2018
    assert parse(edited({3: "2026年度 よろず支援拠点相談等実績"})).fiscal_year == 2026


def test_an_unknown_table_is_kept_under_a_generated_code() -> None:
    report = parse(edited({694: "5.広報活動で届けた事業者数"}))
    table = report.tables[-1]
    assert not table.catalogued
    assert re.fullmatch(r"productivity\.extra_[0-9a-f]{8}", table.indicator_code)
    assert (table.name, table.unit, table.number) == ("広報活動で届けた事業者数", "", "5")
    assert table.values[("26", 4, "total")] == 428
    assert report.warnings == (
        f"table '5.広報活動で届けた事業者数' (line 696) matches no catalogued indicator; "
        f"its figures are stored as '{table.indicator_code}'",
    )


def test_a_may_report_gives_both_months() -> None:
    april = seed_values()
    may = dict(april)
    for (code, pref, _, breakdown), value in april.items():
        may[(code, pref, 5, breakdown)] = value * 2 + 1
    report = parse(render_report(fiscal_year=2026, months=[5, 4], values=may).encode())
    assert report.months == (4, 5)
    assert report.value_count == 658 * 2
    got = {(t.indicator_code, p, m, b): v for t in report.tables for (p, m, b), v in t.values.items()}
    assert got == may
    consultations = report.tables[1]
    assert consultations.reported_cumulative[("13", "total")] == 570 + 570 * 2 + 1
    assert consultations.totals[(5, "total")] == 29824 * 2 + 47
    trainees = next(t for t in report.tables if t.number == "⑨b")
    assert trainees.months == (4, 5)
    assert trainees.values[("35", 5, "trainee")] == 3
    assert trainees.totals[(5, "seconded")] == 47
    # 2v+1 breaks 合計 = トレーニー + 出向者 in May (47 rows and the 合計 row), and nothing else.
    assert len(report.warnings) == 48
    assert all("5月: total" in w and "trainee + seconded" in w for w in report.warnings)


def test_a_hand_written_two_month_breakdown_table() -> None:
    def row(code: str) -> str:
        april = "1\t0\t1" if code in ("35", "46") else "0\t0\t0"
        cumulative = "2\t1\t3" if code in ("35", "46") else "1\t1\t2"
        return f"{april}\t1\t1\t2\t{cumulative}"

    lines = sample_lines()
    lines[459:509] = [
        "\t4月\t\t\t5月\t\t\t累計値\t\t",
        "\tトレーニー\t出向者\t合計\tトレーニー\t出向者\t合計\tトレーニー\t出向者\t合計",
        "\t2\t0\t2\t47\t47\t94\t49\t47\t96",
        *(f'<a href="#">{p.name}</a>\t{row(p.code)}' for p in prefectures()),
    ]
    report = parse("\n".join(lines).encode())
    assert report.warnings == (f"table '{TRAINEES}' (line 460) gives 4月, 5月 but most tables give 4月",)
    table = next(t for t in report.tables if t.number == "⑨b")
    assert table.line == 460
    assert table.months == (4, 5) and table.prints_cumulative
    assert report.months == (4, 5)
    assert table.values[("35", 4, "trainee")] == 1
    assert table.values[("01", 5, "seconded")] == 1
    assert len(table.values) == 47 * 2 * 3
    assert table.reported_cumulative[("46", "total")] == 3
    assert table.totals[(5, "total")] == 94
    assert table.total_cumulative == {"trainee": 49, "seconded": 47, "total": 96}


def test_a_band_beside_a_cumulative_spanning_both_header_rows() -> None:
    # <th colspan="12">令和8年度</th><th rowspan="2">累計値</th> over a row of months: the 累計値
    # label stands in the band's row, its cell below is empty.
    banded = parse(edited({8: "\t令和8年度\t累計値", 9: "\t4月\t"}))
    assert [t.values for t in banded.tables] == [t.values for t in parse(sample_text().encode()).tables]
    assert banded.tables[0].reported_cumulative[("13", "total")] == 440


def test_a_band_of_another_year_beside_a_cumulative_is_refused() -> None:
    with pytest.raises(ParseError, match="令和7年度"):
        parse(edited({8: "\t令和7年度\t累計値", 9: "\t4月\t"}))
