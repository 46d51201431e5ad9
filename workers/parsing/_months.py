"""Which month columns are reported: a twelve-month template's empty future months are not figures.

The report's latest month is the month its title names (令和8年4月分), else the latest month with
a figure above zero in any table. Month columns after it that are blank, － or zero in every row
are dropped with a warning; a blank cell in a month up to it is refused, as no one can tell
whether it is a zero or a figure not yet filled in.
"""

from __future__ import annotations

from dataclasses import replace

from service.domain.fiscal import fiscal_index
from service.domain.reference import prefecture
from workers.parsing import _reasons as reasons
from workers.parsing._model import ParseError, TableContext
from workers.parsing._tables import TOTAL, TableFigures
from workers.parsing._text import Text


def latest_month(tables: list[TableFigures], *, report_month: int | None, filename: str) -> int:
    """The report's latest month; ParseError when no month carries a figure."""
    if report_month is not None:
        return report_month
    months = {month for figures in tables for (_, month, _), value in figures.values.items() if value > 0}
    months |= {month for figures in tables for (month, _), value in figures.totals.items() if value > 0}
    if not months:
        raise ParseError(reasons.no_figures(), file=filename)
    return max(months, key=fiscal_index)


def settle(
    figures: TableFigures, *, latest: int, report_month: int | None, ctx: TableContext
) -> tuple[TableFigures, list[Text]]:
    """The table without its template months after ``latest``; ParseError for a blank that matters."""
    header = figures.header
    dropped = []
    for month in header.months:
        column = _label(figures, month)
        if fiscal_index(month) > fiscal_index(latest):
            figured = _figured(figures, month)
            if figured is not None:
                assert report_month is not None  # otherwise ``latest`` would be this month or later
                raise ctx.error(
                    reasons.figures_after_report_month(month, report_month), line=figured, column=column
                )
            dropped.append(month)
            continue
        blanks = sorted((line, code) for (code, m, _), line in figures.blanks.items() if m == month)
        if not blanks:
            continue
        rows = {code for _, code in blanks} - {TOTAL}
        if len(rows) == len([code for code in figures.row_lines if code != TOTAL]):
            raise ctx.error(reasons.blank_month_before(month, latest), line=blanks[0][0], column=column)
        line, code = blanks[0]
        name = "合計" if code == TOTAL else prefecture(code).name
        raise ctx.error(reasons.blank_in_reported_month(month, name), line=line, column=column)
    if not dropped:
        return figures, []
    kept = tuple(c for c in header.columns if c.ignored or c.month not in dropped)
    months = tuple(m for m in header.months if m not in dropped)
    if not months:
        raise ctx.error(reasons.no_month_up_to(latest), line=header.line)
    settled = replace(
        figures,
        header=replace(header, columns=kept, months=months),
        values={k: v for k, v in figures.values.items() if k[1] not in dropped},
        totals={k: v for k, v in figures.totals.items() if k[0] not in dropped},
        blanks={},
    )
    warning = reasons.template_months(ctx.table or "", header.line, dropped, latest)
    return settled, [warning]


def _figured(figures: TableFigures, month: int) -> int | None:
    """The line of the first row with a figure above zero in ``month``, if any."""
    lines = [figures.row_lines[code] for (code, m, _), v in figures.values.items() if m == month and v > 0]
    if any(v > 0 for (m, _), v in figures.totals.items() if m == month):
        lines.append(figures.row_lines[TOTAL])
    return min(lines, default=None)


def _label(figures: TableFigures, month: int) -> str:
    return next(c.label for c in figures.header.columns if c.month == month and not c.ignored)
