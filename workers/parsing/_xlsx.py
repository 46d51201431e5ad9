"""Excel workbooks (.xlsx) → the text layout's lines, once the archive and its sheets are known to be sane.

Limits on a hostile workbook: the archive (``MAX_UNPACKED``, ``MAX_RATIO``, ``MAX_MEMBERS``,
``MAX_SHEETS_XML``), each sheet (``MAX_ROWS`` × ``MAX_COLUMNS``, in ``_xlsx_sheets``) and the formulas
computed (``MAX_CELLS_SUMMED``, ``MAX_DEPTH``, in ``_xlsx_formulas``); defusedxml (installed, so
openpyxl uses it) refuses XML entity declarations.
"""

from __future__ import annotations

import io
import zipfile

from workers.parsing._source import Place, Source
from workers.parsing._xlsx_hidden import check_hidden
from workers.parsing._xlsx_layout import sheet_lines
from workers.parsing._xlsx_messages import Refusal
from workers.parsing._xlsx_sheets import MAX_COLUMNS, MAX_ROWS, read_sheets, why

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "is_workbook", "open_archive", "read_xlsx"]

_MB = 1024 * 1024
#: The most the archive may unpack to: a report is a few hundred kilobytes of XML.
MAX_UNPACKED = 100 * _MB
#: The most a large member may shrink by; deflated XML stays far below, a zip bomb far above.
MAX_RATIO = 500
MAX_MEMBERS = 10_000
#: The most the worksheets may unpack to: a sheet is loaded whole (formulas, hidden rows, merges),
#: about 150 bytes of memory per cell (8 MB: ~450k cells, ~70 MB); a year's report is under 1 MB.
MAX_SHEETS_XML = 8 * _MB


def is_workbook(archive: zipfile.ZipFile) -> bool:
    """Whether a ZIP archive is an Office Open XML workbook (rather than a .docx or a plain .zip)."""
    names = archive.namelist()
    return "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names)


def open_archive(data: bytes, *, filename: str) -> zipfile.ZipFile:
    """The ZIP archive ``data`` is; ParseError if it is damaged."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:  # zipfile raises several types for damaged archives
        raise Refusal("zip_damaged", why=why(error)).error(filename) from None


def read_xlsx(archive: zipfile.ZipFile, data: bytes, *, filename: str) -> Source:
    """Every visible sheet's shown cells, in workbook order, as one report's lines."""
    _check_sizes(archive, filename)
    sheets = read_sheets(data, filename=filename)
    lines: list[str] = []
    places: list[Place] = []
    try:
        check_hidden(sheets)
        for sheet in sheets:
            if sheet.visible:
                sheet_lines_, sheet_places = sheet_lines(sheet)
                lines += sheet_lines_
                places += sheet_places
    except Refusal as refusal:
        raise refusal.error(filename) from None
    return Source("XLSX", lines, "utf-8", places)


def _check_sizes(archive: zipfile.ZipFile, filename: str) -> None:
    """ParseError for an archive that would unpack to far more than a report (a zip bomb).

    zipfile stops each member at its declared size (and fails its CRC check beyond), so the
    declared sizes bound what openpyxl can unpack.
    """
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise Refusal("xlsx_parts", parts=f"{len(members):,}", limit=f"{MAX_MEMBERS:,}").error(filename)
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED:
        size, limit = f"{total / _MB:,.0f}", str(MAX_UNPACKED // _MB)
        raise Refusal("xlsx_unpacked", size=size, limit=limit).error(filename)
    for member in members:
        if member.file_size > _MB and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise Refusal("xlsx_ratio", part=member.filename, ratio=f"{ratio:,}").error(filename)
    sheets = sum(member.file_size for member in members if member.filename.startswith("xl/worksheets/"))
    if sheets > MAX_SHEETS_XML:
        size, limit = f"{sheets / _MB:,.0f}", str(MAX_SHEETS_XML // _MB)
        raise Refusal("xlsx_sheets", size=size, limit=limit).error(filename)
