"""PDF reports with a text layer → the text layout's lines: ruled tables tab-separated, other text alone.

pdfplumber (on pdfminer.six) finds each page's ruled tables and the text lines around them, in
reading order (top to bottom). A table that runs on over a page break is one table: the rows of its
continuation are joined to it, its repeated header rows dropped, page numbers and a running title
between them ignored. A PDF without any text (a scanned image) is refused: no OCR is done. A table
drawn without rules (columns told only by where their text stands) is not read as one: its lines
reach the parser as plain text, and the report is refused (no table found) rather than guessed.

Limits on a hostile PDF (memory and time): ``MAX_BYTES`` of file, ``MAX_PAGES`` pages,
``MAX_PAGE_CONTENT`` bytes of decompressed drawing instructions per page and ``MAX_CONTENT`` in all
(checked, with a bounded inflate, before pdfminer interprets a page), ``MAX_PAGE_CHARS`` characters
per page. A page's place in messages is its number and the line on it (``'page 2'!B14``:
page 2, the 14th line read there, its second cell).
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from typing import Any

import pdfplumber
from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.page import Page

from workers.parsing._source import Place, Source
from workers.parsing._xlsx_messages import Refusal

_MB = 1024 * 1024
#: The largest PDF read: a results report is a few hundred kilobytes.
MAX_BYTES = 20 * _MB
#: The most pages: a year's report is a few dozen.
MAX_PAGES = 60
#: The most a page's drawing instructions may decompress to (a twelve-month table page: ~60 kB).
#: pdfminer interprets about 100 kB a second, so these bound the time a PDF takes.
MAX_PAGE_CONTENT = 512 * 1024
#: The most all pages' drawing instructions may decompress to (a year's report: under 1 MB).
MAX_CONTENT = 4 * _MB
#: The most characters on a page (a page of a 47-row table: a few thousand).
MAX_PAGE_CHARS = 50_000

# "- 3 -", "3", "3 / 12", "p. 3", "3ページ": a page number alone on its line.
_PAGE_NUMBER = re.compile(
    r"[\s\-－–—]*(?:p\.?\s*)?[0-9]+(?:\s*/\s*[0-9]+)?\s*(?:ページ|頁)?[\s\-－–—]*", re.I
)
_NUMBER_CELL = re.compile(r"[0-9０-９,，\s]+")
_NOWHERE = Place(0)


@dataclass
class _Item:
    """A text line or a table of one page, at its vertical position; each line with its place."""

    top: float
    lines: list[tuple[str, Place]]
    table: bool


def read_pdf(data: bytes, *, filename: str) -> Source:
    """The report's lines, page by page; ParseError for a scanned, encrypted, damaged or huge PDF."""
    try:
        return _read(data, filename)
    except Refusal as refusal:
        raise refusal.error(filename) from None


