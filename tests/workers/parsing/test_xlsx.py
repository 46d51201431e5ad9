"""Excel workbooks: both layouts, merged headers, dates and text numbers, cell locations, size guards."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from tests.support.corpus.render_xlsx import with_saved_values
from tests.support.formats import to_xlsx
from tests.support.reportgen import render_report, seed_values
from tests.support.sample import edited, figures, parse, sample_text
from workers.parsing import ParsedReport, ParseError
from workers.parsing._xlsx_messages import japanese as japanese_reason

CONSULTATIONS = "onestop.consultations"


def _small_text() -> str:
    values = {
        k: v for k, v in seed_values().items() if k[0] in (CONSULTATIONS, "onestop.skill_sharing.trainees")
    }
    return render_report(fiscal_year=2026, months=[4], values=values)


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rezipped(data: bytes, change: dict[str, bytes]) -> bytes:
    """The workbook with some parts replaced."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in source.infolist():
            out.writestr(item.filename, change.get(item.filename, source.read(item.filename)))
    return buffer.getvalue()


def test_the_breakdown_header_is_a_merged_cell() -> None:
    data = to_xlsx(_small_text(), one_sheet_per_table=False)
    merged = [str(r) for r in load_workbook(io.BytesIO(data)).active.merged_cells.ranges]  # type: ignore[union-attr]
    assert merged == ["B67:D67"]
    assert figures(parse(data, "r.xlsx")) == figures(parse(_small_text().encode()))


def test_numbers_as_text_with_separators_and_tables_off_column_a() -> None:
    data = to_xlsx(_small_text(), one_sheet_per_table=True, numbers_as_text=True, column=3)
    sheet = load_workbook(io.BytesIO(data))["表1"]
    assert sheet["D8"].value == "29,824" and sheet["A5"].value == "2.相談実績件数"
    assert figures(parse(data, "r.xlsx")) == figures(parse(_small_text().encode()))


def test_a_month_typed_into_excel_becomes_a_date() -> None:
    workbook = load_workbook(io.BytesIO(to_xlsx(_small_text(), one_sheet_per_table=False)))
    sheet = workbook.active
    assert sheet is not None and sheet["B7"].value == "4月"
    sheet["B7"] = datetime.datetime(2026, 4, 1)
    sheet["B7"].number_format = 'm"月"'
    report = parse(_saved(workbook), "r.xlsx")
    assert report.tables[0].values[("13", 4, "total")] == 570


def test_a_hidden_sheet_is_not_read() -> None:
    workbook = load_workbook(io.BytesIO(to_xlsx(_small_text(), one_sheet_per_table=True)))
    copy = workbook.copy_worksheet(workbook["表1"])
    copy.sheet_state = "hidden"
    report = parse(_saved(workbook), "r.xlsx")
    assert [t.indicator_code for t in report.tables] == [CONSULTATIONS, "onestop.skill_sharing.trainees"]


@pytest.mark.parametrize(
    ("one_sheet", "where"),
    [(False, "Sheet1!B78"), (True, "表2!C18")],
)
def test_a_bad_value_names_sheet_and_cell(one_sheet: bool, where: str) -> None:
    text = edited({80: '<a href="#">神奈川県</a>\t12a\t745'}).decode()
    data = to_xlsx(text, one_sheet_per_table=one_sheet, column=1 if not one_sheet else 2)
    with pytest.raises(ParseError) as error:
        parse(data, "r.xlsx")
    assert str(error.value) == f"r.xlsx: table '2.相談実績件数', column '4月': {where}: '12a' is not a number"
    assert (error.value.table, error.value.column, error.value.line) == ("2.相談実績件数", "4月", None)


def test_a_breakdown_column_and_a_quoted_sheet_name() -> None:
    workbook = load_workbook(io.BytesIO(to_xlsx(_small_text(), one_sheet_per_table=True)))
    sheet = workbook["表2"]
    sheet.title = "⑨ b"
    sheet["C12"] = "y"  # 岩手県's 出向者, under 4月 (B7:D7) and トレーニー/出向者/合計 (row 8)
    with pytest.raises(ParseError) as error:
        parse(_saved(workbook), "r.xlsx")
    assert "column '4月 出向者': '⑨ b'!C12: 'y' is not a number" in str(error.value)


def test_rows_and_warnings_cite_cells() -> None:
    text = edited({14: "岩手県\t1\t1"}).decode()
    with pytest.raises(
        ParseError, match=re.escape("Sheet1!A12: duplicate row for 岩手県 (Sheet1!A11 and Sheet1!A12)")
    ):
        parse(to_xlsx(text, one_sheet_per_table=False), "r.xlsx")
    warned = edited({80: '<a href="#">神奈川県</a>\t746\t745'}).decode()
    report = parse(to_xlsx(warned, one_sheet_per_table=True), "r.xlsx")
    assert report.warnings[1] == (
        "table '2.相談実績件数', row 神奈川県 (表2!A18), 累計値: printed 745 but the months 4月 sum to 746"
    )
    assert report.tables[1].line == 3  # the header row on its sheet


