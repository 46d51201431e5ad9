"""CSV files: wide tables as the text layout prints them, and long (tidy) files of one figure a row."""

from __future__ import annotations

import re

import pytest

from tests.support.formats import to_long_csv, to_wide_csv
from tests.support.reportgen import render_report, seed_values
from tests.support.sample import edited, figures, parse, sample_text
from workers.parsing import ParseError

HEADER = "indicator,prefecture,fiscal_year,month,breakdown,value"
CONSULTATIONS = "onestop.consultations"
TRAINEES = "onestop.skill_sharing.trainees"


def _long(values: dict[tuple[str, str, int, str], int] | None = None, **options: object) -> str:
    chosen = (
        values if values is not None else {k: v for k, v in seed_values().items() if k[0] == CONSULTATIONS}
    )
    return to_long_csv(chosen, fiscal_year=2026, **options).decode()  # type: ignore[arg-type]


def test_wide_csv_quotes_numbers_with_separators() -> None:
    data = to_wide_csv(sample_text())
    assert b'\r\n\xe7\xa6\x8f\xe5\xb2\xa1\xe7\x9c\x8c,"1,472","1,472"\r\n' in data  # 福岡県,"1,472","1,472"
    assert figures(parse(data, "r.csv")) == figures(parse(sample_text().encode()))


def test_wide_csv_with_a_bom() -> None:
    report = parse(b"\xef\xbb\xbf" + to_wide_csv(sample_text()), "r.csv")
    assert (report.encoding, report.value_count) == ("utf-8-sig", 658)


def test_wide_csv_errors_name_the_csv_line() -> None:
    data = to_wide_csv(edited({80: '<a href="#">神奈川県</a>\t12a\t745'}).decode())
    with pytest.raises(ParseError) as error:
        parse(data, "r.csv")
    line = data.decode().split("\r\n").index("神奈川県,12a,745") + 1
    assert (
        str(error.value) == f"r.csv: table '2.相談実績件数', line {line}, column '4月': '12a' is not a number"
    )


def test_a_quoted_cell_over_two_lines_keeps_later_lines_right() -> None:
    text = to_wide_csv(sample_text()).decode().replace("◆◆相談実績件数", '"◆◆相談実績件数\r\n(続き)"', 1)
    text = text.replace("神奈川県,745,745", "神奈川県,x,745")
    with pytest.raises(ParseError) as error:
        parse(text.encode(), "r.csv")
    assert error.value.line == text.split("\r\n").index("神奈川県,x,745") + 1


def test_malformed_csv() -> None:
    text = to_wide_csv(sample_text()).decode() + '"' + "x" * 200_000 + '"\r\n'
    with pytest.raises(ParseError, match="the CSV is malformed"):
        parse(text.encode(), "r.csv")


def test_long_csv_with_names_labels_and_any_row_order() -> None:
    values = {k: v for k, v in seed_values().items() if k[0] in (CONSULTATIONS, TRAINEES)}
    lines = _long(values, prefecture_names=True).splitlines()
    labels = {"trainee": "トレーニー", "seconded": "出向者", "total": "合計"}
    body = [
        re.sub(r",(trainee|seconded|total),", lambda m: f",{labels[m.group(1)]},", line) for line in lines[1:]
    ]
    text = "\n".join([lines[0].upper(), *reversed(body), ""])
    report = parse(("\ufeff" + text).encode("utf-8"), "r.csv")
    assert report.encoding == "utf-8-sig"
    assert {(t.indicator_code, *k): v for t in report.tables for k, v in t.values.items()} == values
    assert [t.indicator_code for t in report.tables] == [CONSULTATIONS, TRAINEES]


def test_long_csv_in_cp932_with_more_months() -> None:
    values = {(c, p, m, b): v * m for (c, p, _, b), v in seed_values().items() for m in (4, 5, 1)}
    report = parse(to_long_csv(values, fiscal_year=2026, encoding="cp932", prefecture_names=True), "r.csv")
    assert (report.encoding, report.months, report.value_count) == ("cp932", (4, 5, 1), 658 * 3)
    assert report.warnings == ()