def _read(data: bytes, filename: str) -> Source:
    if len(data) > MAX_BYTES:
        raise Refusal("pdf_bytes", limit=str(MAX_BYTES // _MB))
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # pdfminer raises many types for damaged files
        raise _damaged(error) from None
    with pdf:
        try:
            pages = pdf.pages
        except Exception as error:
            raise _damaged(error) from None
        if len(pages) > MAX_PAGES:
            raise Refusal("pdf_pages", pages=str(len(pages)), limit=str(MAX_PAGES))
        read: list[_Item] = []
        previous_top: str | None = None
        characters = content = 0
        for number, page in enumerate(pages, start=1):
            content += _content_size(page, number)
            if content > MAX_CONTENT:
                raise Refusal("pdf_content", page=str(number), limit=f"{MAX_CONTENT // _MB} MB")
            items = _page_items(page, number)
            characters += len(page.chars)
            page.close()
            # Page numbers, and a running title repeated at the top of each page, are no content.
            items = [i for i in items if i.table or not _PAGE_NUMBER.fullmatch(i.lines[0][0])]
            top = items[0].lines[0][0] if items and not items[0].table else None
            if top is not None and top == previous_top:
                items = items[1:]
            previous_top = top
            if read and read[-1].table and items and items[0].table:
                _continue(read[-1], items.pop(0))
            read += items
    if not characters:
        raise Refusal("pdf_no_text")
    lines: list[str] = []
    places: list[Place] = []
    for item in read:
        for text, place in item.lines:
            lines.append(text)
            places.append(place)
        if not item.table:
            # Each text line its own paragraph: a note or heading never runs on into the next.
            lines.append("")
            places.append(item.lines[-1][1])
    return Source("PDF", lines, "utf-8", places)


def _damaged(error: Exception) -> Refusal:
    cause = error.__cause__ or error.__context__
    if isinstance(error, PDFPasswordIncorrect) or isinstance(cause, PDFPasswordIncorrect):
        return Refusal("pdf_encrypted")
    why = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return Refusal("pdf_damaged", why=why)


def _page_items(page: Page, number: int) -> list[_Item]:
    """The page's tables and the text lines outside them, top to bottom, each line with its place."""
    if len(page.chars) > MAX_PAGE_CHARS:
        raise Refusal("pdf_size", page=str(number), limit=f"{MAX_PAGE_CHARS:,} characters")
    tables = page.find_tables()
    items = [
        _Item(table.bbox[1], [("\t".join(row), _NOWHERE) for row in _cells(table.extract())], True)
        for table in tables
    ]
    boxes = [table.bbox for table in tables]
    for line in page.extract_text_lines(return_chars=False):
        middle = (line["top"] + line["bottom"]) / 2
        inside = any(
            top <= middle <= bottom and line["x0"] < right and line["x1"] > left
            for left, top, right, bottom in boxes
        )
        if not inside and line["text"].strip():
            items.append(_Item(line["top"], [(line["text"].strip(), _NOWHERE)], False))
    items.sort(key=lambda item: item.top)
    row = 0
    for item in items:
        for index, (text, _) in enumerate(item.lines):
            row += 1
            columns = tuple(range(1, text.count("\t") + 2))
            item.lines[index] = (text, Place(row, f"page {number}", columns))
    return items


def _content_size(page: Page, number: int) -> int:
    """The size of a page's drawing instructions; Refusal when more than a report's page has."""
    contents = resolve1(page.page_obj.attrs.get("Contents"))
    streams = contents if isinstance(contents, list) else [contents]
    total = 0
    for stream in (resolve1(item) for item in streams):
        if not isinstance(stream, PDFStream):
            continue
        total += _decoded_size(stream)
        if total > MAX_PAGE_CONTENT:
            raise Refusal("pdf_size", page=str(number), limit=f"{MAX_PAGE_CONTENT:,} bytes of content")
    return total


def _decoded_size(stream: PDFStream) -> int:
    """What a content stream decodes to, inflating at most one byte past the limit (a flate bomb)."""
    if stream.data is not None:
        return len(stream.data)
    data = stream.rawdata or b""
    for name, _ in stream.get_filters():
        kind = str(getattr(name, "name", name))
        try:
            if kind in ("ASCII85Decode", "A85"):
                data = ascii85decode(data)
            elif kind in ("ASCIIHexDecode", "AHx"):
                data = asciihexdecode(data)
            elif kind in ("FlateDecode", "Fl"):
                data = zlib.decompressobj().decompress(data, MAX_PAGE_CONTENT + 1)
            else:
                break  # LZW, run-length: left to pdfminer, counted at their encoded size
        except (ValueError, zlib.error):
            break  # pdfminer reports the damage its own way
    return len(data)


def _cells(rows: list[list[Any]]) -> list[list[str]]:
    # A cell spanned by its neighbour is None; a wrapped label's line break is no part of it.
    return [[str(cell or "").replace("\n", "").strip() for cell in row] for row in rows]


def _is_header(cells: list[str]) -> bool:
    return not cells[0] and any(cell and not _NUMBER_CELL.fullmatch(cell) for cell in cells[1:])


def _continue(table: _Item, more: _Item) -> None:
    """A table's continuation on the next page joined to it, its repeated header rows dropped."""
    header = []
    for text, _ in table.lines:
        if not _is_header(text.split("\t")):
            break
        header.append(text)
    skip = 0
    while skip < len(header) and skip < len(more.lines) and more.lines[skip][0] == header[skip]:
        skip += 1
    table.lines += more.lines[skip:]
