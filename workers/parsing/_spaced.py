"""Text whose columns are separated by runs of spaces (a fixed-width export) → tab-separated lines.

Only a file without a single tab is read so, and only lines that read as a table row (a prefecture
or 合計 first, or month labels) are split; where a row's cells then do not line up with its header,
the table reader refuses it, naming the line (a blank cell cannot be seen between spaces).
"""

from __future__ import annotations

import re

from service.domain.reference import find_prefecture, normalize_label
from workers.parsing._header import is_column_label
from workers.parsing._layout import TOTAL_LABELS, row_label

# Two or more spaces, or any ideographic space, between cells; one space stays inside a cell (合 計).
_GAP = re.compile(r"(?: {2,}|\u3000+|\t)+")


def spaced_columns(lines: list[str]) -> list[str]:
    """``lines`` with space-separated table rows joined by tabs (unchanged if any line has a tab)."""
    if any("\t" in line for line in lines):
        return lines
    return [_split(line) for line in lines]


def _split(line: str) -> str:
    cells = _GAP.split(line.rstrip())
    if len(cells) < 2:
        return line
    first = normalize_label(row_label(cells[0]))
    is_row = first in TOTAL_LABELS or (
        bool(first) and not first.isdigit() and find_prefecture(first) is not None
    )
    is_header = not first and any(is_column_label(cell) for cell in cells[1:])
    if not (is_row or is_header):
        return line
    return "\t".join(cell.strip() for cell in cells)
