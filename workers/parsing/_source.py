"""A report in any format as the text layout's lines, and where in the file each line came from.

Every format is turned into the lines the text parser reads, so one code path validates them;
the parser numbers those lines 1…n, and ``Source`` maps its locations back to the file's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from workers.parsing._layout import Layout
from workers.parsing._model import ParseError
from workers.parsing._text import Text

# How the parser's messages cite a line: "(line 65)", "(lines 13 and 14)".
_LINE_REFERENCE = re.compile(r"\(line (\d+)\)")
_LINES_REFERENCE = re.compile(r"\(lines (\d+) and (\d+)\)")
# The same in Japanese: "（65行目）", "（13行目と14行目）".
_LINE_REFERENCE_JA = re.compile(r"（(\d+)行目）")
_LINES_REFERENCE_JA = re.compile(r"（(\d+)行目と(\d+)行目）")
# A sheet name that a formula may write without quotes (Sheet1, 表1; not 'My Sheet', '1月').
_BARE_SHEET = re.compile(r"[^\W\d]\w*")


@dataclass(frozen=True)
class Place:
    """Where one line of the text layout came from.

    Parameters:
        line: the file's 1-based line (HTML, CSV), or the row of ``sheet`` (XLSX).
        sheet: the worksheet's name, for a workbook.
        columns: the sheet's 1-based column of each tab-separated cell of the line.
    """

    line: int
    sheet: str | None = None
    columns: tuple[int, ...] = ()

    def cell(self, index: int = 0) -> str:
        """The cell reference (``'Sheet 1'!B12``) of the line's ``index``-th cell, or of its row."""
        column = self.columns[index] if index < len(self.columns) else (self.columns or (1,))[0]
        sheet = self.sheet or ""
        if not _BARE_SHEET.fullmatch(sheet):
            sheet = "'" + sheet.replace("'", "''") + "'"
        return f"{sheet}!{get_column_letter(column)}{self.line}"

    def describe(self) -> str:
        """The place as a reader finds it: ``line 12`` or ``Sheet1!A12``."""
        return self.cell() if self.sheet is not None else f"line {self.line}"

    def describe_ja(self) -> str:
        """The place in Japanese: ``12行目`` or ``Sheet1!A12``."""
        return self.cell() if self.sheet is not None else f"{self.line}行目"


@dataclass(frozen=True)
class Source:
    """A report as the text layout's lines.

    Parameters:
        kind: the format, for messages: ``text``, ``HTML``, ``XLSX``, ``CSV``, ``long CSV``.
        lines: the lines the text parser reads.
        encoding: the character encoding the file was in.
        places: where each line came from; None when the lines are the file's own.
        title: the report's title and fiscal year, when the format gives them outside the lines.
        prints_totals: whether the format has 合計 rows (a long CSV has none).
    """

    kind: str
    lines: list[str]
    encoding: str
    places: list[Place] | None = None
    title: tuple[str, int] | None = None
    prints_totals: bool = True

    def place(self, number: int) -> Place | None:
        """Where the parser's line ``number`` came from (None for the file's own lines)."""
        if self.places is None or not 1 <= number <= len(self.places):
            return None
        return self.places[number - 1]

    def file_line(self, number: int) -> int:
        """The file's line (or sheet row) of the parser's line ``number``."""
        place = self.place(number)
        return number if place is None else place.line

    def cite(self, text: str) -> str:
        """``text`` with the parser's "(line n)" and "(lines n and m)" pointing into the file."""
        if self.places is None:
            return text

        def one(number: str) -> str:
            place = self.place(int(number))
            return f"line {number}" if place is None else place.describe()

        text = _LINE_REFERENCE.sub(lambda m: f"({one(m.group(1))})", text)
        if self.kind == "XLSX":
            return _LINES_REFERENCE.sub(lambda m: f"({one(m.group(1))} and {one(m.group(2))})", text)
        return _LINES_REFERENCE.sub(
            lambda m: f"(lines {self.file_line(int(m.group(1)))} and {self.file_line(int(m.group(2)))})", text
        )

    def cite_ja(self, text: str) -> str:
        """A Japanese ``text`` with the parser's "（n行目）" pointing into the file."""
        if self.places is None:
            return text

        def one(number: str) -> str:
            place = self.place(int(number))
            return f"{number}行目" if place is None else place.describe_ja()

        text = _LINE_REFERENCE_JA.sub(lambda m: f"（{one(m.group(1))}）", text)
        return _LINES_REFERENCE_JA.sub(lambda m: f"（{one(m.group(1))}と{one(m.group(2))}）", text)

    def relocate(self, error: ParseError, layout: Layout) -> ParseError:
        """``error`` located in the file rather than in the parser's lines."""
        place = None if error.line is None else self.place(error.line)
        reason = Text(self.cite(error.reason), self.cite_ja(error.reason_ja))
        if place is None:
            if reason == error.text:
                return error
            return ParseError(
                reason, file=error.file, table=error.table, line=error.line, column=error.column
            )
        assert error.line is not None
        if place.sheet is not None:
            # A sheet row is no line of the file: the cell reference says where instead.
            where = place.cell(_cell_index(layout, error.line, error.column))
            located = reason.prefixed(f"{where}: ", f"{where}: ")
            return ParseError(located, file=error.file, table=error.table, column=error.column)
        return ParseError(reason, file=error.file, table=error.table, line=place.line, column=error.column)


def _cell_index(layout: Layout, number: int, label: str | None) -> int:
    """Which tab-separated cell of line ``number`` a column label names (0, the row label, if unsure)."""
    if label is None:
        return 0
    for block in layout.tables:
        rows = dict(block.rows)
        if number not in rows:
            continue
        own = [cell.strip() for cell in rows[number].split("\t")]
        if label in own[1:]:
            return own.index(label, 1)
        # A value's column is labelled by the header: "4月", or "4月 トレーニー" over two rows.
        header = [[cell.strip() for cell in raw.split("\t")] for _, raw in block.rows[:2]]
        top, bottom = header[0], header[1] if len(header) > 1 else []
        group = ""
        for index in range(1, max(len(top), len(bottom))):
            group = (top[index] if index < len(top) else "") or group
            below = bottom[index] if index < len(bottom) else ""
            if label in (group, f"{group} {below}"):
                return index
    return 0
