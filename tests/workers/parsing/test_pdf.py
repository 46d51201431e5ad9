"""PDF reports: the text layer read exactly, tables over page breaks, scanned and hostile PDFs refused."""

from __future__ import annotations

import io
from functools import cache

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.support.corpus.render_pdf import FONT, scanned, to_pdf
from tests.support.sample import figures, parse, sample_text
from workers.parsing import ParsedReport, ParseError
from workers.parsing._pdf import MAX_PAGE_CONTENT, MAX_PAGES
from workers.parsing._xlsx_messages import japanese


@cache
def _seed_pdf() -> bytes:
    return to_pdf(sample_text())


@cache
def _seed() -> ParsedReport:
    return parse(sample_text().encode())


def test_the_written_pdf_has_the_japanese_text_exactly() -> None:
    with pdfplumber.open(io.BytesIO(_seed_pdf())) as pdf:
        first = pdf.pages[0]
        assert first.extract_text().split("\n")[:3] == [
            "令和8年度よろず支援拠点相談等実績",
            "(1)ワンストップ相談窓口",
            "1.名寄せ後の事業者数",
        ]
        assert first.extract_tables()[0][:3] == [
            ["", "4月", "累計値"],
            ["合計", "18,437", "18,437"],
            ["北海道", "489", "489"],
        ]
        assert len(pdf.pages) > 14  # the tables run over page breaks


def _figures(report: ParsedReport) -> tuple[object, ...]:
    """``figures`` but the definitions, whose wrapped lines a PDF breaks where its page width says."""
    return (*figures(report)[:4], [table[:6] + table[7:] for table in figures(report)[4]])  # type: ignore[attr-defined]


def test_the_seed_as_a_pdf_gives_everything_the_text_gives() -> None:
    report = parse(_seed_pdf(), "r08-04.pdf")
    assert _figures(report) == _figures(_seed())
    assert (report.fiscal_year, report.months, report.warnings) == (2026, (4,), ())
    definition = report.tables[0].definition or ""
    assert definition.replace(" ", "") == (_seed().tables[0].definition or "").replace(" ", "")


def test_a_table_over_a_page_break_is_one_table_whether_or_not_its_header_is_repeated() -> None:
    with pdfplumber.open(io.BytesIO(_seed_pdf())) as pdf:
        second = pdf.pages[1].extract_tables()[0]
    assert second[0] == ["", "4月", "累計値"] and second[1][0] != "合計"  # the repeated header
    plain = parse(to_pdf(sample_text(), repeat_header=False), "r.pdf")
    assert _figures(plain) == _figures(_seed())


def test_a_bad_cell_names_the_page_and_cell() -> None:
    def change(rows: list[list[str]]) -> None:
        if rows[0][1:] == ["4月", "累計値"] and rows[5][0] == "宮城県":
            rows[5][1] = "１２ａ"

    with pytest.raises(ParseError) as error:
        parse(to_pdf(sample_text(), change=change), "r.pdf")
    assert str(error.value) == (
        "r.pdf: table '1.名寄せ後の事業者数', column '4月': 'page 1'!B9: '１２ａ' is not a number"
    )


def test_a_scanned_pdf_is_refused_in_english_and_japanese() -> None:
    with pytest.raises(ParseError) as error:
        parse(scanned(), "scan.pdf")
    assert str(error.value).startswith("scan.pdf: the PDF has no text layer (a scanned image); ")
    assert "no OCR" in error.value.reason
    assert japanese(error.value.reason) == (
        "PDFに文字情報がありません（スキャン画像）。画像から文字は読み取りません（OCRは行いません）。"
        "公開されたPDFか、HTML・テキスト・CSV・.xlsxの報告をアップロードしてください"
    )


def _canvas_pdf(pages: int, strings_per_page: int = 1) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        canvas.setFont(FONT, 6)
        for index in range(strings_per_page):
            canvas.drawString(20 + index % 50 * 10, 20 + index // 50 % 70 * 11, "令和")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_too_many_pages_are_refused_before_they_are_read() -> None:
    with pytest.raises(
        ParseError, match=f"^big.pdf: the PDF has {MAX_PAGES + 1} pages, more than the {MAX_PAGES}"
    ):
        parse(_canvas_pdf(MAX_PAGES + 1), "big.pdf")


def test_a_page_drawing_more_than_a_report_page_is_refused() -> None:
    data = _canvas_pdf(1, strings_per_page=MAX_PAGE_CONTENT // 20)
    assert len(data) < MAX_PAGE_CONTENT // 4  # compressed: the limit is on what it inflates to
    with pytest.raises(
        ParseError, match=r"^big.pdf: page 1 of the PDF has more than 524,288 bytes of content"
    ):
        parse(data, "big.pdf")


@pytest.mark.parametrize("damage", [lambda d: d[: len(d) // 3], lambda d: d[:20] + b"\x00" * 200])
def test_a_damaged_pdf(damage: object) -> None:
    data = damage(_canvas_pdf(2, 5))  # type: ignore[operator]
    with pytest.raises(ParseError) as error:
        parse(data, "broken.pdf")
    assert str(error.value).startswith("broken.pdf: "), str(error.value)
