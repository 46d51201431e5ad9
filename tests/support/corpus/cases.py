"""Layouts every format can carry, each with the figures it means or the place it is refused.

A ``Case`` is a text layout built by ``edits`` from the seed or a multi-month report; the
``render_*`` modules print each case as text, HTML and CSV. Refusals name the table and column
(and the render module adds the line, which only the text layout keeps as is).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from service.domain.reference import find_prefecture
from tests.support.corpus import edits
from tests.support.corpus.edits import map_tables
from tests.support.reportgen import Figures, report_title, seed_values

CONSULTATIONS = "2.相談実績件数"


@dataclass(frozen=True)
class Case:
    """A text layout and what it must parse to.

    Parameters:
        name: what the layout varies.
        text: builds the text layout.
        values: the monthly figures it means; None when it must be refused.
        months: the reported months.
        refusal: what the refusal must name (table, column, the reason's words).
        row: for a refusal in a row, (row label, table index): the text render adds its line.
        warnings: what some warning must contain.
    """

    name: str
    text: Callable[[], str]
    values: Figures | None
    months: tuple[int, ...] = (4,)
    refusal: tuple[str, ...] = ()
    row: tuple[str, int] | None = None
    warnings: tuple[str, ...] = ()


def _seed(*edit: Callable[[str], str]) -> Callable[[], str]:
    def build() -> str:
        text = edits.seed()
        for one in edit:
            text = one(text)
        return text

    return build


def _tables(edit: Callable[[edits.Rows, edits.Rows], tuple[edits.Rows, edits.Rows]]) -> Callable[[str], str]:
    return lambda text: map_tables(text, edit)


def _cell(row: str, table: int, column: int, value: str) -> Callable[[str], str]:
    return lambda text: edits.set_cell(text, edits.cell_line(text, row, table), column, value)


def _prepend(*lines: str) -> Callable[[str], str]:
    return lambda text: "\n".join(lines) + "\n" + text


SEED = seed_values()
TEMPLATE = edits.fiscal_months(4, 3)
APRIL_MAY = (4, 5)


def _template(mark: str) -> Callable[[], str]:
    def build() -> str:
        text = edits.report(APRIL_MAY, printed=TEMPLATE)
        return map_tables(text, edits.blank_months(TEMPLATE[2:], mark))

    return build


NUMBERING = {
    "1.": "{n}.",
    "１．": "{N}．",
    "1)": "{n})",
    "１）": "{N}）",
    "(1)": "({n})",
    "（１）": "（{N}）",
    "①": "{c}",
    "1. spaced": "{n}. ",
    "（１） spaced": "（{N}）　",
}
LETTERING = {
    "a": "{a} ",
    "ａ": "{A}　",
    "a.": "{a}.",
    "ａ．": "{A}．",
    "(a)": "({a})",
    "(a) spaced": "({a}) ",
}
ZERO_MARKS = {"－": "－", "-": "-", "‐": "‐", "—": "—", "―": "―"}


def meaning_cases() -> list[Case]:
    """Layouts that mean exactly the seed's (or a multi-month report's) figures."""
    cases = [Case(f"numbering {k}", _seed(edits.numbering(v)), SEED) for k, v in NUMBERING.items()]
    cases += [Case(f"lettering {k}", _seed(edits.lettering(v)), SEED) for k, v in LETTERING.items()]
    cases += [
        Case(f"zero mark {k}", _seed(_tables(edits.zero_marks(v))), SEED) for k, v in ZERO_MARKS.items()
    ]
    cases += [
        Case("section and title on one line", _seed(edits.section_in_title(" ")), SEED),
        Case("section and title with a colon", _seed(edits.section_in_title("：")), SEED),
        Case(
            "navigation and news naming other years",
            _seed(
                _prepend(
                    "ホーム",
                    "令和7年度実績",
                    "令和6年度実績",
                    "令和7年度よろず支援拠点相談等実績を公開しました",
                )
            ),
            SEED,
        ),
        Case(
            "a month-of-report title",
            _seed(edits.retitled(report_title(2026), "令和8年4月分 よろず支援拠点相談等実績")),
            SEED,
        ),
        Case("累計 header", _seed(_header_label("累計値", "累計")), SEED),
        Case("年度累計 header", _seed(_header_label("累計値", "年度累計")), SEED),
        Case("合計 as the cumulative column", _seed(_header_label("累計値", "合計")), SEED),
        Case(
            "extra columns 前年同月 and 構成比",
            _seed(_tables(edits.insert_column(-1, ("前年同月",), lambda _: "12"))),
            SEED,
            warnings=("'前年同月'", "were ignored"),
        ),
        Case(
            "extra column 順位 after the names",
            _seed(_tables(edits.insert_column(1, ("順位",), lambda _: "3"))),
            SEED,
            warnings=("'順位'",),
        ),
        Case(
            "extra column 前年比 in per cent",
            _seed(_tables(edits.insert_column(-1, ("前年比",), lambda _: "101.5%"))),
            SEED,
            warnings=("'前年比'",),
        ),
        Case("block subtotals that add up", _seed(_tables(edits.subtotals())), SEED),
        Case("小計 rows that add up", _seed(_tables(edits.subtotals(label_text="小計"))), SEED),
        Case(
            "a footnote marker （注1） after a name",
            _seed(lambda text: text.replace(">大阪府</a>", ">大阪府（注1）</a>")),
            SEED,
        ),
        Case(
            "a block subtotal that does not add up",
            _seed(_tables(edits.subtotals(wrong=True))),
            SEED,
            warnings=("subtotal row '北海道ブロック計'", "printed 490 but its rows sum to 489"),
        ),
        Case("spacer column", _seed(_tables(edits.insert_column(1, ("",), lambda _: ""))), SEED),
        Case(
            "a footnote marker after a name",
            _seed(lambda text: text.replace(">東京都</a>", ">東京都※1</a>")),
            SEED,
        ),
        Case(
            "prefecture code column before the names",
            _seed(_tables(edits.insert_column(0, ("コード",), edits.prefecture_code))),
            SEED,
        ),
        Case(
            "block column before the names",
            _seed(_tables(edits.insert_column(0, ("ブロック",), _area))),
            SEED,
        ),
        Case(
            "the table starting in column C",
            _seed(
                _tables(edits.insert_column(0, ("",), lambda _: "")),
                _tables(edits.insert_column(0, ("",), lambda _: "")),
            ),
            SEED,
        ),
        Case("a notes row inside the table", _seed(_tables(_notes_row)), SEED),
        Case(
            "a twelve-month template, months after May blank",
            _template(""),
            edits.grown(APRIL_MAY),
            months=APRIL_MAY,
            warnings=("6月, 7月", "after the latest reported month 5月", "were not stored"),
        ),
        Case(
            "a twelve-month template, months after May －",
            _template("－"),
            edits.grown(APRIL_MAY),
            months=APRIL_MAY,
            warnings=("were not stored",),
        ),
        Case(
            "a twelve-month template, months after May zero",
            _template("0"),
            edits.grown(APRIL_MAY),
            months=APRIL_MAY,
            warnings=("3月 after the latest reported month 5月",),
        ),
        Case("three months", lambda: edits.report((4, 5, 6)), edits.grown((4, 5, 6)), months=(4, 5, 6)),
    ]
    return cases


def _area(name: str) -> str:
    """The block a prefecture's row starts (北海道ブロック on its first row only, as a merged cell)."""
    found = find_prefecture(name) if name and name != "合計" else None
    return (
        f"{found.area}ブロック"
        if found and found.code in ("01", "02", "08", "15", "25", "31", "36", "40")
        else ""
    )


