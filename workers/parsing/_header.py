"""A table's header rows → its columns: month or 累計値, breakdown (トレーニー/出向者/合計), or ignored.

Columns the catalogue does not know (前年同月, 前年比, 構成比, 順位, notes) are kept as ignored
columns, never read as a month; a 令和8年度 band over the months is checked against the fiscal year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.domain.fiscal import calendar_year, fiscal_index, fiscal_year_from_title
from service.domain.reference import BREAKDOWN_LABELS, normalize_label
from workers.parsing import _reasons as reasons
from workers.parsing._model import TableContext

_BREAKDOWNS = {normalize_label(label): code for label, code in BREAKDOWN_LABELS.items()}
_ERAS = {"令和": 2018, "平成": 1988}
# 4月, ４月, 2026年4月, 令和8年4月, 4月分
_MONTH = re.compile(r"(?:(令和|平成)(元|[0-9]{1,2})年|([0-9]{4})年)?([0-9]{1,2})月(?:分|実績)?")
# The cumulative column: 累計値, 累計, 年度累計, 累計(4月～), and 合計 or 年度計 beside the months.
_CUMULATIVE = re.compile(r"(?:年度)?累計.*|合計|年度計|年間計|総計")
# The month the report is for (the title's 令和8年4月分).
_THIS_MONTH = frozenset({"当月", "当月分", "当月実績", "今月"})
# Labels of columns that are no figure of the catalogue: compared, ranked, coded or annotated.
_EXTRA = re.compile(
    r".*(?:前年|前月|昨年|対比|比率|比|率|順位|備考|注|メモ|コード|番号|No\.?|ブロック|地域|地方|区分|増減|目標|差).*"
)
# What a body cell prints (a number, a zero mark, a withheld mark), never a header label.
_FIGURE = re.compile(r"[0-9０-９,，\s]+|[-－‐‑–—―−ー]|[.…‥xX×*＊]+")
# A band naming the fiscal year over the month columns: 令和8年度, 2026年度, 令和8年度実績.
_BAND = re.compile(r".*年度(?:実績)?")


@dataclass(frozen=True)
class Column:
    """One column: its printed label, its month (None for 累計値) and breakdown code; or ignored."""

    label: str
    month: int | None
    breakdown: str
    ignored: bool = False


@dataclass(frozen=True)
class Header:
    """A table's columns and the facts derived from them."""

    columns: tuple[Column, ...]
    months: tuple[int, ...]
    breakdowns: tuple[str, ...]
    rows: int
    line: int

    @property
    def prints_cumulative(self) -> bool:
        """Whether there is a 累計値 column."""
        return any(column.month is None and not column.ignored for column in self.columns)

    @property
    def ignored_labels(self) -> list[str]:
        """The printed labels of ignored columns (spacers have none)."""
        return [column.label for column in self.columns if column.ignored and column.label]


def is_header_row(cells: list[str], *, first: bool) -> bool:
    """A header row labels columns; a later one carries a corner label only over breakdown labels."""
    if cells[0] and not first:
        labels = [normalize_label(cell) for cell in cells[1:] if cell]
        return bool(labels) and all(label in _BREAKDOWNS for label in labels)
    printed = [not _FIGURE.fullmatch(cell) for cell in cells[1:] if cell]
    # A later row is a header only if all it prints are labels: an unlabelled 合計 row has figures.
    return any(printed) if first else bool(printed) and all(printed)


def is_column_label(label: str) -> bool:
    """Whether a cell reads as a month (4月), 当月 or 累計値 header label."""
    key = normalize_label(label)
    return key.startswith(("累計", "年度累計")) or key in _THIS_MONTH or _MONTH.fullmatch(key) is not None


def is_band(cells: list[str]) -> bool:
    """Whether a header row only names the fiscal year over the months (令和8年度)."""
    labels = [normalize_label(cell) for cell in cells[1:] if cell]
    return bool(labels) and all(_BAND.fullmatch(label) for label in labels)


def lower_beside_band(upper: list[str], lower: list[str]) -> tuple[list[str], list[str]] | None:
    """A band row (令和8年度 over the months) that also prints a label spanning both header rows
    (累計値 with rowspan="2", merged cells): the band alone and the lower row with that label moved
    down into its empty cell. None when ``upper`` is no such row or the lower cell is taken."""
    labels = {i: normalize_label(cell) for i, cell in enumerate(upper) if i and cell}
    beside = [i for i, label in labels.items() if not _BAND.fullmatch(label)]
    if not beside or len(beside) == len(labels):
        return None
    if any(i < len(lower) and lower[i] for i in beside):
        return None
    band = [("" if i in beside else cell) for i, cell in enumerate(upper)]
    moved = list(lower) + [""] * (len(upper) - len(lower))
    for i in beside:
        moved[i] = upper[i]
    return band, moved


def check_band(line: int, cells: list[str], *, fiscal_year: int, ctx: TableContext) -> None:
    """ParseError when a 令和8年度 band names another fiscal year than the report's."""
    for cell in cells[1:]:
        year = fiscal_year_from_title(cell) if cell else None
        if cell and year != fiscal_year:
            raise ctx.error(reasons.band_year(cell, fiscal_year), line=line, column=cell)


