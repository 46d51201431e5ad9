"""One sheet's shown cells → the text layout's lines: tables side by side apart, bands and sections read.

- Tables side by side, each with its prefecture rows, separated by empty columns, are read one after
  the other (left to right), each under its own title; empty columns inside a table are dropped.
- A fiscal-year band over the month columns (令和8年度, merged or not) becomes the year of each month
  below it (``2026年4月``), so the header check refuses a band that disagrees with the report's year.
- A sheet named after a section (``ワンストップ相談窓口``, ``(2)生産性向上支援センター``) gives that
  section to a sheet that names none; tables beside others that name none take the section of the
  tables to their left, only when those name one section (else the reading is ambiguous: refused).
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from service.domain.fiscal import calendar_year, fiscal_year_from_title
from service.domain.reference import SECTION_TITLES, find_prefecture, normalize_label
from workers.parsing._grid import grid_lines
from workers.parsing._header import is_column_label
from workers.parsing._headings import section_of, table_opening
from workers.parsing._layout import cell_text
from workers.parsing._source import Place
from workers.parsing._xlsx_formulas import cell_name
from workers.parsing._xlsx_messages import Refusal
from workers.parsing._xlsx_sheets import SheetGrid

Cells = dict[tuple[int, int], str]

_BAND = re.compile(r"(?:令和|平成)(?:元|[0-9]{1,2})年度|[0-9]{4}年度")
_PLAIN_MONTH = re.compile(r"([0-9]{1,2})月")
_SECTIONS: dict[str, str] = {code: title for code, title in SECTION_TITLES.items()}


def sheet_lines(sheet: SheetGrid) -> tuple[list[str], list[Place]]:
    """The lines of a sheet's shown cells, strip by strip, and where each came from."""
    rows = [r for r in range(1, sheet.rows + 1) if r not in sheet.hidden_rows]
    cells = {
        key: text
        for key, text in sheet.cells.items()
        if key[0] not in sheet.hidden_rows and key[1] not in sheet.hidden_columns and text.strip()
    }
    _read_bands(sheet, cells, rows)
    columns = sorted({column for _, column in cells})
    lines: list[str] = []
    places: list[Place] = []
    # The sections the strip to the left named (a sheet named after a section counts for the first).
    previous = {code for code in [section_of(sheet.title)] if code is not None}
    for strip in _strips(cells, columns):
        grid = [(Place(row, sheet.title), [cells.get((row, c), "") for c in strip]) for row in rows]
        strip_lines, strip_places = grid_lines(grid, mark_leading=True)
        strip_places = [
            Place(place.line, sheet.title, tuple(strip[c - 1] for c in place.columns if c <= len(strip)))
            for place in strip_places
        ]
        start, first = table_opening(strip_lines)
        if first is None and previous and start < len(strip_lines):
            if len(previous) > 1:
                where = cell_name((sheet.title, strip_places[start].line, strip[0]))
                sections = ", ".join(_SECTIONS[c] for c in sorted(previous))
                raise Refusal("side_sections", cell=where, sections=sections)
            (code,) = previous
            strip_lines.insert(start, f"# {_SECTIONS[code]}")
            strip_places.insert(start, strip_places[start])
        named = {s for s in (section_of(line.lstrip("#")) for line in strip_lines) if s is not None}
        previous = named or previous
        lines += [*strip_lines, ""]
        places += [*strip_places, Place((rows[-1] if rows else 0) + 1, sheet.title)]
    return lines, places


def _is_label(text: str) -> bool:
    key = normalize_label(cell_text(text))
    return bool(key) and not key.isdigit() and find_prefecture(key) is not None


def _strips(cells: Cells, columns: list[int]) -> list[list[int]]:
    """The filled columns, split where an empty column has a table with its own prefecture rows
    on either side (a spacer inside one table, or a note beside it, does not split it)."""
    pieces: list[list[int]] = []
    for column in columns:
        if pieces and column == pieces[-1][-1] + 1:
            pieces[-1].append(column)
        else:
            pieces.append([column])
    labelled = [any(_is_label(text) for (_, c), text in cells.items() if c in piece) for piece in pieces]
    strips: list[list[int]] = []
    strip_labelled = False
    for piece, has_labels in zip(pieces, labelled, strict=True):
        if strips and not (strip_labelled and has_labels):
            strips[-1] += piece
            strip_labelled = strip_labelled or has_labels
        else:
            strips.append(list(piece))
            strip_labelled = has_labels
    return strips or [[]]


def _read_bands(sheet: SheetGrid, cells: Cells, rows: list[int]) -> None:
    """Each fiscal-year band over month labels: its year written into the months, the band removed."""
    by_row: dict[int, list[int]] = {}
    for row, column in sorted(cells):
        by_row.setdefault(row, []).append(column)
    filled = [row for row in rows if row in by_row]
    for row, below in itertools.pairwise(filled):
        band = by_row[row]
        texts = [normalize_label(cells[(row, c)]) for c in band]
        if not all(_BAND.fullmatch(text) for text in texts):
            continue
        if not any(is_column_label(cells[(below, c)]) for c in by_row[below]):
            continue
        for index, column in enumerate(band):
            fiscal_year = fiscal_year_from_title(texts[index])
            if fiscal_year is None:
                raise Refusal("band_year", cell=cell_name((sheet.title, row, column)), band=texts[index])
            end = _band_end(sheet, row, column, band[index + 1] - 1 if index + 1 < len(band) else None)
            for month_column in by_row[below]:
                if column <= month_column <= end:
                    _date_month(cells, (below, month_column), fiscal_year)
            del cells[(row, column)]


def _band_end(sheet: SheetGrid, row: int, column: int, before_next: int | None) -> int:
    for top, left, _, right in sheet.merges:
        if (top, left) == (row, column):
            return right
    return before_next if before_next is not None else sheet.columns


def _date_month(cells: Cells, key: tuple[int, int], fiscal_year: int) -> None:
    month = _PLAIN_MONTH.fullmatch(unicodedata.normalize("NFKC", cells[key]).strip())
    if month and 1 <= int(month.group(1)) <= 12:
        number = int(month.group(1))
        cells[key] = f"{calendar_year(fiscal_year, number)}年{number}月"
