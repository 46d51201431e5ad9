"""Rows of cells (a worksheet, a CSV file) → the text layout's lines: table rows tab-separated, text alone."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from service.domain.reference import find_prefecture, normalize_label
from workers.parsing._cells import parse_number
from workers.parsing._header import is_band, is_column_label
from workers.parsing._layout import TOTAL_LABELS, cell_text, row_label
from workers.parsing._source import Place

_BREAKS = re.compile(r"[\t\r\n]+")


@dataclass
class _Row:
    place: Place
    cells: list[str]
    filled: list[int]
    grid: bool


def grid_lines(
    rows: Iterable[tuple[Place, list[str]]], *, mark_leading: bool = False
) -> tuple[list[str], list[Place]]:
    """The lines of ``rows`` (each cell list starting at the first column), and where each came from.

    A row of a table keeps its cells, from the table's left edge, joined by tabs; any other row
    (title, heading, ◆◆ definition) becomes its text, one line per line break in its cell.
    With ``mark_leading``, text above the first table is marked as a heading (``#``), as a
    sheet's top rows are: then a sheet's title cannot run on into the last sheet's definition.
    """
    read = [_read(place, cells) for place, cells in rows]
    lines: list[str] = []
    places: list[Place] = []
    leading = mark_leading
    start = 0
    while start < len(read):
        if not read[start].grid:
            for text in _text_lines(read[start].cells):
                lines.append(f"# {text}" if leading and text and not text.startswith("#") else text)
                places.append(_text_place(read[start]))
            start += 1
            continue
        end = start
        while end < len(read) and read[end].grid:
            end += 1
        # The table's left edge: a header's corner cell is empty, so take the leftmost of all rows.
        base = min(row.filled[0] for row in read[start:end])
        for row in read[start:end]:
            cells = [_BREAKS.sub(" ", cell).strip() for cell in row.cells[base:]]
            lines.append("\t".join(cells))
            columns = tuple(range(base + 1, base + 1 + len(cells)))
            places.append(Place(row.place.line, row.place.sheet, columns))
        leading, start = False, end
    return lines, places


def _read(place: Place, cells: list[str]) -> _Row:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    trimmed = cells[:end]
    filled = [i for i, cell in enumerate(trimmed) if cell.strip()]
    return _Row(place, trimmed, filled, _is_table_row(trimmed, filled))


def _is_table_row(cells: list[str], filled: list[int]) -> bool:
    """Two filled cells, or one that reads as a month, a prefecture, 合計 or a number."""
    if len(filled) != 1:
        return len(filled) > 1
    text = cell_text(cells[filled[0]])
    key = normalize_label(row_label(text))
    return (
        is_column_label(text)
        # A 令和8年度 band over a table's months sits right of its corner, unlike a title.
        or (filled[0] > 0 and is_band(["", text]))
        or key in TOTAL_LABELS
        or (not key.isdigit() and find_prefecture(key) is not None)
        or isinstance(parse_number(text), int)
    )


def _text_lines(cells: list[str]) -> list[str]:
    text = " ".join(cell.strip() for cell in cells if cell.strip())
    return [line.replace("\t", " ").strip() for line in re.split(r"\r\n|\r|\n", text)]


def _text_place(row: _Row) -> Place:
    return Place(row.place.line, row.place.sheet, (row.filled[0] + 1 if row.filled else 1,))
