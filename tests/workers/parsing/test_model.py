"""ParseError's message and pickling; ParsedReport.value_count."""

from __future__ import annotations

import pickle

from workers.parsing import ParsedReport, ParsedTable, ParseError


def test_message_names_what_is_known() -> None:
    assert str(ParseError("the file is empty", file="a.txt")) == "a.txt: the file is empty"
    assert str(ParseError("x", file="a.txt", line=3)) == "a.txt: line 3: x"
    full = ParseError("'12a' is not a number", file="s.txt", table="2.相談実績件数", line=80, column="4月")
    assert str(full) == "s.txt: table '2.相談実績件数', line 80, column '4月': '12a' is not a number"
    assert (full.reason, full.file, full.table, full.line, full.column) == (
        "'12a' is not a number",
        "s.txt",
        "2.相談実績件数",
        80,
        "4月",
    )


def test_parse_errors_survive_pickling() -> None:
    error = ParseError("bad", file="a.txt", table="t", line=2, column="4月")
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.table, copy.line, copy.column) == (str(error), "t", 2, "4月")


def test_value_count_sums_the_tables() -> None:
    table = ParsedTable(
        indicator_code="onestop.consultations",
        catalogued=True,
        section="onestop",
        number="2",
        title="2.相談実績件数",
        name="相談実績件数",
        definition=None,
        unit="件",
        breakdowns=("total",),
        months=(4,),
        prints_cumulative=False,
        line=1,
        values={("01", 4, "total"): 1, ("02", 4, "total"): 2},
    )
    report = ParsedReport("f", "t", 2026, (4,), (table, table), (), "utf-8")
    assert report.value_count == 4


def test_the_japanese_message_names_table_line_and_column() -> None:
    from workers.parsing._reasons import not_a_number

    error = ParseError(not_a_number("x"), file="s.txt", table="2.相談実績件数", line=3, column="4月")
    assert error.message_ja == "s.txt: 表「2.相談実績件数」3行目 4月列: 「x」は数値ではありません"
    assert str(error) == "s.txt: table '2.相談実績件数', line 3, column '4月': 'x' is not a number"
    copy = pickle.loads(pickle.dumps(error))
    assert copy.message_ja == error.message_ja
