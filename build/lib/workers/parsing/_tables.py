"""A table's rows → its figures: the 47 prefectures' values, 累計値, the 合計 row and links."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from service.reference import Prefecture, find_prefecture, normalize_label, prefectures
from workers.parsing._header import Column, Header, is_header_row, parse_header
from workers.parsing._layout import TOTAL_LABELS, cell_text
from workers.parsing._model import TableContext

#: Row key of the national total row in ``TableFigures.row_lines``.
TOTAL = "total"
_MAX_VALUE = 2**63 - 1  # figures are stored as BIGINT
_NUMBER = re.compile(r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+")
_MINUS = "-−‐‑–—▲△"
_ANCHOR = re.compile(r"<a\b[^>]*?\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]*))", re.IGNORECASE)


@dataclass
class TableFigures:
    """What a table's rows say, keyed like ``ParsedTable``; ``row_lines`` locates each row."""

    header: Header
    values: dict[tuple[str, int, str], int] = field(default_factory=dict)
    reported_cumulative: dict[tuple[str, str], int] = field(default_factory=dict)
    totals: dict[tuple[int, str], int] = field(default_factory=dict)
    total_cumulative: dict[str, int] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    row_lines: dict[str, int] = field(default_factory=dict)


def parse_number(cell: str) -> int | str:
    """The count a cell prints (``1,472``, ``１４７２``), or why it is not one."""
    text = unicodedata.normalize("NFKC", cell).strip()
    if not text:
        return "the cell is empty"
    if text[0] in _MINUS and _NUMBER.fullmatch(text[1:].strip()):
        return f"'{cell}' is negative"
    if not _NUMBER.fullmatch(text):
        return f"'{cell}' is not a number"
    value = int(text.replace(",", ""))
    return value if value <= _MAX_VALUE else f"'{cell}' is too large"


def _row_key(first_cell: str) -> Prefecture | str | None:
    """The prefecture a row's first cell names, ``TOTAL`` for the 合計 row, None if unknown."""
    key = normalize_label(cell_text(first_cell))
    if not key or key in TOTAL_LABELS:
        return TOTAL
    # find_prefecture also takes JIS codes; a bare number in the name column is no prefecture.
    return None if key.isdigit() else find_prefecture(key)


def _link(first_cell: str) -> str | None:
    anchor = _ANCHOR.search(first_cell)
    if anchor is None:
        return None
    href = html.unescape(next(g for g in anchor.groups() if g is not None)).strip()
    return href if href not in ("", "#") else None


def parse_table(rows: list[tuple[int, str]], *, fiscal_year: int, ctx: TableContext) -> TableFigures:
    """Every figure of a table's rows (header rows first); ParseError on anything malformed."""
    split = [(line, [cell.strip() for cell in raw.split("\t")]) for line, raw in rows]
    count = 0
    while count < len(split) and count < 3:
        cells = split[count][1]
        # A first cell naming a prefecture or 合計 starts the data; a corner label (都道府県) does not.
        labelled = bool(cell_text(cells[0])) and _row_key(cells[0]) is not None
        if labelled or not is_header_row(cells, first=count == 0):
            break
        count += 1
    if count == 0:
        raise ctx.error("the table has no header row naming its months", line=split[0][0])
    figures = TableFigures(parse_header(split[:count], fiscal_year=fiscal_year, ctx=ctx))
    for line, cells in split[count:]:
        _read_row(figures, line, cells, ctx)
    missing = [p.name for p in prefectures() if p.code not in figures.row_lines]
    if missing:
        raise ctx.error(f"missing rows for {', '.join(missing)}", line=split[0][0])
    return figures


def _read_row(figures: TableFigures, line: int, cells: list[str], ctx: TableContext) -> None:
    columns = figures.header.columns
    # Trailing empty cells beyond the header (a trailing tab) carry nothing.
    while len(cells) > len(columns) + 1 and not cells[-1]:
        cells.pop()
    key = _row_key(cells[0])
    if key is None:
        raise ctx.error(f"unknown prefecture '{cell_text(cells[0])}'", line=line)
    code = key if isinstance(key, str) else key.code
    name = "合計" if isinstance(key, str) else key.name
    if code in figures.row_lines:
        first = figures.row_lines[code]
        raise ctx.error(f"duplicate row for {name} (lines {first} and {line})", line=line)
    if len(cells) != len(columns) + 1:
        raise ctx.error(
            f"the row for {name} has {len(cells) - 1} values but the header has {len(columns)} columns",
            line=line,
        )
    figures.row_lines[code] = line
    for column, cell in zip(columns, cells[1:], strict=True):
        _store(figures, code, column, _value(cell, line, column, ctx))
    if not isinstance(key, str):
        href = _link(cells[0])
        if href is not None:
            figures.links[code] = href


def _value(cell: str, line: int, column: Column, ctx: TableContext) -> int:
    value = parse_number(cell)
    if isinstance(value, str):
        raise ctx.error(value, line=line, column=column.label)
    return value


def _store(figures: TableFigures, code: str, column: Column, value: int) -> None:
    if code == TOTAL:
        if column.month is None:
            figures.total_cumulative[column.breakdown] = value
        else:
            figures.totals[(column.month, column.breakdown)] = value
    elif column.month is None:
        figures.reported_cumulative[(code, column.breakdown)] = value
    else:
        figures.values[(code, column.month, column.breakdown)] = value