def _notes_row(header: edits.Rows, body: edits.Rows) -> tuple[edits.Rows, edits.Rows]:
    return header, [*body, ["※1 東京都は島しょ部を含む。", *[""] * (len(body[0]) - 1)]]


def _header_label(old: str, new: str) -> Callable[[str], str]:
    def edit(header: edits.Rows, body: edits.Rows) -> tuple[edits.Rows, edits.Rows]:
        return [[new if cell == old else cell for cell in row] for row in header], body

    return _tables(edit)


def refusal_cases() -> list[Case]:
    """Layouts no one can read for sure: each must be refused naming the place."""
    hokkaido = ("北海道", 1)
    return [
        Case(
            "withheld x",
            _seed(_cell("北海道", 1, 1, "x")),
            None,
            refusal=(CONSULTATIONS, "'4月'", "'x'"),
            row=hokkaido,
        ),
        Case(
            "withheld …",
            _seed(_cell("北海道", 1, 1, "…")),
            None,
            refusal=(CONSULTATIONS, "'…'"),
            row=hokkaido,
        ),
        Case(
            "withheld ***",
            _seed(_cell("北海道", 1, 1, "***")),
            None,
            refusal=(CONSULTATIONS, "'***'"),
            row=hokkaido,
        ),
        Case(
            "a figure above the range",
            _seed(_cell("北海道", 1, 1, "1,000,001")),
            None,
            refusal=(CONSULTATIONS, "'4月'", "too large (at most 1,000,000)"),
            row=hokkaido,
        ),
        Case(
            "a figure of 5,000 digits",
            _seed(_cell("北海道", 1, 1, "9" * 5000)),
            None,
            refusal=(CONSULTATIONS, "'4月'", "(5,000 digits)' is too large"),
            row=hokkaido,
        ),
        Case(
            "a blank in the reported month",
            _seed(_cell("北海道", 1, 1, "")),
            None,
            refusal=(CONSULTATIONS, "'4月'", "the cell is empty"),
            row=hokkaido,
        ),
        Case(
            "a template month with one figure among blanks",
            lambda: edits.set_cell((text := _template("")()), edits.cell_line(text, "北海道", 1), 3, "5"),
            None,
            refusal=("'6月'", "6月 is blank although the report gives figures up to 6月"),
        ),
        Case(
            "two report titles of different years",
            _seed(_prepend("# 令和7年度よろず支援拠点相談等実績")),
            None,
            refusal=("different fiscal years", "2025", "2026"),
        ),
        Case(
            "two years and no report title",
            _seed(edits.retitled("# " + report_title(2026), "# 令和8年度"), _prepend("令和7年度")),
            None,
            refusal=("several fiscal years", "'令和7年度'", "reads 2025", "'令和8年度'", "reads 2026"),
        ),
        Case(
            "a near spelling of a catalogued title",
            _seed(edits.retitled(CONSULTATIONS, "2.相談実積件数")),
            None,
            refusal=("2.相談実積件数", "nearly spells '2.相談実績件数'", "onestop.consultations"),
        ),
        Case(
            "a title lengthening a catalogued one",
            _seed(edits.retitled(CONSULTATIONS, "2.相談実績件数（延べ）")),
            None,
            refusal=("nearly spells '2.相談実績件数'",),
        ),
        Case(
            "a band naming another fiscal year",
            _seed(_tables(_band("令和7年度"))),
            None,
            refusal=("1.名寄せ後の事業者数", "'令和7年度'", "another fiscal year"),
        ),
    ]


def _band(text: str) -> Callable[[edits.Rows, edits.Rows], tuple[edits.Rows, edits.Rows]]:
    def edit(header: edits.Rows, body: edits.Rows) -> tuple[edits.Rows, edits.Rows]:
        band = ["", text] + [""] * (len(header[0]) - 2)
        return [band, *header], body

    return edit


def banded() -> Case:
    """A 令和8年度 band over the month columns."""
    return Case("a 令和8年度 band over the months", _seed(_tables(_band("令和8年度"))), SEED)
