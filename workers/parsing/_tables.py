"""A table's rows → its figures: the 47 prefectures' values, 累計値, the 合計 row and links.

The prefectures' names may stand in any column (a code or a block column before them), columns
the catalogue does not know are ignored, block subtotals (北海道ブロック計, 小計) are checked and
dropped, and notes rows (※…) skipped. Blank month cells are kept aside: whether a blank is a
template's future month or a missing figure is decided for the whole report (``_months``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from service.domain.ranges import PLAUSIBLE_MONTHLY, PLAUSIBLE_PRINTED
from service.domain.reference import Prefecture, find_prefecture, normalize_label, prefectures
from workers.parsing import _reasons as reasons
from workers.parsing._cells import parse_number, read_cell
from workers.parsing._header import (
    Column,
    Header,
    check_band,
    is_band,
    is_header_row,
    lower_beside_band,
    parse_header,
)
from workers.parsing._layout import TOTAL_LABELS, cell_text, row_label
from workers.parsing._links import link
from workers.parsing._model import TableContext
from workers.parsing._text import Text

__all__ = ["TOTAL", "TableFigures", "parse_number", "parse_table"]

#: Row key of the national total row in ``TableFigures.row_lines``.
TOTAL = "total"
# A block or regional subtotal: 北海道ブロック計, 関東地域計, 東北計, 小計.
_SUBTOTAL = re.compile(r"小計|.+(?:ブロック|地域|地方|エリア|管内|局)?(?:小)?計")
# A notes row inside a table: ※1 …, 注) …, (注) …
_NOTE = re.compile(r"[※＊*]|[(（]?注")


@dataclass
class TableFigures:
    """What a table's rows say, keyed like ``ParsedTable``; ``row_lines`` locates each row.

    ``blanks`` holds the blank month cells, (row code, month, breakdown) → line, until the report's
    months are settled; ``warnings`` what the rows alone show (subtotals, ignored columns).
    """

    header: Header
    values: dict[tuple[str, int, str], int] = field(default_factory=dict)
    reported_cumulative: dict[tuple[str, str], int] = field(default_factory=dict)
    totals: dict[tuple[int, str], int] = field(default_factory=dict)
    total_cumulative: dict[str, int] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    row_lines: dict[str, int] = field(default_factory=dict)
    blanks: dict[tuple[str, int, str], int] = field(default_factory=dict)
    warnings: list[Text] = field(default_factory=list)


@dataclass
class _Subtotal:
    label: str
    line: int
    cells: list[str]
    members: list[str]


@lru_cache(maxsize=4096)  # the same 48 labels, table after table
def _row_key(first_cell: str) -> Prefecture | str | None:
    """The prefecture a row's first cell names, ``TOTAL`` for the 合計 row, None if unknown."""
    key = normalize_label(row_label(first_cell))
    if not key or key in TOTAL_LABELS:
        return TOTAL
    # find_prefecture also takes JIS codes; a bare number in the name column is no prefecture.
    return None if key.isdigit() else find_prefecture(key)


def _unquote(cell: str) -> str:
    """A cell without the quotes Excel's text export puts around a figure with commas (``"1,472"``)."""
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        return cell[1:-1].replace('""', '"').strip()
    return cell


def _label_column(split: list[tuple[int, list[str]]]) -> int:
    """The column holding the prefectures' names: where most rows name one (0 for the text layout)."""
    found: Counter[int] = Counter()
    for _, cells in split:
        for index, cell in enumerate(cells):
            if isinstance(_row_key(cell), Prefecture) and cell_text(cell):
                found[index] += 1
                break
    if not found:
        return 0
    return min(index for index, count in found.items() if count == max(found.values()))


def _from_label_column(split: list[tuple[int, list[str]]], ctx: TableContext) -> list[tuple[int, list[str]]]:
    """Rows from the name column on; a 合計 label in a column before it moves into it."""
    base = _label_column(split)
    if base == 0:
        return split
    moved = []
    for line, cells in split:
        left, rest = cells[:base], cells[base:] or [""]
        if not cell_text(rest[0]):
            total = [cell for cell in left if normalize_label(cell_text(cell)) in TOTAL_LABELS]
            rest = [total[0] if total else "", *rest[1:]]
        moved.append((line, rest))
    return moved


