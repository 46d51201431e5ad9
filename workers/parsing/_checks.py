"""Consistency checks that warn but keep the figures: the 合計 row, 累計値, breakdown totals."""

from __future__ import annotations

from service.domain.fiscal import FISCAL_MONTHS
from service.domain.reference import prefecture
from workers.parsing import _report_reasons as report_reasons
from workers.parsing._tables import TOTAL, TableFigures
from workers.parsing._text import Text

#: A value slot of a row: a month, or None for the 累計値 column.
Slot = int | None


def lookup(figures: TableFigures, code: str, slot: Slot, breakdown: str) -> int | None:
    """The value a row (prefecture code or ``TOTAL``) prints in a slot, if the table has that column."""
    if code == TOTAL:
        if slot is None:
            return figures.total_cumulative.get(breakdown)
        return figures.totals.get((slot, breakdown))
    if slot is None:
        return figures.reported_cumulative.get((code, breakdown))
    return figures.values.get((code, slot, breakdown))


def check_figures(figures: TableFigures, *, title: str) -> list[Text]:
    """Warnings, each naming the table, row and column, for printed sums that do not add up."""
    header = figures.header
    slots: list[Slot] = [*header.months, None]
    prefecture_codes = [code for code in figures.row_lines if code != TOTAL]
    warnings: list[Text] = []
    if TOTAL not in figures.row_lines:
        warnings.append(report_reasons.no_total_row(title, figures.header.line))
    for slot in slots:
        for breakdown in header.breakdowns:
            printed = lookup(figures, TOTAL, slot, breakdown)
            if printed is not None:
                summed = sum(lookup(figures, code, slot, breakdown) or 0 for code in prefecture_codes)
                warnings += _mismatch(figures, title, TOTAL, slot, breakdown, printed, summed, "the 47 rows")
    # A 累計値 runs from April: only a table whose months start there shows all it sums.
    if header.months == FISCAL_MONTHS[: len(header.months)]:
        first, last = header.months[0], header.months[-1]
        span = f"the months {first}月" + (f"–{last}月" if last != first else "")
        for code in figures.row_lines:
            for breakdown in header.breakdowns:
                printed = lookup(figures, code, None, breakdown)
                months = [lookup(figures, code, m, breakdown) for m in header.months]
                if printed is not None and None not in months:
                    summed = sum(m or 0 for m in months)
                    warnings += _mismatch(figures, title, code, None, breakdown, printed, summed, span)
    return warnings + _breakdown_totals(figures, title, slots)


def _breakdown_totals(figures: TableFigures, title: str, slots: list[Slot]) -> list[Text]:
    """A ``total`` column must be the sum of the row's other breakdowns (合計 = トレーニー + 出向者)."""
    parts = [b for b in figures.header.breakdowns if b != "total"]
    if "total" not in figures.header.breakdowns or not parts:
        return []
    warnings = []
    for code in figures.row_lines:
        for slot in slots:
            total = lookup(figures, code, slot, "total")
            values = [lookup(figures, code, slot, b) for b in parts]
            if total is None or None in values:
                continue
            summed = sum(v or 0 for v in values)
            if total != summed:
                where = _where(figures, title, code, slot, None)
                warnings.append(
                    report_reasons.breakdown_mismatch(where, total, parts, [v or 0 for v in values])
                )
    return warnings


def _where(figures: TableFigures, title: str, code: str, slot: Slot, breakdown: str | None) -> Text:
    row = "合計" if code == TOTAL else prefecture(code).name
    column = "累計値" if slot is None else f"{slot}月"
    return report_reasons.place(title, row, figures.row_lines[code], column, breakdown)


def _mismatch(
    figures: TableFigures,
    title: str,
    code: str,
    slot: Slot,
    breakdown: str,
    printed: int,
    summed: int,
    what: str,
) -> list[Text]:
    if printed == summed:
        return []
    shown = breakdown if len(figures.header.breakdowns) > 1 else None
    return [report_reasons.sum_mismatch(_where(figures, title, code, slot, shown), printed, what, summed)]
