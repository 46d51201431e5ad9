"""Formulas a workbook holds without a saved value: computed when they are plain sums of cells.

A workbook written by a library and never opened in Excel keeps its formulas (``=SUM(B3:B49)``)
but no computed values. A plain sum of cells (``SUM`` of cells and ranges, cells joined by ``+``,
on the same sheet or another one) is computed here exactly; anything else is refused with a message
telling the official to open and save the file in Excel, which saves the values. The work is bounded:
at most ``MAX_CELLS_SUMMED`` cell visits and ``MAX_DEPTH`` nested formulas per workbook.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from openpyxl.utils import column_index_from_string, get_column_letter

from workers.parsing._xlsx_messages import Refusal

#: The most cells all formulas of a workbook may add up (a report sums a few thousand).
MAX_CELLS_SUMMED = 1_000_000
#: The deepest chain of formulas whose values are themselves formulas without values.
MAX_DEPTH = 50

_SHEET = r"(?:'(?P<quoted>(?:[^']|'')+)'|(?P<bare>[^\W\d][\w.]*))!"
_CELL = r"\$?([A-Z]{1,3})\$?([0-9]{1,7})"
_ITEM = re.compile(rf"(?:{_SHEET})?{_CELL}(?::{_CELL})?")
_SUM = re.compile(r"SUM\((.*)\)", re.IGNORECASE)

#: (sheet title, row, column), 1-based.
Address = tuple[str, int, int]


def cell_name(address: Address) -> str:
    """``sheet '表2' cell C7``: how messages name a cell."""
    sheet, row, column = address
    return f"sheet '{sheet}' cell {get_column_letter(column)}{row}"


@dataclass
class Range:
    """Cells a formula adds: a sheet's rectangle, inclusive."""

    sheet: str
    top: int
    left: int
    bottom: int
    right: int


def parse_sum(formula: str, *, sheet: str) -> list[Range] | None:
    """The ranges ``formula`` (``=SUM(B3:B49)``, ``=B3+B4``, ``='表1'!B3+'表2'!B3``) adds, or None."""
    text = formula.strip()
    if not text.startswith("="):
        return None
    ranges: list[Range] = []
    for term in _split(text[1:], "+"):
        inner = _SUM.fullmatch(term.strip())
        items = _split(inner.group(1), ",") if inner else [term]
        for item in items:
            found = _range(item.strip(), sheet)
            if found is None:
                return None
            ranges.append(found)
    return ranges or None


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside quotes and brackets (a sheet may be named 'a+b')."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
        elif not quoted and depth == 0 and char == separator:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _range(item: str, sheet: str) -> Range | None:
    match = _ITEM.fullmatch(item)
    if match is None:
        return None
    quoted, bare, first_col, first_row, last_col, last_row = match.groups()
    name = quoted.replace("''", "'") if quoted is not None else bare or sheet
    top, left = int(first_row), column_index_from_string(first_col)
    bottom = int(last_row) if last_row else top
    right = column_index_from_string(last_col) if last_col else left
    return Range(name, min(top, bottom), min(left, right), max(top, bottom), max(left, right))


@dataclass
class Summer:
    """Computes formula cells without saved values from the workbook's cells.

    Parameters:
        value: a cell's saved value (None when empty or a formula without one).
        formula: a cell's formula (``=…``) when it has no saved value, else None.
        filled: sheet title → row → the sorted columns of its filled cells (so a range over a
            whole column visits only the cells there are).
    """

    value: Callable[[Address], object]
    formula: Callable[[Address], str | None]
    filled: dict[str, dict[int, list[int]]]
    _done: dict[Address, int | float] = field(default_factory=dict)
    _visits: int = 0
    _active: set[Address] = field(default_factory=set)

    def compute(self, address: Address, depth: int = 0) -> int | float:
        """The value of the formula at ``address``; Refusal when it cannot be computed exactly."""
        if address in self._done:
            return self._done[address]
        formula = self.formula(address)
        assert formula is not None
        ranges = parse_sum(formula, sheet=address[0])
        if ranges is None:
            raise Refusal("not_plain_sum", cell=cell_name(address), formula=formula)
        if depth > MAX_DEPTH:
            raise Refusal("formula_chain", cell=cell_name(address), formula=formula, limit=str(MAX_DEPTH))
        if address in self._active:
            raise Refusal("formula_cycle", cell=cell_name(address), formula=formula)
        self._active.add(address)
        total: int | float = 0
        for part in ranges:
            if part.sheet not in self.filled:
                raise Refusal("formula_sheet", cell=cell_name(address), formula=formula, sheet=part.sheet)
            for cell in self._cells(part, address):
                total += self._term(cell, address, formula, depth)
        self._active.discard(address)
        self._done[address] = total
        return total

    def _cells(self, part: Range, owner: Address) -> Iterator[Address]:
        """The filled cells of ``part``, each row looked at and each cell counted against the budget."""
        rows = self.filled[part.sheet]
        height = part.bottom - part.top + 1
        for row in sorted(rows) if len(rows) < height else range(part.top, part.bottom + 1):
            self._charge(owner)
            columns = rows.get(row)
            if not columns or not part.top <= row <= part.bottom:
                continue
            for index in range(bisect_left(columns, part.left), bisect_right(columns, part.right)):
                self._charge(owner)
                yield (part.sheet, row, columns[index])

    def _charge(self, owner: Address) -> None:
        self._visits += 1
        if self._visits > MAX_CELLS_SUMMED:
            raise Refusal("formula_work", cell=cell_name(owner), limit=f"{MAX_CELLS_SUMMED:,}")

    def _term(self, cell: Address, owner: Address, formula: str, depth: int) -> int | float:
        value = self.value(cell)
        if value is None and self.formula(cell) is not None:
            return self.compute(cell, depth + 1)
        if value is None:
            return 0  # Excel adds an empty cell as 0
        if isinstance(value, bool) or not isinstance(value, int | float):
            where, source = cell_name(owner), cell_name(cell)
            raise Refusal("formula_text", cell=where, formula=formula, source=source, text=str(value))
        return value
