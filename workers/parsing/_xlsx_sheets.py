"""A workbook's sheets as grids of text: saved values, computed plain sums, hidden rows, columns, merges.

Two loads: a streaming one (``read_only``) reads the saved values and checks each sheet's size as
it goes, before a full load (bounded by those checks and the archive's limits) reads what streaming
cannot: formulas, hidden rows and columns, merged cells and sheet visibility.
"""

from __future__ import annotations

import datetime
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from workers.parsing._model import ParseError
from workers.parsing._source import Place
from workers.parsing._xlsx_formulas import Address, Summer, cell_name
from workers.parsing._xlsx_messages import Refusal

MAX_ROWS = 10_000
MAX_COLUMNS = 200


@dataclass
class SheetGrid:
    """One sheet's filled cells as text, and what is hidden or merged on it.

    Parameters:
        title: the sheet's name.
        visible: whether the sheet is shown (not ``hidden`` or ``veryHidden``).
        cells: (row, column) → the cell's text as the text layout prints it, 1-based.
        hidden_rows: rows hidden on the sheet.
        hidden_columns: columns hidden on the sheet.
        merges: merged ranges as (top, left, bottom, right).
    """

    title: str
    visible: bool
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return max((row for row, _ in self.cells), default=0)

    @property
    def columns(self) -> int:
        return max((column for _, column in self.cells), default=0)


def read_sheets(data: bytes, *, filename: str) -> list[SheetGrid]:
    """Every sheet of the workbook, in workbook order, hidden ones included."""
    # openpyxl warns about workbook features it drops (styles, extensions); values are unaffected.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = _saved_values(data, filename)
        try:
            workbook = load_workbook(io.BytesIO(data), data_only=False)
        except Exception as error:  # a damaged workbook fails anywhere inside openpyxl
            raise Refusal("xlsx_damaged", why=why(error)).error(filename) from None
    sheets: list[SheetGrid] = []
    formulas: dict[Address, str] = {}
    for sheet, saved in zip(workbook.worksheets, values, strict=True):
        grid = SheetGrid(str(sheet.title), sheet.sheet_state == "visible")
        grid.hidden_rows = frozenset(
            row for row, dimension in sheet.row_dimensions.items() if dimension.hidden and row <= MAX_ROWS
        )
        grid.hidden_columns = frozenset(_hidden_columns(sheet))
        grid.merges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges]
        # Only the cells there are (openpyxl's store), not every cell of the sheet's bounding box.
        for cell in sheet._cells.values():
            if (cell.row, cell.column) in saved or cell.value is None:
                continue
            address = (grid.title, cell.row, cell.column)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                formulas[address] = cell.value
            else:
                # An array or data-table formula: nothing this reader may compute.
                raise Refusal("formula_object", cell=cell_name(address)).error(filename)
        sheets.append(grid)
    _fill(sheets, values, formulas, filename)
    return sheets


def _hidden_columns(sheet: Any) -> Iterator[int]:
    for key, dimension in sheet.column_dimensions.items():
        if not dimension.hidden:
            continue
        low = dimension.min or column_index_from_string(key)
        high = dimension.max or low
        yield from range(low, min(high, MAX_COLUMNS) + 1)


def _fill(
    sheets: list[SheetGrid],
    values: list[dict[tuple[int, int], object]],
    formulas: dict[Address, str],
    filename: str,
) -> None:
    """Each sheet's cells as text: saved values, and formulas without them computed (or refused)."""
    by_title = {sheet.title: saved for sheet, saved in zip(sheets, values, strict=True)}
    filled: dict[str, dict[int, list[int]]] = {title: {} for title in by_title}
    for title, saved in by_title.items():
        for row, column in saved:
            filled[title].setdefault(row, []).append(column)
    for title, row, column in formulas:
        filled[title].setdefault(row, []).append(column)
    for rows in filled.values():
        for columns in rows.values():
            columns.sort()
    summer = Summer(
        value=lambda a: by_title[a[0]].get(a[1:]),
        formula=lambda a: formulas.get(a) if a[1:] not in by_title[a[0]] else None,
        filled=filled,
    )
    for sheet, saved in zip(sheets, values, strict=True):
        sheet.cells = {key: text(value) for key, value in saved.items()}
    try:
        grids = {sheet.title: sheet for sheet in sheets}
        for address in formulas:  # in workbook order: the first one refused is the one named
            grids[address[0]].cells[address[1:]] = text(summer.compute(address))
    except Refusal as refusal:
        raise refusal.error(filename) from None


def _saved_values(data: bytes, filename: str) -> list[dict[tuple[int, int], object]]:
    """Each sheet's filled cells with their saved values, refusing a sheet too large for a report."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook fails anywhere inside openpyxl
        raise Refusal("xlsx_damaged", why=why(error)).error(filename) from None
    try:
        return [_sheet_values(sheet, filename) for sheet in workbook.worksheets]
    except ParseError:
        raise
    except Exception as error:
        raise Refusal("xlsx_damaged", why=why(error)).error(filename) from None
    finally:
        workbook.close()


def _sheet_values(sheet: Any, filename: str) -> dict[tuple[int, int], object]:
    title = str(sheet.title)
    # The sheet's own <dimension> is a claim, checked first; the rows themselves are checked as read.
    declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
    if declared_rows > MAX_ROWS or declared_columns > MAX_COLUMNS:
        raise Refusal(
            "sheet_declares",
            sheet=title,
            rows=f"{declared_rows:,}",
            columns=f"{declared_columns:,}",
            max_rows=f"{MAX_ROWS:,}",
            max_columns=str(MAX_COLUMNS),
        ).error(filename)
    sheet.reset_dimensions()
    found: dict[tuple[int, int], object] = {}
    # One column past the limit: a value there means the sheet is too wide.
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), start=1):
        if number > MAX_ROWS:
            where = Place(number, title).cell()
            raise Refusal("sheet_rows", sheet=title, limit=f"{MAX_ROWS:,}", where=where).error(filename)
        if len(row) > MAX_COLUMNS and row[MAX_COLUMNS] is not None:
            where = Place(number, title, (MAX_COLUMNS + 1,)).cell()
            raise Refusal("sheet_columns", sheet=title, limit=str(MAX_COLUMNS), where=where).error(filename)
        for column, value in enumerate(row[:MAX_COLUMNS], start=1):
            if value is not None:
                found[(number, column)] = value
    return found


def text(value: object) -> str:
    """A cell's value as the text layout would print it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        # Excel turns a typed "4月" into a date (the 1st of April); the month is what was meant.
        return f"{value.month}月"
    return str(value)


def why(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
