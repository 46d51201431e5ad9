"""CSV files: their records with line numbers, which layout they are in, and the wide layout's lines."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from service.domain.reference import find_prefecture, normalize_label
from workers.parsing import _file_reasons as file_reasons
from workers.parsing._grid import grid_lines
from workers.parsing._layout import TOTAL_LABELS, row_label
from workers.parsing._model import ParseError
from workers.parsing._source import Place, Source

#: The header of a long (tidy) CSV: one figure a row.
LONG_COLUMNS = ("indicator", "prefecture", "fiscal_year", "month", "breakdown", "value")
# The same columns named in Japanese.
_JAPANESE = {
    "指標": "indicator",
    "指標コード": "indicator",
    "都道府県": "prefecture",
    "都道府県名": "prefecture",
    "年度": "fiscal_year",
    "月": "month",
    "内訳": "breakdown",
    "値": "value",
    "数値": "value",
}


def long_column(name: str) -> str:
    """The long layout's column a header cell names, in English or Japanese (指標 → indicator)."""
    key = normalize_label(name).lower()
    return _JAPANESE.get(key, key)


def records(text: str, *, filename: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for fields in reader:
            yield start, fields
            start = reader.line_num + 1
    except csv.Error as error:
        raise ParseError(
            file_reasons.malformed_csv(str(error)), file=filename, line=reader.line_num
        ) from None


def is_long(text: str) -> bool:
    """Whether the first record is the long layout's header (indicator,prefecture,…,value)."""
    try:
        for _, fields in records(text, filename=""):
            if any(f.strip() for f in fields):
                return set(LONG_COLUMNS) <= {long_column(f) for f in fields}
    except ParseError:
        pass  # not even CSV: the text parser will say what is wrong
    return False


def is_wide(text: str) -> bool:
    """Whether this is the text layout with commas for tabs: no tab, and a row of a prefecture or 合計."""
    if "\t" in text:
        return False
    try:
        for _, fields in records(text, filename=""):
            key = _first_label(fields)
            if key in TOTAL_LABELS or (key and not key.isdigit() and find_prefecture(key) is not None):
                return True
    except ParseError:
        pass
    return False


def _first_label(fields: list[str]) -> str:
    """The first filled cell of a record (data may start in any column), if another follows it."""
    filled = [field for field in fields if field.strip()]
    return normalize_label(row_label(filled[0])) if len(filled) > 1 else ""


def read_wide(text: str, encoding: str, *, filename: str) -> Source:
    """The CSV's rows: tables as tab-separated rows, titles and definitions as text."""
    rows = [(Place(line), fields) for line, fields in records(text, filename=filename)]
    lines, places = grid_lines(rows)
    return Source("CSV", lines, encoding, places)
