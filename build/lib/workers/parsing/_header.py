"""A table's header rows → its columns: month or 累計値, and breakdown (トレーニー/出向者/合計)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.fiscal import calendar_year, fiscal_index
from service.reference import BREAKDOWN_LABELS, normalize_label
from workers.parsing._model import TableContext

_BREAKDOWNS = {normalize_label(label): code for label, code in BREAKDOWN_LABELS.items()}
_ERAS = {"令和": 2018, "平成": 1988}
# 4月, ４月, 2026年4月, 令和8年4月, 4月分
_MONTH = re.compile(r"(?:(令和|平成)(元|[0-9]{1,2})年|([0-9]{4})年)?([0-9]{1,2})月(?:分|実績)?")


@dataclass(frozen=True)
class Column:
    """One value column: its printed label, its month (None for 累計値) and its breakdown code."""

    label: str
    month: int | None
    breakdown: str


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
        return any(column.month is None for column in self.columns)


def is_header_row(cells: list[str], *, first: bool) -> bool:
    """A header row labels columns; a later one carries a corner label only over breakdown labels."""
    if cells[0] and not first:
        labels = [normalize_label(cell) for cell in cells[1:] if cell]
        return bool(labels) and all(label in _BREAKDOWNS for label in labels)
    return any(cell and not re.fullmatch(r"[0-9０-９,，\s]+", cell) for cell in cells[1:])


def is_column_label(label: str) -> bool:
    """Whether a cell reads as a month (4月) or 累計値 header label."""
    key = normalize_label(label)
    return key.startswith("累計") or _MONTH.fullmatch(key) is not None


def parse_header(rows: list[tuple[int, list[str]]], *, fiscal_year: int, ctx: TableContext) -> Header:
    """Columns from one header row (``\\t4月\\t累計値``) or two (months over breakdowns)."""
    if len(rows) == 1:
        line, cells = rows[0]
        labels = _trim(cells[1:])
        if not labels:
            raise ctx.error("the header row has no column labels", line=line)
        columns = []
        for label in labels:
            if not label:
                raise ctx.error("a header cell is empty", line=line)
            columns.append(Column(label, _group(label, fiscal_year, line, ctx), "total"))
    elif len(rows) == 2:
        columns = _two_rows(rows, fiscal_year, ctx)
    else:
        raise ctx.error("too many header rows (at most two: months, then breakdowns)", line=rows[2][0])
    return _checked(tuple(columns), rows, ctx)


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _two_rows(rows: list[tuple[int, list[str]]], fiscal_year: int, ctx: TableContext) -> list[Column]:
    (top_line, top), (bottom_line, bottom) = rows
    groups, labels = _trim(top[1:]), _trim(bottom[1:])
    if len(groups) > len(labels):
        raise ctx.error("the month header row is wider than the breakdown row", line=top_line)
    groups += [""] * (len(labels) - len(groups))
    columns = []
    group = ""
    for group_label, label in zip(groups, labels, strict=True):
        # An empty month cell continues the group to its left (an HTML colspan).
        group = group_label or group
        if not group:
            raise ctx.error(f"the column '{label}' has no month above it", line=top_line, column=label)
        month = _group(group, fiscal_year, top_line, ctx)
        breakdown = _BREAKDOWNS.get(normalize_label(label))
        if breakdown is None:
            raise ctx.error(f"unknown header label '{label}'", line=bottom_line, column=label)
        columns.append(Column(f"{group} {label}", month, breakdown))
    return columns


def _group(label: str, fiscal_year: int, line: int, ctx: TableContext) -> int | None:
    """The month a label names, or None for 累計値; ParseError for anything else."""
    key = normalize_label(label)
    if key.startswith("累計"):
        return None
    match = _MONTH.fullmatch(key)
    if not match or not 1 <= int(match.group(4)) <= 12:
        raise ctx.error(f"unknown header label '{label}'", line=line, column=label)
    month = int(match.group(4))
    if match.group(1):
        year: int | None = _ERAS[match.group(1)] + (1 if match.group(2) == "元" else int(match.group(2)))
    else:
        year = int(match.group(3)) if match.group(3) else None
    if year is not None and year != calendar_year(fiscal_year, month):
        raise ctx.error(f"'{label}' is not a month of fiscal year {fiscal_year}", line=line, column=label)
    return month


def _checked(columns: tuple[Column, ...], rows: list[tuple[int, list[str]]], ctx: TableContext) -> Header:
    line = rows[0][0]
    seen: set[tuple[int | None, str]] = set()
    by_group: dict[int | None, list[str]] = {}
    for column in columns:
        key = (column.month, column.breakdown)
        if key in seen:
            kind = "month" if column.month is not None else "累計値"
            raise ctx.error(f"duplicate {kind} column '{column.label}'", line=line, column=column.label)
        seen.add(key)
        by_group.setdefault(column.month, []).append(column.breakdown)
    months = tuple(sorted((m for m in by_group if m is not None), key=fiscal_index))
    if not months:
        raise ctx.error("the header names no month", line=line)
    breakdowns = by_group[months[0]]
    for month in months:
        if set(by_group[month]) != set(breakdowns):
            raise ctx.error(f"{month}月 does not have the same breakdown columns as {months[0]}月", line=line)
    if not set(by_group.get(None, [])) <= set(breakdowns):
        raise ctx.error("the 累計値 columns are not among the monthly breakdowns", line=line)
    return Header(columns, months, tuple(breakdowns), len(rows), line)
