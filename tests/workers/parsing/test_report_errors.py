"""parse_report on broken reports: each ParseError names the file, table, line and column."""

from __future__ import annotations

import pytest

from tests.support.sample import edited, parse, sample_lines
from workers.parsing import ParseError

TRAINEES = "b トレーニーの受け入れ人数や出向の受け入れ人数"


def test_the_message_names_file_table_line_and_column() -> None:
    with pytest.raises(ParseError) as error:
        parse(edited({80: '<a href="#">神奈川県</a>\t12a\t745'}))
    message = "sample.txt: table '2.相談実績件数', line 80, column '4月': '12a' is not a number"
    assert str(error.value) == message
    assert (error.value.table, error.value.line, error.value.column) == ("2.相談実績件数", 80, "4月")


@pytest.mark.parametrize(
    ("changes", "table", "line", "reason"),
    [
        ({12: "青林県\t302\t302"}, "1.名寄せ後の事業者数", 12, "unknown prefecture '青林県'"),
        ({12: "青森県\t302\t"}, "1.名寄せ後の事業者数", 12, "column '累計値': the cell is empty"),
        ({12: "青森県\t-302\t302"}, "1.名寄せ後の事業者数", 12, "column '4月': '-302' is negative"),
        ({12: "青森県\t▲3\t302"}, "1.名寄せ後の事業者数", 12, "'▲3' is negative"),
        ({12: "青森県\t30,2\t302"}, "1.名寄せ後の事業者数", 12, "'30,2' is not a number"),
        ({12: "青森県\t302"}, "1.名寄せ後の事業者数", 12, "has 1 values but the header has 2 columns"),
        ({12: "青森県\t302\t302\t5"}, "1.名寄せ後の事業者数", 12, "has 3 values"),
        ({14: ""}, "1.名寄せ後の事業者数", 9, "missing rows for 宮城県"),
        ({14: "", 15: ""}, "1.名寄せ後の事業者数", 9, "missing rows for 宮城県, 秋田県"),
        ({14: "岩手県\t1\t1"}, "1.名寄せ後の事業者数", 14, "duplicate row for 岩手県 (lines 13 and 14)"),
        ({9: "\t4月\t謎"}, "1.名寄せ後の事業者数", 9, "unknown header label '謎'"),
        ({9: "\t4月\t4月"}, "1.名寄せ後の事業者数", 9, "duplicate month column '4月'"),
        ({9: "\t2025年4月\t累計値"}, "1.名寄せ後の事業者数", 9, "is not a month of fiscal year 2026"),
        ({461: "\tトレーニー\t出向者\t小計"}, TRAINEES, 461, "unknown header label '小計'"),
        ({10: "合計\t1\t1", 11: "計\t1\t1"}, "1.名寄せ後の事業者数", 11, "duplicate row for 合計"),
    ],
)
def test_broken_tables(changes: dict[int, str], table: str, line: int, reason: str) -> None:
    with pytest.raises(ParseError) as error:
        parse(edited(changes))
    assert (error.value.table, error.value.line) == (table, line)
    assert reason in str(error.value)
    assert str(error.value).startswith(f"sample.txt: table '{table}', line {line}")


def test_a_table_without_a_title() -> None:
    with pytest.raises(ParseError) as error:
        parse(edited({63: ""}))
    assert str(error.value) == "sample.txt: line 65: the table has no title"


def test_a_table_outside_any_section() -> None:
    with pytest.raises(ParseError) as error:
        parse(edited({5: ""}))
    assert (error.value.table, error.value.line) == ("1.名寄せ後の事業者数", 9)
    assert "not under a section heading" in str(error.value)


def test_the_same_indicator_twice() -> None:
    with pytest.raises(ParseError) as error:
        parse(edited({332: "## 2.相談実績件数"}))
    assert (error.value.table, error.value.line) == ("2.相談実績件数", 334)
    assert "'onestop.consultations' is given twice" in str(error.value)
    assert "(line 65)" in str(error.value)


def test_no_fiscal_year_in_the_title() -> None:
    title = "よろず支援拠点相談等実績"
    with pytest.raises(ParseError) as error:
        parse(edited({3: f"# {title}"}))
    assert str(error.value) == f"sample.txt: line 3: no fiscal year (年度) in the title '{title}'"


def test_no_table_at_all() -> None:
    text = "\n".join(line for line in sample_lines() if "\t" not in line)
    with pytest.raises(ParseError, match="no table found"):
        parse(text.encode())


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b" \r\n\n\t \n", "the file is empty"),
        ("\ufeff\u3000\n".encode(), "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"abc\x81\x20def", "not UTF-8 or CP932"),
    ],
)
def test_unreadable_files(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as error:
        parse(data)
    assert error.value.table is None and error.value.line is None
