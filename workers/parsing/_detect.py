"""Which format an upload is in, told from its content (never its name), and its reader."""

from __future__ import annotations

from workers.parsing import _file_reasons as file_reasons
from workers.parsing._csv import is_long, is_wide, read_wide
from workers.parsing._decode import UTF16_BOMS, decode, split_lines
from workers.parsing._html import looks_like_html, read_html
from workers.parsing._long_csv import read_long
from workers.parsing._model import ParseError
from workers.parsing._source import Source
from workers.parsing._spaced import spaced_columns
from workers.parsing._xlsx import is_workbook, open_archive, read_xlsx

# Local file header, and the end record that is all an empty archive has.
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# Formats people upload by mistake, and what to do instead.
_REFUSED = {
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": file_reasons.old_or_locked_workbook,
}


def read_source(data: bytes, *, filename: str) -> Source:
    """The report's lines in the text layout: from an .xlsx workbook, a PDF, an HTML page, a CSV or text."""
    if data.startswith(_ZIP):
        archive = open_archive(data, filename=filename)
        if not is_workbook(archive):
            raise ParseError(file_reasons.zip_not_workbook(), file=filename)
        return read_xlsx(archive, data, filename=filename)
    if data.startswith(b"%PDF-"):
        # pdfplumber takes a quarter of a second to import: only a PDF upload pays for it.
        from workers.parsing._pdf import read_pdf

        return read_pdf(data, filename=filename)
    for magic, reason in _REFUSED.items():
        if data.startswith(magic):
            raise ParseError(reason(), file=filename)
    if data.startswith(UTF16_BOMS):
        text, encoding = decode(data, filename=filename)
        if looks_like_html(text.encode("utf-8")):
            return read_html(b"\xef\xbb\xbf" + text.encode("utf-8"), filename=filename)
        return _read_text(text, encoding, filename)
    if looks_like_html(data):
        return read_html(data, filename=filename)
    text, encoding = decode(data, filename=filename)
    return _read_text(text, encoding, filename)


def _read_text(text: str, encoding: str, filename: str) -> Source:
    """Text: a long CSV, a wide CSV, or the text layout (tab- or space-separated columns)."""
    if is_long(text):
        return read_long(text, encoding, filename=filename)
    if is_wide(text):
        return read_wide(text, encoding, filename=filename)
    return Source("text", spaced_columns(split_lines(text)), encoding)