def _one_sheet() -> Workbook:
    """The small report on Sheet1: the 相談実績件数 合計 in B8, 北海道 in row 9 (A9, B9, C9)."""
    return load_workbook(io.BytesIO(to_xlsx(_small_text(), one_sheet_per_table=False)))


def test_a_plain_sum_without_a_saved_value_is_computed() -> None:
    workbook = _one_sheet()
    workbook["Sheet1"]["B8"] = "=SUM(B9:B55)"  # openpyxl stores no computed value
    report = parse(_saved(workbook), "r.xlsx")
    assert report.tables[0].totals[(4, "total")] == 29_824 and report.warnings == ()


def test_cells_added_across_sheets_from_a_hidden_helper_sheet() -> None:
    workbook = _one_sheet()
    helper = workbook.create_sheet("入力 値")
    helper["A1"], helper["A3"] = 700, 84  # bare numbers: no figures of the report themselves
    helper.sheet_state = "hidden"
    workbook["Sheet1"]["B9"] = "='入力 値'!A1+'入力 値'!A2+SUM('入力 値'!A3:A3)"
    workbook["Sheet1"]["C9"] = "=B9"
    report = parse(_saved(workbook), "r.xlsx")
    assert report.tables[0].values[("01", 4, "total")] == 784
    assert report.tables[0].reported_cumulative[("01", "total")] == 784


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("=ROUND(B10*1.5,0)", "the formula '=ROUND(B10*1.5,0)' has no saved value and is not a plain sum"),
        ("=SUM(A9:B9)", "adds sheet 'Sheet1' cell A9, which holds '北海道', not a number"),
        ("=B10+C9", "the formula '=B10+C9' refers to itself"),
        ("=他!A1", "refers to sheet '他', which the workbook does not have"),
    ],
)
def test_a_formula_that_cannot_be_computed_is_refused(formula: str, reason: str) -> None:
    workbook = _one_sheet()
    workbook["Sheet1"]["B9"] = formula
    workbook["Sheet1"]["C9"] = "=B9"
    with pytest.raises(ParseError) as error:
        parse(_saved(workbook), "r.xlsx")
    message = str(error.value)
    assert message.startswith("r.xlsx: sheet 'Sheet1' cell B9: ")
    assert reason in message
    if "sheet '他'" not in reason:
        assert message.endswith(
            "open the file in Excel and save it (Excel saves each formula's value), then upload it again"
        )
    japanese = japanese_reason(error.value.reason)
    assert japanese is not None and "シート「Sheet1」のセル" in japanese


def test_saved_values_are_read_whatever_the_formula() -> None:
    workbook = _one_sheet()
    workbook["Sheet1"]["B9"] = "=ROUND(B10*1.5,0)"
    data = with_saved_values(_saved(workbook), {"xl/worksheets/sheet1.xml": {"B9": 784}})
    assert parse(data, "r.xlsx").tables[0].values[("01", 4, "total")] == 784


def _with_row_after_hokkaido(cells: str) -> Workbook:
    """The small report with a row after 北海道's in the first table (row 10), hidden."""
    text = _small_text().replace("\n北海道\t784\t784\n", f"\n北海道\t784\t784\n{cells}\n", 1)
    workbook = load_workbook(io.BytesIO(to_xlsx(text, one_sheet_per_table=False)))
    sheet = workbook["Sheet1"]
    assert sheet["A10"].value == cells.split("\t")[0]
    sheet.row_dimensions[10].hidden = True
    return workbook


def test_a_hidden_row_repeating_a_shown_one_is_skipped() -> None:
    report = parse(_saved(_with_row_after_hokkaido("北海道\t784\t784")), "r.xlsx")
    assert figures(report) == figures(parse(_small_text().encode()))


@pytest.mark.parametrize("cells", ["北海道\t785\t785", "青森県\t1\t1"])
def test_a_hidden_row_that_would_change_a_figure_is_refused(cells: str) -> None:
    with pytest.raises(ParseError) as error:
        parse(_saved(_with_row_after_hokkaido(cells)), "r.xlsx")
    assert str(error.value).startswith(
        "r.xlsx: sheet 'Sheet1' cell B10: row 10 is hidden and holds figures no visible row"
    )


def test_a_hidden_column_repeating_a_shown_one_is_skipped_and_one_of_figures_refused() -> None:
    workbook = load_workbook(io.BytesIO(to_xlsx(_small_text(), one_sheet_per_table=True)))
    sheet = workbook["表1"]
    for row in range(1, sheet.max_row + 1):
        sheet.cell(row, 4, sheet.cell(row, 2).value)
    sheet.column_dimensions["D"].hidden = True  # a copy of 4月 beside 累計値
    assert figures(parse(_saved(workbook), "r.xlsx")) == figures(parse(_small_text().encode()))
    sheet.column_dimensions["C"].hidden = True  # 累計値: printed figures shown nowhere else
    with pytest.raises(ParseError, match=r"^r\.xlsx: sheet '表1' cell C8: column C is hidden"):
        parse(_saved(workbook), "r.xlsx")


