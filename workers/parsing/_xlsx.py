"""Excel workbooks (.xlsx) → the text layout's lines, once the archive and its sheets are known to be sane."""

from __future__ import annotations

import datetime
import io
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from workers.parsing._grid import grid_lines
from workers.parsing._model import ParseError
from workers.parsing._source import Place, Source

_MB = 1024 * 1024
#: The most the archive may unpack to: a report is a few hundred kilobytes of XML.
MAX_UNPACKED = 100 * _MB
#: The most a large member may shrink by; deflated XML stays far below, a zip bomb far above.
MAX_RATIO = 500
MAX_MEMBERS = 10_000
MAX_ROWS = 10_000
MAX_COLUMNS = 200


def is_workbook(archive: zipfile.ZipFile) -> bool:
    """Whether a ZIP archive is an Office Open XML workbook (rather than a .docx or a plain .zip)."""
    names = archive.namelist()
    return "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names)


def open_archive(data: bytes, *, filename: str) -> zipfile.ZipFile:
    """The ZIP archive ``data`` is; ParseError if it is damaged."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:  # zipfile raises several types for damaged archives
        raise ParseError(f"the ZIP archive is damaged ({_why(error)})", file=filename) from None


def read_xlsx(archive: zipfile.ZipFile, data: bytes, *, filename: str) -> Source:
    """Every visible sheet's rows, in workbook order, as one report's lines."""
    _check_sizes(archive, filename)
    lines: list[str] = []
    places: list[Place] = []
    # openpyxl warns about workbook features it drops (styles, extensions); values are unaffected.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # a damaged workbook fails anywhere inside openpyxl
            raise ParseError(f"the workbook cannot be read ({_why(error)})", file=filename) from None
        try:
            for sheet in _visible_sheets(workbook):
                sheet_lines, sheet_places = grid_lines(_rows(sheet, filename), mark_leading=True)
                lines += [*sheet_lines, ""]
                end = sheet_places[-1].line + 1 if sheet_places else 1
                places += [*sheet_places, Place(end, sheet.title)]
        except ParseError:
            raise
        except Exception as error:
            raise ParseError(f"the workbook cannot be read ({_why(error)})", file=filename) from None
        finally:
            workbook.close()
    return Source("XLSX", lines, "utf-8", places)


def _check_sizes(archive: zipfile.ZipFile, filename: str) -> None:
    """ParseError for an archive that would unpack to far more than a report (a zip bomb).

    zipfile stops each member at its declared size (and fails its CRC check beyond), so the
    declared sizes bound what openpyxl can unpack.
    """
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ParseError(f"the workbook has {len(members):,} parts, more than {MAX_MEMBERS:,}", file=filename)
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED:
        raise ParseError(
            f"the workbook unpacks to {total / _MB:,.0f} MB, more than the {MAX_UNPACKED // _MB} MB allowed",
            file=filename,
        )
    for member in members:
        if member.file_size > _MB and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise ParseError(
                f"the workbook part '{member.filename}' is compressed {ratio:,}:1, which no workbook is",
                file=filename,
            )


def _visible_sheets(workbook: Workbook) -> list[Any]:
    # A hidden sheet is not part of the report as it is read (helper tables, old copies).
    return [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]


def _rows(sheet: Any, filename: str) -> Iterator[tuple[Place, list[str]]]:
    """A sheet's rows as text cells from column A, refusing a sheet too large for a report."""
    title = str(sheet.title)
    # The sheet's own <dimension> is a claim, checked first; the rows themselves are checked as read.
    declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
    if declared_rows > MAX_ROWS or declared_columns > MAX_COLUMNS:
        raise ParseError(
            f"sheet '{title}' declares {declared_rows:,} rows and {declared_columns:,} columns, "
            f"more than {MAX_ROWS:,} rows or {MAX_COLUMNS} columns",
            file=filename,
        )
    sheet.reset_dimensions()
    # One column past the limit: a value there means the sheet is too wide.
    rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    for number, row in enumerate(rows, start=1):
        values = list(row)
        if number > MAX_ROWS:
            where = Place(number, title).cell()
            raise ParseError(f"sheet '{title}' has more than {MAX_ROWS:,} rows ({where})", file=filename)
        if len(values) > MAX_COLUMNS and values[MAX_COLUMNS] is not None:
            where = Place(number, title, (MAX_COLUMNS + 1,)).cell()
            raise ParseError(f"sheet '{title}' has more than {MAX_COLUMNS} columns ({where})", file=filename)
        yield Place(number, title), [_text(value) for value in values[:MAX_COLUMNS]]


def _text(value: object) -> str:
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


def _why(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