def parse_header(
    rows: list[tuple[int, list[str]]],
    *,
    fiscal_year: int,
    ctx: TableContext,
    report_month: int | None = None,
    spacers: frozenset[int] = frozenset(),
) -> Header:
    """Columns from one header row (``\\t4月\\t累計値``) or two (months over breakdowns).

    ``spacers`` are the cell indices empty in every row below the header: an unlabelled column
    there is a spacer, ignored; anywhere else it is an error.
    """
    resolve = _Resolver(fiscal_year, report_month, ctx)
    if len(rows) == 1:
        line, cells = rows[0]
        labels = _trim(cells[1:])
        if not labels:
            raise ctx.error(reasons.no_header_labels(), line=line)
        columns = []
        for index, label in enumerate(labels, start=1):
            if not label:
                if index not in spacers:
                    raise ctx.error(reasons.empty_header(), line=line)
                columns.append(Column("", None, "total", ignored=True))
                continue
            columns.append(resolve.column(label, "total", line))
    elif len(rows) == 2:
        columns = _two_rows(rows, resolve, spacers, ctx)
    else:
        raise ctx.error(reasons.too_many_header_rows(), line=rows[2][0])
    return _checked(tuple(columns), rows, ctx)


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


class _Resolver:
    """Reads a label as a month, 当月, 累計値 or an ignored column, for one fiscal year."""

    def __init__(self, fiscal_year: int, report_month: int | None, ctx: TableContext) -> None:
        self.fiscal_year, self.report_month, self.ctx = fiscal_year, report_month, ctx

    def column(self, label: str, breakdown: str, line: int) -> Column:
        key = normalize_label(label)
        if _EXTRA.fullmatch(key) and not _MONTH.fullmatch(key):
            return Column(label, None, breakdown, ignored=True)
        return Column(label, self.month(label, line), breakdown)

    def month(self, label: str, line: int) -> int | None:
        """The month a label names, or None for 累計値; ParseError for anything else."""
        key = normalize_label(label)
        if _CUMULATIVE.fullmatch(key):
            return None
        if key in _THIS_MONTH:
            if self.report_month is None:
                raise self.ctx.error(reasons.no_report_month(label), line=line, column=label)
            return self.report_month
        match = _MONTH.fullmatch(key)
        if not match or not 1 <= int(match.group(4)) <= 12:
            raise self.ctx.error(reasons.unknown_header(label), line=line, column=label)
        month = int(match.group(4))
        if match.group(1):
            number = 1 if match.group(2) == "元" else int(match.group(2))
            year: int | None = _ERAS[match.group(1)] + number
        else:
            year = int(match.group(3)) if match.group(3) else None
        if year is not None and year != calendar_year(self.fiscal_year, month):
            raise self.ctx.error(
                reasons.not_this_fiscal_year(label, self.fiscal_year), line=line, column=label
            )
        return month


def _two_rows(
    rows: list[tuple[int, list[str]]], resolve: _Resolver, spacers: frozenset[int], ctx: TableContext
) -> list[Column]:
    (top_line, top), (bottom_line, bottom) = rows
    groups, labels = _trim(top[1:]), _trim(bottom[1:])
    width = len(labels)
    labels += [""] * (len(groups) - len(labels))
    groups += [""] * (len(labels) - len(groups))
    columns = []
    group = ""
    for index, (group_label, label) in enumerate(zip(groups, labels, strict=True), start=1):
        if not group_label and not label and index in spacers:
            columns.append(Column("", None, "total", ignored=True))
            continue
        # An empty month cell continues the group to its left (an HTML colspan).
        group = group_label or group
        if not group:
            raise ctx.error(reasons.no_month_above(label), line=top_line, column=label)
        column = resolve.column(group, "total", top_line)
        if column.ignored:
            columns.append(Column(f"{group} {label}".strip(), None, "total", ignored=True))
            continue
        if index > width:
            raise ctx.error(reasons.wider_month_row(), line=top_line)
        breakdown = _BREAKDOWNS.get(normalize_label(label))
        if breakdown is None:
            raise ctx.error(reasons.unknown_header(label), line=bottom_line, column=label)
        columns.append(Column(f"{group} {label}", column.month, breakdown))
    return columns


def _checked(columns: tuple[Column, ...], rows: list[tuple[int, list[str]]], ctx: TableContext) -> Header:
    line = rows[0][0]
    seen: set[tuple[int | None, str]] = set()
    by_group: dict[int | None, list[str]] = {}
    for column in columns:
        if column.ignored:
            continue
        key = (column.month, column.breakdown)
        if key in seen:
            kind = "month" if column.month is not None else "累計値"
            raise ctx.error(reasons.duplicate_column(kind, column.label), line=line, column=column.label)
        seen.add(key)
        by_group.setdefault(column.month, []).append(column.breakdown)
    months = tuple(sorted((m for m in by_group if m is not None), key=fiscal_index))
    if not months:
        raise ctx.error(reasons.no_month(), line=line)
    breakdowns = by_group[months[0]]
    for month in months:
        if set(by_group[month]) != set(breakdowns):
            raise ctx.error(reasons.uneven_breakdowns(month, months[0]), line=line)
    if not set(by_group.get(None, [])) <= set(breakdowns):
        raise ctx.error(reasons.cumulative_breakdowns(), line=line)
    return Header(columns, months, tuple(breakdowns), len(rows), line)
