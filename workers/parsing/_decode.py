"""Bytes → text: UTF-8 (BOM or not), UTF-16 with BOM (Excel's "Unicode text") or CP932, split into lines."""

from __future__ import annotations

import re

from workers.parsing import _file_reasons as file_reasons
from workers.parsing._model import ParseError

_BOM = b"\xef\xbb\xbf"
#: Byte order marks of UTF-16, little- and big-endian: Excel saves "Unicode text" so.
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def decode(data: bytes, *, filename: str) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was in; ParseError if it is empty or not text."""
    if data.startswith(UTF16_BOMS):
        return _utf16(data, filename)
    if b"\x00" in data:
        raise ParseError(file_reasons.binary_nul(), file=filename)
    encoding = "utf-8-sig" if data.startswith(_BOM) else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        _refuse_broken_utf8(data, error, filename)
        try:
            text, encoding = data.decode("cp932"), "cp932"
        except UnicodeDecodeError:
            raise ParseError(file_reasons.not_text(), file=filename) from None
    if not text.strip():
        raise ParseError(file_reasons.empty_file(), file=filename)
    return text, encoding


def _utf16(data: bytes, filename: str) -> tuple[str, str]:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as error:
        raise ParseError(file_reasons.bad_utf16(error.start), file=filename) from None
    if "\x00" in text:
        raise ParseError(file_reasons.binary_utf16(), file=filename)
    if not text.strip():
        raise ParseError(file_reasons.empty_file(), file=filename)
    return text, "utf-16"


def _refuse_broken_utf8(data: bytes, error: UnicodeDecodeError, filename: str) -> None:
    """ParseError for UTF-8 text with a few bad bytes, rather than reading it as CP932 mojibake."""
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    good = sum(1 for char in replaced if ord(char) > 0x7F) - bad
    # CP932 text decoded as UTF-8 yields mostly replacement characters; UTF-8 text almost none.
    if good > 10 * bad:
        line = data[: error.start].count(b"\n") + 1
        raise ParseError(file_reasons.bad_utf8(error.start), file=filename, line=line)


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their breaks; only CR, LF and CRLF end a line.

    ``str.splitlines`` also splits on form feeds and Unicode separators, which would shift
    the line numbers that error messages give from what an editor shows.
    """
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
