"""Generated layouts (numbering, zero marks, column orders, extra columns, subtotals, templates).

Each example lays out a multi-month report built from the seed in a drawn combination of the
ways offices print it, in text or CSV; it must give exactly its figures. A drawn damage (a
withheld mark, a blank in a reported month) must be refused naming the file and table, never
stored. Example counts stay modest: each parse reads a whole report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain.fiscal import FISCAL_MONTHS
from tests.support.corpus import edits
from tests.support.corpus.cases import LETTERING, NUMBERING, ZERO_MARKS
from tests.support.formats import to_wide_csv
from workers.parsing import ParseError, parse_report

EXAMPLES = settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
EXTRA_COLUMNS = {"前年同月": "12", "前年比": "98.7%", "構成比": "2.1%", "順位": "5", "備考": ""}


@dataclass(frozen=True)
class Layout:
    """The drawn choices: small enough for Hypothesis to print when an example fails."""

    reported: int
    template_mark: str | None
    numbering: str
    lettering: str
    zero_mark: str | None
    subtotals: bool
    extra: tuple[tuple[str, int], ...]
    order: tuple[int, ...]
    csv: bool

    @property
    def months(self) -> tuple[int, ...]:
        return FISCAL_MONTHS[: self.reported]

    def text(self) -> str:
        printed = FISCAL_MONTHS if self.template_mark is not None else self.months
        text = edits.report(self.months, printed=printed)
        table_edits: list[Callable[[edits.Rows, edits.Rows], tuple[edits.Rows, edits.Rows]]] = []
        if self.template_mark is not None:
            table_edits.append(edits.blank_months(FISCAL_MONTHS[self.reported :], self.template_mark))
        if self.zero_mark is not None:
            table_edits.append(edits.zero_marks(self.zero_mark))
        if self.subtotals:
            table_edits.append(edits.subtotals())
        for label, position in self.extra:
            table_edits.append(edits.insert_column(position, (label,), _constant(EXTRA_COLUMNS[label])))
        for index in self.order:
            if index < len(table_edits):
                text = edits.map_tables(text, table_edits[index])
        text = edits.numbering(NUMBERING[self.numbering])(text)
        return edits.lettering(LETTERING[self.lettering])(text)

    def data(self, text: str) -> bytes:
        return to_wide_csv(text) if self.csv else text.encode("utf-8")


def _constant(value: str) -> Callable[[str], str]:
    return lambda _: value


layouts = st.builds(
    Layout,
    reported=st.integers(1, 3),
    template_mark=st.sampled_from([None, "", "－", "0", "-"]),
    numbering=st.sampled_from(sorted(NUMBERING)),
    lettering=st.sampled_from(sorted(LETTERING)),
    zero_mark=st.sampled_from([None, *sorted(ZERO_MARKS.values())]),
    subtotals=st.booleans(),
    extra=st.lists(
        st.tuples(st.sampled_from(sorted(EXTRA_COLUMNS)), st.sampled_from([1, -1])),
        max_size=2,
        unique_by=lambda pair: pair[0],
    ).map(tuple),
    order=st.permutations(range(5)).map(tuple),
    csv=st.booleans(),
)


@EXAMPLES
@given(layouts)
def test_generated_layouts_give_exactly_their_figures(layout: Layout) -> None:
    report = parse_report(layout.data(layout.text()), filename="generated")
    got = {(t.indicator_code, p, m, b): v for t in report.tables for (p, m, b), v in t.values.items()}
    assert got == edits.grown(layout.months)
    assert (report.fiscal_year, report.months) == (2026, layout.months)
    assert len(report.warnings) == len(report.warnings_ja)


@EXAMPLES
@given(layouts, st.sampled_from(["x", "…", "***", ""]), st.integers(0, 46), st.integers(0, 11))
def test_damaged_layouts_are_refused_naming_the_table(
    layout: Layout, mark: str, row: int, table: int
) -> None:
    text = layout.text()
    names = [edits.name_of(code) for code in sorted({k[1] for k in edits.SEED})]
    line = edits.cell_line(text, names[row], table)
    # April's cell of that row (a band may stand above the months): always a reported month.
    damaged = edits.set_cell(text, line, edits.column_of(text, "4月", table), mark)
    try:
        parse_report(layout.data(damaged), filename="damaged")
    except ParseError as error:
        assert str(error).startswith("damaged: ")
        assert error.table is not None and error.message_ja.startswith("damaged: 表「")
        return
    raise AssertionError("a damaged report was stored")
