"""Warnings: the 合計 row, 累計値 and breakdown totals that do not add up, a missing 合計 row."""

from __future__ import annotations

from service.domain.reference import prefectures
from tests.support.reportgen import render_report
from tests.support.sample import edited, parse

TRAINEES = "b トレーニーの受け入れ人数や出向の受け入れ人数"
SEMINARS = "c COが他の支援機関の研修講師としてセミナー等に参加した場合の延べ受講人数"


def test_inconsistent_sums_are_warnings() -> None:
    report = parse(edited({10: "合計\t18,438\t18,437", 12: "青森県\t302\t300", 497: "山口県\t1\t0\t2"}))
    first = "table '1.名寄せ後の事業者数', row"
    assert report.warnings == (
        f"{first} 合計 (line 10), 4月: printed 18,438 but the 47 rows sum to 18,437",
        f"{first} 合計 (line 10), 累計値: printed 18,437 but the 47 rows sum to 18,435",
        f"{first} 合計 (line 10), 累計値: printed 18,437 but the months 4月 sum to 18,438",
        f"{first} 青森県 (line 12), 累計値: printed 300 but the months 4月 sum to 302",
        f"table '{TRAINEES}', row 合計 (line 462), 4月 (total): printed 2 but the 47 rows sum to 3",
        f"table '{TRAINEES}', row 山口県 (line 497), 4月: total 2 is not trainee + seconded (1 + 0 = 1)",
    )
    # The figures are the printed ones all the same.
    assert report.tables[0].values[("02", 4, "total")] == 302
    assert report.tables[0].reported_cumulative[("02", "total")] == 300


def test_a_table_without_its_total_row_is_a_warning() -> None:
    report = parse(edited({521: ""}))
    table = report.tables[8]
    assert table.totals == {} and len(table.values) == 47
    message = f"table '{SEMINARS}' (line 520) has no 合計 row"
    assert report.warnings == (message,)


def _businesses(months: list[int], cumulative_bump: int) -> str:
    values = {
        ("onestop.businesses", p.code, m, "total"): int(p.code) * m for p in prefectures() for m in months
    }
    text = render_report(fiscal_year=2026, months=months, values=values)
    # Raise every printed 累計値 (the last cell of each prefecture row) by cumulative_bump.
    rows = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) > 1 and cells[0] not in ("", "合計"):
            cells[-1] = str(int(cells[-1].replace(",", "")) + cumulative_bump)
        rows.append("\t".join(cells))
    return "\n".join(rows)


def test_cumulatives_are_checked_over_months_from_april() -> None:
    report = parse(_businesses([4, 5], 1).encode())
    assert len(report.warnings) == 47 + 1  # every prefecture, and the 合計 row against the 47
    assert report.warnings[1] == (
        "table '1.名寄せ後の事業者数', row 北海道 (line 9), 累計値: "
        "printed 10 but the months 4月–5月 sum to 9"
    )
    assert report.tables[0].reported_cumulative[("01", "total")] == 10


def test_cumulatives_of_a_table_not_starting_in_april_are_not_checked() -> None:
    report = parse(_businesses([6, 7], 5).encode())
    assert report.months == (6, 7)
    # The 合計 row's 累計値 (a sum of the printed columns) still differs from the 47 rows.
    assert [w.split(": ")[0] for w in report.warnings] == [
        "table '1.名寄せ後の事業者数', row 合計 (line 8), 累計値"
    ]
    assert report.tables[0].reported_cumulative[("13", "total")] == 13 * 6 + 13 * 7 + 5


def test_a_table_with_other_months_is_a_warning() -> None:
    report = parse(edited({65: "\t5月\t累計値"}))
    assert report.months == (4, 5)
    assert report.tables[1].months == (5,)
    assert report.warnings == ("table '2.相談実績件数' (line 65) gives 5月 but most tables give 4月",)
