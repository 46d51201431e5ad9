"""Hidden sheets, rows and columns: skipped when they only repeat what is shown, refused otherwise.

A report is read as it is shown. What is hidden is left out only when it cannot change a figure:
every hidden row (or sheet row, or column cell) that holds a figure (a number on a row labelled
with a prefecture or 合計) must repeat, cell for cell, a row (column) that is shown; otherwise the
reader cannot tell which the official meant, and refuses, naming the cell. Hidden numbers on rows
without such a label (a helper sheet that formulas read) are no figures of the report.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from service.domain.reference import find_prefecture, normalize_label
from workers.parsing._layout import TOTAL_LABELS, cell_text
from workers.parsing._tables import parse_number
from workers.parsing._xlsx_formulas import cell_name
from workers.parsing._xlsx_messages import Refusal
from workers.parsing._xlsx_sheets import SheetGrid

Row = tuple[str, ...]


def check_hidden(sheets: list[SheetGrid]) -> None:
    """Refusal for the first hidden sheet, row or column holding figures that nothing shown repeats."""
    shown = [sheet for sheet in sheets if sheet.visible]
    shown_rows = {row for sheet in shown for _, row in _rows(sheet, hidden=None)}
    for sheet in sheets:
        if not sheet.visible:
            for number, row in _rows(sheet, hidden=None):
                cell = _first_number(sheet, number, range(1, sheet.columns + 1))
                if cell and row not in shown_rows:
                    raise Refusal("hidden_sheet", cell=cell, sheet=sheet.title)
            continue
        _check_rows(sheet)
        _check_columns(sheet)


def _check_rows(sheet: SheetGrid) -> None:
    columns = [c for c in range(1, sheet.columns + 1) if c not in sheet.hidden_columns]
    visible = {row for _, row in _rows(sheet, hidden=False, columns=columns)}
    for number, row in _rows(sheet, hidden=True, columns=columns):
        cell = _first_number(sheet, number, columns)
        if cell and row not in visible:
            raise Refusal("hidden_row", cell=cell, row=str(number))


def _check_columns(sheet: SheetGrid) -> None:
    if not sheet.hidden_columns:
        return
    rows = [r for r in range(1, sheet.rows + 1) if r not in sheet.hidden_rows]

    def column(number: int) -> Row:
        return tuple(sheet.cells.get((r, number), "").strip() for r in rows)

    columns = [c for c in range(1, sheet.columns + 1) if c not in sheet.hidden_columns]
    visible = {column(c) for c in columns}
    for number in sorted(sheet.hidden_columns):
        for row in rows:
            text = sheet.cells.get((row, number), "")
            figure = isinstance(parse_number(text), int) and _labelled(sheet, row, columns)
            if figure and column(number) not in visible:
                cell = cell_name((sheet.title, row, number))
                raise Refusal("hidden_column", cell=cell, column=get_column_letter(number))


def _rows(
    sheet: SheetGrid, *, hidden: bool | None, columns: list[int] | None = None
) -> list[tuple[int, Row]]:
    """Rows as their filled cells' texts from the first (where a table starts does not matter)."""
    found: list[tuple[int, Row]] = []
    columns = columns if columns is not None else list(range(1, sheet.columns + 1))
    for number in range(1, sheet.rows + 1):
        if hidden is not None and (number in sheet.hidden_rows) != hidden:
            continue
        texts = tuple(sheet.cells.get((number, c), "").strip() for c in columns)
        start = next((i for i, text in enumerate(texts) if text), len(texts))
        end = max((i + 1 for i, text in enumerate(texts) if text), default=start)
        if start < end:
            found.append((number, texts[start:end]))
    return found


def _first_number(sheet: SheetGrid, row: int, columns: range | list[int]) -> str:
    """The name of the row's first cell holding a figure, or ``""`` when the row holds none."""
    if not _labelled(sheet, row, columns):
        return ""
    for column in columns:
        if isinstance(parse_number(sheet.cells.get((row, column), "")), int):
            return cell_name((sheet.title, row, column))
    return ""


def _labelled(sheet: SheetGrid, row: int, columns: range | list[int]) -> bool:
    """Whether the row's first filled cell names a prefecture or the total (合計)."""
    first = next((text for c in columns if (text := sheet.cells.get((row, c), "").strip())), "")
    key = normalize_label(cell_text(first))
    return key in TOTAL_LABELS or (not key.isdigit() and find_prefecture(key) is not None)
