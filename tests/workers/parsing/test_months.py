"""Reported months: a template's empty future months dropped with a warning; blanks that matter refused."""

from __future__ import annotations

import pytest

from service.domain.fiscal import FISCAL_MONTHS
from tests.support.corpus import edits
from tests.support.sample import parse
from workers.parsing import ParseError

APRIL_MAY = (4, 5)


def _template(mark: str, title: str | None = None) -> bytes:
    text = edits.report(APRIL_MAY, printed=FISCAL_MONTHS, title=title)
    return edits.map_tables(text, edits.blank_months(FISCAL_MONTHS[2:], mark)).encode()


@pytest.mark.parametrize("mark", ["", "－", "0", "-"])
def test_future_months_of_a_template_are_not_stored(mark: str) -> None:
    report = parse(_template(mark))
    assert report.months == APRIL_MAY
    assert all(table.months == APRIL_MAY for table in report.tables)
    values = {(t.indicator_code, p, m, b): v for t in report.tables for (p, m, b), v in t.values.items()}
    assert values == edits.grown(APRIL_MAY)
    assert len(report.warnings) == 12
    assert report.warnings[0].startswith("table '1.名寄せ後の事業者数' (line 7): 6月, 7月, 8月")
    assert report.warnings[0].endswith(
        "after the latest reported month 5月 are blank or zero and were not stored"
    )
    assert report.warnings_ja[0].startswith(
        "表「1.名寄せ後の事業者数」（7行目）: 最新の報告月5月より後の6月、7月"
    )


def test_the_title_month_is_the_latest_month() -> None:
    report = parse(_template("0", title="令和8年5月分 よろず支援拠点相談等実績"))
    assert report.months == APRIL_MAY


def test_figures_after_the_title_month_are_refused() -> None:
    with pytest.raises(ParseError) as error:
        parse(_template("0", title="令和8年4月分 よろず支援拠点相談等実績"))
    assert error.value.column == "5月"
    assert "5月 has figures but the title reports 4月分" in str(error.value)


def test_a_blank_in_a_reported_month_is_refused_naming_the_cell() -> None:
    text = _template("").decode()
    line = edits.cell_line(text, "青森県", 1)
    with pytest.raises(ParseError) as error:
        parse(edits.set_cell(text, line, 2, "").encode())
    assert (error.value.table, error.value.line, error.value.column) == ("2.相談実績件数", line, "5月")
    assert "the cell is empty but 5月 has figures in other rows" in str(error.value)
    assert error.value.message_ja.startswith(f"sample.txt: 表「2.相談実績件数」{line}行目 5月列: 空欄ですが")


def test_a_blank_month_before_the_latest_is_refused() -> None:
    text = edits.map_tables(edits.report(APRIL_MAY), edits.blank_months((4,), ""))
    with pytest.raises(ParseError, match="4月 is blank although the report gives figures up to 5月"):
        parse(text.encode())


def test_a_report_of_zeros_only_is_refused() -> None:
    text = edits.map_tables(edits.report((4,)), edits.blank_months((4,), "0"))
    with pytest.raises(ParseError, match="no month carries figures"):
        parse(text.encode())