def parse_table(
    rows: list[tuple[int, str]], *, fiscal_year: int, ctx: TableContext, report_month: int | None = None
) -> TableFigures:
    """Every figure of a table's rows (header rows first); ParseError on anything malformed."""
    split = [(line, [_unquote(cell) for cell in raw.split("\t")]) for line, raw in rows]
    split = _from_label_column(split, ctx)
    count = 0
    while count < len(split) and count < 4:
        cells = split[count][1]
        # A first cell naming a prefecture or 合計 starts the data; a corner label (都道府県) does not.
        labelled = bool(cell_text(cells[0])) and _row_key(cells[0]) is not None
        if labelled or not (is_band(cells) or is_header_row(cells, first=count == 0)):
            break
        count += 1
    for index in range(count - 1):
        lowered = lower_beside_band(split[index][1], split[index + 1][1])
        if lowered is not None:
            split[index], split[index + 1] = (split[index][0], lowered[0]), (split[index + 1][0], lowered[1])
    header_rows = []
    for line, cells in split[:count]:
        if is_band(cells) and count > 1:
            check_band(line, cells, fiscal_year=fiscal_year, ctx=ctx)
        else:
            header_rows.append((line, cells))
    if not header_rows:
        raise ctx.error(reasons.no_header_row(), line=split[0][0])
    data = [(line, cells) for line, cells in split[count:] if not _skipped(cells)]
    width = max((len(cells) for _, cells in data), default=0)
    spacers = frozenset(i for i in range(1, width) if all(i >= len(c) or not c[i] for _, c in data))
    header = parse_header(
        header_rows, fiscal_year=fiscal_year, ctx=ctx, report_month=report_month, spacers=spacers
    )
    figures = TableFigures(header)
    subtotals: list[_Subtotal] = []
    members: list[str] = []
    for line, cells in data:
        _read_row(figures, line, cells, ctx, subtotals, members)
    missing = [p.name for p in prefectures() if p.code not in figures.row_lines]
    if missing:
        raise ctx.error(reasons.missing_rows(missing), line=split[0][0])
    figures.warnings += _check_subtotals(figures, subtotals)
    return figures


def _skipped(cells: list[str]) -> bool:
    """A row that carries no figures of the table: all blank, or a note (※1 …)."""
    label = cell_text(cells[0])
    return not any(cell_text(cell) for cell in cells) or bool(label and _NOTE.match(label))


def _read_row(
    figures: TableFigures,
    line: int,
    cells: list[str],
    ctx: TableContext,
    subtotals: list[_Subtotal],
    members: list[str],
) -> None:
    columns = figures.header.columns
    # Trailing empty cells beyond the header (a trailing tab) carry nothing.
    while len(cells) > len(columns) + 1 and not cells[-1]:
        cells.pop()
    key = _row_key(cells[0])
    if key is None:
        label = row_label(cells[0])
        if _SUBTOTAL.fullmatch(normalize_label(label)):
            subtotals.append(_Subtotal(label, line, cells[1:], list(members)))
            members.clear()
            return
        raise ctx.error(reasons.unknown_prefecture(cell_text(cells[0])), line=line)
    code = key if isinstance(key, str) else key.code
    name = "合計" if isinstance(key, str) else key.name
    if code in figures.row_lines:
        first = figures.row_lines[code]
        raise ctx.error(reasons.duplicate_row(name, first, line), line=line)
    if len(cells) < len(columns) + 1 and all(c.month or c.ignored for c in columns[len(cells) - 1 :]):
        # A grid (CSV, workbook) drops trailing blank cells: a template's empty months, a blank note.
        cells = cells + [""] * (len(columns) + 1 - len(cells))
    if len(cells) != len(columns) + 1:
        raise ctx.error(reasons.row_width(name, len(cells) - 1, len(columns)), line=line)
    figures.row_lines[code] = line
    if code != TOTAL:
        members.append(code)
    for column, cell in zip(columns, cells[1:], strict=True):
        if not column.ignored:
            _store(figures, code, column, cell, line, ctx)
    if not isinstance(key, str):
        href = link(cells[0])
        if isinstance(href, Text):
            figures.warnings.append(reasons.in_row(href, ctx.table, name, line))
        elif href is not None:
            figures.links[code] = href


def _store(figures: TableFigures, code: str, column: Column, cell: str, line: int, ctx: TableContext) -> None:
    printed = code == TOTAL or column.month is None
    value = read_cell(cell, limit=PLAUSIBLE_PRINTED if printed else PLAUSIBLE_MONTHLY)
    if isinstance(value, Text):
        raise ctx.error(value, line=line, column=column.label)
    if value is None:
        if column.month is None:
            raise ctx.error(reasons.empty_cell(), line=line, column=column.label)
        figures.blanks[(code, column.month, column.breakdown)] = line
    elif code == TOTAL:
        if column.month is None:
            figures.total_cumulative[column.breakdown] = value
        else:
            figures.totals[(column.month, column.breakdown)] = value
    elif column.month is None:
        figures.reported_cumulative[(code, column.breakdown)] = value
    else:
        figures.values[(code, column.month, column.breakdown)] = value


def _check_subtotals(figures: TableFigures, subtotals: list[_Subtotal]) -> list[Text]:
    """Subtotal rows are dropped; a warning for each that is not the sum of the rows above it."""
    warnings = []
    for subtotal in subtotals:
        for column, cell in zip(figures.header.columns, subtotal.cells, strict=False):
            value = read_cell(cell, limit=PLAUSIBLE_PRINTED)
            if column.ignored or not isinstance(value, int):
                continue
            if column.month is None:
                parts = [figures.reported_cumulative.get((c, column.breakdown), 0) for c in subtotal.members]
            else:
                parts = [figures.values.get((c, column.month, column.breakdown), 0) for c in subtotal.members]
            if sum(parts) != value:
                warnings.append(
                    reasons.subtotal_mismatch(subtotal.label, subtotal.line, column.label, value, sum(parts))
                )
                break
    return warnings