def test_long_csv_breakdown_totals_are_still_checked() -> None:
    values = {k: v for k, v in seed_values().items() if k[0] == TRAINEES}
    values[(TRAINEES, "35", 4, "total")] = 5
    report = parse(_long(values).encode(), "r.csv")
    assert report.warnings == (
        "table 'b トレーニーの受け入れ人数や出向の受け入れ人数', row 山口県 (line 104), 4月: "
        "total 5 is not trainee + seconded (1 + 0 = 1)",
    )


def _replaced(old: str, new: str) -> str:
    text = _long()
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "line", "column", "reason"),
    [
        (_replaced("onestop.consultations,13", "onestop.consults,13"), 14, "indicator", "unknown indicator"),
        (
            _replaced(f"{CONSULTATIONS},13,", f"{CONSULTATIONS},99,"),
            14,
            "prefecture",
            "unknown prefecture '99'",
        ),
        (_replaced(",2026,4,total,570", ",2026,4,total,5七0"), 14, "value", "'5七0' is not a number"),
        (_replaced(",2026,4,total,570", ",2026,4,total,-570"), 14, "value", "'-570' is negative"),
        (_replaced(",2026,4,total,570", ",2026,13,total,570"), 14, "month", "'13' is not a month"),
        (
            _replaced(",2026,4,total,570", ",2026,4,trainee,570"),
            14,
            "breakdown",
            "has no breakdown 'trainee'",
        ),
        (
            _replaced(",2026,4,total,570", ",2025,4,total,570"),
            14,
            "fiscal_year",
            "differs from 2026 (line 2)",
        ),
        (_replaced(",2026,4,total,570", ",R8,4,total,570"), 14, "fiscal_year", "'R8' is not a fiscal year"),
        (_replaced(f"{CONSULTATIONS},13,", f"{CONSULTATIONS},12,"), 14, None, "(lines 13 and 14)"),
        (_replaced(f"\n{CONSULTATIONS},13,2026,4,total,570", ""), 2, "prefecture", "value for 東京都"),
        (_replaced(",2026,4,total,570", ",2026,4,total"), 14, None, "has 5 fields but the header has 6"),
        (_replaced(HEADER, HEADER.replace("month", "mon")), None, None, "no table found"),
        (_replaced(HEADER, HEADER + ",month"), 1, "month", "the header names 'month' twice"),
        (HEADER + "\n", None, None, "has a header but no figures"),
    ],
)
def test_long_csv_errors(text: str, line: int | None, column: str | None, reason: str) -> None:
    with pytest.raises(ParseError) as error:
        parse(text.encode(), "r.csv")
    assert reason in error.value.reason
    assert (error.value.line, error.value.column) == (line, column)
    assert str(error.value).startswith("r.csv: ")


def test_a_long_csv_missing_a_breakdown_for_a_month() -> None:
    values = {k: v for k, v in seed_values().items() if k[0] == TRAINEES}
    values |= {(c, p, 5, b): v for (c, p, _, b), v in values.items() if b != "seconded"}
    with pytest.raises(ParseError) as error:
        parse(_long(values).encode(), "r.csv")
    assert error.value.reason == f"{TRAINEES} has no 5月 seconded value for any prefecture"
    assert (error.value.table, error.value.column) == (
        "b トレーニーの受け入れ人数や出向の受け入れ人数",
        "breakdown",
    )


def test_a_text_report_with_commas_is_still_text() -> None:
    text = render_report(fiscal_year=2026, months=[4], values=seed_values())
    assert "1,472" in text
    assert parse(text.encode(), "r.csv").value_count == 658


def test_long_csv_columns_in_any_order_with_extra_ones() -> None:
    rows = [line.split(",") for line in _long().splitlines()]
    order = [5, 0, 4, 3, 1, 2]  # value,indicator,breakdown,month,prefecture,fiscal_year
    text = "\n".join(
        ",".join([*(row[i] for i in order), "件" if n else "unit"]) for n, row in enumerate(rows)
    )
    report = parse(text.encode(), "r.csv")
    assert report.tables[0].values[("13", 4, "total")] == 570
