"""The sample in every format gives the same figures; the format is told from the content alone."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest

from service.domain.reference import indicator_catalogue, normalize_label
from tests.support.formats import to_html, to_long_csv, to_wide_csv, to_xlsx
from tests.support.reportgen import expected, seed_values
from tests.support.sample import figures, parse, sample_text
from workers.parsing import ParsedReport, ParseError

FORMATS: dict[str, Callable[[], bytes]] = {
    "text utf-8": lambda: sample_text().encode(),
    "text cp932": lambda: sample_text().encode("cp932"),
    "html utf-8": lambda: to_html(sample_text()),
    "html shift_jis, td headers, nested tags": lambda: to_html(
        sample_text(), encoding="cp932", header_tag="td", fancy=True
    ),
    "xlsx one sheet": lambda: to_xlsx(sample_text(), one_sheet_per_table=False),
    "xlsx sheet per table, text numbers": lambda: to_xlsx(
        sample_text(), one_sheet_per_table=True, numbers_as_text=True, column=2, repeat_title=True
    ),
    "wide csv utf-8": lambda: to_wide_csv(sample_text()),
    "wide csv cp932, padded": lambda: to_wide_csv(sample_text(), encoding="cp932", pad=True),
    "long csv": lambda: to_long_csv(seed_values(), fiscal_year=2026),
}


@pytest.fixture(scope="module")
def sample() -> ParsedReport:
    return parse(sample_text().encode())


@cache
def converted(name: str) -> ParsedReport:
    """The sample in format ``name``, parsed under a neutral name: the content alone must tell."""
    return parse(FORMATS[name](), "upload.bin")


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_gives_the_seed_values(name: str, sample: ParsedReport) -> None:
    report = converted(name)
    got = {(t.indicator_code, p, m, b): v for t in report.tables for (p, m, b), v in t.values.items()}
    assert len(got) == report.value_count == 658
    assert got == seed_values()
    assert {t.indicator_code: t.values for t in report.tables} == {
        t.indicator_code: t.values for t in sample.tables
    }
    assert (report.fiscal_year, report.months, report.warnings) == (expected()["fiscal_year"], (4,), ())
    assert report.encoding == ("cp932" if "cp932" in name or "shift_jis" in name else "utf-8")


@pytest.mark.parametrize("name", [name for name in FORMATS if name != "long csv"])
def test_wide_formats_give_everything_the_text_gives(name: str, sample: ParsedReport) -> None:
    report = converted(name)
    # Titles, definitions, 合計 rows and 累計値 alike.
    assert figures(report) == figures(sample)
    assert [t.prints_cumulative for t in report.tables] == [t.prints_cumulative for t in sample.tables]
    assert [t.links for t in report.tables] == [{}] * 12  # the sample's hrefs are all "#"


def test_a_long_csv_report(sample: ParsedReport) -> None:
    report = converted("long csv")
    assert report.title == "upload.bin (long CSV)"
    catalogue = {spec.code: spec for spec in indicator_catalogue()}
    for table, printed in zip(report.tables, sample.tables, strict=True):
        spec = catalogue[table.indicator_code]
        assert (table.section, table.number, table.name, table.unit) == (
            spec.section,
            spec.number,
            spec.name,
            spec.unit,
        )
        # The page may space its titles ("2. フェーズ2…"); a long CSV's are generated.
        assert normalize_label(table.title) == normalize_label(printed.title)
        assert (table.totals, table.reported_cumulative, table.total_cumulative) == ({}, {}, {})
        assert (table.definition, table.prints_cumulative) == (None, False)


def test_table_lines_point_into_each_file() -> None:
    html = parse(to_html(sample_text()), "s.html").tables[1]
    page_lines = to_html(sample_text()).decode().split("\n")
    assert page_lines[html.line - 1] == "<tr><th></th><th>4月</th><th>累計値</th></tr>"
    csv = parse(to_wide_csv(sample_text()), "s.csv").tables[1]
    assert to_wide_csv(sample_text()).decode().split("\r\n")[csv.line - 1] == ",4月,累計値"
    long = parse(to_long_csv(seed_values(), fiscal_year=2026), "s.csv").tables[1]
    assert long.line == 2 + 47  # the header, then the first indicator's 47 rows


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04" + b"\x00" * 40, "the ZIP archive is damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, r"Excel 97-2003 \(\.xls\)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "the PDF cannot be read"),
    ],
)
def test_binary_formats_that_are_no_report(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as error:
        parse(data, "report.txt")
    assert str(error.value).startswith("report.txt: ")
    # The official who fixes the file reads Japanese: the reason is translated, not repeated.
    japanese = error.value.message_ja.removeprefix("report.txt: ")
    assert japanese != error.value.reason and any("\u3040" <= c <= "\u30ff" for c in japanese)


def test_a_zip_that_is_not_a_workbook() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ParseError, match=r"a ZIP archive but not an Excel workbook \(\.xlsx\)") as error:
        parse(buffer.getvalue(), "report.xlsx")
    assert "Excelのブック（.xlsx）ではありません" in error.value.message_ja


def test_a_text_report_named_like_html_is_still_text() -> None:
    report = parse(sample_text().encode(), "report.html")
    assert report.value_count == 658