def test_a_hidden_sheet_that_differs_from_the_shown_ones_is_refused() -> None:
    workbook = load_workbook(io.BytesIO(to_xlsx(_small_text(), one_sheet_per_table=True)))
    copy = workbook.copy_worksheet(workbook["表1"])
    copy.title = "表1 (旧)"
    copy.sheet_state = "hidden"
    copy["B10"] = 494
    with pytest.raises(ParseError) as error:
        parse(_saved(workbook), "r.xlsx")
    assert str(error.value).startswith("r.xlsx: sheet '表1 (旧)' cell B10: sheet '表1 (旧)' is hidden")


def test_a_workbook_without_tables() -> None:
    workbook = Workbook()
    workbook.active["A1"] = "令和8年度よろず支援拠点相談等実績"  # type: ignore[index]
    with pytest.raises(ParseError, match=r"no table found in the XLSX"):
        parse(_saved(workbook), "r.xlsx")


def test_a_table_line_is_its_header_row_on_its_sheet() -> None:
    data = to_xlsx(sample_text(), one_sheet_per_table=True)
    report: ParsedReport = parse(data, "r.xlsx")
    workbook = load_workbook(io.BytesIO(data))
    for number, table in enumerate(report.tables, start=1):
        row = [cell.value for cell in workbook[f"表{number}"][table.line]]
        assert "4月" in row


def _with_entity(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert xml.startswith(b"<worksheet")
    return b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>' + xml.replace(b">4\xe6\x9c\x88<", b">&a;<", 1)


def _bomb(size: int) -> bytes:
    """A workbook-shaped archive with a member of ``size`` zero bytes (deflated to a sliver)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    data = _bomb(200 * 1024 * 1024)
    assert len(data) < 1024 * 1024
    with pytest.raises(ParseError, match=r"unpacks to 200 MB, more than the 100 MB allowed"):
        parse(data, "bomb.xlsx")


def test_an_absurd_compression_ratio_is_refused() -> None:
    with pytest.raises(ParseError, match=r"'xl/worksheets/sheet1.xml' is compressed [0-9,]+:1"):
        parse(_bomb(20 * 1024 * 1024), "bomb.xlsx")


def test_sheets_larger_than_a_report_are_refused_before_they_are_loaded() -> None:
    data = to_xlsx(_small_text(), one_sheet_per_table=False)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    # Nine megabytes of varied (so barely compressible) comment text: no bomb, just too large.
    padding = b"".join(b"<!-- %d -->" % n for n in range(900_000))[: 9 * 1024 * 1024]
    with pytest.raises(
        ParseError, match=r"^big\.xlsx: the workbook's sheets unpack to 9 MB, more than the 8 MB"
    ):
        parse(_rezipped(data, {"xl/worksheets/sheet1.xml": xml + padding}), "big.xlsx")


def _wide_or_long(rows: int, columns: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.cell(1, 1, "令和8年度よろず支援拠点相談等実績")
    sheet.cell(rows, columns, 1)
    return _saved(workbook)


@pytest.mark.parametrize(
    ("rows", "columns", "reason"),
    [(10_001, 1, "declares 10,001 rows and 1 columns"), (5, 201, "declares 5 rows and 201 columns")],
)
def test_a_sheet_too_large_for_a_report(rows: int, columns: int, reason: str) -> None:
    with pytest.raises(ParseError, match=f"sheet 'Sheet' {reason}"):
        parse(_wide_or_long(rows, columns), "big.xlsx")


@pytest.mark.parametrize(
    ("rows", "columns", "reason"),
    [
        (10_001, 1, "has more than 10,000 rows (Sheet!A10001)"),
        (5, 201, "has more than 200 columns (Sheet!GS5)"),
    ],
)
def test_a_sheet_that_hides_its_size(rows: int, columns: int, reason: str) -> None:
    """A <dimension> that understates the sheet: the rows themselves are checked as they are read."""
    data = _wide_or_long(rows, columns)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    lying = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', xml)
    assert lying != xml
    with pytest.raises(ParseError, match=re.escape(f"sheet 'Sheet' {reason}")):
        parse(_rezipped(data, {"xl/worksheets/sheet1.xml": lying}), "big.xlsx")


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: _rezipped(data, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}),
        lambda data: _rezipped(data, {"xl/workbook.xml": b"not xml"}),
        # An entity declaration (the start of a billion-laughs bomb) is refused by defusedxml.
        lambda data: _rezipped(data, {"xl/worksheets/sheet1.xml": _with_entity(data)}),
    ],
)
def test_a_damaged_workbook(damage: object) -> None:
    data = to_xlsx(_small_text(), one_sheet_per_table=False, numbers_as_text=True)
    with pytest.raises(ParseError) as error:
        parse(damage(data), "broken.xlsx")  # type: ignore[operator]
    assert re.match(r"broken\.xlsx: the (ZIP archive is damaged|workbook cannot be read)", str(error.value))
